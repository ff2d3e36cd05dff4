import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import { createHttpClient, createMemoryTokenStore, createTokenManager, type TokenStore } from '@paygate/core';
import { AddressBalancesCodec, moneriumErrorMapper } from '@paygate/monerium';
import { createRedisTokenStore, type RedisTokenStore } from '@paygate/token-store-redis';
import { count, WARMUP_ROUNDS } from './config.js';
import { cpuPerOperation, type LoadRun, runLoad } from './load.js';
import { createPartnerClient, orThrow } from './partner-client.js';
import { startRedis } from './redis-server.js';
import { startRemoteSandbox } from './remote-sandbox.js';
import { type Goal, progress, publish, runShape } from './report.js';
import { describeStability, interleaveUntilStable, type Stability } from './rounds.js';
import { formatCount, formatNs, formatRatio, median, type Table } from './stats.js';

// 8. What the session path costs a call: a valid session (token manager + store) against a fixed bearer.

/** Issue 18: a call on a valid session costs at most 5 % of the request's CPU. */
const SHARE_LIMIT = 0.05;
const CONCURRENCIES = [1, 16] as const;
const MIN_ROUNDS = count(4, 1, 1);
const MAX_ROUNDS = count(10, 1, 1);
const operationsAt = (concurrency: number) => (concurrency === 1 ? count(400, 20, 20) : count(1_000, 32, 32));
/** Sequential `withToken` calls per timed round of the path alone. */
const PATH_CALLS = { memory: count(50_000, 2_000, 500), redis: count(3_000, 200, 100) } as const;
const PATH_ROUNDS = count(5, 1, 1);

const sandbox = await startRemoteSandbox({ autoProcessOrders: false });
const redis = await startRedis();
const stores: Array<{ name: 'memory' | 'redis'; label: string; store: () => TokenStore | undefined }> = [
  { name: 'memory', label: 'memory store (default)', store: () => createMemoryTokenStore() },
  {
    name: 'redis',
    label: '@paygate/token-store-redis (local redis-server)',
    store: () => (redis === undefined ? undefined : createRedisTokenStore({ redis: redis.url, keyPrefix: `bench:${Date.now()}:` })),
  },
];
const opened: RedisTokenStore[] = [];

interface StoreResult {
  readonly label: string;
  readonly name: 'memory' | 'redis';
  readonly skipped?: string;
  readonly endToEnd: Array<{ concurrency: number; fixed: LoadRun[]; session: LoadRun[]; stability: Stability }>;
  /** CPU ns per `withToken` call of a TokenManager on this store, per round. */
  readonly pathNs: number[];
}

try {
  const results: StoreResult[] = [];
  for (const { name, label, store: makeStore } of stores) {
    const store = makeStore();
    if (store === undefined) {
      results.push({ label, name, skipped: 'redis-server not found on PATH (apt-get install redis-server)', endToEnd: [], pathNs: [] });
      continue;
    }
    if (name === 'redis') opened.push(store as RedisTokenStore);
    const client = createPartnerClient(sandbox, { tokenStore: store });
    const { tokens } = await orThrow(client.session());
    // The same request the client sends, through the same core HTTP client and codec, with the token fixed.
    const http = createHttpClient({ provider: 'monerium', baseUrl: sandbox.baseUrl, timeoutMs: 10_000, mapError: moneriumErrorMapper('bearer') });
    const balancesCodec = t.array(AddressBalancesCodec);
    const fixedRequest = { method: 'GET' as const, path: '/balances', headers: { authorization: `Bearer ${tokens.accessToken}` }, secrets: [tokens.accessToken] };
    const fixed = async () => {
      await orThrow(http.request(fixedRequest, balancesCodec));
    };
    const onSession = async () => {
      await orThrow(client.balances());
    };
    const endToEnd: StoreResult['endToEnd'] = [];
    for (const concurrency of CONCURRENCIES) {
      progress(`${name}: balances() on a session vs a fixed bearer at concurrency ${concurrency}`);
      const load = { operations: operationsAt(concurrency), concurrency };
      const rounds = await interleaveUntilStable(
        () => runLoad(fixed, load),
        () => runLoad(onSession, load),
        (a, b) => cpuPerOperation(b) / cpuPerOperation(a),
        { minRounds: MIN_ROUNDS, maxRounds: MAX_ROUNDS, warmup: WARMUP_ROUNDS },
      );
      endToEnd.push({ concurrency, fixed: [...rounds.baseline], session: [...rounds.candidate], stability: rounds.stability });
    }

    // The session path alone: a TokenManager on the same store holding the same valid set, with a
    // request that costs nothing. This is what every call pays before its HTTP request.
    progress(`${name}: the session path alone, ${PATH_ROUNDS} rounds of ${PATH_CALLS[name]} calls`);
    const manager = createTokenManager({ key: `bench-path-${name}`, store, obtain: () => TE.right(tokens) });
    await orThrow(manager.setTokens(tokens));
    const pathNs: number[] = [];
    let sink = 0;
    for (let round = -WARMUP_ROUNDS; round < PATH_ROUNDS; round++) {
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < PATH_CALLS[name]; i++) sink += (await orThrow(manager.withToken((token) => TE.right(token.length)))) > 0 ? 1 : 0;
      const cpu = process.cpuUsage(cpu0);
      if (round >= 0) pathNs.push(((cpu.user + cpu.system) * 1000) / PATH_CALLS[name]);
    }
    if (sink === 0) throw new Error('the session path returned nothing');
    results.push({ label, name, endToEnd, pathNs });
  }

  const goals: Goal[] = [];
  const endToEndRows: string[][] = [];
  const pathRows: string[][] = [];
  for (const result of results) {
    if (result.skipped !== undefined) {
      goals.push({ what: `session path, ${result.label}: share of the request's CPU`, measured: `not measured: ${result.skipped}`, target: '≤ 5 %', met: false });
      continue;
    }
    for (const row of result.endToEnd) {
      const fixedCpu = median(row.fixed.map(cpuPerOperation));
      const sessionCpu = median(row.session.map(cpuPerOperation));
      const share = 1 - 1 / row.stability.median;
      endToEndRows.push([
        result.label,
        String(row.concurrency),
        formatNs(fixedCpu),
        formatNs(sessionCpu),
        formatRatio(row.stability.median),
        `${(share * 100).toFixed(1)} %`,
        describeStability(row.stability),
        `${formatCount(row.fixed.length * operationsAt(row.concurrency))} per side`,
      ]);
    }
    const path = median(result.pathNs);
    const requestCpu = median(result.endToEnd.find((row) => row.concurrency === 1)?.session.map(cpuPerOperation) ?? []);
    const share = path / requestCpu;
    pathRows.push([
      result.label,
      formatNs(Math.min(...result.pathNs)),
      formatNs(path),
      formatNs(Math.max(...result.pathNs)),
      formatNs(requestCpu),
      `${(share * 100).toFixed(1)} %`,
    ]);
    const endToEndShares = result.endToEnd.map((row) => `${((1 - 1 / row.stability.median) * 100).toFixed(1)} % at ${row.concurrency}`).join(', ');
    goals.push({
      what: `session path, ${result.label}: CPU of a call on a valid session, share of the request's CPU`,
      measured: `${(share * 100).toFixed(1)} % (path alone, ${formatNs(path)} of ${formatNs(requestCpu)}); end to end ${endToEndShares}`,
      target: '≤ 5 %',
      met: share <= SHARE_LIMIT,
    });
  }

  const tables: Table[] = [
    {
      caption:
        'End to end: `client.balances()` on a valid session against the same request through the same core HTTP client and codec ' +
        'with the bearer token fixed (client CPU per operation, medians over rounds; the ratio and the share are the median of the ' +
        'per-round paired ratios; share = 1 − fixed ÷ session):',
      header: ['store', 'concurrency', 'fixed bearer CPU/op', 'on a session CPU/op', 'ratio', 'session share', 'ratio spread', 'operations'],
      rows: endToEndRows,
    },
    {
      caption:
        `The session path alone: \`TokenManager.withToken\` on the same store holding a valid set, with a request that costs nothing, ` +
        `${PATH_ROUNDS} rounds (min / median / max), against the CPU of a whole \`balances()\` call on a session at concurrency 1:`,
      header: ['store', 'min', 'median', 'max', 'request CPU/op', 'share'],
      rows: pathRows,
    },
  ];

  const missed = goals.filter((goal) => !goal.met);
  publish({
    id: 'session',
    title: '8. Session path',
    method: [
      runShape(
        'What a call on a valid session costs over the same request with a fixed bearer token. The session path is ' +
          '`Authorizer.withCredentials` → `TokenManager.withToken` → the set the manager last read or wrote, while its token is ' +
          'fresh and it is younger than `cacheMs` (5 s by default); then `TokenStore.get` again (a Map read for the memory store; a ' +
          'Redis `GET`, JSON parse and TokenSet decode for the Redis store). Two measurements: end to end ' +
          `(${MIN_ROUNDS} to ${MAX_ROUNDS} interleaved rounds until the CPU/op ratio's spread is under 5 %; ${formatCount(operationsAt(1))} ` +
          `calls per round at concurrency 1, ${formatCount(operationsAt(16))} at 16), and the path alone, which is exact where the end-to-end ` +
          'difference drowns in the request\'s own noise. The goal uses the path alone; the end-to-end share is its cross-check.',
      ),
    ],
    tables,
    goals,
    notes:
      missed.length === 0
        ? ['The session path is within 5 % of the request\'s CPU with both stores.']
        : [
            `Missed: ${missed.map((goal) => `${goal.what} (${goal.measured})`).join('; ')}. The profile of ` +
              '`profile-paths.ts session-redis` shows where the remaining time of a call on a valid session goes.',
          ],
  });
} finally {
  for (const store of opened) await store.close()();
  await redis?.stop();
  await sandbox.close();
}
