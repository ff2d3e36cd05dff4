import test from 'ava';
import { type MoneyNsEmulator as Emulator, startMoneyNs as start } from './_moneyns.js';

async function sessionToken(ns: Emulator, user = ns.fixtures.users.active): Promise<string> {
  const response = await fetch(`${ns.url}/api/v1/authenticate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  return ((await response.json()) as { data: { id: string } }).data.id;
}

async function checkout(ns: Emulator, params: Readonly<Record<string, string>>): Promise<{ status: number; html: string; type: string }> {
  const response = await fetch(`${ns.url}/checkout?${new URLSearchParams(params).toString()}`);
  return { status: response.status, html: await response.text(), type: response.headers.get('content-type') ?? '' };
}

test('the checkout page shows the signed-in user, platform, lang, display and landing', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const { active } = ns.fixtures.users;
  const token = await sessionToken(ns);
  const page = await checkout(ns, { platform: 'paygate', token, lang: 'ro', display: 'popup', landing: 'buy' });
  t.is(page.status, 200);
  t.regex(page.type, /^text\/html/);
  t.regex(page.html, /<html lang="ro">/);
  t.true(page.html.includes(`<dd data-field="userId">${active.id}</dd>`));
  t.true(page.html.includes(`<span data-field="email">${active.email}</span>`));
  t.true(page.html.includes('<dd data-field="platform">paygate</dd>'));
  t.true(page.html.includes('<dd data-field="display">popup</dd>'));
  t.true(page.html.includes('<dd data-field="landing">buy</dd>'));
});

test('lang and display default to en and page', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const page = await checkout(ns, { platform: 'paygate', token: await sessionToken(ns) });
  t.is(page.status, 200);
  t.true(page.html.includes('<dd data-field="lang">en</dd>'));
  t.true(page.html.includes('<dd data-field="display">page</dd>'));
});

test('an unknown, expired or revoked session gets a 401 page', async (t) => {
  const ns = await start(60);
  t.teardown(() => ns.close());
  const unknown = await checkout(ns, { platform: 'paygate', token: '1|nope' });
  t.is(unknown.status, 401);
  t.regex(unknown.type, /^text\/html/);
  const token = await sessionToken(ns);
  t.is((await checkout(ns, { platform: 'paygate', token })).status, 200);
  ns.clock.advance(60_000);
  t.is((await checkout(ns, { platform: 'paygate', token })).status, 401);
  const revoked = await sessionToken(ns);
  ns.admin.revokeAll();
  t.is((await checkout(ns, { platform: 'paygate', token: revoked })).status, 401);
});

test('expireAccessTokens ends every session issued so far, not later ones', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const before = await sessionToken(ns);
  ns.admin.expireAccessTokens();
  const after = await sessionToken(ns);
  t.is((await checkout(ns, { platform: 'paygate', token: before })).status, 401);
  t.is((await checkout(ns, { platform: 'paygate', token: after })).status, 200);
});

test("a session of a user outside the checkout's platform gets a 401 page", async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const token = await sessionToken(ns, ns.fixtures.users.unlinked);
  t.is((await checkout(ns, { platform: 'paygate', token })).status, 401);
});

test('missing or malformed checkout parameters get a 400 page', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const token = await sessionToken(ns);
  const cases: ReadonlyArray<Record<string, string>> = [
    { token },
    { platform: 'unknown', token },
    { platform: 'paygate' },
    { platform: 'paygate', token, lang: 'english' },
    { platform: 'paygate', token, display: 'pop up!' },
    { platform: 'paygate', token, landing: 'x'.repeat(2049) },
  ];
  for (const params of cases) {
    const page = await checkout(ns, params);
    t.is(page.status, 400, JSON.stringify(Object.keys(params)));
    t.regex(page.type, /^text\/html/);
  }
  const repeated = await fetch(`${ns.url}/checkout?platform=paygate&token=${encodeURIComponent(token)}&lang=en&lang=ro`);
  t.is(repeated.status, 400);
});

test('the checkout page escapes what it echoes', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const page = await checkout(ns, { platform: 'paygate', token: await sessionToken(ns), landing: '<script>alert(1)</script>' });
  t.is(page.status, 200);
  t.false(page.html.includes('<script>'));
  t.true(page.html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
});
