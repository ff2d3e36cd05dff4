import test from 'ava';
import { createMoneyButtonEmulator } from '../src/moneybutton/index.js';
import { approveMoneyButtonConsent, form, startProvider } from './_provider-harness.js';

const start = () => startProvider('/moneybutton', (ctx) => createMoneyButtonEmulator(ctx, {}));

type MoneyButtonProvider = Awaited<ReturnType<typeof start>>;

/** Posts the sign-in form with the app's client_id: the authorization request and the credentials in one body. */
function postSignIn(mb: MoneyButtonProvider, fields: Readonly<Record<string, string>>): Promise<Response> {
  return fetch(`${mb.url}/oauth/v1/authorize`, form({ response_type: 'code', client_id: mb.fixtures.app.clientId, ...fields }));
}

/** The consent page's transaction id, which the approve or deny post carries. */
async function transactionOf(consent: Response): Promise<string> {
  return /name="transaction" value="([^"]+)"/.exec(await consent.text())?.[1] ?? '';
}

function authorizeUrl(base: string, params: Readonly<Record<string, string>>): string {
  return `${base}/oauth/v1/authorize?${new URLSearchParams(params).toString()}`;
}

test('the documented authorize URL shows an accessible sign-in form that posts email and password', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const response = await fetch(
    authorizeUrl(mb.url, {
      response_type: 'code',
      client_id: mb.fixtures.app.clientId,
      redirect_uri: 'http://localhost:5007/oauth-response-web',
      scope: 'auth.user_identity:read',
      state: 'somesecurerandomstring',
    }),
  );
  const html = await response.text();
  t.is(response.status, 200);
  t.regex(response.headers.get('content-type') ?? '', /^text\/html/);
  t.regex(html, /<form method="post" action="authorize">/);
  t.regex(html, /<label for="email">Email<\/label>\s*<input id="email" name="email"/);
  t.regex(html, /<label for="password">Password<\/label>\s*<input id="password" name="password" type="password"/);
  t.regex(html, /<button type="submit">Sign in<\/button>/);
  t.regex(html, /name="state" value="somesecurerandomstring"/);
});

test('approving the consent redirects to the loopback redirect URI on any port with code and state', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const [alice] = mb.fixtures.users;
  const redirect = await approveMoneyButtonConsent(mb.url, {
    clientId: mb.fixtures.app.clientId,
    redirectUri: 'http://127.0.0.1:49152/callback',
    scope: 'auth.user_identity:read users.balance:read',
    email: alice.email,
    password: alice.password,
    state: 'st-1',
  });
  t.is(`${redirect.origin}${redirect.pathname}`, 'http://127.0.0.1:49152/callback');
  t.regex(redirect.searchParams.get('code') ?? '', /^[0-9a-f]{40}$/);
  t.is(redirect.searchParams.get('state'), 'st-1');
});

test('the consent page names the app, the user and every requested scope with approve and deny buttons', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const [alice] = mb.fixtures.users;
  const response = await postSignIn(mb, {
    redirect_uri: 'https://myredirecturi.com',
    scope: 'users.profiles:read payments:read',
    email: alice.email,
    password: alice.password,
  });
  const html = await response.text();
  t.is(response.status, 200);
  t.true(html.includes(mb.fixtures.app.name));
  t.true(html.includes(alice.primaryPaymail));
  t.true(html.includes('<code>users.profiles:read</code>'));
  t.true(html.includes('<code>payments:read</code>'));
  t.regex(html, /<button type="submit" name="decision" value="approve">Approve<\/button>/);
  t.regex(html, /<button type="submit" name="decision" value="deny">Deny<\/button>/);
});

test('denying the consent redirects with error=access_denied and the state', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const [alice] = mb.fixtures.users;
  const signIn = await postSignIn(mb, {
    redirect_uri: 'http://localhost:6001/callback',
    scope: 'auth.user_identity:read',
    state: 'keep me',
    email: alice.email,
    password: alice.password,
  });
  const transaction = await transactionOf(signIn);
  const denied = await fetch(`${mb.url}/oauth/v1/authorize`, form({ transaction, decision: 'deny' }));
  t.is(denied.status, 302);
  const location = new URL(denied.headers.get('location') ?? '');
  t.is(`${location.origin}${location.pathname}`, 'http://localhost:6001/callback');
  t.deepEqual([...location.searchParams.keys()].sort(), ['error', 'state']);
  t.is(location.searchParams.get('error'), 'access_denied');
  t.is(location.searchParams.get('state'), 'keep me');
});

test('a consent transaction cannot be used twice', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const [alice] = mb.fixtures.users;
  const signIn = await postSignIn(mb, {
    redirect_uri: 'http://127.0.0.1/callback',
    scope: 'auth.user_identity:read',
    email: alice.email,
    password: alice.password,
  });
  const transaction = await transactionOf(signIn);
  t.is((await fetch(`${mb.url}/oauth/v1/authorize`, form({ transaction, decision: 'approve' }))).status, 302);
  t.is((await fetch(`${mb.url}/oauth/v1/authorize`, form({ transaction, decision: 'approve' }))).status, 400);
});

test('a wrong password shows the sign-in form again with 401 and no consent', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const [alice] = mb.fixtures.users;
  const response = await postSignIn(mb, {
    redirect_uri: 'http://127.0.0.1/callback',
    scope: 'auth.user_identity:read',
    email: alice.email,
    password: 'not-the-password',
  });
  const html = await response.text();
  t.is(response.status, 401);
  t.regex(html, /role="alert">Wrong email or password\./);
  t.false(html.includes('name="transaction"'));
  t.false(html.includes('not-the-password'));
});

test('an unknown client_id is shown as an error page instead of redirecting', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const response = await fetch(
    authorizeUrl(mb.url, {
      response_type: 'code',
      client_id: 'ffffffffffffffffffffffffffffffff',
      redirect_uri: 'http://127.0.0.1/callback',
      scope: 'auth.user_identity:read',
    }),
    { redirect: 'manual' },
  );
  t.is(response.status, 400);
  t.is(response.headers.get('location'), null);
  t.regex(await response.text(), /client_id does not name a registered app/);
});

test('an unregistered redirect_uri is shown as an error page instead of redirecting', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  for (const redirectUri of [
    'http://127.0.0.1:8080/elsewhere',
    'https://myredirecturi.com/other',
    'https://evil.example/callback',
    'http://127.0.0.1:8080/callback#fragment',
  ]) {
    const response = await fetch(
      authorizeUrl(mb.url, {
        response_type: 'code',
        client_id: mb.fixtures.app.clientId,
        redirect_uri: redirectUri,
        scope: 'auth.user_identity:read',
      }),
      { redirect: 'manual' },
    );
    t.is(response.status, 400, redirectUri);
    t.is(response.headers.get('location'), null, redirectUri);
  }
});

test('a response_type other than code redirects with unsupported_response_type and the state', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const response = await fetch(
    authorizeUrl(mb.url, {
      response_type: 'token',
      client_id: mb.fixtures.app.clientId,
      redirect_uri: 'http://127.0.0.1:9999/callback',
      scope: 'auth.user_identity:read',
      state: 'abc',
    }),
    { redirect: 'manual' },
  );
  t.is(response.status, 302);
  const location = new URL(response.headers.get('location') ?? '');
  t.is(location.searchParams.get('error'), 'unsupported_response_type');
  t.is(location.searchParams.get('state'), 'abc');
});

test('an unknown, missing or app-only scope redirects with invalid_scope', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const base = { response_type: 'code', client_id: mb.fixtures.app.clientId, redirect_uri: 'http://127.0.0.1/callback' };
  for (const params of [
    { ...base, scope: 'auth.user_identity:read wallets:drain' },
    base,
    { ...base, scope: 'application_access:write' },
  ]) {
    const response = await fetch(authorizeUrl(mb.url, params), { redirect: 'manual' });
    t.is(response.status, 302);
    t.is(new URL(response.headers.get('location') ?? '').searchParams.get('error'), 'invalid_scope');
  }
});

test('a PKCE challenge must use S256 and be 43 base64url characters', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const base = {
    response_type: 'code',
    client_id: mb.fixtures.app.clientId,
    redirect_uri: 'http://127.0.0.1/callback',
    scope: 'auth.user_identity:read',
  };
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
  const refused = [
    { ...base, code_challenge: challenge },
    { ...base, code_challenge: challenge, code_challenge_method: 'plain' },
    { ...base, code_challenge: 'too-short', code_challenge_method: 'S256' },
    { ...base, code_challenge_method: 'S256' },
  ];
  for (const params of refused) {
    const response = await fetch(authorizeUrl(mb.url, params), { redirect: 'manual' });
    t.is(new URL(response.headers.get('location') ?? '').searchParams.get('error'), 'invalid_request');
  }
  const accepted = await fetch(authorizeUrl(mb.url, { ...base, code_challenge: challenge, code_challenge_method: 'S256' }));
  t.is(accepted.status, 200);
  t.regex(await accepted.text(), /name="code_challenge" value="E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"/);
});

test('a repeated authorize parameter is refused as invalid_request (RFC 6749 §3.1)', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: mb.fixtures.app.clientId,
    redirect_uri: 'http://127.0.0.1/callback',
    scope: 'auth.user_identity:read',
  });
  query.append('scope', 'payments:read');
  const response = await fetch(`${mb.url}/oauth/v1/authorize?${query.toString()}`, { redirect: 'manual' });
  t.is(response.status, 302);
  t.is(new URL(response.headers.get('location') ?? '').searchParams.get('error'), 'invalid_request');
});

test('the sign-in page escapes the state it echoes', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const response = await fetch(
    authorizeUrl(mb.url, {
      response_type: 'code',
      client_id: mb.fixtures.app.clientId,
      redirect_uri: 'http://127.0.0.1/callback',
      scope: 'auth.user_identity:read',
      state: '"><script>alert(1)</script>',
    }),
  );
  const html = await response.text();
  t.false(html.includes('<script>'));
  t.true(html.includes('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"'));
});
