import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { codeChallengeS256, createMemoryTokenStore } from '@paygate/core';
import { authorizeHeadless, left, moneriumRequests, pkceClient, REDIRECT_URI, right, signIn, startMonerium } from './_sandbox.js';

const ADDRESS = '0x61d1Df91F98282e5AdC8224943E0336Ec8612d66';
const SIGNATURE = `0x${'ab'.repeat(65)}`;

test('authorizationUrl carries every documented /auth parameter and sends nothing', async (t) => {
  const sandbox = await startMonerium(t);
  const client = pkceClient(sandbox, { scope: 'orders:read orders:write' });
  const pending = client.authorizationUrl({ state: 'session-123', address: ADDRESS, signature: SIGNATURE, chain: 'ethereum', network: 'sepolia' });
  if (E.isLeft(pending)) return t.fail(pending.left.message);
  const url = new URL(pending.right.url);
  t.is(`${url.origin}${url.pathname}`, `${sandbox.urls.monerium}/auth`);
  t.deepEqual(Object.fromEntries(url.searchParams), {
    client_id: sandbox.fixtures.monerium.clients.public.clientId,
    code_challenge: E.getOrElse(() => '(no challenge)')(codeChallengeS256(pending.right.codeVerifier)),
    code_challenge_method: 'S256',
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'orders:read orders:write',
    state: 'session-123',
    address: ADDRESS,
    signature: SIGNATURE,
    chain: 'ethereum',
    network: 'sepolia',
  });
  t.is(pending.right.state, 'session-123');
  t.regex(pending.right.codeVerifier, /^[A-Za-z0-9\-._~]{43,128}$/);
  t.deepEqual(moneriumRequests(sandbox), []);
});

test('each authorization gets its own random state and verifier', async (t) => {
  const sandbox = await startMonerium(t);
  const client = pkceClient(sandbox);
  const [a, b] = [client.authorizationUrl(), client.authorizationUrl()];
  if (E.isLeft(a) || E.isLeft(b)) return t.fail();
  t.not(a.right.state, b.right.state);
  t.not(a.right.codeVerifier, b.right.codeVerifier);
  t.false(new URL(a.right.url).searchParams.has('scope'));
});

test('malformed wallet-link parameters are InvalidInput before any URL is built', async (t) => {
  const sandbox = await startMonerium(t);
  const client = pkceClient(sandbox);
  const cases = [
    [{ address: '0x123' }, 'address'],
    [{ address: ADDRESS, signature: '0xdead' }, 'signature'],
    [{ signature: SIGNATURE }, 'address'],
    [{ address: ADDRESS, chain: 'Ethereum Mainnet' }, 'chain'],
    [{ state: '' }, 'state'],
  ] as const;
  for (const [params, field] of cases) {
    const result = client.authorizationUrl(params);
    t.true(E.isLeft(result) && result.left._tag === 'InvalidInput' && result.left.field === field, field);
  }
});

test('a user signs in through the sandbox pages and the session keeps profile and userId', async (t) => {
  const sandbox = await startMonerium(t);
  const client = pkceClient(sandbox);
  const user = sandbox.fixtures.monerium.users[0];
  if (user === undefined) return t.fail();
  const session = await signIn(t, sandbox, client);
  t.is(session.userId, user.userId);
  t.is(session.profile, user.defaultProfile);
  t.is(session.tokens.tokenType, 'Bearer');
  t.truthy(session.tokens.refreshToken);

  const tokenRequest = moneriumRequests(sandbox).find((r) => r.method === 'POST' && r.path === '/auth/token');
  if (tokenRequest === undefined) return t.fail('no token request');
  const form = Object.fromEntries(new URLSearchParams(tokenRequest.body));
  t.deepEqual(Object.keys(form).sort(), ['client_id', 'code', 'code_verifier', 'grant_type', 'redirect_uri']);
  t.is(form.grant_type, 'authorization_code');
  t.is(form.client_id, sandbox.fixtures.monerium.clients.public.clientId);
  t.is(form.redirect_uri, REDIRECT_URI);
  t.is(tokenRequest.headers.authorization, undefined);
  t.regex(tokenRequest.headers['content-type'] ?? '', /^application\/x-www-form-urlencoded/);

  const context = await right(t, client.authContext());
  t.is(context.userId, user.userId);
  t.is(context.email, user.email);
  const contextRequest = moneriumRequests(sandbox).at(-1);
  t.is(contextRequest?.path, '/auth/context');
  t.is(contextRequest?.headers.authorization, `Bearer ${session.tokens.accessToken}`);
});

test('a callback whose state differs is refused before any token request', async (t) => {
  const sandbox = await startMonerium(t);
  const client = pkceClient(sandbox);
  const user = sandbox.fixtures.monerium.users[0];
  const pending = client.authorizationUrl();
  if (user === undefined || E.isLeft(pending)) return t.fail();
  const callback = new URL(await authorizeHeadless(pending.right.url, user));
  callback.searchParams.set('state', 'forged');
  sandbox.admin.clearRequests();
  const error = await left(t, client.finishAuthorization(callback, pending.right));
  t.like(error, { _tag: 'AuthError', reason: 'state_mismatch' });
  t.deepEqual(moneriumRequests(sandbox), []);
});

test('a user who denies consent comes back as AuthError access_denied', async (t) => {
  const sandbox = await startMonerium(t);
  const client = pkceClient(sandbox);
  const user = sandbox.fixtures.monerium.users[0];
  const pending = client.authorizationUrl();
  if (user === undefined || E.isLeft(pending)) return t.fail();
  const callback = await authorizeHeadless(pending.right.url, user, 'deny');
  const error = await left(t, client.finishAuthorization(callback, pending.right));
  t.like(error, { _tag: 'AuthError', reason: 'access_denied', oauthError: 'access_denied' });
});

test('a session stored by one client is used by another process sharing the store', async (t) => {
  const sandbox = await startMonerium(t);
  const tokenStore = createMemoryTokenStore();
  const first = pkceClient(sandbox, { tokenStore });
  const session = await signIn(t, sandbox, first);
  const second = pkceClient(sandbox, { tokenStore, ...(session.userId === undefined ? {} : { userId: session.userId }) });
  sandbox.admin.clearRequests();
  const context = await right(t, second.authContext());
  t.is<string | undefined, string | undefined>(context.userId, session.userId);
  t.deepEqual(
    moneriumRequests(sandbox).map((r) => `${r.method} ${r.path}`),
    ['GET /auth/context'],
  );
});

test('API calls before any sign-in are AuthError no_session and send nothing', async (t) => {
  const sandbox = await startMonerium(t);
  const client = pkceClient(sandbox);
  const error = await left(t, client.profiles());
  t.like(error, { _tag: 'AuthError', reason: 'no_session' });
  t.deepEqual(moneriumRequests(sandbox), []);
});
