#!/usr/bin/env node
// After `changeset version`: writes each package's version into the `VERSION` constant its code
// reports (core's User-Agent, the OpenTelemetry instrumentation scope); each package's
// test/dist.test.ts checks the two agree.
import { readFileSync, writeFileSync } from 'node:fs';

const FILES = ['core', 'opentelemetry'];

for (const name of FILES) {
  const pkgUrl = new URL(`../packages/${name}/package.json`, import.meta.url);
  const fileUrl = new URL(`../packages/${name}/src/version.ts`, import.meta.url);
  const { version } = JSON.parse(readFileSync(pkgUrl, 'utf8'));
  const source = readFileSync(fileUrl, 'utf8');
  const next = source.replace(/export const VERSION = '[^']*';/, `export const VERSION = '${version}';`);
  if (!next.includes(`'${version}'`)) {
    console.error(`sync-version: no \`export const VERSION = …\` line in packages/${name}/src/version.ts`);
    process.exitCode = 1;
  } else if (next !== source) {
    writeFileSync(fileUrl, next);
    console.log(`sync-version: packages/${name}/src/version.ts → ${version}`);
  }
}
