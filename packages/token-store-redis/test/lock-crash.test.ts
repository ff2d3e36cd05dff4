import test from 'ava';
import { createTokenManager } from '@paygate/core';
import { left, right, storeFor } from './_fixtures.js';
import { exited, forkTs, nextMessage } from './_child.js';
import { sharedRedis } from './_redis.js';
import { rotatingProvider } from './_rotating-provider.js';

const redis = sharedRedis();

const holdLockInChild = async (key: string, ttlMs: number) => {
  const child = forkTs(new URL('./_lock-holder.ts', import.meta.url), [redis.url, key, String(ttlMs)]);
  const message = await nextMessage<{ locked: boolean }>(child);
  return { child, locked: message.locked };
};

test('when the lock holder is killed, another instance takes the lock after its ttl', async (t) => {
  // Long enough that the checks below run while the orphaned lock is still alive.
  const ttlMs = 3_000;
  const { child, locked } = await holdLockInChild('s:crash', ttlMs);
  t.true(locked);
  child.kill('SIGKILL');
  await exited(child);
  t.is(child.signalCode, 'SIGKILL');

  // The dead process's lock outlives it until the ttl ends: a try without waiting fails...
  const impatient = storeFor({ redis: redis.url, lock: { waitMs: 0 } });
  t.like(left(await impatient.lock('s:crash', 10_000)()), { _tag: 'AuthError', reason: 'lock_timeout' });
  const orphanToken = await redis.raw.get('paygate:lock:s:crash');
  t.not(orphanToken, null);

  // ...and a waiter whose wait spans the ttl gets it, with its own token.
  const patient = storeFor({ redis: redis.url, lock: { waitMs: 10_000 } });
  const taken = right(await patient.lock('s:crash', 10_000)());
  const newToken = await redis.raw.get('paygate:lock:s:crash');
  t.not(newToken, null);
  t.not(newToken, orphanToken);
  right(await taken.release()());
  right(await impatient.close()());
  right(await patient.close()());
});

test('a session whose refreshing instance was killed is refreshed once by another after the lock ttl', async (t) => {
  const provider = rotatingProvider(5);
  const store = storeFor({ redis: redis.url, lock: { waitMs: 10_000 } });
  right(await store.set('s:crash-refresh', provider.expired)());
  // The child dies holding the refresh lock, before it could refresh.
  const { child, locked } = await holdLockInChild('s:crash-refresh', 2_500);
  t.true(locked);
  child.kill('SIGKILL');
  await exited(child);
  t.not(await redis.raw.get('paygate:lock:s:crash-refresh'), null);

  const manager = createTokenManager({ key: 's:crash-refresh', store, refresh: provider.refresh, lockTtlMs: 5_000 });
  const results = await Promise.all(Array.from({ length: 20 }, () => manager.withToken(provider.call)()));
  t.true(results.every((r) => r._tag === 'Right'));
  t.is(provider.refreshes(), 1);
  t.is(await redis.raw.exists('paygate:lock:s:crash-refresh'), 0);
  right(await store.close()());
});
