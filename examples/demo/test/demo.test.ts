import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import test from 'ava';

const run = promisify(execFile);

// The README's first command runs exactly this file with plain node, after the build.
test('the demo runs every provider against the sandbox and exits 0', async (t) => {
  const { stdout, stderr } = await run(process.execPath, ['dist/main.js'], {
    cwd: new URL('..', import.meta.url),
    env: { PATH: process.env.PATH ?? '' },
    timeout: 90_000,
  });
  t.is(stderr, '');
  for (const heading of ['== Monerium', '== Monerium API v2', '== Money Button', '== MoneyNS']) t.true(stdout.includes(heading), heading);
  t.regex(stdout, /order \S+ went placed → pending → processed/);
  t.regex(stdout, /signed in with Ethereum as \S+ by 0x[0-9a-fA-F]{40}/);
  t.regex(stdout, /SEPA order \S+ went placed( → pending)? → processed \(seen through verified webhooks\)/);
  t.regex(stdout, /cross-chain order \S+ went placed( → pending)? → processed \(seen through verified webhooks\)/);
  t.regex(stdout, /pay: Unsupported/);
  t.regex(stdout, /checkout page: HTTP 200/);
  t.regex(stdout, /demo finished/);
});
