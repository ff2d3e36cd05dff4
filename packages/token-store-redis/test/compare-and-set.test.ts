import test from 'ava';
import { left, right, sampleTokens, storeFor } from './_fixtures.js';
import { sharedRedis } from './_redis.js';

const redis = sharedRedis();
const keyA = Buffer.alloc(32, 7);

for (const [name, options] of [
  ['plain', {}],
  ['encrypted', { encryptionKey: keyA }],
] as const) {
  test(`${name}: compareAndSet writes only over the expected set`, async (t) => {
    const store = storeFor({ redis: redis.url, ...options });
    const key = `cas:${name}:write`;
    const first = sampleTokens('first');
    const second = sampleTokens('second');
    right(await store.set(key, first)());

    t.false(right(await store.compareAndSet(key, second, sampleTokens('third'))()), 'another set is stored');
    t.deepEqual(right(await store.get(key)()), first);
    t.false(right(await store.compareAndSet(key, undefined, second)()), 'an entry exists');
    t.true(right(await store.compareAndSet(key, first, second, 60_000)()));
    t.deepEqual(right(await store.get(key)()), second);
    const pttl = await redis.raw.pttl(`paygate:${key}`);
    t.true(pttl > 0 && pttl <= 60_000, 'the retention is applied');
    right(await store.close()());
  });

  test(`${name}: compareAndSet deletes only the expected set, and fills an empty entry only when none is expected`, async (t) => {
    const store = storeFor({ redis: redis.url, ...options });
    const key = `cas:${name}:delete`;
    const first = sampleTokens('first');
    right(await store.set(key, first)());
    t.false(right(await store.compareAndSet(key, sampleTokens('other'), undefined)()));
    t.is(await redis.raw.exists(`paygate:${key}`), 1);
    t.true(right(await store.compareAndSet(key, first, undefined)()));
    t.is(await redis.raw.exists(`paygate:${key}`), 0);
    t.false(right(await store.compareAndSet(key, first, sampleTokens('late'))()), 'the expected set is gone');
    t.true(right(await store.compareAndSet(key, undefined, first)()));
    t.deepEqual(right(await store.get(key)()), first);
    right(await store.close()());
  });
}

test('an entry written before fingerprints existed can be replaced (it cannot be compared)', async (t) => {
  const store = storeFor({ redis: redis.url });
  const old = sampleTokens('old');
  await redis.raw.set('paygate:cas:legacy', JSON.stringify({ v: 1, alg: 'none', tokens: old }));
  t.true(right(await store.compareAndSet('cas:legacy', old, sampleTokens('new'))()));
  t.deepEqual(right(await store.get('cas:legacy')()), sampleTokens('new'));
  right(await store.close()());
});

test('compareAndSet refuses a lock-namespace key and a NaN ttl', async (t) => {
  const store = storeFor({ redis: redis.url });
  t.like(left(await store.compareAndSet('lock:x', undefined, sampleTokens())()), { _tag: 'InvalidInput', field: 'key' });
  t.like(left(await store.compareAndSet('cas:nan', undefined, sampleTokens(), Number.NaN)()), { _tag: 'InvalidInput', field: 'ttlMs' });
  right(await store.close()());
});
