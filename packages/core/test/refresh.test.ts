import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { refreshTokenGrant } from '../src/auth/index.js';
import { json, startServer } from './_http-server.js';
import { startOidcProvider } from './_oidc-provider.js';

test('refresh rotates the refresh token and the old one is refused afterwards', async (t) => {
  const op = await startOidcProvider();
  t.teardown(op.close);
  const client = op.clients.publicPkce;
  const first = await op.login();
  const oldRefreshToken = first.refreshToken ?? '';

  const refreshed = await refreshTokenGrant(op.server, client, oldRefreshToken, {})();
  if (E.isLeft(refreshed)) return t.fail(refreshed.left.message);
  t.not(refreshed.right.accessToken, first.accessToken);
  t.is(typeof refreshed.right.refreshToken, 'string');
  t.not(refreshed.right.refreshToken, oldRefreshToken);
  t.deepEqual(Object.fromEntries(op.tokenRequestLog()[1]?.body ?? []), {
    client_id: 'public-pkce',
    grant_type: 'refresh_token',
    refresh_token: oldRefreshToken,
  });

  const reused = await refreshTokenGrant(op.server, client, oldRefreshToken, {})();
  if (E.isRight(reused)) return t.fail('a rotated refresh token was accepted again');
  t.like(reused.left, { _tag: 'AuthError', reason: 'invalid_grant', oauthError: 'invalid_grant', status: 400 });
});

test('the rotated refresh token works for the next refresh', async (t) => {
  const op = await startOidcProvider();
  t.teardown(op.close);
  const client = op.clients.publicPkce;
  const first = await op.login();
  const second = await refreshTokenGrant(op.server, client, first.refreshToken ?? '', {})();
  if (E.isLeft(second)) return t.fail(second.left.message);
  const third = await refreshTokenGrant(op.server, client, second.right.refreshToken ?? '', {})();
  t.true(E.isRight(third));
  t.is(op.tokenRequests(), 3);
});

test('a server that does not rotate leaves the old refresh token in the result', async (t) => {
  const endpoint = await startServer((_req, res) =>
    // Money Button's documented refresh response: no refresh_token.
    json(res, 200, { access_token: 'new-access', token_type: 'Bearer', expires_in: 3600, scope: 'auth.user_identity:read' }),
  );
  t.teardown(endpoint.close);
  const server = { issuer: endpoint.url, authorizationEndpoint: `${endpoint.url}/oauth/v1/authorize`, tokenEndpoint: `${endpoint.url}/oauth/v1/token` };
  const client = { clientId: '4df4b25fd2d966a41fb0f6f159096203', clientAuth: 'none' } as const;
  const result = await refreshTokenGrant(server, client, 'kept-refresh-token', {})();
  if (E.isLeft(result)) return t.fail(result.left.message);
  t.is(result.right.refreshToken, 'kept-refresh-token');
  t.is(result.right.accessToken, 'new-access');
});

test('refresh keeps oidc-provider sessions alive without rotation when configured so', async (t) => {
  const op = await startOidcProvider({ rotateRefreshTokens: false });
  t.teardown(op.close);
  const client = op.clients.publicPkce;
  const first = await op.login();
  const refreshToken = first.refreshToken ?? '';
  const again = await refreshTokenGrant(op.server, client, refreshToken, {})();
  if (E.isLeft(again)) return t.fail(again.left.message);
  t.is(again.right.refreshToken, refreshToken);
  t.true(E.isRight(await refreshTokenGrant(op.server, client, refreshToken, {})()));
});

test('a requested scope is sent with the refresh request', async (t) => {
  const op = await startOidcProvider();
  t.teardown(op.close);
  const tokens = await op.login(op.clients.confidentialPost);
  const result = await refreshTokenGrant(op.server, op.clients.confidentialPost, tokens.refreshToken ?? '', {
    scope: 'orders:read',
  })();
  if (E.isLeft(result)) return t.fail(result.left.message);
  t.is(result.right.scope, 'orders:read');
  t.like(Object.fromEntries(op.tokenRequestLog()[1]?.body ?? []), {
    client_id: 'confidential-post',
    client_secret: op.clients.confidentialPost.clientSecret,
    grant_type: 'refresh_token',
    scope: 'orders:read',
  });
});

test('an already expired session refreshes to a fresh access token', async (t) => {
  const op = await startOidcProvider({ accessTokenTtlSeconds: 1 });
  t.teardown(op.close);
  const expired = await op.expiredSession();
  t.true((expired.expiresAt ?? Number.POSITIVE_INFINITY) < Date.now());
  const result = await refreshTokenGrant(op.server, op.clients.publicPkce, expired.refreshToken ?? '', {}, { now: () => 5_000 })();
  if (E.isLeft(result)) return t.fail(result.left.message);
  t.is(result.right.expiresAt, 5_000 + 1_000);
});

test('an empty refresh token is refused before any request', async (t) => {
  const op = await startOidcProvider();
  t.teardown(op.close);
  const result = await refreshTokenGrant(op.server, op.clients.publicPkce, '', {})();
  t.like(E.isLeft(result) ? result.left : undefined, { _tag: 'InvalidInput', field: 'refreshToken' });
  t.is(op.tokenRequests(), 0);
});
