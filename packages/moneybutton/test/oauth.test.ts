import { codeChallengeS256 } from '@paygate/core';
import test, { type ExecutionContext } from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { createMoneyButtonClient, type MoneyButtonSettings } from '../src/index.js';
import { client, driveAuthorizePages, LOOPBACK_REDIRECT, left, listen, requestsTo, right, startMoneyButton } from './_setup.js';

test('authorizationUrl is the documented /oauth/v1/authorize URL with space-separated scopes, state and PKCE S256', (t) => {
  const mb = client(t, {
    clientId: '4df4b25fd2d966a41fb0f6f159096203',
    redirectUri: 'http://localhost:5007/oauth-response-web',
    scope: ['users.balance:read', 'users.profiles:read'],
  });
  const pending = mb.authorizationUrl();
  if (E.isLeft(pending)) return t.fail(pending.left.message);
  const url = new URL(pending.right.url);
  t.is(`${url.origin}${url.pathname}`, 'https://www.moneybutton.com/oauth/v1/authorize');
  t.is(url.searchParams.get('response_type'), 'code');
  t.is(url.searchParams.get('client_id'), '4df4b25fd2d966a41fb0f6f159096203');
  t.is(url.searchParams.get('redirect_uri'), 'http://localhost:5007/oauth-response-web');
  t.is(url.searchParams.get('scope'), 'users.balance:read users.profiles:read');
  t.is(url.searchParams.get('state'), pending.right.state);
  t.true(pending.right.state.length >= 32);
  t.is(url.searchParams.get('code_challenge_method'), 'S256');
  t.is(url.searchParams.get('code_challenge'), E.getOrElse(() => '(no challenge)')(codeChallengeS256(pending.right.codeVerifier)));
  t.is(url.searchParams.get('client_secret'), null);
});

test('authorizationUrl uses the caller’s state when one is given', (t) => {
  const mb = client(t, { clientId: 'app', redirectUri: LOOPBACK_REDIRECT, scope: ['auth.user_identity:read'] });
  const pending = mb.authorizationUrl({ state: 'somesecurerandomstring' });
  if (E.isLeft(pending)) return t.fail(pending.left.message);
  t.is(pending.right.state, 'somesecurerandomstring');
  t.is(new URL(pending.right.url).searchParams.getAll('state').join(','), 'somesecurerandomstring');
});

test('authorizationUrl without a redirect URI, without scopes or asking a user for application_access is InvalidInput', (t) => {
  const noRedirect = client(t, { clientId: 'app', scope: ['payments:read'] }).authorizationUrl();
  t.like(noRedirect, { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'redirectUri' } });
  const noScope = client(t, { clientId: 'app', redirectUri: LOOPBACK_REDIRECT, scope: [] }).authorizationUrl();
  t.like(noScope, { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'scope' } });
  const appScope = client(t, {
    clientId: 'app',
    redirectUri: LOOPBACK_REDIRECT,
    scope: ['payments:read', 'application_access:write'],
  }).authorizationUrl();
  t.like(appScope, { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'scope' } });
});

test('bad client settings are InvalidInput, not a throw', (t) => {
  const cases: ReadonlyArray<[string, unknown]> = [
    ['clientId', { clientId: '', scope: [] }],
    ['scope', { clientId: 'app', scope: ['payments:write'] }],
    ['baseUrl', { clientId: 'app', scope: [], baseUrl: 'http://moneybutton.example' }],
    ['baseUrl', { clientId: 'app', scope: [], baseUrl: 'not a url' }],
    ['redirectUri', { clientId: 'app', scope: [], redirectUri: '/relative' }],
  ];
  for (const [field, settings] of cases) {
    // As a JavaScript caller or a config file could send them, past the types.
    const created = createMoneyButtonClient(settings as MoneyButtonSettings);
    t.like(created, { _tag: 'Left', left: { _tag: 'InvalidInput', field } }, JSON.stringify(settings));
  }
});

test('the full login: authorize page, sign-in, consent, callback on a real server, code exchange with PKCE', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { app, users } = sandbox.fixtures.moneybutton;
  const [alice] = users;
  let finished: Promise<unknown> | undefined;
  const callback = await listen(t, (req, res) => {
    const pending = pendingLogin;
    if (pending === undefined) {
      res.statusCode = 500;
      res.end();
      return;
    }
    finished = mb.finishAuthorization(new URL(req.url ?? '/', 'http://127.0.0.1'), pending)().then((result) => {
      res.statusCode = E.isRight(result) ? 200 : 400;
      res.end(E.isRight(result) ? 'signed in' : result.left.message);
      return result;
    });
  });
  const mb = client(t, {
    baseUrl: sandbox.urls.moneybutton,
    clientId: app.clientId,
    redirectUri: `${callback.url}/callback`,
    scope: ['auth.user_identity:read', 'users.balance:read'],
  });
  const started = mb.authorizationUrl();
  if (E.isLeft(started)) return t.fail(started.left.message);
  const pendingLogin = started.right;
  sandbox.admin.clearRequests();

  const redirect = await driveAuthorizePages(pendingLogin.url, alice);
  t.is(`${redirect.origin}${redirect.pathname}`, `${callback.url}/callback`);
  t.is(redirect.searchParams.get('state'), pendingLogin.state);
  const browser = await fetch(redirect);
  t.is(browser.status, 200, await browser.text());
  const result = await finished;
  t.like(result, { _tag: 'Right', right: { tokenType: 'Bearer', scope: 'auth.user_identity:read users.balance:read' } });

  const [exchange, ...others] = requestsTo(sandbox, '/oauth/v1/token');
  t.is(others.length, 0);
  t.is(exchange?.method, 'POST');
  t.regex(exchange?.headers['content-type'] ?? '', /^application\/x-www-form-urlencoded/);
  t.is(exchange?.headers.authorization, undefined, 'the code exchange sends no client secret');
  const body = Object.fromEntries(new URLSearchParams(exchange?.body));
  t.deepEqual(body, {
    grant_type: 'authorization_code',
    client_id: app.clientId,
    code: redirect.searchParams.get('code') ?? '',
    redirect_uri: `${callback.url}/callback`,
    code_verifier: pendingLogin.codeVerifier,
  });

  const identity = await right(t, mb.userIdentity());
  t.deepEqual(identity, { id: alice.id, name: alice.name });
});

/** A sandbox, a client for its app and an authorization for payments:read begun by its first user. */
const beginAuthorization = async (t: ExecutionContext) => {
  const sandbox = await startMoneyButton(t);
  const { app, users } = sandbox.fixtures.moneybutton;
  const mb = client(t, { baseUrl: sandbox.urls.moneybutton, clientId: app.clientId, redirectUri: LOOPBACK_REDIRECT, scope: ['payments:read'] });
  const pending = mb.authorizationUrl();
  if (E.isLeft(pending)) return t.fail(pending.left.message);
  return { sandbox, mb, user: users[0], pending: pending.right };
};

test('the session expires in an hour as the token response says', async (t) => {
  const { mb, user, pending } = await beginAuthorization(t);
  const before = Date.now();
  const tokens = await right(t, mb.finishAuthorization(await driveAuthorizePages(pending.url, user), pending));
  const stored = await right(t, mb.session.getTokenSet());
  t.deepEqual(stored, tokens);
  t.true((tokens.expiresAt ?? 0) >= before + 3_600_000 - 1_000 && (tokens.expiresAt ?? 0) <= Date.now() + 3_600_000);
  t.is(typeof tokens.refreshToken, 'string');
});

test('a callback whose state differs is AuthError state_mismatch and sends nothing', async (t) => {
  const { sandbox, mb, user, pending } = await beginAuthorization(t);
  const callback = await driveAuthorizePages(pending.url, user);
  callback.searchParams.set('state', 'forged');
  sandbox.admin.clearRequests();
  const error = await left(t, mb.finishAuthorization(callback, pending));
  t.like(error, { _tag: 'AuthError', reason: 'state_mismatch' });
  t.is(requestsTo(sandbox).length, 0);
});

test('denying consent comes back as AuthError access_denied', async (t) => {
  const { mb, user, pending } = await beginAuthorization(t);
  const callback = await driveAuthorizePages(pending.url, user, 'deny');
  t.is(callback.searchParams.get('error'), 'access_denied');
  const error = await left(t, mb.finishAuthorization(callback, pending));
  t.like(error, { _tag: 'AuthError', reason: 'access_denied' });
});

test('a code used twice is refused with invalid_grant', async (t) => {
  const { mb, user, pending } = await beginAuthorization(t);
  const callback = await driveAuthorizePages(pending.url, user);
  await right(t, mb.finishAuthorization(callback, pending));
  const error = await left(t, mb.finishAuthorization(callback, pending));
  t.like(error, { _tag: 'AuthError', reason: 'invalid_grant', oauthError: 'invalid_grant' });
  t.false(JSON.stringify(error).includes(callback.searchParams.get('code') ?? '-'), 'the code is not in the error');
  t.false(JSON.stringify(error).includes(pending.codeVerifier), 'the verifier is not in the error');
});

test('authorizationUrl passes landing=register (2022 docs) and refuses other values', (t) => {
  const mb = client(t, { clientId: 'app', redirectUri: LOOPBACK_REDIRECT, scope: ['auth.user_identity:read'] });
  const pending = mb.authorizationUrl({ landing: 'register' });
  if (E.isLeft(pending)) return t.fail(pending.left.message);
  t.is(new URL(pending.right.url).searchParams.get('landing'), 'register');
  const plain = mb.authorizationUrl();
  t.is(E.isRight(plain) ? new URL(plain.right.url).searchParams.has('landing') : true, false, 'no landing unless asked');
  t.like(mb.authorizationUrl({ landing: 'signup' as never }), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'landing' } });
});

test('PKCE is an extension: a server that ignores code_challenge and code_verifier completes the documented flow', async (t) => {
  const bodies: URLSearchParams[] = [];
  const server = await listen(t, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // A token endpoint as documented (docs 003): it reads grant_type, client_id, code and redirect_uri only.
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      bodies.push(form);
      res.setHeader('content-type', 'application/json');
      if (req.url !== '/oauth/v1/token' || form.get('code') !== '5f43fb324ff1bd0fadbfa2e9bcdf3da7096e1ede') {
        res.statusCode = 400;
        res.end('{"error":"invalid_grant"}');
        return;
      }
      res.end(JSON.stringify({ access_token: 'at-1', token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt-1', scope: 'auth.user_identity:read' }));
    });
  });
  const mb = client(t, { baseUrl: server.url, clientId: 'app', redirectUri: 'https://myredirecturi.com', scope: ['auth.user_identity:read'] });
  const pending = mb.authorizationUrl();
  if (E.isLeft(pending)) return t.fail(pending.left.message);
  const tokens = await right(t, mb.finishAuthorization(`https://myredirecturi.com?code=5f43fb324ff1bd0fadbfa2e9bcdf3da7096e1ede&state=${pending.right.state}`, pending.right));
  t.like(tokens, { accessToken: 'at-1', refreshToken: 'rt-1' });
  const [form] = bodies;
  t.is(form?.get('grant_type'), 'authorization_code');
  t.is(form?.get('client_id'), 'app');
  t.is(form?.get('redirect_uri'), 'https://myredirecturi.com');
  t.is(form?.get('code_verifier'), pending.right.codeVerifier, 'sent, and ignored by this server');
  t.is(form?.get('client_secret'), null);
});
