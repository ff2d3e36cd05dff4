import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { authError, type GatewayError } from '../src/errors.js';
import { createTokenManager } from '../src/token-manager.js';
import { createMemoryTokenStore, type TokenSet, type TokenStore } from '../src/tokens.js';

// The session cache of createTokenManager: a valid session is served without a store read for
// `cacheMs`, and every change of the session (sign-in, renewal, sign-out, 401) drops it.

const HOUR = 3_600_000;
const sessionAt = (now: number, name: string): TokenSet => ({
  accessToken: `access-${name}`,
  refreshToken: `refresh-${name}`,
  tokenType: 'Bearer',
  expiresAt: now + HOUR,
  extra: {},
});

/**
 * A view of `inner` that counts its calls. Two views of one inner store behave like two
 * processes sharing a Redis store: each has its own TokenManager state.
 */
const counting = (inner: TokenStore) => {
  const calls = { get: 0, set: 0, delete: 0, compareAndSet: 0 };
  const store: TokenStore = {
    get: (key) => {
      calls.get += 1;
      return inner.get(key);
    },
    set: (key, tokens, ttl) => {
      calls.set += 1;
      return inner.set(key, tokens, ttl);
    },
    delete: (key) => {
      calls.delete += 1;
      return inner.delete(key);
    },
    compareAndSet: (key, expected, next, ttl) => {
      calls.compareAndSet += 1;
      return inner.compareAndSet?.(key, expected, next, ttl) ?? TE.right(false);
    },
  };
  return { store, calls };
};

const clock = (start = 1_000_000_000_000) => {
  let time = start;
  return {
    now: () => time,
    advance: (ms: number) => {
      time += ms;
    },
  };
};

/** A memory store holding a valid session `a` under key `s`, and a clock the test moves. */
const storedSession = async () => {
  const inner = createMemoryTokenStore();
  const time = clock();
  await inner.set('s', sessionAt(time.now(), 'a'))();
  return { inner, time };
};

const noRefresh = () => TE.left<GatewayError, TokenSet>(authError({ reason: 'refresh_failed', message: 'no refresh in this test' }));

test('a valid session makes many calls with exactly one store read within cacheMs', async (t) => {
  const { inner, time } = await storedSession();
  const { store, calls } = counting(inner);
  const manager = createTokenManager({ key: 's', store, now: time.now, cacheMs: 5_000, refresh: noRefresh });
  const used: string[] = [];
  for (let i = 0; i < 50; i++) {
    time.advance(50);
    const result = await manager.withToken((token) => {
      used.push(token);
      return TE.right(token);
    })();
    t.true(E.isRight(result));
  }
  t.is(calls.get, 1);
  t.deepEqual(new Set(used), new Set(['access-a']));
  t.deepEqual(await manager.getTokenSet()(), E.right(sessionAt(1_000_000_000_000, 'a')));
  t.is(calls.get, 1, 'getTokenSet is served from the cache too');
});

test('after cacheMs (default 5 s) the store is read again, and the new read is cached', async (t) => {
  for (const [options, windowMs] of [
    [{ cacheMs: 2_000 }, 2_000],
    [{}, 5_000],
  ] as const) {
    const { inner, time } = await storedSession();
    const { store, calls } = counting(inner);
    const manager = createTokenManager({ key: 's', store, now: time.now, refresh: noRefresh, ...options });
    await manager.getAccessToken()();
    time.advance(windowMs - 1);
    await manager.getAccessToken()();
    t.is(calls.get, 1, `still cached just before ${windowMs} ms`);
    time.advance(1);
    await manager.getAccessToken()();
    t.is(calls.get, 2, `read again at ${windowMs} ms`);
    await manager.getAccessToken()();
    t.is(calls.get, 2, 'the new read is cached again');
  }
});

test('cacheMs 0 reads the store on every call', async (t) => {
  const inner = createMemoryTokenStore();
  await inner.set('s', sessionAt(Date.now(), 'a'))();
  const { store, calls } = counting(inner);
  const manager = createTokenManager({ key: 's', store, cacheMs: 0, refresh: noRefresh });
  for (let i = 0; i < 5; i++) await manager.withToken((token) => TE.right(token))();
  t.is(calls.get, 5);
});

test('a sign-out in another manager on the same store is seen after cacheMs', async (t) => {
  const { inner, time } = await storedSession();
  const here = counting(inner);
  const elsewhere = counting(inner);
  const manager = createTokenManager({ key: 's', store: here.store, now: time.now, cacheMs: 5_000, refresh: noRefresh });
  const other = createTokenManager({ key: 's', store: elsewhere.store, now: time.now, cacheMs: 5_000, refresh: noRefresh });
  t.deepEqual(await manager.getAccessToken()(), E.right('access-a'));
  t.deepEqual(await other.clear()(), E.right(undefined));
  t.deepEqual(await inner.get('s')(), E.right(undefined));
  time.advance(5_000);
  const after = await manager.getAccessToken()();
  if (E.isRight(after) || after.left._tag !== 'AuthError') return t.fail(`expected AuthError, got ${JSON.stringify(after)}`);
  t.is(after.left.reason, 'no_session');
});

test('a rotation by another manager on the same store is picked up after cacheMs', async (t) => {
  const { inner, time } = await storedSession();
  const manager = createTokenManager({ key: 's', store: counting(inner).store, now: time.now, cacheMs: 5_000, refresh: noRefresh });
  const other = createTokenManager({ key: 's', store: counting(inner).store, now: time.now, cacheMs: 5_000, refresh: noRefresh });
  t.deepEqual(await manager.getAccessToken()(), E.right('access-a'));
  await other.setTokens(sessionAt(time.now(), 'b'))();
  time.advance(5_000);
  t.deepEqual(await manager.getAccessToken()(), E.right('access-b'));
});

test('401 invalid_token drops the cache and re-reads the store: a token rotated elsewhere is used without a refresh', async (t) => {
  const { inner, time } = await storedSession();
  const { store, calls } = counting(inner);
  let refreshes = 0;
  const manager = createTokenManager({
    key: 's',
    store,
    now: time.now,
    cacheMs: 5_000,
    refresh: () => {
      refreshes += 1;
      return TE.right(sessionAt(time.now(), 'refreshed'));
    },
  });
  t.deepEqual(await manager.getAccessToken()(), E.right('access-a'));
  // Another process rotated the session; the provider now refuses access-a.
  await inner.set('s', sessionAt(time.now(), 'b'))();
  const used: string[] = [];
  const result = await manager.withToken((token) => {
    used.push(token);
    return token === 'access-a'
      ? TE.left(authError({ reason: 'invalid_token', status: 401, oauthError: 'invalid_token' }))
      : TE.right(`ok with ${token}`);
  })();
  t.deepEqual(result, E.right('ok with access-b'));
  t.deepEqual(used, ['access-a', 'access-b']);
  t.is(refreshes, 0);
  t.is(calls.get, 2, 'one read for the first call, one under renew');
  await manager.getAccessToken()();
  t.is(calls.get, 2, 'the re-read set is cached');
});

test('a save fills the cache: calls after setTokens read nothing from the store', async (t) => {
  const { store, calls } = counting(createMemoryTokenStore());
  const manager = createTokenManager({ key: 's', store, refresh: noRefresh });
  t.deepEqual(await manager.setTokens(sessionAt(Date.now(), 'a'))(), E.right(undefined));
  for (let i = 0; i < 10; i++) t.deepEqual(await manager.withToken((token) => TE.right(token))(), E.right('access-a'));
  t.is(calls.get, 0);
});

test('clear drops the cache: the next call finds no session', async (t) => {
  const { store, calls } = counting(createMemoryTokenStore());
  const manager = createTokenManager({ key: 's', store, refresh: noRefresh });
  await manager.setTokens(sessionAt(Date.now(), 'a'))();
  t.deepEqual(await manager.clear()(), E.right(undefined));
  const after = await manager.getAccessToken()();
  if (E.isRight(after) || after.left._tag !== 'AuthError') return t.fail(`expected AuthError, got ${JSON.stringify(after)}`);
  t.is(after.left.reason, 'no_session');
  t.true(calls.get >= 1, 'the store was read, not the cache');
});

test('a cached session inside the skew window is not served: it is renewed', async (t) => {
  const inner = createMemoryTokenStore();
  const time = clock();
  const soon: TokenSet = { ...sessionAt(time.now(), 'a'), expiresAt: time.now() + 61_000 };
  await inner.set('s', soon)();
  let refreshes = 0;
  const manager = createTokenManager({
    key: 's',
    store: counting(inner).store,
    now: time.now,
    cacheMs: 5_000,
    refresh: () => {
      refreshes += 1;
      return TE.right(sessionAt(time.now(), 'b'));
    },
  });
  t.deepEqual(await manager.getAccessToken()(), E.right('access-a'));
  time.advance(1_000);
  t.deepEqual(await manager.getAccessToken()(), E.right('access-b'));
  t.is(refreshes, 1);
});

test('a store read that was under way when the session was cleared does not fill the cache', async (t) => {
  const inner = createMemoryTokenStore();
  await inner.set('s', sessionAt(Date.now(), 'a'))();
  let release: (() => void) | undefined;
  let gated = true;
  const store: TokenStore = {
    ...inner,
    get: (key) => async () => {
      const read = await inner.get(key)();
      if (gated) {
        gated = false;
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      }
      return read;
    },
  };
  const manager = createTokenManager({ key: 's', store, refresh: noRefresh });
  const slow = manager.getAccessToken()();
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(await manager.clear()(), E.right(undefined));
  release?.();
  t.deepEqual(await slow, E.right('access-a'), 'the read that began before the sign-out answers what it read');
  const after = await manager.getAccessToken()();
  t.true(E.isLeft(after), 'the next call reads the store again and finds no session');
});

/**
 * Two managers on one stored session whose refresh to session 'b' is held until `releaseRefresh()`
 * (which first waits for the refresh to have started).
 */
const twoManagersWithHeldRefresh = async () => {
  const { inner, time } = await storedSession();
  let release: (() => void) | undefined;
  const refresh = () => async () => {
    await new Promise<void>((resolve) => {
      release = resolve;
    });
    return E.right(sessionAt(time.now(), 'b'));
  };
  const releaseRefresh = async () => {
    while (release === undefined) await new Promise((resolve) => setImmediate(resolve));
    release();
  };
  const a = createTokenManager({ key: 's', store: inner, now: time.now, refresh });
  const b = createTokenManager({ key: 's', store: inner, now: time.now, refresh });
  return { a, b, time, releaseRefresh };
};

test('a manager that joins another manager\'s renewal serves the renewed set afterwards, not the one it had cached', async (t) => {
  const { a, b, time, releaseRefresh } = await twoManagersWithHeldRefresh();
  t.deepEqual(await a.getAccessToken()(), E.right('access-a'));
  const renewing = b.renew('access-a')();
  const joining = a.getAccessToken()();
  await releaseRefresh();
  t.deepEqual(await renewing, E.right(sessionAt(time.now(), 'b')));
  t.deepEqual(await joining, E.right('access-b'));
  t.deepEqual(await a.getAccessToken()(), E.right('access-b'));
});

test('a 401 that joins another manager\'s renewal drops the refused token from the cache', async (t) => {
  const { a, b, releaseRefresh } = await twoManagersWithHeldRefresh();
  t.deepEqual(await a.getAccessToken()(), E.right('access-a'));
  const used: string[] = [];
  let refuse: (() => void) | undefined;
  const request = (token: string) => async () => {
    used.push(token);
    if (token !== 'access-a') return E.right(token);
    if (refuse === undefined) {
      await new Promise<void>((resolve) => {
        refuse = resolve;
      });
    }
    return E.left(authError({ reason: 'invalid_token', status: 401, oauthError: 'invalid_token' }));
  };
  // a's request with the cached token is under way when b starts renewing; then it is refused.
  const call = a.withToken(request)();
  while (refuse === undefined) await new Promise((resolve) => setImmediate(resolve));
  const renewing = b.renew('access-a')();
  refuse();
  await releaseRefresh();
  await renewing;
  t.deepEqual(await call, E.right('access-b'));
  t.deepEqual(await a.withToken(request)(), E.right('access-b'));
  t.deepEqual(used, ['access-a', 'access-b', 'access-b'], 'the refused token is not used again');
});

test('cacheMs must be a whole number of milliseconds from 0', async (t) => {
  for (const cacheMs of [Number.NaN, -1, 1.5, Number.POSITIVE_INFINITY]) {
    const result = await createTokenManager({ key: 's', cacheMs }).getAccessToken()();
    if (E.isRight(result) || result.left._tag !== 'InvalidInput') return t.fail(`expected InvalidInput for ${cacheMs}`);
    t.is(result.left.field, 'cacheMs');
  }
});
