import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { count, WARMUP_ROUNDS } from './config.js';
import { progress, publish, runShape } from './report.js';
import { roundRobin } from './rounds.js';
import { formatBytes, formatCount, formatNs, formatRatio, summarize, type Table } from './stats.js';

// 7. Cold import time in a fresh process, and installed size with production dependencies.

const ROUNDS = count(15, 1, 1);
const BREAKDOWN_ROUNDS = count(5, 1, 1);
const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const WORKSPACE = dirname(BENCH_DIR);
/** The first two are compared; `@monerium/sdk-v3` (3.5.0, the v2 API's SDK) is reported beside them. */
const CANDIDATES = ['@paygate/monerium', '@monerium/sdk', '@monerium/sdk-v3'] as const;
/** The workspace packages whose third-party dependencies the breakdown imports one by one. */
const BREAKDOWN_OF = ['@paygate/core', '@paygate/monerium'] as const;
/** fp-ts's root loads every module; the packages import a few deep ones, TaskEither pulling in the rest they use. */
const ENTRY: Readonly<Record<string, string>> = { 'fp-ts': 'fp-ts/lib/TaskEither.js' };

/** One fresh `node` in `cwd` that imports `specifier` (or nothing) and reports how long the import took. */
const coldImport = (specifier: string | undefined, cwd = BENCH_DIR) => async () => {
  const script =
    specifier === undefined
      ? 'process.stdout.write(JSON.stringify({ importNs: 0 }))'
      : `const t0 = performance.now(); await import(${JSON.stringify(specifier)}); ` +
        'process.stdout.write(JSON.stringify({ importNs: (performance.now() - t0) * 1e6 }))';
  const started = performance.now();
  const output = await new Promise<string>((resolve, reject) => {
    // Resolved from `cwd` (bench/ for the two candidates, like an application that depends on both).
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`importing ${specifier} exited with ${code}`))));
  });
  const { importNs } = JSON.parse(output) as { importNs: number };
  return { importNs, processNs: (performance.now() - started) * 1e6 };
};

interface PackageInfo {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  readonly files: number;
  readonly bytes: number;
  readonly blocks: number;
}

/** Node's lookup: `node_modules/<name>` in the directory and each ancestor that is not itself a node_modules. */
const findPackage = (name: string, from: string): string | undefined => {
  for (let dir = from; ; dir = dirname(dir)) {
    if (basename(dir) !== 'node_modules') {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    }
    if (dirname(dir) === dir) return undefined;
  }
};

/** Regular files under `path` (symlinks and nested node_modules are not followed: pnpm links dependencies there). */
const measure = (path: string): { files: number; bytes: number; blocks: number } => {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return { files: 0, bytes: 0, blocks: 0 };
  if (!stat.isDirectory()) return { files: 1, bytes: stat.size, blocks: stat.blocks * 512 };
  const total = { files: 0, bytes: 0, blocks: stat.blocks * 512 };
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules') continue;
    const sub = measure(join(path, entry));
    total.files += sub.files;
    total.bytes += sub.bytes;
    total.blocks += sub.blocks;
  }
  return total;
};

/** A workspace package is installed as what it publishes: `files`, package.json and the always-included docs. */
const publishedPaths = (dir: string, manifest: { files?: string[] }): string[] => {
  if (!dir.startsWith(`${WORKSPACE}${sep}packages${sep}`) || manifest.files === undefined) return [dir];
  const always = readdirSync(dir).filter((entry) => /^(package\.json|readme|license|licence)/i.test(entry));
  return [...new Set([...manifest.files, ...always])].map((entry) => join(dir, entry)).filter((path) => existsSync(path));
};

/** The package and every production dependency it pulls in (dependencies and optionalDependencies, not peers). */
const closure = (name: string): PackageInfo[] => {
  const seen = new Map<string, PackageInfo>();
  const visit = (dependency: string, from: string) => {
    const dir = findPackage(dependency, from);
    if (dir === undefined || seen.has(dir)) return;
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      version?: string;
      files?: string[];
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    const size = publishedPaths(dir, manifest)
      .map(measure)
      .reduce((a, b) => ({ files: a.files + b.files, bytes: a.bytes + b.bytes, blocks: a.blocks + b.blocks }), { files: 0, bytes: 0, blocks: 0 });
    seen.set(dir, { name: dependency, version: manifest.version ?? '?', dir, ...size });
    for (const next of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) visit(next, dir);
  };
  visit(name, BENCH_DIR);
  return [...seen.values()];
};

progress(`${ROUNDS} rotated rounds of fresh processes`);
const contenders = [undefined, ...CANDIDATES].map((specifier) => coldImport(specifier));
const [empty = [], ...perCandidate] = await roundRobin(contenders, { rounds: ROUNDS, warmup: WARMUP_ROUNDS });
const startup = summarize(empty.map((r) => r.processNs));
const importStats = perCandidate.map((runs) => ({ imported: summarize(runs.map((r) => r.importNs)), process: summarize(runs.map((r) => r.processNs)) }));
const sizes = CANDIDATES.map(closure);

// Which dependency the import time goes to: each third-party dependency alone, from the package that uses it.
const dependencies = BREAKDOWN_OF.flatMap((name) => {
  const dir = findPackage(name, BENCH_DIR);
  if (dir === undefined) return [];
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  return Object.keys(manifest.dependencies ?? {})
    .filter((dependency) => !dependency.startsWith('@paygate/'))
    .map((dependency) => ({ user: name, dependency, specifier: ENTRY[dependency] ?? dependency, dir }));
}).filter((entry, index, all) => all.findIndex((other) => other.dependency === entry.dependency) === index);
progress(`${BREAKDOWN_ROUNDS} rotated rounds over ${dependencies.length} dependencies`);
const breakdown = await roundRobin(
  dependencies.map((entry) => coldImport(entry.specifier, entry.dir)),
  { rounds: BREAKDOWN_ROUNDS, warmup: 0 },
);
const totals = sizes.map((packages) => packages.reduce((sum, p) => ({ bytes: sum.bytes + p.bytes, blocks: sum.blocks + p.blocks, files: sum.files + p.files }), { bytes: 0, blocks: 0, files: 0 }));
const [ours, theirs] = [0, 1].map((i) => ({ stats: importStats[i], total: totals[i], packages: sizes[i] ?? [] }));

const tables: Table[] = [
  {
    caption: `Cold import in a fresh \`node\` (${ROUNDS} rotated rounds; an empty \`node -e\` takes ${formatNs(startup.median)} median from spawn to exit):`,
    header: ['package', 'import() min', 'import() median', 'import() p99', 'process spawn → exit, median'],
    rows: CANDIDATES.map((name, i) => {
      const s = importStats[i];
      return [name, formatNs(s?.imported.min ?? Number.NaN), formatNs(s?.imported.median ?? Number.NaN), formatNs(s?.imported.p99 ?? Number.NaN), formatNs(s?.process.median ?? Number.NaN)];
    }),
  },
  {
    caption: `Where the import time goes: each third-party dependency imported alone in a fresh process (${BREAKDOWN_ROUNDS} rotated round(s), median):`,
    header: ['dependency', 'imported as', 'used by', 'import() median'],
    rows: dependencies
      .map((entry, i) => ({ entry, ns: summarize((breakdown[i] ?? []).map((r) => r.importNs)).median }))
      .sort((a, b) => b.ns - a.ns)
      .map(({ entry, ns }) => [entry.dependency, `\`${entry.specifier}\``, entry.user, formatNs(ns)]),
  },
  {
    caption: 'Installed size: the package and its production dependencies (dependencies + optionalDependencies, transitively; peers excluded):',
    header: ['package', 'packages', 'files', 'size (bytes)', 'size on disk (du)'],
    rows: CANDIDATES.map((name, i) => [
      name,
      String(sizes[i]?.length ?? 0),
      formatCount(totals[i]?.files ?? 0),
      formatBytes(totals[i]?.bytes ?? 0),
      formatBytes(totals[i]?.blocks ?? 0),
    ]),
  },
  ...CANDIDATES.map(
    (name, i): Table => ({
      caption: `Largest packages in the closure of ${name}:`,
      header: ['package', 'version', 'size', 'share'],
      rows: [...(sizes[i] ?? [])]
        .sort((a, b) => b.bytes - a.bytes)
        .slice(0, 8)
        .map((p) => [p.name, p.version, formatBytes(p.bytes), `${((p.bytes / (totals[i]?.bytes ?? 1)) * 100).toFixed(1)} %`]),
    }),
  ),
  {
    caption: 'Ratios, @paygate/monerium over @monerium/sdk:',
    header: ['measure', 'ratio'],
    rows: [
      ['import() median', formatRatio((ours?.stats?.imported.median ?? Number.NaN) / (theirs?.stats?.imported.median ?? Number.NaN))],
      ['installed size (bytes)', formatRatio((ours?.total?.bytes ?? Number.NaN) / (theirs?.total?.bytes ?? Number.NaN))],
    ],
  },
];

publish({
  id: 'import-cost',
  title: '7. Import cost and installed size',
  method: [
    runShape(
      'Each round spawns four fresh processes in `bench/` (rotating their order): an empty one, one that times ' +
        '`await import(\'@paygate/monerium\')` (the built `dist/`, resolved through the package exports), one that times ' +
        '`await import(\'@monerium/sdk\')` (2.15.0) and one `@monerium/sdk-v3` (3.5.0, the SDK of API v2, reported beside). ' +
        'The installed size of `@paygate/monerium` is that of an app with core + monerium (core is its dependency). Sizes follow the production dependency graph from the installed packages ' +
        '(pnpm store, symlinks resolved); workspace packages count what they publish (`files` in package.json), ' +
        'third-party packages their whole directory. In the breakdown every process pays Node\'s module loader and shared ' +
        'dependencies again, so the rows do not add up to the total.',
    ),
  ],
  tables,
  goals: [],
  notes: [
    '@paygate/monerium brings its own HTTP client (got), OAuth (openid-client), JWT signing (jsonwebtoken, through @paygate/core), ' +
      'fp-ts/io-ts and ws; the SDK relies on the platform\'s fetch and WebSocket and has one dependency (crypto-js). viem is an ' +
      'optional peer of @paygate/monerium (only for `signerFromViemAccount` users) and is not counted.',
  ],
});
