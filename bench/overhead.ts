import got from 'got';
import { moneriumGateway } from '@paygate/monerium';
import { count, WARMUP_ROUNDS } from './config.js';
import { cpuPerOperation, type LoadRun, loadRow, pooledLatencies, runLoad, throughput } from './load.js';
import { createPartnerClient, orThrow } from './partner-client.js';
import { startRemoteSandbox } from './remote-sandbox.js';
import { type Goal, progress, publish, runShape } from './report.js';
import { describeStability, interleaveUntilStable, type Stability } from './rounds.js';
import { formatCount, formatNs, formatRatio, median, summarize } from './stats.js';

// 1. What @paygate/monerium costs over a hand-written got request to the same endpoint with the same token.

const GOAL = 1.1;
const CONCURRENCIES = [1, 64] as const;
/** Rounds continue until the per-round CPU/op ratio's spread is under 5 %, between these bounds. */
const MIN_ROUNDS = count(4, 1, 1);
const MAX_ROUNDS = count(10, 1, 1);
const WARMUP = WARMUP_ROUNDS;
const operationsAt = (concurrency: number) => (concurrency === 1 ? count(500, 20, 20) : count(2_000, 64, 64));

const sandbox = await startRemoteSandbox({ autoProcessOrders: false });
try {
  const client = createPartnerClient(sandbox);
  const gateway = moneriumGateway(client);
  const { accessToken } = (await orThrow(client.session())).tokens;
  const authorization = `Bearer ${accessToken}`;
  const orderCount = (await orThrow(client.orders())).orders.length;

  const raw = (path: string) => async () => {
    await got(`${sandbox.baseUrl}${path}`, { headers: { authorization } }).json();
  };
  const operations = [
    {
      name: 'gateway.balances()',
      endpoint: 'GET /balances',
      baseline: raw('/balances'),
      candidate: async () => {
        await orThrow(gateway.balances());
      },
    },
    {
      name: 'client.orders()',
      endpoint: `GET /orders (${orderCount} orders)`,
      baseline: raw('/orders'),
      candidate: async () => {
        await orThrow(client.orders());
      },
    },
  ];

  const results: Array<{ name: string; endpoint: string; concurrency: number; raw: LoadRun[]; paygate: LoadRun[]; stability: Stability }> = [];
  for (const operation of operations) {
    for (const concurrency of CONCURRENCIES) {
      progress(`${operation.name} at concurrency ${concurrency}`);
      const load = { operations: operationsAt(concurrency), concurrency };
      const rounds = await interleaveUntilStable(
        () => runLoad(operation.baseline, load),
        () => runLoad(operation.candidate, load),
        (raw, ours) => cpuPerOperation(ours) / cpuPerOperation(raw),
        { minRounds: MIN_ROUNDS, maxRounds: MAX_ROUNDS, warmup: WARMUP },
      );
      results.push({
        name: operation.name,
        endpoint: operation.endpoint,
        concurrency,
        raw: [...rounds.baseline],
        paygate: [...rounds.candidate],
        stability: rounds.stability,
      });
    }
  }

  // Informational: what the HTTP stack itself costs. The SDK uses Node's fetch (undici), paygate got.
  const rawFetch = async () => {
    const response = await fetch(`${sandbox.baseUrl}/balances`, { headers: { authorization } });
    await response.json();
  };
  const stacks: Array<{ concurrency: number; got: LoadRun[]; fetch: LoadRun[]; stability: Stability }> = [];
  for (const concurrency of CONCURRENCIES) {
    progress(`raw got vs raw fetch, GET /balances at concurrency ${concurrency}`);
    const load = { operations: operationsAt(concurrency), concurrency };
    const rounds = await interleaveUntilStable(
      () => runLoad(raw('/balances'), load),
      () => runLoad(rawFetch, load),
      (viaGot, viaFetch) => cpuPerOperation(viaFetch) / cpuPerOperation(viaGot),
      { minRounds: MIN_ROUNDS, maxRounds: MAX_ROUNDS, warmup: WARMUP },
    );
    stacks.push({ concurrency, got: [...rounds.baseline], fetch: [...rounds.candidate], stability: rounds.stability });
  }

  const sideRow = (result: (typeof results)[number], side: 'raw' | 'paygate') =>
    loadRow(result.name, result.concurrency, side === 'raw' ? 'raw got' : '@paygate/monerium', result[side]);

  const goals: Goal[] = [];
  const ratioRows = results.map((result) => {
    const rawLatency = summarize(pooledLatencies(result.raw));
    const ourLatency = summarize(pooledLatencies(result.paygate));
    const throughputCost = median(result.raw.map(throughput)) / median(result.paygate.map(throughput));
    const p99 = ourLatency.p99 / rawLatency.p99;
    // The goal: the median of the per-round paired CPU/op ratios (each round's two sides ran back to back).
    const cpu = result.stability.median;
    const label = `${result.name} at concurrency ${result.concurrency}`;
    goals.push({
      what: `${label}: client CPU/op over raw got`,
      measured: `${formatRatio(cpu)} (${describeStability(result.stability)})`,
      target: `≤ ${GOAL.toFixed(2)}×`,
      met: cpu <= GOAL,
    });
    return [
      result.name,
      String(result.concurrency),
      formatRatio(throughputCost),
      formatRatio(ourLatency.median / rawLatency.median),
      formatRatio(p99),
      formatRatio(cpu),
      describeStability(result.stability),
    ];
  });

  const missed = goals.filter((goal) => !goal.met);
  publish({
    id: 'overhead',
    title: '1. Overhead over raw got',
    method: [
      runShape(
        `Each operation against the same sandbox endpoint with the same bearer token: \`@paygate/monerium\` (got underneath, ` +
          `io-ts decoding, error mapping, token manager, Either results) versus \`got(url, { headers: { authorization } }).json()\`. ` +
          `${MIN_ROUNDS} to ${MAX_ROUNDS} interleaved rounds per side after ${WARMUP} warm-up round (more rounds until the per-round ` +
          'client CPU/op ratio has a spread under 5 %: the 95 % confidence half-width of its mean), ' +
          `${formatCount(operationsAt(1))} operations per round at concurrency 1 and ${formatCount(operationsAt(64))} at concurrency 64. ` +
          'ops/s and client CPU/op are medians over rounds; latency percentiles pool every measured operation. ' +
          'The sandbox runs in its own process, so "client CPU/op" is what the library itself costs this process.',
      ),
    ],
    tables: [
      { header: ['operation', 'concurrency', 'client', 'ops/s', 'client CPU/op', 'min', 'median', 'p99'], rows: results.flatMap((r) => [sideRow(r, 'raw'), sideRow(r, 'paygate')]) },
      {
        caption:
          'Ratios, @paygate/monerium over raw got (1.00× = no cost; throughput cost = raw ops/s ÷ paygate ops/s; client CPU/op = median of the per-round paired ratios, the goal):',
        header: ['operation', 'concurrency', 'throughput cost', 'median latency', 'p99 latency', 'client CPU/op', 'CPU/op ratio spread'],
        rows: ratioRows,
      },
      {
        caption:
          'The HTTP stacks alone (informational): the same `GET /balances` with raw got and with raw `fetch` (undici, what ' +
          '@monerium/sdk uses), client CPU/op ratio fetch ÷ got (median of the per-round paired ratios):',
        header: ['concurrency', 'raw got CPU/op', 'raw fetch CPU/op', 'fetch ÷ got', 'ratio spread'],
        rows: stacks.map((row) => [
          String(row.concurrency),
          formatNs(median(row.got.map(cpuPerOperation))),
          formatNs(median(row.fetch.map(cpuPerOperation))),
          formatRatio(row.stability.median),
          describeStability(row.stability),
        ]),
      },
    ],
    goals,
    notes:
      missed.length === 0
        ? ['Client CPU/op is within the 1.10× goal everywhere.']
        : [
            `Missed: ${missed.map((goal) => `${goal.what} (${goal.measured})`).join('; ')}. ` +
              'The "client CPU/op" ratio shows what the library adds per request independently of the sandbox; the README ranks the profile\'s frames and the proposed fixes.',
          ],
  });
} finally {
  await sandbox.close();
}
