import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { refreshTokenGrant } from '../src/auth/index.js';
import { authError, type GatewayError } from '../src/errors.js';
import { createTokenManager } from '../src/token-manager.js';
import { createMemoryTokenStore, type TokenSet } from '../src/tokens.js';
import { startOidcProvider } from './_oidc-provider.js';

const refreshWith =
  (provider: Awaited<ReturnType<typeof startOidcProvider>>) =>
  (tokens: TokenSet): TE.TaskEither<GatewayError, TokenSet> =>
    refreshTokenGrant(provider.server, provider.clients.publicPkce, tokens.refreshToken ?? '', {});

test('500 concurrent getAccessToken calls on an expired session make exactly one token request', async (t) => {
  const provider = await startOidcProvider({ accessTokenTtlSeconds: 600 });
  t.teardown(provider.close);
  const expired = await provider.expiredSession();
  const store = createMemoryTokenStore();
  const manager = createTokenManager({ key: 'oidc:alice', store, refresh: refreshWith(provider) });
  await manager.setTokens(expired)();
  const before = provider.tokenRequests();

  const results = await Promise.all(Array.from({ length: 500 }, () => manager.getAccessToken()()));

  t.is(provider.tokenRequests() - before, 1);
  t.true(results.every(E.isRight));
  const tokens = new Set(results.map((r) => (E.isRight(r) ? r.right : '')));
  t.is(tokens.size, 1, 'every caller got the same fresh token');
  t.false(tokens.has(expired.accessToken));
  const stored = await store.get('oidc:alice')();
  t.true(E.isRight(stored) && stored.right?.refreshToken !== expired.refreshToken, 'the rotated refresh token was stored');
});

test('two managers on the same store and key share one refresh', async (t) => {
  const provider = await startOidcProvider({ accessTokenTtlSeconds: 600 });
  t.teardown(provider.close);
  const store = createMemoryTokenStore();
  const a = createTokenManager({ key: 's', store, refresh: refreshWith(provider) });
  const b = createTokenManager({ key: 's', store, refresh: refreshWith(provider) });
  await a.setTokens(await provider.expiredSession())();
  const before = provider.tokenRequests();
  const results = await Promise.all([...Array.from({ length: 50 }, () => a.getAccessToken()()), ...Array.from({ length: 50 }, () => b.getAccessToken()())]);
  t.true(results.every(E.isRight));
  t.is(provider.tokenRequests() - before, 1);
});

test('a fresh token is served from the store without a request', async (t) => {
  const provider = await startOidcProvider({ accessTokenTtlSeconds: 600 });
  t.teardown(provider.close);
  const session = await provider.login();
  const manager = createTokenManager({ key: 'k', refresh: refreshWith(provider) });
  await manager.setTokens(session)();
  const before = provider.tokenRequests();
  t.deepEqual(await manager.getAccessToken()(), E.right(session.accessToken));
  t.is(provider.tokenRequests(), before);
});

test('a token inside the 60 s skew window is renewed ahead of expiry', async (t) => {
  const provider = await startOidcProvider({ accessTokenTtlSeconds: 600 });
  t.teardown(provider.close);
  const session = await provider.login();
  const manager = createTokenManager({ key: 'k', refresh: refreshWith(provider) });
  await manager.setTokens({ ...session, expiresAt: Date.now() + 30_000 })();
  const result = await manager.getAccessToken()();
  t.true(E.isRight(result) && result.right !== session.accessToken);
});

test('a refresh refused with invalid_grant clears the session and reports refresh_failed', async (t) => {
  const provider = await startOidcProvider({ accessTokenTtlSeconds: 600 });
  t.teardown(provider.close);
  const expired = await provider.expiredSession();
  const store = createMemoryTokenStore();
  const manager = createTokenManager({ key: 'k', store, refresh: refreshWith(provider) });
  await manager.setTokens({ ...expired, refreshToken: 'not-a-refresh-token-the-server-issued' })();

  const result = await manager.getAccessToken()();

  t.like(result, { _tag: 'Left', left: { _tag: 'AuthError', reason: 'refresh_failed', oauthError: 'invalid_grant' } });
  t.deepEqual(await store.get('k')(), E.right(undefined));
  t.like(await manager.getAccessToken()(), { _tag: 'Left', left: { _tag: 'AuthError', reason: 'no_session' } });
});

test('a transport failure during refresh keeps the session', async (t) => {
  const provider = await startOidcProvider({ accessTokenTtlSeconds: 600 });
  const expired = await provider.expiredSession();
  await provider.close();
  const store = createMemoryTokenStore();
  const manager = createTokenManager({ key: 'k', store, refresh: refreshWith(provider) });
  await manager.setTokens(expired)();
  t.like(await manager.getAccessToken()(), { _tag: 'Left', left: { _tag: 'TransportError' } });
  t.deepEqual(await store.get('k')(), E.right(expired));
});

test('withToken renews once and retries after 401 invalid_token', async (t) => {
  const provider = await startOidcProvider({ accessTokenTtlSeconds: 600 });
  t.teardown(provider.close);
  const session = await provider.login();
  const manager = createTokenManager({ key: 'k', refresh: refreshWith(provider) });
  await manager.setTokens(session)();
  const used: string[] = [];
  const result = await manager.withToken((token) => {
    used.push(token);
    return used.length === 1
      ? TE.left(authError({ reason: 'invalid_token', status: 401, oauthError: 'invalid_token' }))
      : TE.right(`ok with ${token}`);
  })();
  t.is(used.length, 2);
  t.is(used[0], session.accessToken);
  t.not(used[1], session.accessToken);
  t.deepEqual(result, E.right(`ok with ${used[1]}`));
});

test('withToken retries at most once', async (t) => {
  const provider = await startOidcProvider({ accessTokenTtlSeconds: 600 });
  t.teardown(provider.close);
  const manager = createTokenManager({ key: 'k', refresh: refreshWith(provider) });
  await manager.setTokens(await provider.login())();
  let calls = 0;
  const result = await manager.withToken(() => {
    calls += 1;
    return TE.left(authError({ reason: 'invalid_token', status: 401 }));
  })();
  t.is(calls, 2);
  t.like(result, { _tag: 'Left', left: { reason: 'invalid_token' } });
});

test('withToken never refreshes on 403 insufficient_scope', async (t) => {
  const provider = await startOidcProvider({ accessTokenTtlSeconds: 600 });
  t.teardown(provider.close);
  const manager = createTokenManager({ key: 'k', refresh: refreshWith(provider) });
  await manager.setTokens(await provider.login())();
  const before = provider.tokenRequests();
  let calls = 0;
  const result = await manager.withToken(() => {
    calls += 1;
    return TE.left(authError({ reason: 'insufficient_scope', status: 403, scope: 'orders:write' }));
  })();
  t.is(calls, 1);
  t.is(provider.tokenRequests(), before);
  t.like(result, { _tag: 'Left', left: { reason: 'insufficient_scope', scope: 'orders:write' } });
});

test('without a refresh token the manager obtains a new session, once for many callers', async (t) => {
  let logins = 0;
  const manager = createTokenManager({
    key: 'k',
    obtain: () => async () => {
      logins += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return E.right({ accessToken: `session-${logins}`, tokenType: 'Bearer', extra: {}, expiresAt: Date.now() + 3_600_000 });
    },
  });
  const results = await Promise.all(Array.from({ length: 200 }, () => manager.getAccessToken()()));
  t.is(logins, 1);
  t.true(results.every((r) => E.isRight(r) && r.right === 'session-1'));
});

test('a refresh keeps extra fields the refresh response does not repeat', async (t) => {
  const provider = await startOidcProvider({ accessTokenTtlSeconds: 600 });
  t.teardown(provider.close);
  const expired = await provider.expiredSession();
  const manager = createTokenManager({ key: 'k', refresh: refreshWith(provider) });
  await manager.setTokens({ ...expired, extra: { ...expired.extra, profile: 'p-1', userId: 'u-1' } })();
  const result = await manager.getTokenSet()();
  t.like(result, { _tag: 'Right', right: { extra: { profile: 'p-1', userId: 'u-1' } } });
});

test('with a lock-capable store the session is re-read after taking the lock', async (t) => {
  const base = createMemoryTokenStore();
  const fresh: TokenSet = { accessToken: 'renewed-elsewhere', tokenType: 'Bearer', extra: {}, expiresAt: Date.now() + 3_600_000 };
  let locks = 0;
  const store = {
    ...base,
    // Simulates another instance renewing while this one waited for the lock.
    lock: () => async () => {
      locks += 1;
      await base.set('k', fresh)();
      return E.right({ release: () => TE.right(undefined) });
    },
  };
  let refreshes = 0;
  const manager = createTokenManager({
    key: 'k',
    store,
    refresh: () => {
      refreshes += 1;
      return TE.left(authError({ reason: 'invalid_grant' }));
    },
  });
  await base.set('k', { accessToken: 'old', tokenType: 'Bearer', extra: {}, refreshToken: 'r', expiresAt: Date.now() - 1 })();
  t.deepEqual(await manager.getAccessToken()(), E.right('renewed-elsewhere'));
  t.is(locks, 1);
  t.is(refreshes, 0);
});
