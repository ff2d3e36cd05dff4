import { createMemoryTokenStore, type TokenStore } from '@paygate/core';
import test from 'ava';
import { SESSION_COOKIE } from '../src/app.js';
import { signInAtProvider } from './_sandbox-forms.js';
import { type Running, startApp } from './_setup.js';

type Provider = 'monerium' | 'moneybutton';

const get = (url: string, cookie?: string) => fetch(url, { redirect: 'manual', headers: cookie === undefined ? {} : { cookie } });

/** What a browser sends for a form without fields on one of the app's own pages (Origin included). */
const post = (url: string, cookie?: string, origin: string | null = new URL(url).origin) =>
  fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(origin === null ? {} : { origin }),
      ...(cookie === undefined ? {} : { cookie }),
    },
    body: '',
  });

const setCookieOf = (response: Response): string | undefined =>
  response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));

/** The `name=value` pair a browser would send back. */
const cookieOf = (response: Response): string => {
  const header = setCookieOf(response);
  if (header === undefined) throw new Error(`no ${SESSION_COOKIE} cookie was set`);
  return header.split(';')[0] ?? '';
};

const userOf = (running: Running, provider: Provider) => {
  const user = running.sandbox.fixtures[provider].users[0];
  if (user === undefined) throw new Error('the sandbox has no seeded user');
  return user;
};

/** Runs a whole sign-in over HTTP, keeping every response the app sent. */
const signIn = async (running: Running, provider: Provider) => {
  const start = await post(`${running.url}/login/${provider}`);
  const cookie = cookieOf(start);
  const user = userOf(running, provider);
  const callback = await signInAtProvider(start.headers.get('location') ?? '', user.email, user.password);
  const finished = await get(callback, cookie);
  return { start, cookie, callback, finished };
};

test('the home page offers both sign-ins and sets no cookie', async (t) => {
  const running = await startApp();
  t.teardown(() => running.close());
  const response = await get(`${running.url}/`);
  t.is(response.status, 200);
  const body = await response.text();
  t.regex(body, /<button type="submit">Sign in with Monerium<\/button>/);
  t.regex(body, /<button type="submit">Sign in with Money Button<\/button>/);
  t.deepEqual(response.headers.getSetCookie(), []);
});

for (const [provider, path] of [
  ['monerium', '/monerium/auth'],
  ['moneybutton', '/moneybutton/oauth/v1/authorize'],
] as const) {
  test(`starting a ${provider} sign-in sets an HttpOnly SameSite=Lax cookie and redirects with an S256 challenge and state`, async (t) => {
    const running = await startApp();
    t.teardown(() => running.close());
    const response = await post(`${running.url}/login/${provider}`);
    t.is(response.status, 303);
    const location = new URL(response.headers.get('location') ?? '');
    t.is(`${location.origin}${location.pathname}`, `${new URL(running.sandbox.urls[provider]).origin}${path}`);
    t.regex(location.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    t.is(location.searchParams.get('code_challenge_method'), 'S256');
    t.regex(location.searchParams.get('state') ?? '', /^.{16,}$/);
    t.is(location.searchParams.get('redirect_uri'), `${running.url}/callback`);
    t.is(location.searchParams.get('response_type'), 'code');
    t.false(location.searchParams.has('code_verifier'));

    const attributes = (setCookieOf(response) ?? '').split(';').map((part) => part.trim().toLowerCase());
    t.true(attributes.includes('httponly'));
    t.true(attributes.includes('samesite=lax'));
    t.true(attributes.includes('path=/'));
    // The cookie carries only a random id (and its HMAC): no state, no verifier.
    t.regex(attributes[0] ?? '', new RegExp(`^${SESSION_COOKIE}=[a-z0-9_-]{43}\\.[a-z0-9_%+/=-]+$`));
    t.false((attributes[0] ?? '').includes((location.searchParams.get('state') ?? '').toLowerCase()));
  });

  test(`the ${provider} PKCE verifier never appears in any response of the app`, async (t) => {
    const running = await startApp();
    t.teardown(() => running.close());
    const { start, cookie, finished } = await signIn(running, provider);
    t.is(finished.status, 303);
    t.is(finished.headers.get('location'), '/account');
    const account = await get(`${running.url}/account`, cookieOf(finished));
    t.is(account.status, 200);
    const home = await get(`${running.url}/`, cookieOf(finished));

    const tokenRequest = running.sandbox.admin
      .requests()
      .find((r) => r.method === 'POST' && (r.path === '/auth/token' || r.path === '/oauth/v1/token'));
    const verifier = new URLSearchParams(tokenRequest?.body ?? '').get('code_verifier') ?? '';
    t.regex(verifier, /^[A-Za-z0-9._~-]{43,128}$/);
    const seen = [start, finished, account, home].map((r) => JSON.stringify([...r.headers]));
    seen.push(await start.text(), await finished.text(), await account.text(), await home.text(), cookie);
    for (const text of seen) t.false(text.includes(verifier));
  });
}

test('a completed sign-in moves the session to a new cookie and the old one is worthless', async (t) => {
  const running = await startApp();
  t.teardown(() => running.close());
  const { cookie, finished } = await signIn(running, 'monerium');
  const rotated = cookieOf(finished);
  t.not(rotated, cookie);
  const stale = await get(`${running.url}/account`, cookie);
  t.is(stale.status, 303);
  t.is(stale.headers.get('location'), '/');
  t.is((await get(`${running.url}/account`, rotated)).status, 200);
});

test('a tampered state is refused as AuthError: state_mismatch before any token request, and leaves the sign-in intact', async (t) => {
  const running = await startApp();
  t.teardown(() => running.close());
  const start = await post(`${running.url}/login/monerium`);
  const cookie = cookieOf(start);
  const user = userOf(running, 'monerium');
  const callback = new URL(await signInAtProvider(start.headers.get('location') ?? '', user.email, user.password));
  const tampered = new URL(callback);
  tampered.searchParams.set('state', `${callback.searchParams.get('state')}x`);
  const forged = new URL(`${running.url}/callback?code=attacker-code&state=attacker-state`);

  for (const url of [tampered, forged]) {
    const refused = await get(url.href, cookie);
    t.is(refused.status, 400);
    t.regex(await refused.text(), /AuthError: state_mismatch/);
  }
  t.false(running.sandbox.admin.requests().some((r) => r.path === '/auth/token'));

  // Nothing was consumed: the genuine callback still completes the user's sign-in.
  const genuine = await get(callback.href, cookie);
  t.is(genuine.status, 303);
  t.is(genuine.headers.get('location'), '/account');
});

test('a cross-site POST /login is refused with 403 and neither creates nor replaces a session', async (t) => {
  const running = await startApp();
  t.teardown(() => running.close());
  const start = await post(`${running.url}/login/moneybutton`);
  const cookie = cookieOf(start);
  for (const origin of ['https://evil.example', 'null', null]) {
    const forged = await post(`${running.url}/login/monerium`, cookie, origin);
    t.is(forged.status, 403, String(origin));
    t.is(setCookieOf(forged), undefined);
    const anonymous = await post(`${running.url}/login/monerium`, undefined, origin);
    t.is(anonymous.status, 403);
    t.is(setCookieOf(anonymous), undefined);
  }
  const logout = await post(`${running.url}/logout`, cookie, 'https://evil.example');
  t.is(logout.status, 403);
  // Without Origin, a browser's own same-origin navigation is recognised by Sec-Fetch-Site.
  const sameSite = await fetch(`${running.url}/login/monerium`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
    body: '',
  });
  t.is(sameSite.status, 303);
});

test('a denied consent shows AuthError: access_denied', async (t) => {
  const running = await startApp();
  t.teardown(() => running.close());
  const start = await post(`${running.url}/login/moneybutton`);
  const user = userOf(running, 'moneybutton');
  const callback = await signInAtProvider(start.headers.get('location') ?? '', user.email, user.password, 'deny');
  const response = await get(callback, cookieOf(start));
  t.is(response.status, 400);
  t.regex(await response.text(), /AuthError: access_denied/);
});

test('a callback without a sign-in in progress shows AuthError: no_session', async (t) => {
  const running = await startApp();
  t.teardown(() => running.close());
  const response = await get(`${running.url}/callback?code=abc&state=def`);
  t.is(response.status, 400);
  t.regex(await response.text(), /AuthError: no_session/);
});

test('a session cookie with a forged signature is ignored', async (t) => {
  const running = await startApp();
  t.teardown(() => running.close());
  const { finished } = await signIn(running, 'moneybutton');
  const [pair = ''] = cookieOf(finished).split('.');
  const forged = await get(`${running.url}/account`, `${pair}.${'A'.repeat(43)}`);
  t.is(forged.status, 303);
  t.is(forged.headers.get('location'), '/');
  const unsigned = await get(`${running.url}/account`, pair);
  t.is(unsigned.status, 303);
});

test('the account page needs a signed-in session', async (t) => {
  const running = await startApp();
  t.teardown(() => running.close());
  const response = await get(`${running.url}/account`);
  t.is(response.status, 303);
  t.is(response.headers.get('location'), '/');
});

test('each browser session keeps its tokens under its own key, and logout deletes them and the cookie', async (t) => {
  const shared = createMemoryTokenStore();
  const live = new Set<string>();
  const tokenStore: TokenStore = {
    get: (key) => shared.get(key),
    set: (key, tokens, ttlMs) => {
      live.add(key);
      return shared.set(key, tokens, ttlMs);
    },
    delete: (key) => {
      live.delete(key);
      return shared.delete(key);
    },
  };
  const running = await startApp({ tokenStore });
  t.teardown(() => running.close());

  const first = await signIn(running, 'monerium');
  const second = await signIn(running, 'monerium');
  t.is(live.size, 2, 'the same provider user in two browsers is two stored sessions');
  const [firstKey, secondKey] = [...live];
  t.regex(firstKey ?? '', /^web-login:[A-Za-z0-9_-]{43}:monerium:/);
  t.not(firstKey?.split(':')[1], secondKey?.split(':')[1]);

  const logout = await post(`${running.url}/logout`, cookieOf(first.finished));
  t.is(logout.status, 303);
  t.is(logout.headers.get('location'), '/');
  t.regex(setCookieOf(logout) ?? '', new RegExp(`^${SESSION_COOKIE}=;.*Expires=Thu, 01 Jan 1970`));
  t.deepEqual([...live], [secondKey], 'only the signed-out browser lost its tokens');
  const after = await get(`${running.url}/account`, cookieOf(first.finished));
  t.is(after.status, 303);
  t.is((await get(`${running.url}/account`, cookieOf(second.finished))).status, 200);
});

test('an unknown provider is a 404 and starts no session', async (t) => {
  const running = await startApp();
  t.teardown(() => running.close());
  const response = await post(`${running.url}/login/paypal`);
  t.is(response.status, 404);
  t.is(setCookieOf(response), undefined);
});
