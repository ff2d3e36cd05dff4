import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { createMemoryTokenStore } from '@paygate/core';
import { environmentOf, left, moneriumRequests, pkceClient, right, signIn, startMonerium, newClient } from './_sandbox.js';

const refreshRequests = (requests: ReturnType<typeof moneriumRequests>) =>
  requests.filter((r) => r.path === '/auth/token' && new URLSearchParams(r.body).get('grant_type') === 'refresh_token');

test('200 concurrent calls after the server expired the access token make exactly one refresh', async (t) => {
  const sandbox = await startMonerium(t);
  const client = pkceClient(sandbox);
  const session = await signIn(t, sandbox, client);
  sandbox.admin.monerium.expireAccessTokens();
  sandbox.admin.clearRequests();

  const results = await Promise.all(Array.from({ length: 200 }, () => client.orders({ limit: 1 })()));
  t.is(results.filter(E.isRight).length, 200);
  const refreshes = refreshRequests(moneriumRequests(sandbox));
  t.is(refreshes.length, 1);
  t.deepEqual(Object.fromEntries(new URLSearchParams(refreshes[0]?.body ?? '')), {
    grant_type: 'refresh_token',
    refresh_token: session.tokens.refreshToken,
    client_id: sandbox.fixtures.monerium.clients.public.clientId,
  });
  const renewed = await right(t, client.session());
  t.not(renewed.tokens.refreshToken, session.tokens.refreshToken);
  t.is(renewed.userId, session.userId);
  t.is(renewed.profile, session.profile);
});

test('after a 401 invalid_token the retry and every later call carry the renewed token, never the refused one', async (t) => {
  const sandbox = await startMonerium(t);
  const client = pkceClient(sandbox);
  const session = await signIn(t, sandbox, client);
  await right(t, client.orders({ limit: 1 }));
  sandbox.admin.monerium.expireAccessTokens();
  sandbox.admin.clearRequests();
  await right(t, client.orders({ limit: 1 }));
  await right(t, client.balances());
  const renewed = await right(t, client.session());
  t.not(renewed.tokens.accessToken, session.tokens.accessToken);
  const calls = moneriumRequests(sandbox).filter((r) => r.path !== '/auth/token');
  t.deepEqual(
    calls.map((r) => r.headers.authorization),
    [`Bearer ${session.tokens.accessToken}`, ...calls.slice(1).map(() => `Bearer ${renewed.tokens.accessToken}`)],
  );
  t.true(calls.length >= 3, 'the refused call, its retry and the next call');
});

test('200 concurrent calls on a locally expired session make exactly one refresh', async (t) => {
  const sandbox = await startMonerium(t);
  const session = await signIn(t, sandbox, pkceClient(sandbox));
  const client = newClient({
    environment: environmentOf(sandbox),
    auth: {
      kind: 'tokens',
      tokens: { ...session.tokens, expiresAt: Date.now() - 1_000 },
      clientId: sandbox.fixtures.monerium.clients.public.clientId,
    },
  });
  sandbox.admin.clearRequests();
  const results = await Promise.all(Array.from({ length: 200 }, () => client.balances()()));
  t.is(results.filter(E.isRight).length, 200);
  t.is(refreshRequests(moneriumRequests(sandbox)).length, 1);
  // No call went out with the expired token.
  t.false(moneriumRequests(sandbox).some((r) => r.headers.authorization === `Bearer ${session.tokens.accessToken}`));
});

test('refresh rotates the refresh token and the old one is refused afterwards', async (t) => {
  const sandbox = await startMonerium(t);
  const client = pkceClient(sandbox);
  const session = await signIn(t, sandbox, client);
  const refreshed = await right(t, client.refresh());
  t.not(refreshed.tokens.refreshToken, session.tokens.refreshToken);
  t.not(refreshed.tokens.accessToken, session.tokens.accessToken);

  const reuse = await fetch(`${sandbox.urls.monerium}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: session.tokens.refreshToken ?? '',
      client_id: sandbox.fixtures.monerium.clients.public.clientId,
    }),
  });
  t.is(reuse.status, 400);
  t.like(await reuse.json(), { error: 'invalid_grant' });
});

test('a revoked session ends in AuthError refresh_failed and is removed from the store', async (t) => {
  const sandbox = await startMonerium(t);
  const tokenStore = createMemoryTokenStore();
  const client = pkceClient(sandbox, { tokenStore });
  const session = await signIn(t, sandbox, client);
  sandbox.admin.monerium.revokeAll();
  const error = await left(t, client.orders());
  t.like(error, { _tag: 'AuthError', reason: 'refresh_failed' });
  const key = `monerium:${sandbox.fixtures.monerium.clients.public.clientId}:${session.userId}`;
  t.deepEqual(await tokenStore.get(key)(), E.right(undefined));
  t.false(JSON.stringify(error).includes(session.tokens.refreshToken ?? '-'));
});

test('a tokens session without a client id cannot be refreshed and says so', async (t) => {
  const sandbox = await startMonerium(t);
  const session = await signIn(t, sandbox, pkceClient(sandbox));
  const client = newClient({
    environment: environmentOf(sandbox),
    auth: { kind: 'tokens', tokens: { ...session.tokens, expiresAt: Date.now() - 1_000 } },
  });
  sandbox.admin.clearRequests();
  t.like(await left(t, client.tokens()), { _tag: 'AuthError', reason: 'session_expired' });
  t.deepEqual(moneriumRequests(sandbox), []);
});
