import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import test from 'ava';

// The packages as someone else's app gets them: every package is packed with pnpm, the tarballs
// are installed with plain npm into a temporary project outside the workspace, and the app in
// scripts/consumer-app is type-checked (module NodeNext and moduleResolution bundler, both with
// skipLibCheck false), run against the sandbox, and require()d from CommonJS — on the Node that
// runs this file and on Node 22. The files of docs/getting-started.md (its ```ts blocks that name
// one, `// src/monerium.ts`) are copied in as written and its last step runs. publint and
// @arethetypeswrong/cli check each tarball.
const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const appSource = fileURLToPath(new URL('../consumer-app/', import.meta.url));
const requireHere = createRequire(import.meta.url);
const tsc = requireHere.resolve('typescript/bin/tsc');
const bin = (name: string): string => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
const PNPM = ['--yes', 'pnpm@10.34.9'];

const work = mkdtempSync(join(tmpdir(), 'paygate-consumer-'));
const tarballs = join(work, 'tarballs');
const app = join(work, 'app');

/** The app files docs/getting-started.md spells out: each ```ts block whose first line is `// src/<file>.ts`. */
const gettingStartedFiles = (): Array<[string, string]> => {
  const text = readFileSync(join(root, 'docs/getting-started.md'), 'utf8');
  return [...text.matchAll(/^```ts\n\/\/ (src\/[\w-]+\.ts)\n([\s\S]*?)^```/gm)].map((m) => [m[1] ?? '', m[2] ?? '']);
};

interface Installed {
  readonly tarballs: ReadonlyArray<string>;
  readonly node22: string;
}

let installed: Installed | undefined;

const execIn = async (cwd: string, file: string, args: ReadonlyArray<string>): Promise<string> => {
  const { stdout } = await run(file, [...args], { cwd, encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
  return stdout;
};

/** Runs a command, and on failure gives its output (a type error list, a lint report) to the test. */
const outputOf = async (cwd: string, file: string, args: ReadonlyArray<string>): Promise<{ ok: boolean; output: string }> => {
  try {
    return { ok: true, output: await execIn(cwd, file, args) };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` || failed.message };
  }
};

test.before(async (t) => {
  t.timeout(600_000, 'packing and installing under load');
  // Private packages (the fuzz test) are not published, so they are not packed either.
  const packagesDir = join(root, 'packages');
  const published = readdirSync(packagesDir)
    .map((dir) => JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) as { name: string; private?: boolean })
    .filter((pkg) => pkg.private !== true)
    .flatMap((pkg) => ['--filter', pkg.name]);
  await execIn(root, 'npx', [...PNPM, '-r', ...published, 'pack', '--pack-destination', tarballs]);
  const files = readdirSync(tarballs).filter((f) => f.endsWith('.tgz'));
  cpSync(appSource, app, { recursive: true });
  for (const [file, source] of gettingStartedFiles()) writeFileSync(join(app, file), source);
  const dependencies: Record<string, string> = { 'fp-ts': '^2.16.11', 'io-ts': '^2.2.22', viem: '^2.57.20' };
  for (const file of files) {
    const name = `@paygate/${file.replace(/^paygate-/, '').replace(/-\d+\.\d+\.\d+.*\.tgz$/, '')}`;
    dependencies[name] = `file:${join(tarballs, file)}`;
  }
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'consumer-app', private: true, type: 'module', dependencies, devDependencies: { '@types/node': '^20.19.0' } }),
  );
  await execIn(app, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error']);
  const node22 = await execIn(app, 'npx', ['--yes', '-p', 'node@22', 'node', '-e', 'process.stdout.write(process.execPath)']);
  installed = { tarballs: files.map((file) => join(tarballs, file)), node22 };
});

/** Starts a long-running command, waits for its second line of output, stops it (its whole process group). */
const firstLinesOf = (cwd: string, file: string, args: ReadonlyArray<string>): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(file, [...args], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const stop = () => {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    };
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.split('\n').length > 2) {
        stop();
        resolve(output);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`exited (${code}) before it was ready:\n${output}`)));
  });

/** The NodeNext compile, run once: its test checks the result and the run tests use its output. */
let nodeNextCompile: Promise<{ ok: boolean; output: string }> | undefined;
const compileNodeNext = () => {
  nodeNextCompile ??= outputOf(app, process.execPath, [tsc, '-p', 'tsconfig.nodenext.json']);
  return nodeNextCompile;
};

test.after.always(() => rmSync(work, { recursive: true, force: true }));

const ready = (): Installed => {
  if (installed === undefined) throw new Error('the consumer project was not installed');
  return installed;
};

test('every package packs, with caret ranges for @paygate deps and its sources for the maps', (t) => {
  const names = readdirSync(join(app, 'node_modules/@paygate')).sort();
  t.deepEqual(names, ['contract-tests', 'core', 'monerium', 'moneybutton', 'moneyns', 'opentelemetry', 'sandbox', 'token-store-redis']);
  for (const name of names) {
    const dir = join(app, 'node_modules/@paygate', name);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      repository?: { url: string };
      homepage?: string;
    };
    for (const [dep, range] of Object.entries(pkg.dependencies ?? {})) {
      if (dep.startsWith('@paygate/')) t.regex(range, /^\^\d/, `${name} depends on ${dep}@${range}`);
    }
    t.truthy(pkg.repository?.url, `${name} has a repository`);
    t.truthy(pkg.homepage, `${name} has a homepage`);
    t.true(existsSync(join(dir, 'src/index.ts')), `${name} ships src/ for its source maps`);
    t.true(existsSync(join(dir, 'README.md')), `${name} ships a README`);
  }
  // One copy of core: every adapter resolves the top-level one.
  t.false(existsSync(join(app, 'node_modules/@paygate/monerium/node_modules/@paygate/core')));
});

test('the app type-checks and compiles under module NodeNext with skipLibCheck false', async (t) => {
  ready();
  const result = await compileNodeNext();
  t.true(result.ok, result.output);
  t.true(existsSync(join(app, 'dist/app.js')) && existsSync(join(app, 'dist/cjs-app.cjs')));
});

test('the app type-checks under moduleResolution bundler with skipLibCheck false', async (t) => {
  ready();
  const result = await outputOf(app, process.execPath, [tsc, '-p', 'tsconfig.bundler.json']);
  t.true(result.ok, result.output);
});

const EXPORT_COUNTS = ['contract-tests', 'core', 'monerium', 'moneybutton', 'moneyns', 'opentelemetry', 'sandbox', 'token-store-redis'];

for (const [label, node] of [
  ['this Node', () => process.execPath],
  ['Node 22', () => ready().node22],
] as const) {
  test(`require() of every package from a .cjs file works on ${label}`, async (t) => {
    ready();
    const counts = JSON.parse(await execIn(app, node(), ['src/require.cjs'])) as Record<string, number>;
    t.deepEqual(Object.keys(counts).sort(), EXPORT_COUNTS);
    for (const [name, count] of Object.entries(counts)) t.true(count > 0, `${name} exports ${count} names`);
  });

  test(`the compiled app signs in at the sandbox and reads balances on ${label}`, async (t) => {
    ready();
    t.true((await compileNodeNext()).ok, 'the app compiled');
    const esm = JSON.parse(await execIn(app, node(), ['dist/app.js'])) as Record<string, unknown>;
    t.deepEqual(esm, { balances: 3, refused: 'InvalidInput auth.clientId', typesOnly: ['string', 'consumer'] });
    const cjs = JSON.parse(await execIn(app, node(), ['dist/cjs-app.cjs'])) as Record<string, unknown>;
    t.deepEqual(cjs, { amount: '10.5', registry: 'Left' });
  });
}

test('docs/getting-started.md names its app files, and its offline step runs as written', async (t) => {
  const files = gettingStartedFiles().map(([file]) => file);
  t.deepEqual(files, ['src/monerium.ts', 'src/sign-in.ts', 'src/balances.ts', 'src/pay.ts', 'src/errors.ts', 'src/try-offline.ts']);
  t.true((await compileNodeNext()).ok, 'the app compiled');
  const output = await execIn(app, process.execPath, ['dist/try-offline.js']);
  t.regex(output, /^signed in as \S+@/m);
  t.regex(output, /^0x[0-9a-fA-F]{40} gnosis eur \d+(\.\d+)?$/m);
  t.regex(output, /^redeem order \S+ placed$/m);
  t.regex(output, /^400: amount .*decimal/m);
});

test('npx paygate-sandbox works in the app that installed @paygate/sandbox', async (t) => {
  ready();
  t.regex(await firstLinesOf(app, 'npx', ['paygate-sandbox', '--port', '0']), /^paygate-sandbox is running\n {2}monerium {5}http:\/\/127\.0\.0\.1:\d+\/monerium$/m);
});

test('npx pnpm sandbox works from the repository root', async (t) => {
  t.regex(await firstLinesOf(root, 'npx', [...PNPM, '--silent', 'sandbox', '--port', '0']), /^paygate-sandbox is running$/m);
});

test('publint finds nothing to report in any tarball', async (t) => {
  for (const tarball of ready().tarballs) {
    const result = await outputOf(app, bin('publint'), ['run', tarball, '--strict']);
    t.true(result.ok, result.output);
    t.regex(result.output, /All good!/, tarball);
  }
});

test('@arethetypeswrong/cli finds no type problem in any tarball', async (t) => {
  // cjs-resolves-to-esm is attw's verdict for Node < 20.19 (which cannot require() ESM); the
  // packages document require() support from Node 20.19 / 22.12, and the tests above prove it.
  for (const tarball of ready().tarballs) {
    const result = await outputOf(app, bin('attw'), [tarball, '--ignore-rules', 'cjs-resolves-to-esm', '--format', 'ascii']);
    t.true(result.ok, result.output);
  }
});
