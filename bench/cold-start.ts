import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { count, QUICK } from './config.js';
import { startRemoteSandbox } from './remote-sandbox.js';
import { type Goal, progress, publish, runShape } from './report.js';
import { relativeSpread, roundRobin } from './rounds.js';
import { formatNs, formatRatio, median, type Table } from './stats.js';

// 9. Cold start: process spawn → import → first balances() answered, against the floor of our
// dependencies (got + fp-ts + io-ts doing the same requests) and against @monerium/sdk.

/** Issue 18: paygate's cold start at most 1.15× the floor. */
const GOAL = 1.15;
const ROUNDS = count(15, 1, 1);
/** The quick run skips the warm-up round and takes the census of paygate only. */
const WARMUP = QUICK ? 0 : 1;
const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const COLD_DIR = join(BENCH_DIR, 'cold');

const SCENARIOS = [
  { id: 'empty', name: 'empty `node -e`', file: undefined },
  { id: 'floor', name: 'floor: got + fp-ts + io-ts', file: 'floor.mjs' },
  { id: 'floorRequire', name: 'floor, fp-ts + io-ts by require()', file: 'floor-require.mjs' },
  { id: 'paygate', name: '@paygate/monerium', file: 'paygate.mjs' },
  { id: 'sdk', name: '@monerium/sdk 2.15.0', file: 'sdk.mjs' },
] as const;
type ScenarioId = (typeof SCENARIOS)[number]['id'];

interface ColdRun {
  /** Parent's clock: spawn → the child's answer line read. */
  readonly spawnToAnsweredMs: number;
  /** Child's clocks (ms since its process began): Node's bootstrap, the imports, the first call. */
  readonly bootMs: number;
  readonly importMs: number;
  readonly callMs: number;
}

const sandbox = await startRemoteSandbox({ autoProcessOrders: false });
const { clientId, clientSecret } = sandbox.fixtures.clients.confidential;
const childEnv = (extra: Record<string, string> = {}) => ({
  ...process.env,
  BENCH_BASE_URL: sandbox.baseUrl,
  BENCH_WS_URL: sandbox.wsUrl,
  BENCH_CLIENT_ID: clientId,
  BENCH_CLIENT_SECRET: clientSecret,
  ...extra,
});

/** One fresh process running a scenario (or nothing); resolves when it has printed its answer. */
const coldRun =
  (file: string | undefined, flags: string[] = [], env: Record<string, string> = {}) =>
  (): Promise<ColdRun> =>
    new Promise((resolve, reject) => {
      const args =
        file === undefined
          ? ['-e', 'process.stdout.write(JSON.stringify({ ok: true, bootMs: performance.now(), importMs: 0, callMs: 0 }) + "\\n")']
          : [...flags, join(COLD_DIR, file)];
      const started = performance.now();
      const child = spawn(process.execPath, args, { cwd: BENCH_DIR, env: childEnv(env), stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      let answered: number | undefined;
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (answered === undefined && text.includes('\n')) answered = performance.now();
      });
      child.once('error', reject);
      child.once('exit', (code) => {
        const line = text.split('\n')[0] ?? '';
        try {
          const parsed = JSON.parse(line) as { ok: boolean; bootMs: number; importMs: number; callMs: number };
          if (code !== 0 || !parsed.ok || answered === undefined) throw new Error(`exit ${code}`);
          resolve({ spawnToAnsweredMs: answered - started, bootMs: parsed.bootMs, importMs: parsed.importMs, callMs: parsed.callMs });
        } catch (error) {
          reject(new Error(`cold start of ${file ?? 'empty node'} failed (${String(error)}): ${line}`));
        }
      });
    });

/** Which package a loaded module belongs to: the last `node_modules/<name>` of its path, or the workspace package. */
const packageOf = (path: string): string => {
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const [first = '', second = ''] = path.slice(nm + '/node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  const workspace = /\/packages\/([^/]+)\//.exec(path);
  if (workspace !== null) return `@paygate/${workspace[1]}`;
  return path.includes('/bench/cold/') ? '(the scenario)' : '(other)';
};

interface Census {
  /** Modules per package once the imports are done, and in total after the first call. */
  readonly atImport: Map<string, number>;
  readonly atCall: Map<string, number>;
}

/** Runs a scenario once under the module census (a loader hook for ES modules, `require.cache` for CommonJS). */
const census = async (file: string): Promise<Census> => {
  const dir = mkdtempSync(join(tmpdir(), 'paygate-census-'));
  const modulesFile = join(dir, 'modules.txt');
  try {
    await coldRun(file, ['--import', join(COLD_DIR, 'census.mjs')], { BENCH_MODULES_FILE: modulesFile })();
    const lines = existsSync(modulesFile) ? readFileSync(modulesFile, 'utf8').split('\n') : [];
    const atImport = new Set<string>();
    const all = new Set<string>();
    let phase: 'import' | 'call' = 'import';
    for (const line of lines) {
      const [kind = '', tag = '', ...rest] = line.split(' ');
      const where = rest.join(' ');
      if (kind === 'mark') {
        if (tag === 'import') phase = 'call';
        continue;
      }
      if (kind === 'esm' && where.startsWith('node:')) continue;
      const path = kind === 'esm' ? (where.startsWith('file://') ? fileURLToPath(where) : where) : where;
      if (path === '' || path.includes('/bench/cold/')) continue;
      if (kind === 'cjs' && tag === 'import') atImport.add(path);
      else if (kind === 'esm' && phase === 'import') atImport.add(path);
      all.add(path);
    }
    const tally = (paths: Set<string>) => {
      const map = new Map<string, number>();
      for (const path of paths) map.set(packageOf(path), (map.get(packageOf(path)) ?? 0) + 1);
      return map;
    };
    return { atImport: tally(atImport), atCall: tally(all) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

try {
  progress(`${ROUNDS} rotated rounds of ${SCENARIOS.length} fresh processes`);
  const runs = await roundRobin(
    SCENARIOS.map((scenario) => coldRun(scenario.file)),
    { rounds: ROUNDS, warmup: WARMUP },
  );
  const byId = new Map<ScenarioId, ColdRun[]>(SCENARIOS.map((scenario, i) => [scenario.id, runs[i] ?? []]));
  const m = (id: ScenarioId, pick: (run: ColdRun) => number) => median((byId.get(id) ?? []).map(pick));
  const total = (id: ScenarioId) => m(id, (run) => run.spawnToAnsweredMs);
  const ms = (value: number) => formatNs(value * 1e6);

  // Paired per round: each round ran every scenario back to back.
  const pairedRatios = (id: ScenarioId, base: ScenarioId) =>
    (byId.get(id) ?? []).map((run, i) => run.spawnToAnsweredMs / ((byId.get(base) ?? [])[i]?.spawnToAnsweredMs ?? Number.NaN));
  const overFloor = pairedRatios('paygate', 'floor');
  const ratio = median(overFloor);
  const overFloorRequire = pairedRatios('paygate', 'floorRequire');
  const overSdk = median(pairedRatios('paygate', 'sdk'));

  progress('module census of each scenario');
  const censuses = new Map<string, Census>();
  for (const scenario of SCENARIOS) if (scenario.file !== undefined && (!QUICK || scenario.id === 'paygate')) censuses.set(scenario.id, await census(scenario.file));
  const ours = censuses.get('paygate');
  const sumOf = (map: Map<string, number> | undefined) => [...(map?.values() ?? [])].reduce((a, b) => a + b, 0);

  const tables: Table[] = [
    {
      caption: `Each step, medians over ${ROUNDS} rotated rounds (child clocks for the steps; the parent's clock for spawn → answered):`,
      header: ['scenario', 'Node bootstrap', 'imports', 'first call (token + balances)', 'spawn → answered', 'modules at import', 'modules after the call'],
      rows: SCENARIOS.map((scenario) => [
        scenario.name,
        ms(m(scenario.id, (run) => run.bootMs)),
        ms(m(scenario.id, (run) => run.importMs)),
        ms(m(scenario.id, (run) => run.callMs)),
        ms(total(scenario.id)),
        scenario.file === undefined ? '0' : censuses.has(scenario.id) ? String(sumOf(censuses.get(scenario.id)?.atImport)) : 'n/a',
        scenario.file === undefined ? '0' : censuses.has(scenario.id) ? String(sumOf(censuses.get(scenario.id)?.atCall)) : 'n/a',
      ]),
    },
    {
      caption: 'Ratios of spawn → answered (median of the per-round paired ratios):',
      header: ['ratio', 'value', 'rounds min–max', 'spread (95 % CI of the mean)'],
      rows: [
        ['@paygate/monerium ÷ floor', formatRatio(ratio), `${formatRatio(Math.min(...overFloor))}–${formatRatio(Math.max(...overFloor))}`, `±${(relativeSpread(overFloor) * 100).toFixed(1)} %`],
        [
          '@paygate/monerium ÷ floor with require() (informational)',
          formatRatio(median(overFloorRequire)),
          `${formatRatio(Math.min(...overFloorRequire))}–${formatRatio(Math.max(...overFloorRequire))}`,
          `±${(relativeSpread(overFloorRequire) * 100).toFixed(1)} %`,
        ],
        ['@paygate/monerium ÷ @monerium/sdk', formatRatio(overSdk), '', ''],
        ['floor ÷ @monerium/sdk', formatRatio(median(pairedRatios('floor', 'sdk'))), '', ''],
      ],
    },
    {
      caption:
        'What `@paygate/monerium`\'s cold start loads, modules per package (ES modules through a `module.register` load hook, ' +
        'CommonJS modules from `require.cache`; at import, and in total once the first `balances()` has been answered):',
      header: ['package', 'at import', 'after the first call'],
      rows: [...(ours?.atCall.entries() ?? [])]
        .sort((a, b) => b[1] - a[1])
        .map(([name, after]) => [name, String(ours?.atImport.get(name) ?? 0), String(after)]),
    },
  ];

  const goals: Goal[] = [
    {
      what: 'cold start (spawn → import → first balances() answered), @paygate/monerium ÷ floor (got + fp-ts + io-ts)',
      measured: `${formatRatio(ratio)} (${ms(total('paygate'))} vs ${ms(total('floor'))}; ${formatRatio(median(overFloorRequire))} of the floor loading fp-ts and io-ts by require(); SDK ${ms(total('sdk'))}, paygate ÷ SDK ${formatRatio(overSdk)})`,
      target: `≤ ${GOAL.toFixed(2)}×`,
      met: ratio <= GOAL,
    },
  ];

  publish({
    id: 'cold-start',
    title: '9. Cold start',
    method: [
      runShape(
        'Each round spawns five fresh `node` processes in `bench/` (rotating their order): an empty one; the floor ' +
          '(`bench/cold/floor.mjs`: imports got, fp-ts\'s TaskEither and io-ts, then fetches a client-credentials token and ' +
          '`GET /balances` with got and decodes it with io-ts in a TaskEither); the same floor loading fp-ts and io-ts with ' +
          '`require()` (`cold/floor-require.mjs`, as paygate\'s bundles load them: Node\'s ES loader detects and lexes every ' +
          'CommonJS file it imports, `require()` does not; the goal keeps the issue\'s floor, this row shows how much of the ' +
          'margin that choice buys); `@paygate/monerium` (`cold/paygate.mjs`: import, ' +
          '`createMoneriumClient` with client credentials, `balances()`); and `@monerium/sdk` 2.15.0 (`cold/sdk.mjs`: import, ' +
          '`getAccess()`, `getBalances()`, its host rewritten in the global fetch). Every scenario makes the same two requests ' +
          'to the same sandbox. "spawn → answered" is the parent\'s time from `spawn` to reading the answer line; the steps are ' +
          'the child\'s own `performance.now()`. The module census runs each scenario once more under a loader hook.',
      ),
    ],
    tables,
    goals,
    notes: [
      ratio <= GOAL
        ? 'The cold start is within 1.15× of the floor.'
        : `Over the 1.15× line: ${formatRatio(ratio)} of the floor. The census shows what loads that a first balances() does not need; the README ranks the fixes (lazy imports).`,
    ],
  });
} finally {
  await sandbox.close();
}
