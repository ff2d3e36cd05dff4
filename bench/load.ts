import { performance } from 'node:perf_hooks';
import { formatNs, formatRate, median, summarize } from './stats.js';

/** One load run: per-operation latencies and what the whole run cost this process. */
export interface LoadRun {
  readonly operations: number;
  /** Nanoseconds, one per operation, in completion order. */
  readonly latencies: Float64Array;
  readonly elapsedNs: number;
  /** CPU time (user + system) this process spent during the run, in microseconds. */
  readonly cpuUs: number;
}

export interface LoadOptions {
  readonly operations: number;
  /** Operations in flight at once: `concurrency` workers each start the next one when theirs ends. */
  readonly concurrency: number;
}

/**
 * Runs `operation` `operations` times, `concurrency` at a time. An operation that rejects stops
 * the run: a benchmark that measures failures instead of work is not worth printing.
 */
export const runLoad = async (operation: () => Promise<void>, { operations, concurrency }: LoadOptions): Promise<LoadRun> => {
  const latencies = new Float64Array(operations);
  let started = 0;
  let finished = 0;
  const worker = async (): Promise<void> => {
    while (started < operations) {
      started++;
      const t0 = performance.now();
      await operation();
      latencies[finished++] = (performance.now() - t0) * 1e6;
    }
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, operations) }, worker));
  const elapsedNs = (performance.now() - t0) * 1e6;
  const cpu = process.cpuUsage(cpu0);
  return { operations, latencies, elapsedNs, cpuUs: cpu.user + cpu.system };
};

/** Operations per second of a run. */
export const throughput = (run: LoadRun): number => run.operations / (run.elapsedNs / 1e9);

/** Client CPU per operation, in nanoseconds. */
export const cpuPerOperation = (run: LoadRun): number => (run.cpuUs * 1000) / run.operations;

/** Every latency of several runs in one array. */
export const pooledLatencies = (runs: ReadonlyArray<LoadRun>): Float64Array => {
  const out = new Float64Array(runs.reduce((sum, run) => sum + run.latencies.length, 0));
  let offset = 0;
  for (const run of runs) {
    out.set(run.latencies, offset);
    offset += run.latencies.length;
  }
  return out;
};

/** A table row for one client's runs: ops/s and CPU per operation (medians over rounds), pooled latency percentiles. */
export const loadRow = (operation: string, concurrency: number, client: string, runs: ReadonlyArray<LoadRun>): string[] => {
  const latency = summarize(pooledLatencies(runs));
  return [
    operation,
    String(concurrency),
    client,
    formatRate(median(runs.map(throughput))),
    formatNs(median(runs.map(cpuPerOperation))),
    formatNs(latency.min),
    formatNs(latency.median),
    formatNs(latency.p99),
  ];
};
