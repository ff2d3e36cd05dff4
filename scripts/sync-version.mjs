#!/usr/bin/env node
// After `changeset version`: writes @paygate/core's version into packages/core/src/version.ts,
// which the User-Agent header uses (packages/core/test/dist.test.ts checks the two agree).
import { readFileSync, writeFileSync } from 'node:fs';

const pkgUrl = new URL('../packages/core/package.json', import.meta.url);
const fileUrl = new URL('../packages/core/src/version.ts', import.meta.url);
const { version } = JSON.parse(readFileSync(pkgUrl, 'utf8'));
const source = readFileSync(fileUrl, 'utf8');
const next = source.replace(/export const VERSION = '[^']*';/, `export const VERSION = '${version}';`);
if (!next.includes(`'${version}'`)) {
  console.error('sync-version: no `export const VERSION = …` line in packages/core/src/version.ts');
  process.exitCode = 1;
} else if (next !== source) {
  writeFileSync(fileUrl, next);
  console.log(`sync-version: packages/core/src/version.ts → ${version}`);
}
