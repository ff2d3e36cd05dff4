import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import {
  codeChallengeS256,
  finishAuthorization,
  generateCodeVerifier,
  generateState,
  startAuthorization,
} from '../src/auth/index.js';
import { json, startServer } from './_http-server.js';
import { beginAuthorization, startOidcProvider } from './_oidc-provider.js';

const RFC7636_ALPHABET = /^[A-Za-z0-9\-._~]{43,128}$/;

test('S256 challenge matches the RFC 7636 Appendix B test vector', (t) => {
  t.deepEqual(codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), E.right('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'));
});

test('codeChallengeS256 answers InvalidInput on verifier for anything that is not an RFC 7636 code verifier', (t) => {
  for (const bad of [null, undefined, 42, {}, '', 'short', 'x'.repeat(129), `${'a'.repeat(42)} `, `${'a'.repeat(42)}é`]) {
    const challenge = codeChallengeS256(bad as never);
    t.true(E.isLeft(challenge), String(bad));
    if (E.isLeft(challenge)) t.like(challenge.left, { _tag: 'InvalidInput', field: 'verifier' });
  }
});

test('generated code verifiers are 43–128 characters of the RFC 7636 alphabet and never repeat', (t) => {
  const verifiers = Array.from({ length: 200 }, generateCodeVerifier);
  for (const verifier of verifiers) t.regex(verifier, RFC7636_ALPHABET);
  t.is(new Set(verifiers).size, verifiers.length);
});

test('generated states carry at least 256 bits and never repeat', (t) => {
  const states = Array.from({ length: 200 }, generateState);
  for (const state of states) t.true(Buffer.from(state, 'base64url').length >= 32);
  t.is(new Set(states).size, states.length);
});

test('startAuthorization defaults to S256 and puts the challenge, not the verifier, in the URL', (t) => {
  const server = {
    issuer: 'https://auth.example',
    authorizationEndpoint: 'https://auth.example/auth',
    tokenEndpoint: 'https://auth.example/auth/token',
  };
  const started = startAuthorization(server, { clientId: '1337', clientAuth: 'none' }, {
    redirectUri: 'https://app.example/callback',
    scope: 'orders:read',
    extraParams: { address: '0x59cFC7aF6B8aFcE7C4aB6d0Fb8c8dD6c8F4A1bC2' },
  });
  if (E.isLeft(started)) return t.fail(started.left.message);
  const pending = started.right;
  const url = new URL(pending.url);
  t.is(url.origin + url.pathname, 'https://auth.example/auth');
  t.deepEqual(Object.fromEntries(url.searchParams), {
    address: '0x59cFC7aF6B8aFcE7C4aB6d0Fb8c8dD6c8F4A1bC2',
    client_id: '1337',
    code_challenge: E.getOrElse(() => 'no challenge')(codeChallengeS256(pending.codeVerifier)),
    code_challenge_method: 'S256',
    redirect_uri: 'https://app.example/callback',
    response_type: 'code',
    scope: 'orders:read',
    state: pending.state,
  });
  t.is(pending.codeChallengeMethod, 'S256');
  t.regex(pending.codeVerifier, RFC7636_ALPHABET);
  t.false(pending.url.includes(pending.codeVerifier));
});

test('plain method sends the verifier as the challenge and redeems the code with it', async (t) => {
  const tokenEndpoint = await startServer((_req, res) =>
    json(res, 200, { access_token: 'plain-access', token_type: 'Bearer', expires_in: 3600 }),
  );
  t.teardown(tokenEndpoint.close);
  const server = {
    issuer: tokenEndpoint.url,
    authorizationEndpoint: `${tokenEndpoint.url}/auth`,
    tokenEndpoint: `${tokenEndpoint.url}/auth/token`,
  };
  const client = { clientId: '1337', clientAuth: 'none' } as const;
  const started = startAuthorization(server, client, {
    redirectUri: 'http://localhost:5007/callback',
    codeChallengeMethod: 'plain',
  });
  if (E.isLeft(started)) return t.fail(started.left.message);
  const pending = started.right;
  const url = new URL(pending.url);
  t.is(url.searchParams.get('code_challenge'), pending.codeVerifier);
  t.is(url.searchParams.get('code_challenge_method'), 'plain');

  const result = await finishAuthorization(server, client, `/callback?code=abc&state=${pending.state}`, pending)();
  t.true(E.isRight(result));
  t.is(tokenEndpoint.requests.length, 1);
  t.deepEqual(Object.fromEntries(new URLSearchParams(tokenEndpoint.requests[0]?.body)), {
    client_id: '1337',
    code: 'abc',
    code_verifier: pending.codeVerifier,
    grant_type: 'authorization_code',
    redirect_uri: 'http://localhost:5007/callback',
  });
});

test('oidc-provider refuses a code redeemed with a different verifier (invalid_grant)', async (t) => {
  const op = await startOidcProvider();
  t.teardown(op.close);
  const client = op.clients.publicPkce;
  const pending = beginAuthorization(op, client);
  const callbackUrl = await op.authorize(pending.url);
  const forged = { ...pending, codeVerifier: generateCodeVerifier() };
  const result = await finishAuthorization(op.server, client, callbackUrl, forged)();
  if (E.isRight(result)) return t.fail('a wrong verifier was accepted');
  t.like(result.left, { _tag: 'AuthError', reason: 'invalid_grant', oauthError: 'invalid_grant', status: 400 });
  t.is(op.tokenRequests(), 1);
});
