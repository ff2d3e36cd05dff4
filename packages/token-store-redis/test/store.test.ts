import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { Redis } from 'ioredis';
import { type GatewayError, tokenSetFingerprint } from '@paygate/core';
import { buildRedisTokenStore, createRedisTokenStore } from '../src/index.js';
import { left, right, sampleTokens, storeFor } from './_fixtures.js';
import { sharedRedis } from './_redis.js';

const redis = sharedRedis();

test('set then get returns the same token set', async (t) => {
  const store = storeFor({ redis: redis.url });
  const tokens = sampleTokens('roundtrip');
  right(await store.set('s:roundtrip', tokens)());
  t.deepEqual(right(await store.get('s:roundtrip')()), tokens);
  right(await store.close()());
});

test('get of a missing key is undefined', async (t) => {
  const store = storeFor({ redis: redis.url });
  t.is(right(await store.get('s:missing')()), undefined);
  right(await store.close()());
});

test('entries live at <prefix><key> as a versioned plain envelope', async (t) => {
  const store = storeFor({ redis: redis.url });
  const tokens = sampleTokens('layout');
  right(await store.set('monerium:client:user', tokens)());
  const stored = await redis.raw.get('paygate:monerium:client:user');
  t.deepEqual(JSON.parse(stored ?? 'null'), { v: 1, alg: 'none', fp: right(tokenSetFingerprint(tokens)), tokens });
  right(await store.close()());
});

test('set and compareAndSet answer InvalidInput for a value that is not a TokenSet and write nothing', async (t) => {
  const store = storeFor({ redis: redis.url });
  t.like(left(await store.set('s:not-tokens', null as never)()), { _tag: 'InvalidInput', field: 'tokens' });
  t.like(left(await store.set('s:not-tokens', { ...sampleTokens('x'), accessToken: 1 } as never)()), { _tag: 'InvalidInput', field: 'tokens.accessToken' });
  t.like(left(await store.compareAndSet('s:not-tokens', undefined, 'x' as never)()), { _tag: 'InvalidInput', field: 'next' });
  t.like(left(await store.compareAndSet('s:not-tokens', [] as never, sampleTokens('x'))()), { _tag: 'InvalidInput', field: 'expected' });
  t.is(await redis.raw.exists('paygate:s:not-tokens'), 0);
  right(await store.close()());
});

test('a custom keyPrefix is used for entries', async (t) => {
  const store = storeFor({ redis: redis.url, keyPrefix: 'app-a/' });
  right(await store.set('s:prefixed', sampleTokens('prefixed'))());
  t.is(await redis.raw.exists('app-a/s:prefixed'), 1);
  t.is(await redis.raw.exists('paygate:s:prefixed'), 0);
  right(await store.close()());
});

test('set with a ttl stores the entry with that expiry in milliseconds', async (t) => {
  const store = storeFor({ redis: redis.url });
  right(await store.set('s:ttl', sampleTokens('ttl'), 60_000)());
  const pttl = await redis.raw.pttl('paygate:s:ttl');
  t.true(pttl > 0 && pttl <= 60_000, `pttl ${pttl}`);
  right(await store.close()());
});

test('an entry is gone once its ttl has passed', async (t) => {
  const store = storeFor({ redis: redis.url });
  right(await store.set('s:expires', sampleTokens('expires'), 30)());
  const deadline = Date.now() + 5_000;
  let current = right(await store.get('s:expires')());
  while (current !== undefined && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    current = right(await store.get('s:expires')());
  }
  t.is(current, undefined);
  right(await store.close()());
});

test('set without a ttl stores the entry without expiry, clearing an earlier ttl', async (t) => {
  const store = storeFor({ redis: redis.url });
  right(await store.set('s:no-ttl', sampleTokens('a'), 60_000)());
  right(await store.set('s:no-ttl', sampleTokens('b'))());
  t.is(await redis.raw.pttl('paygate:s:no-ttl'), -1);
  t.deepEqual(right(await store.get('s:no-ttl')()), sampleTokens('b'));
  right(await store.close()());
});

test('set with a ttl already over removes the entry', async (t) => {
  const store = storeFor({ redis: redis.url });
  right(await store.set('s:over', sampleTokens('over'))());
  right(await store.set('s:over', sampleTokens('over'), 0)());
  t.is(await redis.raw.exists('paygate:s:over'), 0);
  right(await store.close()());
});

test('set with a NaN ttl is InvalidInput and writes nothing', async (t) => {
  const store = storeFor({ redis: redis.url });
  const error = left(await store.set('s:nan', sampleTokens('nan'), Number.NaN)());
  t.like(error, { _tag: 'InvalidInput', field: 'ttlMs' });
  t.is(await redis.raw.exists('paygate:s:nan'), 0);
  right(await store.close()());
});

test('set with an infinite ttl stores the entry without expiry', async (t) => {
  const store = storeFor({ redis: redis.url });
  right(await store.set('s:forever', sampleTokens('forever'), Number.POSITIVE_INFINITY)());
  t.is(await redis.raw.pttl('paygate:s:forever'), -1);
  right(await store.close()());
});

test('a session key in the lock namespace is InvalidInput and touches nothing', async (t) => {
  const store = storeFor({ redis: redis.url });
  const held = right(await store.lock('s:guarded', 10_000)());
  const results: ReadonlyArray<E.Either<GatewayError, unknown>> = [
    await store.get('lock:s:guarded')(),
    await store.set('lock:s:guarded', sampleTokens('guarded'))(),
    await store.delete('lock:s:guarded')(),
  ];
  for (const result of results) t.like(left(result), { _tag: 'InvalidInput', field: 'key' });
  t.regex((await redis.raw.get('paygate:lock:s:guarded')) ?? '', /^[A-Za-z0-9_-]{22}$/);
  right(await held.release()());
  right(await store.close()());
});

test('delete removes the entry', async (t) => {
  const store = storeFor({ redis: redis.url });
  right(await store.set('s:delete', sampleTokens('delete'))());
  right(await store.delete('s:delete')());
  t.is(right(await store.get('s:delete')()), undefined);
  t.is(await redis.raw.exists('paygate:s:delete'), 0);
  right(await store.close()());
});

test('two stores on the same Redis share sessions', async (t) => {
  const a = storeFor({ redis: redis.url });
  const b = storeFor({ redis: redis.url });
  right(await a.set('s:shared', sampleTokens('shared'))());
  t.deepEqual(right(await b.get('s:shared')()), sampleTokens('shared'));
  right(await a.close()());
  right(await b.close()());
});

// Serial: it counts the server's client connections, which concurrent tests would change.
test.serial('close quits a connection the store created from a URL', async (t) => {
  const store = storeFor({ redis: redis.url });
  right(await store.get('s:close')());
  const before = Number(((await redis.raw.info('clients')).match(/connected_clients:(\d+)/) ?? [])[1]);
  right(await store.close()());
  let after = before;
  for (let i = 0; i < 200 && after >= before; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    after = Number(((await redis.raw.info('clients')).match(/connected_clients:(\d+)/) ?? [])[1]);
  }
  t.is(after, before - 1);
});

test('a store used after close answers TransportError store', async (t) => {
  const store = storeFor({ redis: redis.url });
  right(await store.close()());
  t.like(left(await store.get('s:closed')()), { _tag: 'TransportError', kind: 'store' });
});

test('close leaves a passed-in client open', async (t) => {
  const client = new Redis(redis.url);
  const store = storeFor({ redis: client });
  right(await store.set('s:passed', sampleTokens('passed'))());
  right(await store.close()());
  t.is(client.status, 'ready');
  t.is(await client.exists('paygate:s:passed'), 1);
  client.disconnect();
});

test('a passed-in client that has not connected yet is waited for', async (t) => {
  const client = new Redis(redis.url, { lazyConnect: true, enableOfflineQueue: false });
  const store = storeFor({ redis: client });
  right(await store.set('s:lazy', sampleTokens('lazy'))());
  t.deepEqual(right(await store.get('s:lazy')()), sampleTokens('lazy'));
  client.disconnect();
});

test('bad options are InvalidInput, not a throw', (t) => {
  const cases = [
    [{ redis: redis.url, commandTimeoutMs: -1 }, 'commandTimeoutMs'],
    [{ redis: redis.url, connectTimeoutMs: Number.NaN }, 'connectTimeoutMs'],
    [{ redis: redis.url, lock: { waitMs: Number.POSITIVE_INFINITY } }, 'lock.waitMs'],
    [{ redis: redis.url, lock: { retryMinMs: 100, retryMaxMs: 10 } }, 'lock.retryMaxMs'],
    [{ redis: redis.url, encryptionKey: 'too-short' }, 'encryptionKey.current'],
  ] as const;
  for (const [options, field] of cases) {
    const built = buildRedisTokenStore(options);
    t.true(E.isLeft(built) && built.left._tag === 'InvalidInput' && built.left.field === field, field);
  }
});

test('createRedisTokenStore with bad options answers every call with the InvalidInput', async (t) => {
  const store = createRedisTokenStore({ redis: redis.url, keyPrefix: 'refused:', commandTimeoutMs: 0 });
  for (const result of [
    await store.get('s:refused')(),
    await store.set('s:refused', sampleTokens('refused'))(),
    await store.delete('s:refused')(),
    await store.lock('s:refused', 1_000)(),
  ] as ReadonlyArray<E.Either<GatewayError, unknown>>) {
    t.like(left(result), { _tag: 'InvalidInput', field: 'commandTimeoutMs' });
  }
  t.deepEqual(await redis.raw.keys('refused:*'), []);
});

test('createRedisTokenStore with good options is a working store', async (t) => {
  const store = createRedisTokenStore({ redis: redis.url });
  right(await store.set('s:created', sampleTokens('created'))());
  t.deepEqual(right(await store.get('s:created')()), sampleTokens('created'));
  right(await store.close()());
});
