import test from 'ava';
import { left, right, storeFor } from './_fixtures.js';
import { sharedRedis } from './_redis.js';

const redis = sharedRedis();

test('lock sets <prefix>lock:<key> with a random token and the given ttl', async (t) => {
  const store = storeFor({ redis: redis.url });
  const lock = right(await store.lock('s:shape', 5_000)());
  const token = await redis.raw.get('paygate:lock:s:shape');
  t.regex(token ?? '', /^[A-Za-z0-9_-]{22}$/);
  const pttl = await redis.raw.pttl('paygate:lock:s:shape');
  t.true(pttl > 0 && pttl <= 5_000, `pttl ${pttl}`);
  right(await lock.release()());
  t.is(await redis.raw.exists('paygate:lock:s:shape'), 0);
  right(await store.close()());
});

test('only one of many concurrent lockers holds the lock at a time', async (t) => {
  const stores = Array.from({ length: 4 }, () => storeFor({ redis: redis.url, lock: { retryMinMs: 1, retryMaxMs: 10 } }));
  let holders = 0;
  let maxHolders = 0;
  let entered = 0;
  await Promise.all(
    Array.from({ length: 40 }, async (_, i) => {
      const store = stores[i % stores.length]!;
      const lock = right(await store.lock('s:exclusive', 10_000)());
      holders++;
      entered++;
      maxHolders = Math.max(maxHolders, holders);
      await new Promise((resolve) => setImmediate(resolve));
      holders--;
      right(await lock.release()());
    }),
  );
  t.is(entered, 40);
  t.is(maxHolders, 1);
  for (const store of stores) right(await store.close()());
});

test('a waiter acquires the lock once its holder releases it', async (t) => {
  const a = storeFor({ redis: redis.url });
  const b = storeFor({ redis: redis.url, lock: { waitMs: 10_000 } });
  const held = right(await a.lock('s:handover', 10_000)());
  let acquired = false;
  const waiting = b.lock('s:handover', 10_000)().then((result) => {
    acquired = true;
    return result;
  });
  // The waiter must still be waiting after several of its retry rounds.
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  t.false(acquired);
  right(await held.release()());
  const next = right(await waiting);
  t.true(acquired);
  right(await next.release()());
  right(await a.close()());
  right(await b.close()());
});

test('release by a former owner does not remove a lock another owner now holds', async (t) => {
  const a = storeFor({ redis: redis.url });
  const b = storeFor({ redis: redis.url, lock: { retryMinMs: 1, retryMaxMs: 5 } });
  const first = right(await a.lock('s:owner', 30)());
  // a's lock expires (as if a stalled past its ttl); b takes it.
  const second = right(await b.lock('s:owner', 10_000)());
  const bToken = await redis.raw.get('paygate:lock:s:owner');
  right(await first.release()());
  t.is(await redis.raw.get('paygate:lock:s:owner'), bToken);
  right(await second.release()());
  t.is(await redis.raw.exists('paygate:lock:s:owner'), 0);
  right(await a.close()());
  right(await b.close()());
});

test('extend resets the ttl while the lock is held, and reports a lost lock without touching the new owner', async (t) => {
  const a = storeFor({ redis: redis.url });
  const b = storeFor({ redis: redis.url, lock: { retryMinMs: 1, retryMaxMs: 5 } });
  const held = right(await a.lock('s:extend', 1_000)());
  t.true(right(await held.extend(60_000)()));
  const pttl = await redis.raw.pttl('paygate:lock:s:extend');
  t.true(pttl > 1_000 && pttl <= 60_000, `pttl ${pttl}`);
  right(await held.release()());

  const stale = right(await a.lock('s:extend', 30)());
  const taken = right(await b.lock('s:extend', 10_000)());
  const owner = await redis.raw.get('paygate:lock:s:extend');
  t.false(right(await stale.extend(60_000)()));
  t.is(await redis.raw.get('paygate:lock:s:extend'), owner);
  t.true((await redis.raw.pttl('paygate:lock:s:extend')) <= 10_000);
  right(await taken.release()());
  right(await a.close()());
  right(await b.close()());
});

test('releasing twice is harmless', async (t) => {
  const store = storeFor({ redis: redis.url });
  const lock = right(await store.lock('s:twice', 10_000)());
  right(await lock.release()());
  right(await lock.release()());
  t.is(await redis.raw.exists('paygate:lock:s:twice'), 0);
  right(await store.close()());
});

test('a lock held past waitMs gives AuthError lock_timeout instead of waiting on', async (t) => {
  const holder = storeFor({ redis: redis.url });
  const waiter = storeFor({ redis: redis.url, lock: { waitMs: 100, retryMinMs: 5, retryMaxMs: 20 } });
  const held = right(await holder.lock('s:bounded', 60_000)());
  const error = left(await waiter.lock('s:bounded', 60_000)());
  t.like(error, { _tag: 'AuthError', reason: 'lock_timeout' });
  right(await held.release()());
  right(await holder.close()());
  right(await waiter.close()());
});

test('waitMs 0 tries exactly once', async (t) => {
  const holder = storeFor({ redis: redis.url });
  const waiter = storeFor({ redis: redis.url, lock: { waitMs: 0 } });
  const held = right(await holder.lock('s:once', 60_000)());
  t.like(left(await waiter.lock('s:once', 60_000)()), { _tag: 'AuthError', reason: 'lock_timeout' });
  right(await held.release()());
  right(await right(await waiter.lock('s:once', 60_000)()).release()());
  right(await holder.close()());
  right(await waiter.close()());
});

test('locks of different sessions do not block each other', async (t) => {
  const store = storeFor({ redis: redis.url, lock: { waitMs: 0 } });
  const a = right(await store.lock('s:one', 10_000)());
  const b = right(await store.lock('s:two', 10_000)());
  t.is(await redis.raw.exists('paygate:lock:s:one', 'paygate:lock:s:two'), 2);
  right(await a.release()());
  right(await b.release()());
  right(await store.close()());
});

test('a lock ttl that is not positive is InvalidInput', async (t) => {
  const store = storeFor({ redis: redis.url });
  t.like(left(await store.lock('s:bad-ttl', 0)()), { _tag: 'InvalidInput', field: 'ttlMs' });
  t.is(await redis.raw.exists('paygate:lock:s:bad-ttl'), 0);
  right(await store.close()());
});
