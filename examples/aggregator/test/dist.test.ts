import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { PACKAGE_DIR, type Run } from './_setup.js';

const MAIN = join(PACKAGE_DIR, 'dist', 'main.js');

/** Runs the BUILT program under plain node: no tsx loader, no NODE_OPTIONS, only PATH in the environment. */
const runBuilt = (args: ReadonlyArray<string>): Promise<Run> =>
  new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [MAIN, ...args],
      { cwd: PACKAGE_DIR, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });

test.before(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npx tsc -p tsconfig.build.json)`);
});

test('the built program reports against its own sandbox and exits 0', async (t) => {
  const result = await runBuilt(['--sandbox']);

  t.is(result.code, 0, result.stderr);
  t.true(result.stdout.startsWith('provider:     monerium\ncapabilities: balances, payments, pay, watch\nbalances:\n'));
  t.regex(result.stdout, /\n {2}10 shown; more on the next page\n$/);
});

test('the built program exits 1 on the shipped gateway.json when its variables are not set', async (t) => {
  const result = await runBuilt([]);

  t.is(result.code, 1);
  t.is(result.stdout, '');
  t.is(result.stderr, 'gateway.json: providers.monerium.auth.clientId: environment variable MONERIUM_CLIENT_ID is not set\n');
});
