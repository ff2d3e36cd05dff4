import test from 'ava';
import { privateKeyToAccount } from 'viem/accounts';
import { completeAuthorizationHeadless, moneriumSiweMessage, type Sandbox, signInWithEthereumHeadless } from '../src/index.js';
import { call, form, hiddenRequestId, S256_CHALLENGE, VERIFIER } from './_monerium.js';
import { appTokens, authUrl, bearer, REDIRECT, startV2, tokenRequest, userTokens, V2, type V2Tokens, v2 } from './_monerium-v2.js';

let sandbox: Sandbox;
test.before(async () => {
  sandbox = await startV2();
});
test.after.always(() => sandbox.close());

const app = () => sandbox.fixtures.monerium.v2.clients.app;
const alice = () => sandbox.fixtures.monerium.v2.users[0]!;
const aliceKey = () => sandbox.fixtures.monerium.v2.addresses[0]!;

const codeOf = (url: string): string => {
  const code = new URL(url).searchParams.get('code');
  if (code === null) throw new Error(`no code in ${url}`);
  return code;
};

const exchange = (code: string) =>
  tokenRequest(sandbox, { grant_type: 'authorization_code', client_id: app().clientId, code, code_verifier: VERIFIER, redirect_uri: REDIRECT });

test('GET /auth for a v2 app answers 307 to the partner portal, which signs in and redirects back with code and state', async (t) => {
  const start = await call(sandbox, new URL(authUrl(sandbox)).pathname.replace('/monerium', '') + new URL(authUrl(sandbox)).search);
  t.is(start.status, 307);
  const portal = new URL(start.headers.get('location') ?? '');
  t.is(portal.pathname, `/monerium/partners/${app().partnerId}/auth`);
  const page = await fetch(portal);
  t.is(page.status, 200);
  const html = await page.text();
  const login = await fetch(portal, { method: 'POST', ...form({ request: hiddenRequestId(html), email: alice().email, password: alice().password }) });
  t.is(login.status, 200);
  const consent = await fetch(portal, { method: 'POST', ...form({ request: hiddenRequestId(await login.text()), decision: 'approve' }), redirect: 'manual' });
  t.is(consent.status, 302);
  const back = new URL(consent.headers.get('location') ?? '');
  t.is(`${back.origin}${back.pathname}`, REDIRECT);
  t.is(back.searchParams.get('state'), 'st-1');
  t.regex(back.searchParams.get('code') ?? '', /.+/);
});

test('the code exchange answers exactly the four OAuth fields and the token reads /auth/context', async (t) => {
  const callback = await completeAuthorizationHeadless(authUrl(sandbox), { email: alice().email, password: alice().password, redirectUri: REDIRECT });
  const answer = await exchange(codeOf(callback));
  t.is(answer.status, 200);
  const body = answer.body as V2Tokens;
  t.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type']);
  t.is(body.token_type, 'Bearer');
  t.is(body.expires_in, 3600);
  t.is(answer.headers.get('cache-control'), 'no-store');
  const context = await v2(sandbox, '/auth/context', { auth: bearer(body) });
  t.is((context.body as { email: string }).email, alice().email);
  // The code is single-use.
  const again = await exchange(codeOf(callback));
  t.is(again.status, 400);
  t.deepEqual(again.body, { code: 400, status: 'Bad Request', message: 'Authorization code has already been used' });
});

test('v2 /auth takes S256 only: plain, a missing method or a malformed challenge come back as invalid_request', async (t) => {
  for (const extra of [{ code_challenge_method: 'plain', code_challenge: VERIFIER }, { code_challenge_method: '' }, { code_challenge: 'short' }]) {
    const answer = await fetch(authUrl(sandbox, extra), { redirect: 'manual' });
    t.is(answer.status, 302);
    const back = new URL(answer.headers.get('location') ?? '');
    t.is(back.searchParams.get('error'), 'invalid_request', JSON.stringify(extra));
    t.is(back.searchParams.get('state'), 'st-1');
  }
});

test('v2 /auth checks skip_kyc, auth_mode and response_type, and records email, skip_kyc and auth_mode', async (t) => {
  const bad = async (extra: Record<string, string>) =>
    new URL((await fetch(authUrl(sandbox, extra), { redirect: 'manual' })).headers.get('location') ?? '').searchParams.get('error');
  t.is(await bad({ skip_kyc: 'yes' }), 'invalid_request');
  t.is(await bad({ auth_mode: 'register' }), 'invalid_request');
  t.is(await bad({ response_type: 'token' }), 'unsupported_response_type');
  const ok = await fetch(authUrl(sandbox, { email: 'carol@example.com', skip_kyc: 'false', auth_mode: 'login' }), { redirect: 'manual' });
  t.is(ok.status, 307);
  const recorded = sandbox.admin.monerium.v2.authorizationRequests().at(-1);
  t.like(recorded?.params, { email: 'carol@example.com', skip_kyc: 'false', auth_mode: 'login', code_challenge: S256_CHALLENGE });
  // The email prefills the portal's sign-in form.
  const page = await (await fetch(ok.headers.get('location') ?? '')).text();
  t.regex(page, /value="carol@example.com"/);
});

test('an unknown client or an unregistered redirect URI is answered 400 without redirecting', async (t) => {
  t.is((await fetch(authUrl(sandbox, { redirect_uri: 'https://evil.example.com/cb' }), { redirect: 'manual' })).status, 400);
  t.is((await fetch(authUrl(sandbox, { client_id: 'nobody' }), { redirect: 'manual' })).status, 400);
});

test('auth_mode=signup creates an account with a personal profile; skip_kyc=true approves it', async (t) => {
  const email = 'new-customer@example.com';
  const callback = await completeAuthorizationHeadless(authUrl(sandbox, { auth_mode: 'signup', skip_kyc: 'true' }), { email, password: 'correct horse', redirectUri: REDIRECT });
  const tokens = (await exchange(codeOf(callback))).body as V2Tokens;
  const context = (await v2(sandbox, '/auth/context', { auth: bearer(tokens) })).body as { email: string; profiles: Array<{ kind: string; state: string }> };
  t.is(context.email, email);
  t.like(context.profiles[0], { kind: 'personal', state: 'approved' });
  const other = await completeAuthorizationHeadless(authUrl(sandbox, { auth_mode: 'signup' }), { email: 'pending@example.com', password: 'correct horse', redirectUri: REDIRECT });
  const pending = (await v2(sandbox, '/auth/context', { auth: bearer((await exchange(codeOf(other))).body as V2Tokens) })).body as { profiles: Array<{ state: string }> };
  t.is(pending.profiles[0]?.state, 'created');
});

test('denying consent in the portal redirects with access_denied', async (t) => {
  const callback = new URL(await completeAuthorizationHeadless(authUrl(sandbox), { email: alice().email, password: alice().password, redirectUri: REDIRECT, decision: 'deny' }));
  t.is(callback.searchParams.get('error'), 'access_denied');
  t.is(callback.searchParams.get('state'), 'st-1');
});

const siwe = (overrides: Record<string, unknown> = {}) =>
  signInWithEthereumHeadless({
    baseUrl: sandbox.urls.monerium,
    clientId: app().clientId,
    redirectUri: REDIRECT,
    codeChallenge: S256_CHALLENGE,
    privateKey: aliceKey().privateKey,
    chainId: 11155111,
    state: 'siwe-state',
    issuedAt: new Date(sandbox.admin.clock.now()),
    ...overrides,
  });

test('SIWE: a linked wallet signs an EIP-4361 message and gets a code straight back (302), no portal', async (t) => {
  const callback = new URL(await siwe({ state: 'siwe-success' }));
  t.is(callback.searchParams.get('state'), 'siwe-success');
  const tokens = (await exchange(codeOf(callback.toString()))).body as V2Tokens;
  const context = (await v2(sandbox, '/auth/context', { auth: bearer(tokens) })).body as { userId: string; defaultProfile: string };
  t.is(context.userId, alice().userId);
  const mine = sandbox.admin.requests().find((r) => r.path === '/auth' && new URLSearchParams(r.body).get('state') === 'siwe-success');
  const sent = new URLSearchParams(mine?.body ?? '');
  t.is(mine?.method, 'POST');
  t.is(sent.get('authentication_method'), 'siwe');
  t.is(sent.get('response_type'), null);
});

test('SIWE failures: expired, wrong domain, missing resources, wrong chain, bad signature and a reused nonce are refused', async (t) => {
  const now = sandbox.admin.clock.now();
  const errorOf = async (overrides: Record<string, unknown>) => new URL(await siwe(overrides)).searchParams;
  t.is((await errorOf({ expirationTime: new Date(now - 1000), issuedAt: new Date(now - 600_000) })).get('error_description'), 'the message has expired');
  t.regex((await errorOf({ domain: 'evil.example.com' })).get('error_description') ?? '', /domain/);
  t.is((await errorOf({ resources: [] })).get('error'), 'invalid_request');
  t.regex((await errorOf({ chainId: 80002 })).get('error_description') ?? '', /not linked on chain id 80002/);
  // Bob's key signing a message that names Alice's address.
  const bob = sandbox.fixtures.monerium.v2.addresses.find((a) => a.profile !== aliceKey().profile)!;
  const message = moneriumSiweMessage({ address: aliceKey().address, redirectUri: REDIRECT, chainId: 11155111, issuedAt: new Date(now) });
  const forged = await privateKeyToAccount(bob.privateKey).signMessage({ message });
  const answer = await call(sandbox, '/auth', {
    ...form({ client_id: app().clientId, code_challenge: S256_CHALLENGE, code_challenge_method: 'S256', authentication_method: 'siwe', message, signature: forged, redirect_uri: REDIRECT }),
  });
  t.is(new URL(answer.headers.get('location') ?? '').searchParams.get('error_description'), 'invalid signature');
  t.is(new URL(await siwe({ nonce: 'fixednonce123' })).searchParams.get('code') !== null, true);
  t.is((await errorOf({ nonce: 'fixednonce123' })).get('error_description'), 'the nonce was already used');
});

test('client credentials of the Private app give a token (4 fields) acting as the app; a wrong secret is 401', async (t) => {
  const tokens = await appTokens(sandbox);
  t.deepEqual(Object.keys(tokens).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type']);
  const context = (await v2(sandbox, '/auth/context', { auth: bearer(tokens) })).body as { auth: { method: string }; email: string };
  t.is(context.auth.method, 'apikey');
  t.is(context.email, sandbox.fixtures.monerium.v2.clients.private.email);
  const wrong = await tokenRequest(sandbox, { grant_type: 'client_credentials', client_id: sandbox.fixtures.monerium.v2.clients.private.clientId, client_secret: 'nope' });
  t.is(wrong.status, 401);
  t.deepEqual(wrong.body, { code: 401, status: 'Unauthorized', message: 'Client authentication failed' });
  // The app id is not a client-credentials id.
  const appCc = await tokenRequest(sandbox, { grant_type: 'client_credentials', client_id: app().clientId, client_secret: 'x' });
  t.is(appCc.status, 400);
});

test('refresh tokens rotate: the new pair works, the old refresh token fails, and replaying it revokes the session', async (t) => {
  const first = await userTokens(sandbox);
  const refreshed = await tokenRequest(sandbox, { grant_type: 'refresh_token', client_id: app().clientId, refresh_token: first.refresh_token });
  t.is(refreshed.status, 200);
  const second = refreshed.body as V2Tokens;
  t.not(second.refresh_token, first.refresh_token);
  t.is((await v2(sandbox, '/auth/context', { auth: bearer(second) })).status, 200);
  const replay = await tokenRequest(sandbox, { grant_type: 'refresh_token', client_id: app().clientId, refresh_token: first.refresh_token });
  t.is(replay.status, 400);
  t.is((await v2(sandbox, '/auth/context', { auth: bearer(second) })).status, 401);
});

test('a refresh by another client answers the documented message; client-credentials sessions refresh with their secret', async (t) => {
  const tokens = await userTokens(sandbox);
  const other = sandbox.fixtures.monerium.v2.clients.private;
  const wrong = await tokenRequest(sandbox, { grant_type: 'refresh_token', client_id: other.clientId, refresh_token: tokens.refresh_token, client_secret: other.clientSecret });
  t.deepEqual(wrong.body, { code: 400, status: 'Bad Request', message: 'Client id must be the same from previous token.' });
  const cc = await appTokens(sandbox);
  const noSecret = await tokenRequest(sandbox, { grant_type: 'refresh_token', client_id: other.clientId, refresh_token: cc.refresh_token });
  t.is(noSecret.status, 400);
  const withSecret = await tokenRequest(sandbox, { grant_type: 'refresh_token', client_id: other.clientId, refresh_token: cc.refresh_token, client_secret: other.clientSecret });
  t.is(withSecret.status, 200);
});

test('token errors switch to the OAuth shape with setTokenErrorShape; the v2 header on /auth/token is accepted; Basic is refused', async (t) => {
  const own = await startV2({ monerium: { v2: { tokenErrorShape: 'oauth' } } });
  t.teardown(() => own.close());
  const bad = await tokenRequest(own, { grant_type: 'authorization_code', client_id: own.fixtures.monerium.v2.clients.app.clientId, code: 'nope', code_verifier: VERIFIER, redirect_uri: REDIRECT });
  t.deepEqual(bad.body, { error: 'invalid_grant', error_description: 'Unknown authorization code' });
  own.admin.monerium.v2.setTokenErrorShape('monerium');
  const missing = await tokenRequest(own, { grant_type: 'authorization_code', client_id: own.fixtures.monerium.v2.clients.app.clientId }, { accept: V2 });
  t.deepEqual(missing.body, { code: 400, status: 'Bad Request', message: 'code, code_verifier and redirect_uri are required' });
  const client = own.fixtures.monerium.v2.clients.private;
  const viaHeader = await tokenRequest(own, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }, { accept: V2 });
  t.is(viaHeader.status, 200);
  const basic = await tokenRequest(own, { grant_type: 'client_credentials', client_id: client.clientId }, { authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}` });
  t.is(basic.status, 400);
});

test('v2 refuses Basic auth and unknown tokens on the API with the documented 401 body', async (t) => {
  const answer = await v2(sandbox, '/auth/context', { auth: `Basic ${Buffer.from(`${alice().email}:${alice().password}`).toString('base64')}` });
  t.is(answer.status, 401);
  t.deepEqual(answer.body, { code: 401, status: 'Unauthorized', message: 'Not authenticated' });
  t.is((await v2(sandbox, '/auth/context', { auth: 'Bearer nope' })).status, 401);
});

test('expireAccessTokens expires v2 tokens too: 401 with invalid_token, and the refresh token still gets a new pair', async (t) => {
  const own = await startV2();
  t.teardown(() => own.close());
  const tokens = await userTokens(own);
  own.admin.monerium.expireAccessTokens();
  const expired = await v2(own, '/profiles', { auth: bearer(tokens) });
  t.is(expired.status, 401);
  t.is(expired.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
  const refreshed = await tokenRequest(own, { grant_type: 'refresh_token', client_id: own.fixtures.monerium.v2.clients.app.clientId, refresh_token: tokens.refresh_token });
  t.is((await v2(own, '/profiles', { auth: bearer(refreshed.body as V2Tokens) })).status, 200);
  const head = await fetch(`${own.urls.monerium}/profiles`, { method: 'HEAD', headers: { accept: V2, authorization: bearer(refreshed.body as V2Tokens) } });
  t.is(head.status, 200);
});
