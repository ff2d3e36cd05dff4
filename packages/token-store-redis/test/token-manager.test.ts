import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { Redis } from 'ioredis';
import { createTokenManager } from '@paygate/core';
import { right, storeFor } from './_fixtures.js';
import { sharedRedis } from './_redis.js';
import { rotatingProvider } from './_rotating-provider.js';

// Each store object stands for one app instance: core's in-process de-duplication is per store,
// so several stores in one process coordinate only through Redis, exactly like separate processes.

const redis = sharedRedis();

test('instances sharing an expired session refresh it exactly once', async (t) => {
  const provider = rotatingProvider(30);
  const instances = Array.from({ length: 4 }, () => storeFor({ redis: redis.url, lock: { retryMinMs: 2, retryMaxMs: 20 } }));
  right(await instances[0]!.set('tm:once', provider.expired)());
  const managers = instances.map((store) => createTokenManager({ key: 'tm:once', store, refresh: provider.refresh }));
  const results = await Promise.all(
    Array.from({ length: 400 }, (_, i) => managers[i % managers.length]!.withToken(provider.call)()),
  );
  t.is(provider.refreshes(), 1);
  t.true(results.every((r) => E.isRight(r) && r.right === 'ok:at-1'));
  t.like(right(await instances[1]!.get('tm:once')()), { accessToken: 'at-1', refreshToken: 'rt-1' });
  for (const store of instances) right(await store.close()());
});

test('an instance refused with its stale token takes the token another instance renewed', async (t) => {
  const provider = rotatingProvider(5);
  const a = storeFor({ redis: redis.url });
  const b = storeFor({ redis: redis.url });
  right(await a.set('tm:stale', provider.expired)());
  const managerA = createTokenManager({ key: 'tm:stale', store: a, refresh: provider.refresh });
  const managerB = createTokenManager({ key: 'tm:stale', store: b, refresh: provider.refresh });
  t.is(right(await managerA.getAccessToken()()), 'at-1');
  // B renews because it was refused with at-0; under the lock it finds at-1 and keeps it.
  t.like(right(await managerB.renew('at-0')()), { accessToken: 'at-1' });
  t.is(provider.refreshes(), 1);
  right(await a.close()());
  right(await b.close()());
});

test('sessions are written with the retention the manager asks for', async (t) => {
  const provider = rotatingProvider(1);
  const store = storeFor({ redis: redis.url });
  right(await store.set('tm:retention', provider.expired)());
  const manager = createTokenManager({ key: 'tm:retention', store, refresh: provider.refresh, retentionMs: () => 90_000 });
  right(await manager.getAccessToken()());
  const raw = new Redis(redis.url);
  const pttl = await raw.pttl('paygate:tm:retention');
  raw.disconnect();
  t.true(pttl > 0 && pttl <= 90_000, `pttl ${pttl}`);
  right(await store.close()());
});
