import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { QUICK, SCALE } from './config.js';
import { renderTable, type Table } from './stats.js';

/** A target the issue sets (ratio ≤ 1.10, growth < 10 MB, …) and whether this run met it. */
export interface Goal {
  readonly what: string;
  readonly measured: string;
  readonly target: string;
  readonly met: boolean;
}

/** What one benchmark found: printed to the console and handed to `run.js` for RESULTS.md. */
export interface Section {
  /** The benchmark's file name without `.ts`, e.g. `overhead`. */
  readonly id: string;
  readonly title: string;
  /** Paragraphs before the tables: what was measured and how. */
  readonly method: ReadonlyArray<string>;
  readonly tables: ReadonlyArray<Table>;
  readonly goals: ReadonlyArray<Goal>;
  /** Paragraphs after the tables: what the numbers mean, anything that missed. */
  readonly notes: ReadonlyArray<string>;
  /** Hard failures (a broken assertion): the benchmark exits non-zero. */
  readonly failures?: ReadonlyArray<string>;
}

/** The JSON a benchmark process writes to `BENCH_RESULT_FILE`. */
export interface SectionResult {
  readonly id: string;
  readonly title: string;
  readonly markdown: string;
  readonly goals: ReadonlyArray<Goal>;
  readonly failures: ReadonlyArray<string>;
  readonly seconds: number;
  readonly quick: boolean;
}

const renderGoals = (goals: ReadonlyArray<Goal>): string =>
  renderTable({
    header: ['goal', 'measured', 'target', 'met'],
    rows: goals.map((goal) => [goal.what, goal.measured, goal.target, goal.met ? 'yes' : '**NO**']),
  });

/** The 1 / 5 / 15-minute load averages when this benchmark process started (report.ts is imported first thing). */
const LOAD_AT_START = loadavg();
const formatLoad = (load: ReadonlyArray<number>) => load.map((n) => n.toFixed(2)).join(' / ');

/** `BENCH_LOAD_NOTE`: what else ran on the machine (e.g. a CI run), printed after the load average. */
const LOAD_NOTE = process.env.BENCH_LOAD_NOTE?.trim() ? ` ${process.env.BENCH_LOAD_NOTE.trim()}` : '';

/** The machine's load while the benchmark ran: absolute numbers move with it, paired ratios much less. */
export const loadLine = (): string =>
  `Load average (1 / 5 / 15 min) at the start of this benchmark ${formatLoad(LOAD_AT_START)}, at its end ${formatLoad(loadavg())}, on ${cpus().length} logical cores.${LOAD_NOTE}`;


export const renderSection = (section: Section): string =>
  [
    `## ${section.title}`,
    ...section.method,
    loadLine(),
    ...section.tables.map(renderTable),
    ...(section.goals.length === 0 ? [] : [renderGoals(section.goals)]),
    ...section.notes,
    ...(section.failures ?? []).map((failure) => `**FAILED:** ${failure}`),
  ].join('\n\n');

/** Prints the section, writes it for `run.js` when asked to, and fails the process on a broken assertion. */
export const publish = (section: Section): void => {
  const markdown = renderSection(section);
  process.stdout.write(`\n${markdown}\n\n`);
  const file = process.env.BENCH_RESULT_FILE;
  if (file !== undefined && file !== '') {
    const result: SectionResult = {
      id: section.id,
      title: section.title,
      markdown,
      goals: section.goals,
      failures: section.failures ?? [],
      seconds: performance.now() / 1000,
      quick: QUICK,
    };
    writeFileSync(file, JSON.stringify(result));
  }
  if ((section.failures ?? []).length > 0) process.exitCode = 1;
};

/** One line for the method paragraph: how much work this run did. */
export const runShape = (details: string): string =>
  `${details}${QUICK ? ' **Quick run (BENCH_QUICK=1): smoke-test counts, not for quoting.**' : SCALE === 1 ? '' : ` (BENCH_SCALE=${SCALE})`}`;

/** Progress for the console only (stderr, so a piped table stays clean). */
export const progress = (message: string): void => {
  process.stderr.write(`  [${(performance.now() / 1000).toFixed(1)} s] ${message}\n`);
};
