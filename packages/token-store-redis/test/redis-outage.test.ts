import { createServer } from 'node:net';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { Redis } from 'ioredis';
import { createTokenManager, type GatewayError, type TokenSet } from '@paygate/core';
import { left, right, sampleTokens, storeFor } from './_fixtures.js';
import { startRedis } from './_redis.js';
import { rotatingProvider } from './_rotating-provider.js';

// Each test has its own server here: they stop and restart it.

const fastFailing = { connectTimeoutMs: 300, commandTimeoutMs: 300 } as const;

const closedPort = (): Promise<number> =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 1));
    });
  });

/** Polls until `attempt` gives a Right, at most `tries` times; returns every result seen. */
const untilRight = async <A>(attempt: () => Promise<E.Either<GatewayError, A>>, tries = 200) => {
  const seen: Array<E.Either<GatewayError, A>> = [];
  for (let i = 0; i < tries; i++) {
    const result = await attempt();
    seen.push(result);
    if (E.isRight(result)) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return seen;
};

test('a Redis that is not running gives TransportError store for every operation', async (t) => {
  const store = storeFor({ redis: `redis://127.0.0.1:${await closedPort()}`, ...fastFailing });
  const results: ReadonlyArray<E.Either<GatewayError, unknown>> = [
    await store.get('o:down')(),
    await store.set('o:down', sampleTokens())(),
    await store.delete('o:down')(),
    await store.lock('o:down', 1_000)(),
  ];
  for (const result of results) {
    t.like(left(result), { _tag: 'TransportError', kind: 'store', attempts: 1 });
  }
  right(await store.close()());
});

test('the password of a redis:// URL never appears in a store error', async (t) => {
  const password = 'correct-horse-battery-9931';
  const store = storeFor({ redis: `redis://app:${password}@127.0.0.1:${await closedPort()}/0`, ...fastFailing });
  const error = left(await store.get('o:password')());
  t.like(error, { _tag: 'TransportError', kind: 'store' });
  t.false(JSON.stringify(error).includes(password));
  right(await store.close()());
});

test('a Redis that accepts connections but never answers gives TransportError store', async (t) => {
  const sockets = new Set<import('node:net').Socket>();
  const silent = createServer((socket) => {
    sockets.add(socket);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const address = silent.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, enableReadyCheck: false });
  const store = storeFor({ redis: client, ...fastFailing });
  t.like(left(await store.get('o:silent')()), { _tag: 'TransportError', kind: 'store' });
  client.disconnect();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

test('a command Redis does not answer in commandTimeoutMs is a TransportError store', async (t) => {
  const server = await startRedis();
  const store = storeFor({ redis: server.url, ...fastFailing });
  right(await store.set('o:paused', sampleTokens('paused'))());
  const admin = new Redis(server.url);
  await admin.call('CLIENT', 'PAUSE', '800', 'ALL');
  const error = left(await store.get('o:paused')());
  t.like(error, { _tag: 'TransportError', kind: 'store', attempts: 1 });
  t.regex(error.message, /no answer within 300 ms/);
  // Redis 7.0 holds even CLIENT UNPAUSE during a pause: wait for it to end instead.
  const after = await untilRight(() => store.get('o:paused')());
  t.deepEqual(after.at(-1), E.right(sampleTokens('paused')));
  admin.disconnect();
  right(await store.close()());
  await server.dispose();
});

test('while Redis restarts errors are TransportError store and the session is intact afterwards', async (t) => {
  const server = await startRedis({ persistent: true });
  const store = storeFor({ redis: server.url, ...fastFailing });
  const tokens = sampleTokens('survivor');
  right(await store.set('o:restart', tokens, 600_000)());

  // Readers keep going through the outage; each result is either the session or a store error.
  let running = true;
  const results: Array<E.Either<GatewayError, TokenSet | undefined>> = [];
  const readers = Array.from({ length: 3 }, async () => {
    while (running) {
      results.push(await store.get('o:restart')());
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  });
  await server.stop();
  const during = await store.get('o:restart')();
  await server.start();
  const after = await untilRight(() => store.get('o:restart')());
  running = false;
  await Promise.all(readers);

  t.like(left(during), { _tag: 'TransportError', kind: 'store' });
  t.deepEqual(after.at(-1), E.right(tokens));
  for (const result of [...results, ...after]) {
    t.true(
      E.isRight(result) ? result.right !== undefined : result.left._tag === 'TransportError' && result.left.kind === 'store',
      JSON.stringify(result),
    );
  }
  // Locks work again too.
  right(await right(await store.lock('o:restart', 1_000)()).release()());
  right(await store.close()());
  await server.dispose();
});

test('a token manager recovers after a Redis restart without losing the session or refreshing twice', async (t) => {
  const server = await startRedis({ persistent: true });
  const provider = rotatingProvider(5);
  const store = storeFor({ redis: server.url, ...fastFailing });
  right(await store.set('o:manager', provider.expired)());
  // cacheMs 0: every call reads Redis, so the outage is visible to this manager.
  const manager = createTokenManager({ key: 'o:manager', store, refresh: provider.refresh, cacheMs: 0 });
  t.is(right(await manager.withToken(provider.call)()), 'ok:at-1');
  // With the session cache a manager that has just read the session keeps serving it (a long
  // cacheMs, so a slow stop cannot outlast it).
  const cached = createTokenManager({ key: 'o:manager', store, refresh: provider.refresh, cacheMs: 600_000 });
  t.is(right(await cached.withToken(provider.call)()), 'ok:at-1');

  await server.stop();
  t.like(left(await manager.withToken(provider.call)()), { _tag: 'TransportError', kind: 'store' });
  t.is(right(await cached.withToken(provider.call)()), 'ok:at-1', 'the cached session needs no Redis read');
  await server.start();
  const after = await untilRight(() => manager.withToken(provider.call)());
  t.deepEqual(after.at(-1), E.right('ok:at-1'));
  t.is(provider.refreshes(), 1);
  right(await store.close()());
  await server.dispose();
});
