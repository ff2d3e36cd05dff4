import { execFile } from 'node:child_process';
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
// runs this file and on Node 22. publint and @arethetypeswrong/cli check each tarball.
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
  await execIn(root, 'npx', [...PNPM, '-r', '--filter', './packages/*', 'pack', '--pack-destination', tarballs]);
  const files = readdirSync(tarballs).filter((f) => f.endsWith('.tgz'));
  cpSync(appSource, app, { recursive: true });
  const dependencies: Record<string, string> = { 'fp-ts': '^2.16.11', 'io-ts': '^2.2.22' };
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
  t.deepEqual(names, ['contract-tests', 'core', 'monerium', 'moneybutton', 'moneyns', 'sandbox', 'token-store-redis']);
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

const EXPORT_COUNTS = ['contract-tests', 'core', 'monerium', 'moneybutton', 'moneyns', 'sandbox', 'token-store-redis'];

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
