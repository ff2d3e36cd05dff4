import test from 'ava';
import { createMoneyButtonEmulator } from '../src/moneybutton/index.js';
import {
  approveMoneyButtonConsent,
  form,
  type MoneyButtonConsent,
  type MoneyButtonTokenBody,
  moneyButtonTokens,
  startProvider,
} from './_provider-harness.js';

type Emulator = Awaited<ReturnType<typeof start>>;

const start = (accessTokenTtlSeconds?: number, tokenErrorShape?: 'oauth' | 'jsonapi') =>
  startProvider('/moneybutton', (ctx) =>
    createMoneyButtonEmulator(ctx, {
      ...(accessTokenTtlSeconds === undefined ? {} : { accessTokenTtlSeconds }),
      ...(tokenErrorShape === undefined ? {} : { tokenErrorShape }),
    }),
  );

// RFC 7636 Appendix B.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

function consentFor(mb: Emulator, extra: Partial<MoneyButtonConsent> = {}): MoneyButtonConsent {
  const [alice] = mb.fixtures.users;
  return {
    clientId: mb.fixtures.app.clientId,
    redirectUri: 'http://127.0.0.1:50123/callback',
    scope: 'auth.user_identity:read',
    email: alice.email,
    password: alice.password,
    ...extra,
  };
}

async function codeFor(mb: Emulator, extra: Partial<MoneyButtonConsent> = {}): Promise<string> {
  return (await approveMoneyButtonConsent(mb.url, consentFor(mb, extra))).searchParams.get('code') ?? '';
}

function tokenRequest(mb: Emulator, fields: Readonly<Record<string, string>>, headers: Record<string, string> = {}) {
  const init = form(fields);
  return fetch(`${mb.url}/oauth/v1/token`, { ...init, headers: { ...(init.headers as Record<string, string>), ...headers } });
}

function exchange(mb: Emulator, code: string, extra: Readonly<Record<string, string>> = {}) {
  return tokenRequest(mb, {
    grant_type: 'authorization_code',
    client_id: mb.fixtures.app.clientId,
    code,
    redirect_uri: 'http://127.0.0.1:50123/callback',
    ...extra,
  });
}

/** RFC 6749 §2.3.1: form-urlencode id and secret, then base64 `id:secret`. */
function basic(id: string, secret: string): string {
  const encode = (value: string): string => new URLSearchParams({ v: value }).toString().slice(2);
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

async function oauthError(response: Response): Promise<string> {
  const body = (await response.json()) as { error?: unknown; error_description?: unknown };
  return `${response.status} ${String(body.error)}`;
}

test('the authorization code exchange answers the documented token response', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const response = await exchange(mb, await codeFor(mb));
  const body = (await response.json()) as MoneyButtonTokenBody;
  t.is(response.status, 200);
  t.is(response.headers.get('cache-control'), 'no-store');
  t.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
  t.is(body.token_type, 'Bearer');
  t.is(body.expires_in, 3600);
  t.is(body.scope, 'auth.user_identity:read');
  t.regex(body.access_token, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  t.not(body.refresh_token, body.access_token);
});

test('accessTokenTtlSeconds sets expires_in', async (t) => {
  const mb = await start(120);
  t.teardown(() => mb.close());
  const body = (await (await exchange(mb, await codeFor(mb))).json()) as MoneyButtonTokenBody;
  t.is(body.expires_in, 120);
});

test('a reused authorization code is rejected with invalid_grant and revokes the tokens it gave', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const code = await codeFor(mb);
  const first = (await (await exchange(mb, code)).json()) as MoneyButtonTokenBody;
  t.is(await oauthError(await exchange(mb, code)), '400 invalid_grant');
  const identity = await fetch(`${mb.url}/api/v1/auth/user_identity`, {
    headers: { authorization: `Bearer ${first.access_token}` },
  });
  t.is(identity.status, 401);
  const refresh = await tokenRequest(mb, {
    grant_type: 'refresh_token',
    refresh_token: first.refresh_token ?? '',
    client_id: mb.fixtures.app.clientId,
  });
  t.is(await oauthError(refresh), '400 invalid_grant');
});

test("tokenErrorShape 'jsonapi' answers token errors as a JSON:API document with the code spelled out", async (t) => {
  const mb = await start(undefined, 'jsonapi');
  t.teardown(() => mb.close());
  const code = await codeFor(mb);
  t.is((await exchange(mb, code)).status, 200);
  const reused = await exchange(mb, code);
  t.is(reused.status, 400);
  t.is(reused.headers.get('cache-control'), 'no-store');
  const body = (await reused.json()) as { errors: Array<Record<string, unknown>>; jsonapi: unknown };
  t.deepEqual(body.jsonapi, { version: '1.0' });
  t.like(body.errors[0], { status: '400', title: 'Bad Request', detail: 'Invalid grant: the authorization code was already used' });
  t.regex(String(body.errors[0]?.id), /^[0-9a-f-]{36}$/);
  const badSecret = await tokenRequest(mb, { grant_type: 'client_credentials', scope: 'application_access:write' }, {
    authorization: basic(mb.fixtures.app.clientId, 'not-the-secret'),
  });
  t.is(badSecret.status, 401);
  t.like(((await badSecret.json()) as { errors: unknown[] }).errors[0], { status: '401', title: 'Unauthorized', detail: 'Invalid client: client authentication failed' });
});

test('an authorization code expires after ten minutes', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const code = await codeFor(mb);
  mb.clock.advance(10 * 60_000 + 1);
  t.is(await oauthError(await exchange(mb, code)), '400 invalid_grant');
});

test('the code exchange needs the redirect_uri of the authorization request, port included', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const code = await codeFor(mb);
  t.is(await oauthError(await exchange(mb, code, { redirect_uri: 'http://127.0.0.1:50124/callback' })), '400 invalid_grant');
});

test('a code issued to one client cannot be exchanged by another', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const code = await codeFor(mb);
  const response = await exchange(mb, code, { client_id: mb.fixtures.otherApp.clientId });
  t.is(await oauthError(response), '400 invalid_grant');
});

test('PKCE: the RFC 7636 verifier of the challenge gets tokens', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const code = await codeFor(mb, { codeChallenge: CHALLENGE });
  const response = await exchange(mb, code, { code_verifier: VERIFIER });
  t.is(response.status, 200);
});

test('PKCE: a wrong or missing verifier is rejected with invalid_grant', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const wrong = await codeFor(mb, { codeChallenge: CHALLENGE });
  t.is(await oauthError(await exchange(mb, wrong, { code_verifier: `${VERIFIER.slice(0, -1)}j` })), '400 invalid_grant');
  const missing = await codeFor(mb, { codeChallenge: CHALLENGE });
  t.is(await oauthError(await exchange(mb, missing)), '400 invalid_grant');
});

test('PKCE: a verifier without a challenge in the authorization request is rejected', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const code = await codeFor(mb);
  t.is(await oauthError(await exchange(mb, code, { code_verifier: VERIFIER })), '400 invalid_grant');
});

test('refresh answers the documented body without refresh_token and the old refresh token stays valid', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const tokens = await moneyButtonTokens(mb.url, consentFor(mb));
  const refresh = () =>
    tokenRequest(mb, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
      client_id: mb.fixtures.app.clientId,
    });
  const first = await refresh();
  const body = (await first.json()) as Record<string, unknown>;
  t.is(first.status, 200);
  t.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
  t.is(body.scope, 'auth.user_identity:read');
  t.not(body.access_token, tokens.access_token);
  t.is((await refresh()).status, 200);
});

test('a refreshed access token works after the first one expired', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const tokens = await moneyButtonTokens(mb.url, consentFor(mb));
  mb.clock.advance(3600_000);
  const identity = (token: string) =>
    fetch(`${mb.url}/api/v1/auth/user_identity`, { headers: { authorization: `Bearer ${token}` } });
  t.is((await identity(tokens.access_token)).status, 401);
  const refreshed = (await (
    await tokenRequest(mb, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
      client_id: mb.fixtures.app.clientId,
    })
  ).json()) as MoneyButtonTokenBody;
  t.is((await identity(refreshed.access_token)).status, 200);
});

test('refresh can narrow the scope but not widen it', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const tokens = await moneyButtonTokens(mb.url, consentFor(mb, { scope: 'auth.user_identity:read payments:read' }));
  const refresh = (scope: string) =>
    tokenRequest(mb, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
      client_id: mb.fixtures.app.clientId,
      scope,
    });
  const narrowed = (await (await refresh('payments:read')).json()) as MoneyButtonTokenBody;
  t.is(narrowed.scope, 'payments:read');
  t.is(await oauthError(await refresh('payments:read users.balance:read')), '400 invalid_scope');
});

test('a refresh token of another client or after revokeAll is rejected with invalid_grant', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const tokens = await moneyButtonTokens(mb.url, consentFor(mb));
  const refresh = (clientId: string) =>
    tokenRequest(mb, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '', client_id: clientId });
  t.is(await oauthError(await refresh(mb.fixtures.otherApp.clientId)), '400 invalid_grant');
  mb.admin.revokeAll();
  t.is(await oauthError(await refresh(mb.fixtures.app.clientId)), '400 invalid_grant');
});

test('client_credentials with RFC 6749 §2.3.1 Basic auth decodes a secret holding colon, percent and space', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const { clientId, clientSecret } = mb.fixtures.otherApp;
  t.regex(clientSecret, /:/);
  t.regex(clientSecret, /%/);
  t.regex(clientSecret, / /);
  const response = await tokenRequest(
    mb,
    { grant_type: 'client_credentials', scope: 'application_access:write' },
    { authorization: basic(clientId, clientSecret) },
  );
  const body = (await response.json()) as Record<string, unknown>;
  t.is(response.status, 200);
  t.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
  t.is(body.scope, 'application_access:write');
  t.is(body.expires_in, 3600);
});

test('client_credentials refuses a secret sent without form-urlencoding with invalid_client and a Basic challenge', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const { clientId, clientSecret } = mb.fixtures.otherApp;
  const raw = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
  const response = await tokenRequest(mb, { grant_type: 'client_credentials', scope: 'application_access:write' }, { authorization: raw });
  t.is(response.headers.get('www-authenticate'), 'Basic realm="moneybutton"');
  t.is(await oauthError(response), '401 invalid_client');
});

test('client_credentials refuses a wrong secret, a body secret and a wrong scope', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const { clientId, clientSecret } = mb.fixtures.app;
  const wrongSecret = await tokenRequest(
    mb,
    { grant_type: 'client_credentials', scope: 'application_access:write' },
    { authorization: basic(clientId, `${clientSecret}x`) },
  );
  t.is(await oauthError(wrongSecret), '401 invalid_client');
  const bodySecret = await tokenRequest(mb, {
    grant_type: 'client_credentials',
    scope: 'application_access:write',
    client_id: clientId,
    client_secret: clientSecret,
  });
  t.is(await oauthError(bodySecret), '401 invalid_client');
  const wrongScope = await tokenRequest(
    mb,
    { grant_type: 'client_credentials', scope: 'payments:read' },
    { authorization: basic(clientId, clientSecret) },
  );
  t.is(await oauthError(wrongScope), '400 invalid_scope');
});

test('an app token is refused on user endpoints with 403 insufficient_scope', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const { clientId, clientSecret } = mb.fixtures.app;
  const response = await tokenRequest(
    mb,
    { grant_type: 'client_credentials', scope: 'application_access:write' },
    { authorization: basic(clientId, clientSecret) },
  );
  const { access_token } = (await response.json()) as MoneyButtonTokenBody;
  const identity = await fetch(`${mb.url}/api/v1/auth/user_identity`, { headers: { authorization: `Bearer ${access_token}` } });
  t.is(identity.status, 403);
});

test('token endpoint errors are RFC 6749 §5.2 JSON: bad grant type, missing parameters, repeats, wrong media type', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const clientId = mb.fixtures.app.clientId;
  t.is(await oauthError(await tokenRequest(mb, { grant_type: 'password', client_id: clientId })), '400 unsupported_grant_type');
  t.is(await oauthError(await tokenRequest(mb, { client_id: clientId })), '400 invalid_request');
  t.is(
    await oauthError(await tokenRequest(mb, { grant_type: 'authorization_code', client_id: clientId, redirect_uri: 'x' })),
    '400 invalid_request',
  );
  t.is(await oauthError(await tokenRequest(mb, { grant_type: 'refresh_token', refresh_token: 'x' })), '401 invalid_client');
  t.is(
    await oauthError(await tokenRequest(mb, { grant_type: 'refresh_token', refresh_token: 'x', client_id: 'nobody' })),
    '401 invalid_client',
  );
  const repeated = await fetch(`${mb.url}/oauth/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `grant_type=refresh_token&refresh_token=a&refresh_token=b&client_id=${clientId}`,
  });
  t.is(await oauthError(repeated), '400 invalid_request');
  const json = await fetch(`${mb.url}/oauth/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: 'a', client_id: clientId }),
  });
  t.is(await oauthError(json), '400 invalid_request');
});

test('token error descriptions never contain the secrets that were sent', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const { clientId, clientSecret } = mb.fixtures.app;
  const response = await tokenRequest(
    mb,
    { grant_type: 'refresh_token', refresh_token: 'secret-refresh-token-value' },
    { authorization: basic(clientId, `${clientSecret}-wrong`) },
  );
  const text = await response.text();
  t.is(response.status, 401);
  t.false(text.includes(clientSecret));
  t.false(text.includes('secret-refresh-token-value'));
});
