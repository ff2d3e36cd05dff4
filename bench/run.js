// Runs the benchmarks, each in a fresh process, and rewrites bench/RESULTS.md with their tables.
//
//   node bench/run.js                  all of them
//   node bench/run.js overhead decode  some of them (their sections in RESULTS.md are replaced, the others kept)
//   node bench/run.js --quick          smoke run with small counts (CI), written to RESULTS.quick.md, never RESULTS.md
//   BENCH_QUICK=1 node bench/run.js    the same
//   BENCH_CPU_PROF=1 node bench/run.js overhead   also profiles each benchmark process (node --cpu-prof) and prints its top frames
//
// This file is plain JavaScript so that `node bench/run.js` needs no loader; the benchmarks are
// TypeScript and run under tsx (resolved from bench/node_modules).

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/** In the order the issues list them; `memory` needs a collectable heap. */
const BENCHMARKS = [
  { id: 'overhead', flags: [] },
  { id: 'sdk', flags: [] },
  { id: 'refresh', flags: [] },
  { id: 'decode', flags: [] },
  { id: 'websocket', flags: [] },
  { id: 'memory', flags: ['--expose-gc'] },
  { id: 'import-cost', flags: [] },
  { id: 'session', flags: [] },
  { id: 'cold-start', flags: [] },
  { id: 'v2', flags: [] },
  { id: 'hooks', flags: [] },
];
/** The issue's budget per benchmark; a run over it is reported, not killed. */
const BUDGET_SECONDS = 120;
/** A benchmark stuck this long is killed (a hung socket must not hang `pnpm bench`). */
const KILL_AFTER_SECONDS = Number(process.env.BENCH_TIMEOUT_S ?? 300);

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const TSX = import.meta.resolve('tsx');
const args = process.argv.slice(2);
const QUICK = args.includes('--quick') || process.env.BENCH_QUICK === '1' || process.env.BENCH_QUICK === 'true';
/** A quick run's numbers are not for quoting: they never replace the committed RESULTS.md. */
const RESULTS = join(BENCH_DIR, QUICK ? 'RESULTS.quick.md' : 'RESULTS.md');
/**
 * Benchmarks run side by side: two in a quick run (a smoke test's time is mostly process start-up:
 * tsx, the sandbox child, Redis), one in a full run so none measures beside another.
 * `BENCH_PARALLEL` overrides it.
 */
const PARALLEL = Math.max(1, Number(process.env.BENCH_PARALLEL ?? (QUICK ? 2 : 1)) || 1);
const BUFFERED = PARALLEL > 1;
const PROFILE = process.env.BENCH_CPU_PROF === '1';
/** Profiles go outside the repository: they are large and only worth a look right after the run. */
const PROFILE_DIR = join(tmpdir(), 'paygate-bench-profiles');

/**
 * @typedef {{ what: string, measured: string, target: string, met: boolean }} Goal
 * @typedef {{ id: string, title: string, markdown: string, goals: Goal[], failures: string[], seconds: number, quick: boolean }} SectionResult
 * @typedef {{ id: string, date: string, seconds: number, exit: number, quick: boolean, goals: Goal[], body: string }} Block
 */

const requested = args.filter((arg) => arg !== '--quick');
const unknown = requested.filter((name) => !BENCHMARKS.some((b) => b.id === name));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${BENCHMARKS.map((b) => b.id).join(', ')}\n`);
  process.exit(2);
}
const selected = requested.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => requested.includes(b.id));

/**
 * @param {{ id: string, flags: string[] }} benchmark
 * @param {string} resultFile
 * @returns {Promise<{ exit: number, seconds: number, output: string }>}
 */
const runOne = (benchmark, resultFile) =>
  new Promise((resolve) => {
    const profile = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(PROFILE_DIR, benchmark.id)}`] : [];
    const started = performance.now();
    const child = spawn(process.execPath, [...benchmark.flags, ...profile, '--import', TSX, join(BENCH_DIR, `${benchmark.id}.ts`)], {
      cwd: BENCH_DIR,
      env: { ...process.env, BENCH_RESULT_FILE: resultFile, ...(QUICK ? { BENCH_QUICK: '1' } : {}) },
      // Side by side, each benchmark's console output is kept and printed whole when it ends.
      stdio: BUFFERED ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let output = '';
    const keep = (/** @type {Buffer} */ chunk) => {
      output += chunk.toString('utf8');
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const killer = setTimeout(() => {
      process.stderr.write(`${benchmark.id}: still running after ${KILL_AFTER_SECONDS} s, killing it\n`);
      child.kill('SIGKILL');
    }, KILL_AFTER_SECONDS * 1000);
    child.once('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ exit: code ?? (signal === null ? 1 : 128), seconds: (performance.now() - started) / 1000, output });
    });
  });

/**
 * Prints the top frames of a benchmark's main-thread profiles (thread 0; thread 1 is tsx's loader).
 * @param {string} id
 * @returns {Promise<void>}
 */
const printProfiles = (id) =>
  new Promise((resolve) => {
    const dir = join(PROFILE_DIR, id);
    const files = existsSync(dir) ? readdirSync(dir).filter((name) => /\.0\.\d+\.cpuprofile$/.test(name)).map((name) => join(dir, name)) : [];
    if (files.length === 0) return resolve();
    process.stdout.write(`\nCPU profile of ${id} (${files.join(', ')}):\n\n`);
    const child = spawn(process.execPath, ['--import', TSX, join(BENCH_DIR, 'cpu-profile.ts'), ...files, '--top', '25'], { cwd: BENCH_DIR, stdio: 'inherit' });
    child.once('exit', () => resolve());
  });

/** @param {string} text @returns {Map<string, Block>} */
const readBlocks = (text) => {
  /** @type {Map<string, Block>} */
  const blocks = new Map();
  const pattern = /<!-- bench:([a-z-]+) (\{.*?\}) -->\n([\s\S]*?)\n<!-- \/bench:\1 -->/g;
  for (const match of text.matchAll(pattern)) {
    const [, id = '', meta = '{}', body = ''] = match;
    try {
      blocks.set(id, { id, body, ...JSON.parse(meta) });
    } catch {
      // A hand-edited header: the section is dropped and rewritten by the next run of it.
    }
  }
  return blocks;
};

/** @param {Block} block */
const writeBlock = (block) => {
  const meta = JSON.stringify({ date: block.date, seconds: block.seconds, exit: block.exit, quick: block.quick, goals: block.goals });
  return `<!-- bench:${block.id} ${meta} -->\n${block.body}\n<!-- /bench:${block.id} -->`;
};

/** @param {Block} block */
const sectionBody = (block, /** @type {SectionResult | undefined} */ result) => {
  const stamp = `_Measured ${block.date}${block.quick ? ' (quick run)' : ''} in ${block.seconds.toFixed(0)} s${
    block.seconds > BUDGET_SECONDS ? ` (over the ${BUDGET_SECONDS} s budget)` : ''
  }${block.exit === 0 ? '' : `; **exited with code ${block.exit}**`}._`;
  if (result === undefined) return `## ${block.id}\n\n${stamp}\n\nThe benchmark produced no result (it crashed or was killed; see the console output).`;
  const [heading, ...rest] = result.markdown.split('\n\n');
  return [heading, stamp, ...rest].join('\n\n');
};

const machine = () => {
  const list = cpus();
  const model = list[0]?.model.trim() ?? 'unknown CPU';
  return [
    `- Machine: ${model}, ${list.length} logical cores, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${platform()} ${release()}`,
    `- Node ${process.version}`,
    `- Load average when the run started: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' / ')} (1 / 5 / 15 min); other work on the machine shifts absolute numbers, the ratios are measured side by side`,
  ].join('\n');
};

const startedAt = new Date();
const runStarted = performance.now();
const machineText = machine();
const temp = mkdtempSync(join(tmpdir(), 'paygate-bench-'));
/** @type {Map<string, Block>} */
const blocks = existsSync(RESULTS) ? readBlocks(readFileSync(RESULTS, 'utf8')) : new Map();
let failed = 0;
try {
  /** @param {{ id: string, flags: string[] }} benchmark */
  const runAndRecord = async (benchmark) => {
    if (!BUFFERED) process.stdout.write(`\n=== ${benchmark.id} ===\n`);
    const resultFile = join(temp, `${benchmark.id}.json`);
    if (PROFILE) {
      rmSync(join(PROFILE_DIR, benchmark.id), { recursive: true, force: true });
      mkdirSync(join(PROFILE_DIR, benchmark.id), { recursive: true });
    }
    const { exit, seconds, output } = await runOne(benchmark, resultFile);
    if (BUFFERED) process.stdout.write(`\n=== ${benchmark.id} ===\n${output}`);
    if (PROFILE) await printProfiles(benchmark.id);
    /** @type {SectionResult | undefined} */
    const result = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')) : undefined;
    if (exit !== 0) failed++;
    /** @type {Block} */
    const block = { id: benchmark.id, date: new Date().toISOString(), seconds, exit, quick: QUICK, goals: result?.goals ?? [], body: '' };
    blocks.set(benchmark.id, { ...block, body: sectionBody(block, result) });
    process.stdout.write(`=== ${benchmark.id}: ${seconds.toFixed(1)} s, exit ${exit} ===\n`);
  };
  // A pool of PARALLEL workers over the selected benchmarks (one at a time unless --quick).
  const queue = [...selected];
  await Promise.all(
    Array.from({ length: Math.min(PARALLEL, queue.length) }, async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) await runAndRecord(next);
    }),
  );
} finally {
  rmSync(temp, { recursive: true, force: true });
}

const loadAtEnd = loadavg()
  .map((n) => n.toFixed(2))
  .join(' / ');
const ordered = BENCHMARKS.map((b) => blocks.get(b.id)).filter((block) => block !== undefined);
const summaryRows = ordered.flatMap((block) =>
  block.exit !== 0 && block.goals.length === 0
    ? [`| ${block.id} | (no result: exited with code ${block.exit}) | | | **NO** |`]
    : block.goals.map((goal) => `| ${block.id} | ${goal.what} | ${goal.measured} | ${goal.target} | ${goal.met ? 'yes' : '**NO**'} |`),
);
const totalSeconds = ordered.reduce((sum, block) => sum + block.seconds, 0);
const document = [
  '# Benchmark results',
  '',
  'Written by `pnpm bench` (`node bench/run.js`); do not edit by hand, the next run rewrites it. See README.md for what each',
  'benchmark measures and how to read the ratios.',
  '',
  `- Last run: ${startedAt.toISOString()} (${selected.map((b) => b.id).join(', ')})${QUICK ? ', quick mode (`--quick`): a smoke test, counts too small to quote' : ''}`,
  machineText,
  `- Load average when the run ended: ${loadAtEnd}; each section gives the load at its own start and end${process.env.BENCH_LOAD_NOTE?.trim() ? `. ${process.env.BENCH_LOAD_NOTE.trim()}` : ''}`,
  `- Time of the sections below: ${totalSeconds.toFixed(0)} s in total; this run: ${((performance.now() - runStarted) / 1000).toFixed(0)} s`,
  '',
  '## When each section was measured',
  '',
  'A run of some benchmarks keeps the other sections from earlier runs; each section states its own date and load.',
  '',
  '| section | measured | seconds | load average (1 / 5 / 15 min) at its start → end |',
  '| --- | --- | --- | --- |',
  ...ordered.map((block) => {
    const load = /at the start of this benchmark ([\d./ ]+), at its end ([\d./ ]+), on/.exec(block.body);
    return `| ${block.id} | ${block.date}${block.quick ? ' (quick)' : ''} | ${block.seconds.toFixed(0)} | ${load === null ? 'not recorded' : `${load[1]} → ${load[2]}`} |`;
  }),
  '',
  '## Goals',
  '',
  '| benchmark | goal | measured | target | met |',
  '| --- | --- | --- | --- | --- |',
  ...summaryRows,
  '',
  ...ordered.map((block) => `${writeBlock(block)}\n`),
].join('\n');
writeFileSync(RESULTS, document);
process.stdout.write(`\nWrote ${RESULTS}\n`);
if (failed > 0) {
  process.stderr.write(`${failed} benchmark(s) failed\n`);
  process.exitCode = 1;
}
