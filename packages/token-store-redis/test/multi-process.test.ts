import type { ChildProcess } from 'node:child_process';
import test from 'ava';
import { type Sandbox, startSandbox } from '@paygate/sandbox';
import type { WorkerInput, WorkerMessage } from './_monerium-worker.js';
import { signInWithPkce } from './_monerium-session.js';
import { right, storeFor } from './_fixtures.js';
import { exited, forkTs, nextMessage } from './_child.js';
import { type RedisServer, startRedis } from './_redis.js';

let redis: RedisServer;
let sandbox: Sandbox;

test.before(async () => {
  redis = await startRedis();
  sandbox = await startSandbox({ providers: ['monerium'] });
});

test.after.always(async () => {
  await sandbox?.close();
  await redis?.dispose();
});

const WORKERS = 4;
const REQUESTS = 250;

const startWorker = async (input: WorkerInput): Promise<ChildProcess> => {
  const child = forkTs(new URL('./_monerium-worker.ts', import.meta.url), [JSON.stringify(input)]);
  const message = await nextMessage<WorkerMessage>(child);
  if (!('ready' in message)) throw new Error('worker did not report ready');
  return child;
};

test(`${WORKERS} processes x ${REQUESTS} concurrent requests on an expired Monerium session refresh it exactly once`, async (t) => {
  const signedIn = await signInWithPkce(sandbox);
  const clientId = sandbox.fixtures.monerium.clients.public.clientId;
  const userId = String(signedIn.extra.userId);
  // The key @paygate/monerium keeps a user's session under: monerium:<clientId>:<userId>.
  const key = `monerium:${clientId}:${userId}`;
  const expired = { ...signedIn, expiresAt: Date.now() - 60_000 };
  const store = storeFor({ redis: redis.url });
  right(await store.set(key, expired)());
  // The provider agrees the access token is dead: any instance using it gets 401 invalid_token.
  sandbox.admin.monerium.expireAccessTokens();
  sandbox.admin.clearRequests();

  const input: WorkerInput = { redisUrl: redis.url, baseUrl: sandbox.urls.monerium, clientId, tokens: expired, requests: REQUESTS };
  const workers = await Promise.all(Array.from({ length: WORKERS }, () => startWorker(input)));
  const outcomes = workers.map(async (child) => {
    const message = await nextMessage<WorkerMessage>(child);
    await exited(child);
    return message;
  });
  for (const child of workers) child.send('go');
  const results = await Promise.all(outcomes);

  for (const result of results) t.deepEqual(result, { ok: REQUESTS, errors: [] });

  const requests = sandbox.admin.requests().filter((r) => r.provider === 'monerium');
  const refreshes = requests.filter(
    (r) => r.method === 'POST' && r.path === '/auth/token' && new URLSearchParams(r.body).get('grant_type') === 'refresh_token',
  );
  t.is(refreshes.length, 1);
  t.is(new URLSearchParams(refreshes[0]?.body ?? '').get('refresh_token'), expired.refreshToken ?? null);

  const stored = right(await store.get(key)());
  t.not(stored?.accessToken, expired.accessToken);
  t.not(stored?.refreshToken, expired.refreshToken);
  const balanceCalls = requests.filter((r) => r.method === 'GET' && r.path === '/balances');
  t.is(balanceCalls.length, WORKERS * REQUESTS);
  // Every instance used the one renewed token; nobody sent the dead one.
  t.true(balanceCalls.every((r) => r.headers.authorization === `Bearer ${stored?.accessToken}`));
  right(await store.close()());
});
