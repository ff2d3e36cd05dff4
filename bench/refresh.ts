import { performance } from 'node:perf_hooks';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { createMemoryTokenStore, createTokenManager, type TokenSet } from '@paygate/core';
import { count } from './config.js';
import { type LoadRun, runLoad } from './load.js';
import { createPartnerClient, orThrow } from './partner-client.js';
import { startRemoteSandbox } from './remote-sandbox.js';
import { type Goal, progress, publish, runShape } from './report.js';
import { roundRobin } from './rounds.js';
import { formatNs, formatRatio, median, summarize } from './stats.js';

// 3. Token refresh under contention (exactly one token request, asserted) and the hot-path cost of getAccessToken().

/** Concurrent callers per trial (the quick smoke run uses 100: the one-token-request assertion holds at any count). */
const CALLERS = count(1_000, 100, 100);
const TRIALS = count(3, 1, 1);
const HOT_ITERATIONS = count(100_000, 5_000, 1_000);
const HOT_ROUNDS = count(5, 1, 1);
const TWO_HOURS = 2 * 3_600_000;
const VALID = 'valid session (baseline)';

const failures: string[] = [];
const goals: Goal[] = [];

const sandbox = await startRemoteSandbox({ autoProcessOrders: false });
try {
  // The client's clock is ours to move: pushing it past the token's expiry makes the session
  // expired from the client's point of view while the sandbox still serves normally.
  let clockOffset = 0;
  const client = createPartnerClient(sandbox, { now: () => Date.now() + clockOffset });
  await orThrow(client.session());
  const burst = (): Promise<LoadRun> =>
    runLoad(
      async () => {
        await orThrow(client.balances());
      },
      { operations: CALLERS, concurrency: CALLERS },
    );

  type Trial = { scenario: string; run: LoadRun; grants: ReadonlyArray<string> };
  const trials: Trial[] = [];
  const trial = async (scenario: string, expected: number, expire: () => Promise<void>) => {
    await sandbox.clearRequests();
    await expire();
    const run = await burst();
    const grants = await sandbox.tokenGrants();
    trials.push({ scenario, run, grants });
    if (grants.length !== expected) {
      failures.push(
        `${scenario}: ${CALLERS} concurrent calls sent ${grants.length} token requests (${grants.join(', ') || 'none'}), expected exactly ${expected}`,
      );
    }
  };

  progress(`${TRIALS} trials of ${CALLERS} concurrent calls per scenario`);
  await burst(); // warm-up: connections, JIT
  for (let i = 0; i < TRIALS; i++) {
    await trial(VALID, 0, async () => undefined);
    await trial('session expired (client clock past expiresAt)', 1, async () => {
      clockOffset += TWO_HOURS;
    });
    await trial('access token revoked by the server (401 invalid_token)', 1, () => sandbox.expireAccessTokens());
  }

  const scenarios = [...new Set(trials.map((t) => t.scenario))];
  const contentionRows = scenarios.map((scenario) => {
    const runs = trials.filter((t) => t.scenario === scenario);
    const grants = runs.map((t) => t.grants.length);
    const latency = summarize(runs.flatMap((t) => [...t.run.latencies]));
    return [
      scenario,
      String(runs.length),
      grants.join(', '),
      [...new Set(runs.flatMap((t) => t.grants))].join(', ') || '—',
      formatNs(median(runs.map((t) => t.run.elapsedNs))),
      formatNs(latency.median),
      formatNs(latency.p99),
    ];
  });
  for (const scenario of scenarios.filter((s) => s !== VALID)) {
    const counts = trials.filter((t) => t.scenario === scenario).map((t) => t.grants.length);
    goals.push({
      what: `${scenario}: token requests per ${CALLERS} concurrent calls`,
      measured: [...new Set(counts)].join(', '),
      target: 'exactly 1 (asserted)',
      met: counts.every((n) => n === 1),
    });
  }

  // Hot path: a valid session, nothing to renew.
  progress(`hot path: ${HOT_ROUNDS} rounds of ${HOT_ITERATIONS} calls`);
  const tokens: TokenSet = { accessToken: 'x'.repeat(22), tokenType: 'Bearer', extra: {}, expiresAt: Date.now() + TWO_HOURS };
  const manager = createTokenManager({ key: 'bench', store: createMemoryTokenStore(), obtain: () => TE.right(tokens) });
  await orThrow(manager.setTokens(tokens));
  const holder = { token: tokens.accessToken };
  let sink = 0;
  const perCall = (loop: () => Promise<number> | number) => async () => {
    const t0 = performance.now();
    sink += await loop();
    return ((performance.now() - t0) * 1e6) / HOT_ITERATIONS;
  };
  const contenders = [
    {
      name: 'reading a variable',
      loop: perCall(() => {
        let total = 0;
        for (let i = 0; i < HOT_ITERATIONS; i++) total += holder.token.length;
        return total;
      }),
    },
    {
      name: '`await` of a plain value',
      loop: perCall(async () => {
        let total = 0;
        for (let i = 0; i < HOT_ITERATIONS; i++) total += (await holder.token).length;
        return total;
      }),
    },
    {
      name: 'TokenManager.getAccessToken() (core, memory store)',
      loop: perCall(async () => {
        let total = 0;
        for (let i = 0; i < HOT_ITERATIONS; i++) total += (await orThrow(manager.getAccessToken())).length;
        return total;
      }),
    },
    {
      name: 'MoneriumClient.session() (the client\'s token lookup)',
      loop: perCall(async () => {
        let total = 0;
        for (let i = 0; i < HOT_ITERATIONS; i++) total += (await orThrow(client.session())).tokens.accessToken.length;
        return total;
      }),
    },
  ];
  const perContender = await roundRobin(
    contenders.map((c) => c.loop),
    { rounds: HOT_ROUNDS, warmup: 1 },
  );
  const medians = perContender.map((samples) => median(samples));
  const variable = medians[0] ?? Number.NaN;
  const awaited = medians[1] ?? Number.NaN;
  const hotRows = contenders.map((c, i) => {
    const samples = summarize(perContender[i] ?? []);
    return [c.name, formatNs(samples.min), formatNs(samples.median), formatNs(samples.max), formatRatio(samples.median / variable), formatRatio(samples.median / awaited)];
  });
  // Reading `sink` keeps the loops' results observable, so V8 cannot drop them as dead code.
  if (sink === -1) process.stdout.write('');

  publish({
    id: 'refresh',
    title: '3. Token refresh under contention',
    method: [
      runShape(
        `${CALLERS} concurrent \`client.balances()\` calls on one partner session, ${TRIALS} trials per scenario, the token ` +
          'requests counted at the sandbox (its request log, `POST /auth/token`). "Session expired" moves the client\'s clock two ' +
          'hours ahead (the token\'s `expiresAt` has passed, so every caller must wait for a renewal before sending); "revoked by ' +
          'the server" expires every access token in the sandbox, so all calls go out with the old token, get `401 invalid_token` ' +
          'and must share one renewal before their single retry. The run fails (exit code 1) unless every renewal trial sends exactly one token request.',
      ),
    ],
    tables: [
      {
        header: ['scenario', 'trials', 'token requests per trial', 'grant', `time for all ${CALLERS} (median)`, 'call median', 'call p99'],
        rows: contentionRows,
      },
      {
        caption: `Hot path (valid session), ns per call: ${HOT_ROUNDS} rotated rounds of ${HOT_ITERATIONS.toLocaleString('en-US')} sequential calls each (min / median / max over rounds):`,
        header: ['what', 'min', 'median', 'max', 'vs variable', 'vs await'],
        rows: hotRows,
      },
    ],
    goals,
    notes: [
      'The renewal is shared through core\'s in-flight map (one refresh per token store and session key); callers that get ' +
        '`401` after it finished find the new token in the store and retry without another token request.',
      `On the hot path \`getAccessToken()\` costs ${formatNs((medians[2] ?? Number.NaN) - awaited)} more than a bare \`await\` ` +
        `(two TaskEither layers and a memory-store read) and the client's \`session()\` ${formatNs((medians[3] ?? Number.NaN) - awaited)} more; ` +
        'compare with the per-request times of benchmark 1.',
    ],
    failures,
  });
} finally {
  await sandbox.close();
}
