import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { PACKAGE_DIR, type Run, tempDir } from './_setup.js';

const MAIN = join(PACKAGE_DIR, 'dist', 'main.js');

/** Runs the BUILT job under plain node: no tsx loader, no NODE_OPTIONS. */
const runBuilt = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>>, cwd: string): Promise<Run> =>
  new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [MAIN, ...args],
      { cwd, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 30_000 },
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

test('the built job makes its key in the working directory on the first --sandbox run and reuses it on the second', async (t) => {
  const dir = tempDir(t);

  const first = await runBuilt(['--sandbox'], {}, dir);
  const second = await runBuilt(['--sandbox'], {}, dir);

  t.is(first.code, 0, first.stderr);
  t.true(first.stdout.startsWith(`Generated a new platform key (RSA 2048, PKCS#8 PEM, mode 0600): ${join(dir, 'platform-key.pem')}\n`));
  t.is(statSync(join(dir, 'platform-key.pem')).mode & 0o777, 0o600);
  t.is(second.code, 0, second.stderr);
  t.true(second.stdout.startsWith(`Using the platform key at ${join(dir, 'platform-key.pem')}\n`));
  for (const run of [first, second]) t.regex(run.stdout, /\nCheckout URL:\nhttp:\/\/127\.0\.0\.1:\d+\/moneyns\/checkout\?lang=en&display=light&landing=false&platform=platform-jwt-example&token=/);
});

test('the built job writes a new key where MONEYNS_PLATFORM_KEY_PATH says and stops with exit 3 outside the sandbox', async (t) => {
  const dir = tempDir(t);
  const keyPath = join(dir, 'keys', 'acme.pem');

  const result = await runBuilt(
    [],
    { MONEYNS_PLATFORM_KEY_PATH: keyPath, MONEYNS_PLATFORM: 'acme', MONEYNS_EMAIL: 'john@email.com', CHECKOUT_LANDING: 'https://shop.example/' },
    dir,
  );

  t.is(result.code, 3, result.stderr);
  t.is(statSync(keyPath).mode & 0o777, 0o600);
  t.true(result.stdout.endsWith('Register it with MoneyNS, then run this job again.\n'));
});
