import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import test from 'ava';

// Every published package is ESM; its exports map's `default` condition lets a CommonJS app
// require() it on Node >= 20.19 / 22.12. Run under plain node (no tsx), on whichever Node runs
// ava: .ci/run runs this file on Node 20 and again on Node 22.
const scripts = fileURLToPath(new URL('..', import.meta.url));
const packagesDir = fileURLToPath(new URL('../../packages/', import.meta.url));

const published = readdirSync(packagesDir)
  .map((dir) => JSON.parse(readFileSync(`${packagesDir}${dir}/package.json`, 'utf8')) as { name: string; private?: boolean })
  .filter((pkg) => pkg.private !== true)
  .map((pkg) => pkg.name);

const exportNames = (code: string): string[] =>
  JSON.parse(execFileSync(process.execPath, ['-e', code], { cwd: scripts, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' })) as string[];

test('the published packages are the ones under packages/', (t) => {
  t.true(published.length >= 8, published.join(', '));
});

for (const name of published) {
  test(`require('${name}') gives the same exports as import()`, async (t) => {
    const required = exportNames(`process.stdout.write(JSON.stringify(Object.keys(require('${name}')).sort()))`);
    const imported = exportNames(`import('${name}').then((m) => process.stdout.write(JSON.stringify(Object.keys(m).sort())))`);
    t.true(required.length > 0);
    t.deepEqual(required, imported.filter((key) => key !== 'module.exports'));
  });
}
