import { createMemoryTokenStore } from '@paygate/core';
import test from 'ava';
import { client, left, requestsTo, right, signIn, startMoneyButton } from './_setup.js';

test('an access token the server expired is refreshed once and the request retried', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb, refreshToken, accessToken } = await signIn(t, sandbox);
  sandbox.admin.moneybutton.expireAccessTokens();

  const identity = await right(t, mb.userIdentity());
  t.is(identity.id, sandbox.fixtures.moneybutton.users[0].id);
  const requests = requestsTo(sandbox).map((r) => `${r.method} ${r.path}`);
  t.deepEqual(requests, ['GET /api/v1/auth/user_identity', 'POST /oauth/v1/token', 'GET /api/v1/auth/user_identity']);
  const [first, refresh, retry] = requestsTo(sandbox);
  t.is(first?.headers.authorization, `Bearer ${accessToken}`);
  t.deepEqual(Object.fromEntries(new URLSearchParams(refresh?.body)), {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: sandbox.fixtures.moneybutton.app.clientId,
  });
  t.is(refresh?.headers.authorization, undefined);
  t.not(retry?.headers.authorization, `Bearer ${accessToken}`);
});

test('the refresh response has no refresh_token, so the session keeps the old one', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb, refreshToken, accessToken } = await signIn(t, sandbox);
  const refreshed = await right(t, mb.refresh());
  t.not(refreshed.accessToken, accessToken);
  t.is(refreshed.refreshToken, refreshToken);
  const stored = await right(t, mb.session.getTokenSet());
  t.is(stored.refreshToken, refreshToken);
  t.is(stored.accessToken, refreshed.accessToken);
  // The kept refresh token still works.
  const again = await right(t, mb.refresh());
  t.not(again.accessToken, refreshed.accessToken);
  t.is(requestsTo(sandbox, '/oauth/v1/token').length, 2);
});

test('a token close to its expiry is renewed before the request, not after a 401', async (t) => {
  // 30 s tokens are always inside the manager's 60 s renewal margin.
  const sandbox = await startMoneyButton(t, { moneybutton: { accessTokenTtlSeconds: 30 } });
  const { client: mb } = await signIn(t, sandbox);
  await right(t, mb.userIdentity());
  const requests = requestsTo(sandbox).map((r) => `${r.method} ${r.path}`);
  t.deepEqual(requests, ['POST /oauth/v1/token', 'GET /api/v1/auth/user_identity']);
});

test('concurrent calls on an expired session share one refresh', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  sandbox.admin.moneybutton.expireAccessTokens();
  const results = await Promise.all(Array.from({ length: 20 }, () => mb.userIdentity()()));
  t.true(results.every((r) => r._tag === 'Right'));
  t.is(requestsTo(sandbox, '/oauth/v1/token').length, 1);
});

test('revoked tokens end the session with AuthError refresh_failed, and the store is cleared', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb, refreshToken } = await signIn(t, sandbox);
  sandbox.admin.moneybutton.revokeAll();
  const error = await left(t, mb.userIdentity());
  t.like(error, { _tag: 'AuthError', reason: 'refresh_failed', oauthError: 'invalid_grant' });
  t.false(JSON.stringify(error).includes(refreshToken));
  const next = await left(t, mb.userIdentity());
  t.like(next, { _tag: 'AuthError', reason: 'no_session' });
});

test('a client without a session answers AuthError no_session and sends nothing', async (t) => {
  const sandbox = await startMoneyButton(t);
  const mb = client(t, { baseUrl: sandbox.urls.moneybutton, clientId: sandbox.fixtures.moneybutton.app.clientId, scope: [] });
  sandbox.admin.clearRequests();
  t.like(await left(t, mb.payments()), { _tag: 'AuthError', reason: 'no_session' });
  t.is(requestsTo(sandbox).length, 0);
});

test('a refresh token from an earlier sign-in resumes the session in a new client', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { refreshToken } = await signIn(t, sandbox);
  const resumed = client(t, {
    baseUrl: sandbox.urls.moneybutton,
    clientId: sandbox.fixtures.moneybutton.app.clientId,
    scope: [],
    refreshToken,
  });
  const identity = await right(t, resumed.userIdentity());
  t.is(identity.id, sandbox.fixtures.moneybutton.users[0].id);
  t.deepEqual(
    requestsTo(sandbox).map((r) => `${r.method} ${r.path}`),
    ['POST /oauth/v1/token', 'GET /api/v1/auth/user_identity'],
  );
});

test('two clients on one token store share the session', async (t) => {
  const sandbox = await startMoneyButton(t);
  const tokenStore = createMemoryTokenStore();
  const { client: first } = await signIn(t, sandbox, { settings: { tokenStore } });
  const second = client(t, {
    baseUrl: sandbox.urls.moneybutton,
    clientId: sandbox.fixtures.moneybutton.app.clientId,
    scope: [],
    tokenStore,
  });
  await right(t, second.userIdentity());
  t.is(requestsTo(sandbox, '/oauth/v1/token').length, 0);
  const other = client(t, {
    baseUrl: sandbox.urls.moneybutton,
    clientId: sandbox.fixtures.moneybutton.app.clientId,
    scope: [],
    tokenStore,
    sessionKey: 'bob',
  });
  t.like(await left(t, other.userIdentity()), { _tag: 'AuthError', reason: 'no_session' });
  t.truthy(first);
});
