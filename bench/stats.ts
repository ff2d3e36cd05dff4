/** Order statistics of a run's samples (any unit; the callers use nanoseconds). */
export interface Summary {
  readonly n: number;
  readonly min: number;
  readonly median: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Nearest-rank percentile of sorted values: the smallest sample with at least `p` % of the samples at or below it. */
const rank = (sorted: ArrayLike<number>, p: number): number => {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
};

export const summarize = (samples: ArrayLike<number>): Summary => {
  const sorted = Float64Array.from(samples).sort();
  let total = 0;
  for (const value of sorted) total += value;
  return {
    n: sorted.length,
    min: sorted[0] ?? Number.NaN,
    median: rank(sorted, 50),
    p99: rank(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.length === 0 ? Number.NaN : total / sorted.length,
  };
};

export const median = (values: ReadonlyArray<number>): number => rank(Float64Array.from(values).sort(), 50);

/** Nanoseconds as the shortest readable unit: `850 ns`, `12.3 µs`, `4.56 ms`, `1.23 s`. */
export const formatNs = (ns: number): string => {
  if (!Number.isFinite(ns)) return 'n/a';
  if (ns < 1_000) return `${ns.toFixed(ns < 10 ? 1 : 0)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(ns < 100_000 ? 1 : 0)} µs`;
  if (ns < 1_000_000_000) return `${(ns / 1_000_000).toFixed(2)} ms`;
  return `${(ns / 1_000_000_000).toFixed(2)} s`;
};

export const formatRate = (perSecond: number, unit = 'ops/s'): string =>
  Number.isFinite(perSecond) ? `${Math.round(perSecond).toLocaleString('en-US')} ${unit}` : 'n/a';

export const formatBytes = (bytes: number): string => {
  const sign = bytes < 0 ? '-' : '';
  const size = Math.abs(bytes);
  if (size < 1024) return `${sign}${size} B`;
  if (size < 1024 * 1024) return `${sign}${(size / 1024).toFixed(1)} KiB`;
  return `${sign}${(size / (1024 * 1024)).toFixed(2)} MiB`;
};

export const formatRatio = (ratio: number): string => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a');

export const formatCount = (n: number): string => n.toLocaleString('en-US');

/** A table: a header row and data rows of already formatted cells. */
export interface Table {
  readonly caption?: string;
  readonly header: ReadonlyArray<string>;
  readonly rows: ReadonlyArray<ReadonlyArray<string>>;
}

/** GitHub-flavoured Markdown, padded so it also reads well in a terminal. */
export const renderTable = (table: Table): string => {
  const widths = table.header.map((cell, column) =>
    Math.max(cell.length, 3, ...table.rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: ReadonlyArray<string>) =>
    `| ${widths.map((width, column) => (cells[column] ?? '').padEnd(width)).join(' | ')} |`;
  const rule = `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`;
  const body = [line(table.header), rule, ...table.rows.map(line)].join('\n');
  return table.caption === undefined ? body : `${table.caption}\n\n${body}`;
};
