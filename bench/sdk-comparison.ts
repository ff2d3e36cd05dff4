import type { Goal } from './report.js';
import { cpuPerOperation, type LoadRun, loadRow, pooledLatencies, runLoad, throughput } from './load.js';
import { progress } from './report.js';
import { describeStability, interleaveUntilStable, type Stability } from './rounds.js';
import { formatRatio, median, summarize } from './stats.js';
import type { Table } from './stats.js';

// The comparison shared by sections 2 (v1.3 against @monerium/sdk 2.15) and 10 (v2 against 3.5):
// the same operation through the SDK and through @paygate/monerium, interleaved rounds until the
// paired CPU/op ratio is stable, one table of each side and one of the ratios, goals for the reads.

/** One operation measured through both clients. */
export interface ComparedOperation {
  readonly name: string;
  /** The two calls, SDK first: `getBalances() / balances()`. */
  readonly calls: string;
  /** Reads carry the goals; an order placement is reported beside them. */
  readonly read: boolean;
  readonly concurrencies: ReadonlyArray<number>;
  /** Operations per round at this concurrency. */
  readonly operationsAt: (concurrency: number) => number;
  readonly sdk: () => Promise<void>;
  readonly paygate: () => Promise<void>;
}

export interface ComparisonResult {
  readonly name: string;
  readonly calls: string;
  readonly read: boolean;
  readonly concurrency: number;
  readonly sdk: ReadonlyArray<LoadRun>;
  readonly paygate: ReadonlyArray<LoadRun>;
  readonly stability: Stability;
}

export interface RoundBounds {
  readonly minRounds: number;
  readonly maxRounds: number;
  readonly warmup: number;
}

/** Runs every operation at each of its concurrencies, SDK and paygate interleaved, in the order given. */
export const compareOperations = async (operations: ReadonlyArray<ComparedOperation>, bounds: RoundBounds): Promise<ComparisonResult[]> => {
  const results: ComparisonResult[] = [];
  for (const operation of operations) {
    for (const concurrency of operation.concurrencies) {
      progress(`${operation.name} at concurrency ${concurrency}`);
      const load = { operations: operation.operationsAt(concurrency), concurrency };
      const rounds = await interleaveUntilStable(
        () => runLoad(operation.sdk, load),
        () => runLoad(operation.paygate, load),
        (sdkRun, ours) => cpuPerOperation(ours) / cpuPerOperation(sdkRun),
        bounds,
      );
      results.push({
        name: operation.name,
        calls: operation.calls,
        read: operation.read,
        concurrency,
        sdk: rounds.baseline,
        paygate: rounds.candidate,
        stability: rounds.stability,
      });
    }
  }
  return results;
};

/**
 * The two tables (each side's runs; the ratios) and the read goals: client CPU/op paygate ÷ SDK
 * ≤ 1.00× (median of the per-round paired ratios) and throughput paygate ÷ SDK ≥ 1.00×.
 * `goalPrefix` is put before each goal's name (e.g. `v2 `) so the summary at the top of RESULTS.md tells sections apart.
 */
export const comparisonReport = (
  results: ReadonlyArray<ComparisonResult>,
  labels: { readonly sdk: string; readonly paygate: string; readonly goalPrefix?: string },
): { tables: Table[]; goals: Goal[] } => {
  const goals: Goal[] = [];
  const ratioRows = results.map((result) => {
    const theirs = summarize(pooledLatencies(result.sdk));
    const ours = summarize(pooledLatencies(result.paygate));
    const speed = median(result.paygate.map(throughput)) / median(result.sdk.map(throughput));
    if (result.read) {
      const what = `${labels.goalPrefix ?? ''}${result.name} at concurrency ${result.concurrency}`;
      goals.push(
        {
          what: `${what}: client CPU/op, paygate ÷ SDK`,
          measured: `${formatRatio(result.stability.median)} (${describeStability(result.stability)})`,
          target: '≤ 1.00×',
          met: result.stability.median <= 1,
        },
        { what: `${what}: throughput, paygate ÷ SDK`, measured: formatRatio(speed), target: '≥ 1.00×', met: speed >= 1 },
      );
    }
    return [
      result.name,
      result.calls,
      String(result.concurrency),
      formatRatio(speed),
      formatRatio(theirs.median / ours.median),
      formatRatio(theirs.p99 / ours.p99),
      formatRatio(result.stability.median),
      describeStability(result.stability),
    ];
  });
  const sideRow = (result: ComparisonResult, side: 'sdk' | 'paygate') =>
    loadRow(result.name, result.concurrency, side === 'sdk' ? labels.sdk : labels.paygate, result[side]);
  return {
    tables: [
      {
        header: ['operation', 'concurrency', 'client', 'ops/s', 'client CPU/op', 'min', 'median', 'p99'],
        rows: results.flatMap((r) => [sideRow(r, 'sdk'), sideRow(r, 'paygate')]),
      },
      {
        caption:
          'Speed ratios, SDK time ÷ paygate time (≥ 1.00× = paygate is not slower), and client CPU per operation, paygate ÷ SDK ' +
          '(≤ 1.00× = paygate costs its process no more; the median of the per-round paired ratios):',
        header: ['operation', 'calls', 'concurrency', 'throughput', 'median latency', 'p99 latency', 'CPU/op paygate ÷ SDK', 'CPU/op ratio spread'],
        rows: ratioRows,
      },
    ],
    goals,
  };
};
