import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import test from 'ava';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

const run = (args: ReadonlyArray<string>): ChildProcess =>
  spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] });

/** Collects stdout until `done` says it has seen enough (or the process ends). */
const readUntil = (child: ChildProcess, done: (text: string) => boolean): Promise<string> =>
  new Promise((resolve) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (done(text)) resolve(text);
    });
    child.once('exit', () => resolve(text));
  });

test('the CLI prints the three URLs and the seeded credentials, serves them, and exits within 1 s of SIGTERM', async (t) => {
  const child = run(['--port', '0', '--seed', '7']);
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const output = await readUntil(child, (text) => text.includes('END PRIVATE KEY'));
  const urls = Object.fromEntries([...output.matchAll(/^ {2}(monerium|moneybutton|moneyns) +(http:\/\/127\.0\.0\.1:\d+\/\1)$/gm)].map((m) => [m[1], m[2]]));
  t.deepEqual(Object.keys(urls).sort(), ['monerium', 'moneybutton', 'moneyns']);
  t.regex(output, /seed +7/);
  const user = /^ {2}user +(\S+@\S+) \/ (\S+) +\(default profile/m.exec(output);
  t.truthy(user, 'a Monerium user with its password');
  const auth = `Basic ${Buffer.from(`${user?.[1]}:${user?.[2]}`).toString('base64')}`;
  const answer = await fetch(`${urls.monerium}/auth/context`, { headers: { authorization: auth } });
  t.is(answer.status, 200);
  t.regex(output, /partner +\S+ \/ [0-9a-f]{64}/);
  t.regex(output, /private app +\S+ \/ [0-9a-f]{64}/);
  t.regex(output, /safe +0x[0-9a-fA-F]{40} on chiado/);
  const exited = once(child, 'exit');
  const started = performance.now();
  child.kill('SIGTERM');
  const [code] = await exited;
  t.true(performance.now() - started < 1000, 'stopped within a second');
  t.is(code, 0);
});

test('the CLI stops on SIGINT too', async (t) => {
  const child = run([]);
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  await readUntil(child, (text) => text.includes('END PRIVATE KEY'));
  const exited = once(child, 'exit');
  child.kill('SIGINT');
  t.deepEqual(await exited, [0, null]);
});

test('the CLI rejects bad arguments with usage and exit code 2', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--port', 'eighty'], { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = await once(child, 'exit');
  t.is(code, 2);
  t.regex(stderr, /Usage: paygate-sandbox/);
});

test('importing the CLI module does not start a server', async (t) => {
  const before = process.listenerCount('SIGTERM');
  const cli = await import('../src/cli.js');
  t.is(typeof cli.main, 'function');
  t.is(process.listenerCount('SIGTERM'), before);
});
