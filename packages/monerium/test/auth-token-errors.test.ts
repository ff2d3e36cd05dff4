import test from 'ava';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { createMemoryTokenStore, type TokenStore } from '@paygate/core';
import { authorizeHeadless, environmentOf, left, moneriumRequests, partnerClient, pkceClient, right, signIn, startMonerium, newClient } from './_sandbox.js';

// The sandbox answers /auth/token errors in Monerium's one error shape, the OAuth code in `details.error`.
const MONERIUM_SHAPE = { monerium: { tokenErrorShape: 'monerium' } } as const;

const tokenRequests = (sandbox: Parameters<typeof moneriumRequests>[0], grantType: string) =>
  moneriumRequests(sandbox).filter((r) => r.path === '/auth/token' && new URLSearchParams(r.body).get('grant_type') === grantType);

test('a reused authorization code answered in Monerium’s shape is AuthError invalid_grant with Monerium’s message', async (t) => {
  const sandbox = await startMonerium(t, MONERIUM_SHAPE);
  const client = pkceClient(sandbox);
  const pending = client.authorizationUrl();
  if (pending._tag === 'Left') return t.fail(pending.left.message);
  const user = sandbox.fixtures.monerium.users[0];
  if (user === undefined) return t.fail('no sandbox user');
  const callback = await authorizeHeadless(pending.right.url, user);
  await right(t, client.finishAuthorization(callback, pending.right));

  const error = await left(t, client.finishAuthorization(callback, pending.right));
  t.like(error, { _tag: 'AuthError', reason: 'invalid_grant', oauthError: 'invalid_grant', status: 400 });
  t.regex(error.message, /Authorization code has already been used/);
  t.is(tokenRequests(sandbox, 'authorization_code').length, 2);
});

test('a revoked refresh token answered in Monerium’s shape clears the session and is not sent again', async (t) => {
  const sandbox = await startMonerium(t, MONERIUM_SHAPE);
  const signedIn = await signIn(t, sandbox, pkceClient(sandbox));
  // Another app instance refreshed first: Monerium rotated the refresh token this one holds.
  const clientId = sandbox.fixtures.monerium.clients.public.clientId;
  const stale = { ...signedIn.tokens, expiresAt: Date.now() - 1_000 };
  await right(t, newClient({ environment: environmentOf(sandbox), auth: { kind: 'tokens', tokens: stale, clientId } }).refresh());
  const tokenStore = createMemoryTokenStore();
  const client = newClient({ environment: environmentOf(sandbox), auth: { kind: 'tokens', tokens: stale, clientId }, tokenStore });
  sandbox.admin.clearRequests();

  const first = await left(t, client.balances());
  t.like(first, { _tag: 'AuthError', reason: 'refresh_failed', oauthError: 'invalid_grant', status: 400 });
  t.like(await left(t, client.session()), { _tag: 'AuthError', reason: 'no_session' });
  t.like(await left(t, client.balances()), { _tag: 'AuthError', reason: 'no_session' });

  const refreshes = tokenRequests(sandbox, 'refresh_token');
  t.is(refreshes.length, 1, 'the dead refresh token was sent once');
  t.is(new URLSearchParams(refreshes[0]?.body).get('refresh_token'), stale.refreshToken ?? '');
  t.false(moneriumRequests(sandbox).some((r) => r.path === '/balances'), 'no API call went out with the dead session');
});

test('a wrong client secret answered in Monerium’s shape is AuthError invalid_client with Monerium’s message', async (t) => {
  const sandbox = await startMonerium(t, MONERIUM_SHAPE);
  const { clientId } = sandbox.fixtures.monerium.clients.confidential;
  const secret = 'wrong-secret-value-5678';
  const client = newClient({ environment: environmentOf(sandbox), auth: { kind: 'client_credentials', clientId, clientSecret: secret } });
  const error = await left(t, client.authContext());
  t.like(error, { _tag: 'AuthError', reason: 'invalid_client', oauthError: 'invalid_client', status: 401 });
  t.regex(error.message, /Client authentication failed/);
  t.false(JSON.stringify(error).includes(secret));
});

test('a partner whose refresh token is refused in Monerium’s shape falls back to a new client-credentials grant', async (t) => {
  const sandbox = await startMonerium(t, MONERIUM_SHAPE);
  const tokenStore = createMemoryTokenStore();
  const { clientId } = sandbox.fixtures.monerium.clients.confidential;
  // A stored partner session whose refresh token the server no longer knows.
  await right(
    t,
    tokenStore.set(`monerium:${clientId}:client`, {
      accessToken: 'expired-access-token',
      tokenType: 'Bearer',
      refreshToken: 'revoked-refresh-token',
      expiresAt: Date.now() - 1_000,
      extra: {},
    }),
  );
  const client = partnerClient(sandbox, { tokenStore });

  await right(t, client.authContext());
  const grants = moneriumRequests(sandbox)
    .filter((r) => r.path === '/auth/token')
    .map((r) => new URLSearchParams(r.body).get('grant_type'));
  t.deepEqual(grants, ['refresh_token', 'client_credentials']);
  const stored = await right(t, tokenStore.get(`monerium:${clientId}:client`));
  t.not(stored?.refreshToken, 'revoked-refresh-token');
});

test('with http.timeoutMs 40 000 the refresh lock outlives the token request', async (t) => {
  const sandbox = await startMonerium(t);
  const signedIn = await signIn(t, sandbox, pkceClient(sandbox));
  const base = createMemoryTokenStore();
  const ttls: number[] = [];
  const tokenStore: TokenStore = {
    ...base,
    lock: (_key, ttlMs) => {
      ttls.push(ttlMs);
      return TE.right({ release: () => TE.right(undefined) });
    },
  };
  const client = newClient({
    environment: environmentOf(sandbox),
    auth: { kind: 'tokens', tokens: { ...signedIn.tokens, expiresAt: Date.now() - 1_000 }, clientId: sandbox.fixtures.monerium.clients.public.clientId },
    tokenStore,
    http: { timeoutMs: 40_000 },
  });
  await right(t, client.balances());
  t.is(tokenRequests(sandbox, 'refresh_token').length, 1);
  // The seed's lock (10 s) comes first; the refresh lock is the last one taken.
  const refreshLock = ttls.at(-1) ?? 0;
  t.true(refreshLock > 40_000, `the refresh lock lives ${refreshLock} ms`);
});
