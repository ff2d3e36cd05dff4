import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import test from 'ava';

const run = promisify(execFile);

// The suite must be able to fail: run it against a broken adapter in a child ava and read
// which contract tests it failed.
test('a broken adapter fails exactly the contract tests it breaks', async (t) => {
  // ava exports no CLI subpath; its bin file sits in the package's own node_modules.
  const cli = fileURLToPath(new URL('../node_modules/ava/entrypoints/cli.mjs', import.meta.url));
  const cwd = new URL('..', import.meta.url);
  const output = await run(process.execPath, [cli, '--config', 'test/fixtures/ava.config.js', '--tap'], { cwd, timeout: 120_000 }).then(
    ({ stdout }) => stdout,
    (error: { stdout?: string }) => error.stdout ?? '',
  );
  const failed = [...output.matchAll(/^not ok \d+ - (.*?)(?: # .*)?$/gm)].map((m) => m[1]?.trim() ?? '');
  const passed = [...output.matchAll(/^ok \d+ - (.*?)(?: # .*)?$/gm)].map((m) => m[1]?.trim() ?? '');
  const prefix = 'broken contract: ';
  t.true(failed.includes(`${prefix}balances decode to the core Balance type`), output);
  t.true(failed.includes(`${prefix}undeclared pay answers Unsupported and sends nothing`), output);
  t.true(failed.includes(`${prefix}errors carry no seeded secret`), output);
  t.true(passed.includes(`${prefix}undeclared watch answers Unsupported and sends nothing`), output);
  t.true(passed.includes(`${prefix}undeclared payments answers Unsupported and sends nothing`), output);
});
