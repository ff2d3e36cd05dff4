import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { createTokenManager, type TokenStore } from '@paygate/core';
import { createRedisTokenStore } from '@paygate/token-store-redis';
import { count } from './config.js';
import { openPaygateFeed } from './order-feeds.js';
import { createPartnerClient, orThrow } from './partner-client.js';
import { startRedis } from './redis-server.js';
import { startRemoteSandbox } from './remote-sandbox.js';
import { progress } from './report.js';

// One path of @paygate/monerium alone, for a CPU profile that no baseline dilutes:
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof-read --import tsx bench/profile-paths.ts read
//   node --import tsx bench/cpu-profile.ts /tmp/prof-read/*.cpuprofile --top 30
//
// Paths: `read` (balances, orders, order by id at concurrency 16), `orders100` (orders({ limit: 100 })),
// `session-memory` / `session-redis` (TokenManager.withToken on a valid set), `websocket` (watchOrders
// draining events), `cold` (each cold-start scenario under `node --cpu-prof`, into BENCH_PROF_DIR). `BENCH_CPU_PROF=1 node bench/run.js …` profiles whole benchmarks instead.

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const path = process.argv[2] ?? 'read';
const sandbox = await startRemoteSandbox({ autoProcessOrders: false });
const redis = path === 'session-redis' ? await startRedis() : undefined;
try {
  const store: TokenStore | undefined = redis === undefined ? undefined : createRedisTokenStore({ redis: redis.url });
  const client = createPartnerClient(sandbox, store === undefined ? {} : { tokenStore: store });
  const { tokens } = await orThrow(client.session());
  const some = (await orThrow(client.orders({ limit: 1 }))).orders[0];
  if (some === undefined) throw new Error('the sandbox has no orders');
  const concurrently = async (n: number, c: number, op: () => Promise<unknown>) => {
    let started = 0;
    const worker = async () => {
      while (started++ < n) await op();
    };
    await Promise.all(Array.from({ length: c }, worker));
  };
  const n = count(3_000, 300, 100);
  progress(`${path}: ${n} operations`);
  switch (path) {
    case 'read': {
      const ops = [() => orThrow(client.balances()), () => orThrow(client.orders()), () => orThrow(client.order(some.id))];
      let i = 0;
      await concurrently(n, 16, () => (ops[i++ % ops.length] as () => Promise<unknown>)());
      break;
    }
    case 'orders100':
      await concurrently(n / 3, 1, () => orThrow(client.orders({ limit: 100 })));
      break;
    case 'session-memory':
    case 'session-redis': {
      const manager = createTokenManager({ key: 'profile', ...(store === undefined ? {} : { store }), obtain: () => TE.right(tokens) });
      await orThrow(manager.setTokens(tokens));
      const calls = path === 'session-memory' ? n * 100 : n * 3;
      for (let k = 0; k < calls; k++) await orThrow(manager.withToken((token) => TE.right(token)));
      break;
    }
    case 'websocket': {
      const target = sandbox.fixtures.addresses[0];
      if (target === undefined) throw new Error('no linked address in the fixtures');
      const events = n * 5;
      let received = 0;
      let done: () => void = () => undefined;
      const all = new Promise<void>((resolve) => {
        done = resolve;
      });
      const feed = await openPaygateFeed(client, { profile: target.profile, state: 'placed' }, {
        onMemo: () => {
          if (++received === events) done();
        },
      });
      await sandbox.placeIssueOrders({ count: events });
      await all;
      await feed.close();
      break;
    }
    case 'cold': {
      // Each cold-start scenario in its own `node --cpu-prof` process (profiles in BENCH_PROF_DIR/<scenario>).
      const dir = process.env.BENCH_PROF_DIR ?? join(tmpdir(), 'paygate-cold-profiles');
      const { clientId, clientSecret } = sandbox.fixtures.clients.confidential;
      for (const scenario of ['paygate', 'floor', 'sdk']) {
        const child = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${join(dir, scenario)}`, join(BENCH_DIR, 'cold', `${scenario}.mjs`)], {
          cwd: BENCH_DIR,
          env: { ...process.env, BENCH_BASE_URL: sandbox.baseUrl, BENCH_WS_URL: sandbox.wsUrl, BENCH_CLIENT_ID: clientId, BENCH_CLIENT_SECRET: clientSecret },
          encoding: 'utf8',
        });
        process.stdout.write(`${scenario}: ${child.stdout.trim()} → ${join(dir, scenario)}\n`);
      }
      break;
    }
    default:
      throw new Error(`unknown path ${path}`);
  }
  if (store !== undefined && 'close' in store) await (store as { close: () => TE.TaskEither<unknown, void> }).close()();
} finally {
  await redis?.stop();
  await sandbox.close();
}
