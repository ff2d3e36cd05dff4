import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { authError, type GatewayError, transportError } from '../src/errors.js';
import { createTokenManager } from '../src/token-manager.js';
import { createMemoryTokenStore, type StoreLock, type TokenSet, type TokenStore, tokenSetFingerprint } from '../src/tokens.js';

/** A promise released by the test, to order two refreshes exactly. */
const gate = () => {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
};

/** Resolves once `count()` reaches `n` (polled: the events happen inside the code under test). */
const until = async (condition: () => boolean) => {
  for (let i = 0; i < 2_000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error('condition never held');
};

const expiredSet = (generation: number): TokenSet => ({
  accessToken: `at-${generation}`,
  tokenType: 'Bearer',
  refreshToken: `rt-${generation}`,
  expiresAt: Date.now() - 1_000,
  extra: {},
});

/**
 * A token endpoint with rotating refresh tokens: each refresh revokes the token it was given as
 * soon as it arrives, then answers when the test opens that request's gate.
 */
const rotatingEndpoint = () => {
  let valid = 'rt-0';
  let generation = 0;
  const gates: Array<ReturnType<typeof gate>> = [];
  const refresh =
    (tokens: TokenSet): TE.TaskEither<GatewayError, TokenSet> =>
    async () => {
      const mine = gate();
      gates.push(mine);
      const accepted = tokens.refreshToken === valid;
      if (accepted) {
        generation++;
        valid = `rt-${generation}`;
      }
      const issued = generation;
      await mine.opened;
      return accepted
        ? E.right({ ...expiredSet(issued), expiresAt: Date.now() + 3_600_000 })
        : E.left(authError({ reason: 'invalid_grant', oauthError: 'invalid_grant', status: 400 }));
    };
  return { refresh, gates, requests: () => gates.length };
};

/**
 * Two "processes" on one shared store: separate store objects (so separate in-process
 * coordination) over the same entries, with a lock that is granted at once, as one that has
 * expired while its holder still waits for the token endpoint would be.
 */
const sharedStoreViews = (base: TokenStore, withCompareAndSet = true): [TokenStore, TokenStore] => {
  const view = (): TokenStore => ({
    get: base.get,
    set: base.set,
    delete: base.delete,
    lock: () => TE.right({ release: () => TE.right(undefined) }),
    ...(withCompareAndSet && base.compareAndSet !== undefined ? { compareAndSet: base.compareAndSet } : {}),
  });
  return [view(), view()];
};

for (const [title, withCompareAndSet] of [
  ['', true],
  [' (a store without compareAndSet: read, compare, write)', false],
] as const) {
  test(`an invalid_grant that arrives after another holder stored the renewed session does not delete it${title}`, async (t) => {
    const base = createMemoryTokenStore();
    const [storeA, storeB] = sharedStoreViews(base, withCompareAndSet);
    t.is(storeA.compareAndSet === undefined, !withCompareAndSet);
    const endpoint = rotatingEndpoint();
    await base.set('s', expiredSet(0))();
    const a = createTokenManager({ key: 's', store: storeA, refresh: endpoint.refresh });
    const b = createTokenManager({ key: 's', store: storeB, refresh: endpoint.refresh });

    const first = a.getAccessToken()();
    await until(() => endpoint.requests() === 1);
    // A's lock has run out: B takes it, reads the same stored set and refreshes with the used token.
    const second = b.getAccessToken()();
    await until(() => endpoint.requests() === 2);
    endpoint.gates[0]?.open();
    t.deepEqual(await first, E.right('at-1'));
    endpoint.gates[1]?.open();

    t.deepEqual(await second, E.right('at-1'), 'B uses the session A stored instead of reporting it lost');
    const stored = await base.get('s')();
    t.true(E.isRight(stored) && stored.right?.refreshToken === 'rt-1', 'the renewed session survives');
  });
}

test('a refresh that finishes after a new sign-in does not overwrite the new session', async (t) => {
  const store = createMemoryTokenStore();
  const endpoint = rotatingEndpoint();
  const manager = createTokenManager({ key: 's', store, refresh: endpoint.refresh });
  await manager.setTokens(expiredSet(0))();

  const renewing = manager.getAccessToken()();
  await until(() => endpoint.requests() === 1);
  const signedIn: TokenSet = { ...expiredSet(7), expiresAt: Date.now() + 3_600_000 };
  t.deepEqual(await manager.setTokens(signedIn)(), E.right(undefined));
  endpoint.gates[0]?.open();

  t.deepEqual(await renewing, E.right('at-7'), 'the newer session wins');
  t.deepEqual(await store.get('s')(), E.right(signedIn));
});

test('sign-out waits for a refresh in flight, so the refresh cannot bring the session back', async (t) => {
  const store = createMemoryTokenStore();
  const endpoint = rotatingEndpoint();
  const manager = createTokenManager({ key: 's', store, refresh: endpoint.refresh });
  await manager.setTokens(expiredSet(0))();

  const renewing = manager.getAccessToken()();
  await until(() => endpoint.requests() === 1);
  const signingOut = manager.clear()();
  endpoint.gates[0]?.open();
  await renewing;

  t.deepEqual(await signingOut, E.right(undefined));
  t.deepEqual(await store.get('s')(), E.right(undefined));
});

/** A store whose lock records its TTL and renewals and never expires by itself. */
const recordingLockStore = () => {
  const base = createMemoryTokenStore();
  const ttls: number[] = [];
  let extensions = 0;
  const store: TokenStore = {
    ...base,
    lock: (_key, ttlMs) => {
      ttls.push(ttlMs);
      const lock: StoreLock = {
        release: () => TE.right(undefined),
        extend: (ttl) => {
          ttls.push(ttl);
          extensions++;
          return TE.right(true);
        },
      };
      return TE.right(lock);
    },
  };
  return { store, ttls, extensions: () => extensions };
};

test('the lock TTL is derived from the token request timeout, so a 40 s timeout cannot outlive it', async (t) => {
  const { store, ttls } = recordingLockStore();
  const endpoint = rotatingEndpoint();
  const manager = createTokenManager({ key: 's', store, refresh: endpoint.refresh, requestTimeoutMs: 40_000 });
  await store.set('s', expiredSet(0))();
  const renewing = manager.getAccessToken()();
  await until(() => endpoint.requests() === 1);
  endpoint.gates[0]?.open();
  t.deepEqual(await renewing, E.right('at-1'));
  t.true((ttls[0] ?? 0) > 2 * 40_000, `lock TTL ${ttls[0]} ms must outlast a refresh and a new grant of 40 s each`);
});

test('the lock is renewed while a slow token request runs', async (t) => {
  const { store, ttls, extensions } = recordingLockStore();
  const endpoint = rotatingEndpoint();
  const manager = createTokenManager({ key: 's', store, refresh: endpoint.refresh, lockTtlMs: 60 });
  await store.set('s', expiredSet(0))();
  const renewing = manager.getAccessToken()();
  await until(() => endpoint.requests() === 1);
  // The token endpoint answers only after the lock has been renewed twice.
  await until(() => extensions() >= 2);
  endpoint.gates[0]?.open();
  t.deepEqual(await renewing, E.right('at-1'));
  t.true(ttls.every((ttl) => ttl === 60));
  const after = extensions();
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.is(extensions(), after, 'renewal stops once the refresh is over');
});

/** The memory store with writes that fail while `down` is set (reads still work). */
const flakyStore = () => {
  const base = createMemoryTokenStore();
  let down = false;
  let writes = 0;
  const refused = (): TE.TaskEither<GatewayError, never> => {
    writes++;
    return TE.left(transportError({ kind: 'store', attempts: 1, message: 'Token store failed: write refused' }));
  };
  const store: TokenStore = {
    get: base.get,
    set: (key, tokens, ttl) => (down ? refused() : base.set(key, tokens, ttl)),
    delete: (key) => (down ? refused() : base.delete(key)),
    compareAndSet: (key, expected, next, ttl) => (down ? refused() : (base.compareAndSet?.(key, expected, next, ttl) ?? refused())),
  };
  return {
    store,
    setDown: (value: boolean) => {
      down = value;
    },
    writes: () => writes,
  };
};

test('a renewed session the store cannot save stays usable in this process and is saved later', async (t) => {
  const { store, setDown, writes } = flakyStore();
  const endpoint = rotatingEndpoint();
  const manager = createTokenManager({ key: 's', store, refresh: endpoint.refresh });
  await store.set('s', expiredSet(0))();
  setDown(true);

  const renewing = manager.getAccessToken()();
  await until(() => endpoint.requests() === 1);
  endpoint.gates[0]?.open();
  const first = await renewing;
  t.like(first, { _tag: 'Left', left: { _tag: 'TransportError', kind: 'store', attempts: 3 } });
  t.regex(E.isLeft(first) ? first.left.message : '', /still usable/);
  t.is(writes(), 3, 'the write was tried three times');

  // The store is still down: the fresh set is used, and the dead refresh token is not resent.
  t.deepEqual(await manager.getAccessToken()(), E.right('at-1'));
  t.deepEqual(await createTokenManager({ key: 's', store, refresh: endpoint.refresh }).getAccessToken()(), E.right('at-1'));
  t.is(endpoint.requests(), 1);

  setDown(false);
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  t.deepEqual(await manager.getAccessToken()(), E.right('at-1'));
  const stored = await store.get('s')();
  t.true(E.isRight(stored) && stored.right?.refreshToken === 'rt-1', 'the renewed set reached the store');
});

test('an unsaved session that expires is refreshed with its own refresh token, not the stored one', async (t) => {
  const { store, setDown } = flakyStore();
  const endpoint = rotatingEndpoint();
  let clock = Date.now();
  const manager = createTokenManager({ key: 's', store, refresh: endpoint.refresh, now: () => clock });
  await store.set('s', expiredSet(0))();
  setDown(true);
  const renewing = manager.getAccessToken()();
  await until(() => endpoint.requests() === 1);
  endpoint.gates[0]?.open();
  t.like(await renewing, { _tag: 'Left', left: { kind: 'store' } });

  clock += 2 * 3_600_000;
  setDown(false);
  const again = manager.getAccessToken()();
  await until(() => endpoint.requests() === 2);
  endpoint.gates[1]?.open();
  t.deepEqual(await again, E.right('at-2'));
  const stored = await store.get('s')();
  t.true(E.isRight(stored) && stored.right?.refreshToken === 'rt-2');
});

test('invalid_grant deletes the stored session only while it is still the one that failed', async (t) => {
  const store = createMemoryTokenStore();
  const newer: TokenSet = { ...expiredSet(9), expiresAt: Date.now() + 3_600_000 };
  const manager = createTokenManager({
    key: 's',
    store,
    // The refresh is refused, but meanwhile a new sign-in stored another session.
    refresh: () => async () => {
      await store.set('s', newer)();
      return E.left(authError({ reason: 'invalid_grant', oauthError: 'invalid_grant', status: 400 }));
    },
  });
  await store.set('s', expiredSet(0))();
  t.deepEqual(await manager.getAccessToken()(), E.right('at-9'));
  t.deepEqual(await store.get('s')(), E.right(newer));
});

test('tokenSetFingerprint digests the two tokens and answers InvalidInput naming the field for what is not a TokenSet', (t) => {
  const tokens: TokenSet = { accessToken: 'canary-access-1', refreshToken: 'canary-refresh-1', tokenType: 'Bearer', extra: {} };
  const fp = tokenSetFingerprint(tokens);
  if (E.isLeft(fp)) return t.fail(fp.left.message);
  t.regex(fp.right, /^[A-Za-z0-9_-]{43}$/);
  t.deepEqual(tokenSetFingerprint({ ...tokens, extra: { other: 1 }, scope: 'x' }), fp);
  t.notDeepEqual(tokenSetFingerprint({ ...tokens, refreshToken: 'canary-refresh-2' }), fp);
  t.like(tokenSetFingerprint(null as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'tokens' } });
  t.like(tokenSetFingerprint({ ...tokens, accessToken: 7 } as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'tokens.accessToken' } });
  t.like(tokenSetFingerprint({ ...tokens, refreshToken: null } as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'tokens.refreshToken' } });
  t.false(JSON.stringify(tokenSetFingerprint({ ...tokens, extra: 'canary-access-1' } as never)).includes('canary-access-1'));
});
