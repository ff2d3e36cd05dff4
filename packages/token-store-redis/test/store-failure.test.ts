import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { createTokenManager } from '@paygate/core';
import { right, storeFor } from './_fixtures.js';
import { startRedis } from './_redis.js';
import { rotatingProvider } from './_rotating-provider.js';

test('Redis going down during a refresh: the renewed session stays usable and is written once Redis is back', async (t) => {
  const redis = await startRedis({ persistent: true });
  t.teardown(() => redis.dispose());
  const store = storeFor({ redis: redis.url, connectTimeoutMs: 300, commandTimeoutMs: 300 });
  t.teardown(() => store.close()());
  const provider = rotatingProvider(5);
  right(await store.set('f:session', provider.expired)());
  const manager = createTokenManager({
    key: 'f:session',
    store,
    lockTtlMs: 2_000,
    // Redis stops while the token request is out: the provider rotates, the store cannot be written.
    refresh: (tokens) => async () => {
      await redis.stop();
      return provider.refresh(tokens)();
    },
  });

  const first = await manager.getAccessToken()();
  t.like(first, { _tag: 'Left', left: { _tag: 'TransportError', kind: 'store' } });
  t.regex(E.isLeft(first) ? first.left.message : '', /still usable/);

  // Redis is still down: the renewed token is served from this process, the spent one never resent.
  t.deepEqual(await manager.withToken(provider.call)(), E.right('ok:at-1'));
  t.is(provider.refreshes(), 1);

  await redis.start();
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  t.deepEqual(await manager.withToken(provider.call)(), E.right('ok:at-1'));
  const stored = right(await store.get('f:session')());
  t.is(stored?.refreshToken, 'rt-1', 'the renewed session reached Redis');
  t.is(provider.refreshes(), 1);
});
