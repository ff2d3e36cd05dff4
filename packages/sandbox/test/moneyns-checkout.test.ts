import test from 'ava';
import jwt from 'jsonwebtoken';
import { type MoneyNsEmulator as Emulator, startMoneyNs as start } from './_moneyns.js';

const nowSeconds = (ns: Emulator): number => Math.floor(ns.clock.now() / 1000);

/** The record's example payload (moneyns-public.md §6), signed as the platform would sign it. */
const payload = (ns: Emulator, extra: Record<string, unknown> = {}) => ({
  link: { id: 'shop-user-17', username: 'john', email: 'john@email.com' },
  user: { email: 'john@email.com', type: 'personal', first_name: 'John', last_name: 'Doe', dob: '2000-01-31', country: 'RO' },
  payment: { operation: 'buy_with_fiat', symbol: 'ETH', amount: '10', secondSymbol: 'EUR', method: 'card', second_order_type: 'withdraw', attempts: '3' },
  request_id: '1',
  redirect_url: 'https://shop.example/done',
  ping_url: 'https://shop.example/ping',
  ip: '203.0.113.7',
  expire: nowSeconds(ns) + 600,
  ...extra,
});

const signed = (ns: Emulator, algorithm: jwt.Algorithm = 'RS512', extra: Record<string, unknown> = {}): string =>
  jwt.sign(payload(ns, extra), algorithm.startsWith('HS') ? ns.fixtures.platform.checkoutSecret : ns.fixtures.platform.privateKeyPem, {
    algorithm,
    noTimestamp: true,
  });

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

const probe = async (ns: Emulator, token: string): Promise<number> =>
  (await fetch(`${ns.url}/api/v1/_sandbox/session`, { headers: { authorization: `Bearer ${token}` } })).status;

test('the checkout page verifies the signed token and shows platform, link, payment, lang, display and the step', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const page = await checkout(ns, { lang: 'ro', display: 'dark', landing: 'true', platform: 'paygate', token: signed(ns) });
  t.is(page.status, 200);
  t.regex(page.type, /^text\/html/);
  t.regex(page.html, /<html lang="ro">/);
  t.true(page.html.includes('<dd data-field="platform">paygate</dd>'));
  t.true(page.html.includes('<dd data-field="linkId">shop-user-17</dd>'));
  t.true(page.html.includes('<dd data-field="amount">10 ETH</dd>'));
  t.true(page.html.includes('<dd data-field="display">dark</dd>'));
  t.true(page.html.includes('<p data-field="step">payment</p>'), 'landing=true skips the landing page');
});

test('lang, display and landing default to en, light and false', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const page = await checkout(ns, { platform: 'paygate', token: signed(ns) });
  t.is(page.status, 200);
  t.true(page.html.includes('<dd data-field="lang">en</dd>'));
  t.true(page.html.includes('<dd data-field="display">light</dd>'));
  t.true(page.html.includes('<p data-field="step">landing</p>'));
});

test('every algorithm of the Partner dashboard is verified: RS512, RS384, RS256 with the platform key, HS* with its secret', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  for (const algorithm of ['RS512', 'RS384', 'RS256', 'HS512', 'HS384', 'HS256'] as const) {
    t.is((await checkout(ns, { platform: 'paygate', token: signed(ns, algorithm) })).status, 200, algorithm);
  }
  const claims = payload(ns);
  const forgedHs = jwt.sign(claims, ns.fixtures.platform.publicKeyPem.replace(/\n/g, ''), { algorithm: 'HS256', noTimestamp: true });
  const otherKey = jwt.sign(claims, ns.fixtures.otherKeyPair.privateKeyPem, { algorithm: 'RS512', noTimestamp: true });
  const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
  for (const token of [forgedHs, otherKey, none, 'not-a-jwt']) {
    t.is((await checkout(ns, { platform: 'paygate', token })).status, 401);
  }
});

test('a token past its expire, or without link.id or payment, gets a 401 page', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const token = signed(ns, 'RS512', { expire: nowSeconds(ns) + 60 });
  t.is((await checkout(ns, { platform: 'paygate', token })).status, 200);
  ns.clock.advance(60_000);
  t.is((await checkout(ns, { platform: 'paygate', token })).status, 200, 'expire equal to now is still valid');
  ns.clock.advance(1_000);
  const expired = await checkout(ns, { platform: 'paygate', token });
  t.is(expired.status, 401);
  t.regex(expired.html, /expired/);
  t.is((await checkout(ns, { platform: 'paygate', token: signed(ns, 'RS512', { link: { username: 'x' } }) })).status, 401);
  t.is((await checkout(ns, { platform: 'paygate', token: signed(ns, 'RS512', { link: { id: 'x'.repeat(192) } }) })).status, 401);
  t.is((await checkout(ns, { platform: 'paygate', token: signed(ns, 'RS512', { payment: undefined }) })).status, 401);
});

test('sessions are checked by the sandbox probe: unknown, expired and revoked bearer tokens are 401', async (t) => {
  const ns = await start(60);
  t.teardown(() => ns.close());
  t.is(await probe(ns, '1|nope'), 401);
  const token = await sessionToken(ns);
  t.is(await probe(ns, token), 200);
  ns.clock.advance(60_000);
  t.is(await probe(ns, token), 401);
  const revoked = await sessionToken(ns);
  ns.admin.revokeAll();
  t.is(await probe(ns, revoked), 401);
});

test('expireAccessTokens ends every session issued so far, not later ones', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const before = await sessionToken(ns);
  ns.admin.expireAccessTokens();
  const after = await sessionToken(ns);
  t.is(await probe(ns, before), 401);
  t.is(await probe(ns, after), 200);
});

test('missing or malformed checkout parameters get a 400 page', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const token = signed(ns);
  const cases: ReadonlyArray<Record<string, string>> = [
    { token },
    { platform: 'unknown', token },
    { platform: 'paygate' },
    { platform: 'paygate', token, lang: 'english' },
    { platform: 'paygate', token, lang: 'fr' },
    { platform: 'paygate', token, display: 'popup' },
    { platform: 'paygate', token, landing: 'https://shop.example/' },
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
  const token = signed(ns, 'RS512', { link: { id: '<script>alert(1)</script>' } });
  const page = await checkout(ns, { platform: 'paygate', token });
  t.is(page.status, 200);
  t.false(page.html.includes('<script>'));
  t.true(page.html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
});
