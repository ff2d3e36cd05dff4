import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { finishAuthorization, startAuthorization } from '../src/auth/index.js';
import { USER_AGENT } from '../src/version.js';
import { beginAuthorization, startOidcProvider } from './_oidc-provider.js';

test('public client completes the authorization code flow with PKCE against oidc-provider', async (t) => {
  const op = await startOidcProvider({ accessTokenTtlSeconds: 120 });
  t.teardown(op.close);
  const client = op.clients.publicPkce;
  const pending = beginAuthorization(op);
  const callbackUrl = await op.authorize(pending.url);

  const before = Date.now();
  const result = await finishAuthorization(op.server, client, callbackUrl, pending)();
  if (E.isLeft(result)) return t.fail(result.left.message);
  const tokens = result.right;
  t.is(tokens.tokenType, 'Bearer');
  t.is(typeof tokens.accessToken, 'string');
  t.is(typeof tokens.refreshToken, 'string');
  t.is(tokens.scope, 'orders:read');
  t.true(tokens.expiresAt !== undefined && tokens.expiresAt >= before + 120_000 && tokens.expiresAt <= Date.now() + 120_000);

  const [request, ...others] = op.tokenRequestLog();
  t.is(others.length, 0);
  t.is(request?.headers.authorization, undefined);
  t.is(request?.headers['user-agent'], USER_AGENT);
  t.deepEqual(Object.fromEntries(request?.body ?? []), {
    client_id: 'public-pkce',
    code: new URL(callbackUrl).searchParams.get('code'),
    code_verifier: pending.codeVerifier,
    grant_type: 'authorization_code',
    redirect_uri: op.redirectUri,
  });
});

test('confidential client authenticates the code exchange with HTTP Basic', async (t) => {
  const op = await startOidcProvider();
  t.teardown(op.close);
  const client = op.clients.confidentialBasic;
  const pending = beginAuthorization(op, client);
  const result = await finishAuthorization(op.server, client, await op.authorize(pending.url), pending)();
  t.true(E.isRight(result));
  const request = op.tokenRequestLog()[0];
  t.regex(request?.headers.authorization ?? '', /^Basic /);
  t.false(request?.body.has('client_secret'));
});

test('extra token response fields such as Monerium profile and userId land in extra', async (t) => {
  const op = await startOidcProvider({
    extraTokenResponseFields: {
      profile: 'asd1234f-f05e-11eb-8143-62d421e33aed',
      userId: 'qwer6789-f05e-11eb-8143-62d421e33aed',
    },
  });
  t.teardown(op.close);
  const tokens = await op.login();
  t.deepEqual(tokens.extra, {
    profile: 'asd1234f-f05e-11eb-8143-62d421e33aed',
    userId: 'qwer6789-f05e-11eb-8143-62d421e33aed',
  });
});

test('a callback given as a path and query is read against the redirect URI', async (t) => {
  const op = await startOidcProvider();
  t.teardown(op.close);
  const pending = beginAuthorization(op);
  const callback = new URL(await op.authorize(pending.url));
  const result = await finishAuthorization(op.server, op.clients.publicPkce, callback.pathname + callback.search, pending)();
  t.true(E.isRight(result));
});

test('state mismatch is refused before any token request', async (t) => {
  const op = await startOidcProvider();
  t.teardown(op.close);
  const pending = beginAuthorization(op);
  const callback = new URL(await op.authorize(pending.url));
  callback.searchParams.set('state', 'attacker-chosen-state');
  const result = await finishAuthorization(op.server, op.clients.publicPkce, callback, pending)();
  if (E.isRight(result)) return t.fail('a foreign state was accepted');
  t.like(result.left, { _tag: 'AuthError', reason: 'state_mismatch' });
  t.is(op.tokenRequests(), 0);
});

test('a callback without state is refused as a state mismatch', async (t) => {
  const op = await startOidcProvider();
  t.teardown(op.close);
  const pending = beginAuthorization(op);
  const callback = new URL(await op.authorize(pending.url));
  callback.searchParams.delete('state');
  const result = await finishAuthorization(op.server, op.clients.publicPkce, callback, pending)();
  t.like(E.isLeft(result) ? result.left : undefined, { _tag: 'AuthError', reason: 'state_mismatch' });
  t.is(op.tokenRequests(), 0);
});

test('a user who denies access yields access_denied without a token request', async (t) => {
  const op = await startOidcProvider();
  t.teardown(op.close);
  const pending = beginAuthorization(op);
  const callbackUrl = await op.authorize(pending.url, { deny: true });
  t.is(new URL(callbackUrl).searchParams.get('error'), 'access_denied');
  const result = await finishAuthorization(op.server, op.clients.publicPkce, callbackUrl, pending)();
  if (E.isRight(result)) return t.fail('a denied authorization produced tokens');
  t.like(result.left, { _tag: 'AuthError', reason: 'access_denied', oauthError: 'access_denied' });
  t.regex(result.left.message, /End-User aborted interaction/);
  t.is(op.tokenRequests(), 0);
});

test('other authorization errors keep their OAuth code as authorization_error', async (t) => {
  const op = await startOidcProvider();
  t.teardown(op.close);
  const pending = beginAuthorization(op);
  const callback = `${op.redirectUri}?error=invalid_scope&error_description=unknown+scope&state=${pending.state}`;
  const result = await finishAuthorization(op.server, op.clients.publicPkce, callback, pending)();
  t.like(E.isLeft(result) ? result.left : undefined, {
    _tag: 'AuthError',
    reason: 'authorization_error',
    oauthError: 'invalid_scope',
  });
  t.is(op.tokenRequests(), 0);
});

test('reused authorization code is rejected with invalid_grant', async (t) => {
  const op = await startOidcProvider();
  t.teardown(op.close);
  const client = op.clients.publicPkce;
  const pending = beginAuthorization(op);
  const callbackUrl = await op.authorize(pending.url);
  const first = await finishAuthorization(op.server, client, callbackUrl, pending)();
  t.true(E.isRight(first));
  const second = await finishAuthorization(op.server, client, callbackUrl, pending)();
  if (E.isRight(second)) return t.fail('a used code was redeemed twice');
  t.like(second.left, { _tag: 'AuthError', reason: 'invalid_grant', oauthError: 'invalid_grant', status: 400 });
  t.is(op.tokenRequests(), 2);
});

test('extraParams cannot replace the parameters the flow sets itself', (t) => {
  const server = { issuer: 'https://a.example', authorizationEndpoint: 'https://a.example/auth', tokenEndpoint: 'https://a.example/token' };
  const result = startAuthorization(server, { clientId: 'c', clientAuth: 'none' }, {
    redirectUri: 'https://app.example/cb',
    extraParams: { code_challenge_method: 'plain' },
  });
  t.like(E.isLeft(result) ? result.left : undefined, { _tag: 'InvalidInput', field: 'extraParams' });
});

test('a redirect URI with a fragment is refused (RFC 6749 §3.1.2)', (t) => {
  const server = { issuer: 'https://a.example', authorizationEndpoint: 'https://a.example/auth', tokenEndpoint: 'https://a.example/token' };
  const result = startAuthorization(server, { clientId: 'c', clientAuth: 'none' }, { redirectUri: 'https://app.example/cb#x' });
  t.like(E.isLeft(result) ? result.left : undefined, { _tag: 'InvalidInput', field: 'redirectUri' });
});

test('a pending authorization with a malformed verifier is refused before any request', async (t) => {
  const op = await startOidcProvider();
  t.teardown(op.close);
  const pending = beginAuthorization(op);
  const callbackUrl = await op.authorize(pending.url);
  const result = await finishAuthorization(op.server, op.clients.publicPkce, callbackUrl, { ...pending, codeVerifier: 'short' })();
  t.like(E.isLeft(result) ? result.left : undefined, { _tag: 'InvalidInput', field: 'pending.codeVerifier' });
  t.is(op.tokenRequests(), 0);
});

test('a callback URL of the wrong type is InvalidInput, not a relative callback such as base/null', async (t) => {
  const server = { issuer: 'https://a.example', authorizationEndpoint: 'https://a.example/auth', tokenEndpoint: 'https://a.example/token' };
  const client = { clientId: 'c', clientAuth: 'none' } as const;
  const pending = startAuthorization(server, client, { redirectUri: 'https://app.example/cb' });
  if (E.isLeft(pending)) return t.fail(pending.left.message);
  for (const wrong of [null, 42, Number.NaN, {}, `?code=c&state=${'x'.repeat(20_000)}`]) {
    const result = await finishAuthorization(server, client, wrong as never, pending.right)();
    t.like(E.isLeft(result) ? result.left : undefined, { _tag: 'InvalidInput', field: 'callbackUrl' }, String(wrong).slice(0, 20));
  }
});
