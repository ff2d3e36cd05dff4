import { createPublicKey, createVerify } from 'node:crypto';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import {
  buildCheckoutToken,
  createMoneyNsClient,
  type MoneyNsCheckoutSettings,
  type CheckoutOptions,
  type CheckoutTokenInput,
  checkoutTokenClaims,
  type InvoiceCheckout,
  type PurchaseCheckout,
} from '../src/index.js';
import { openCheckout } from './_checkout-page.js';
import { rsaKeyPair } from './_keys.js';
import { offlineClient, platformClient, run, sandboxClock, userClient, worldFor } from './_setup.js';

/** The record's example payload (moneyns-public.md §6, DCO). */
const purchase: PurchaseCheckout = {
  kind: 'purchase',
  link: { id: 'shop-user-17', username: 'john', email: 'john@email.com' },
  user: {
    email: 'john@email.com',
    type: 'personal',
    first_name: 'John',
    last_name: 'Doe',
    dob: '2000-01-31',
    wallet: '0x0000000000000000000000000000000000000001',
    network: 'ETH',
    phone: '40730000000',
    country: 'RO',
    city: 'Bucharest',
    street: 'Street 1',
    zip: '010101',
  },
  payment: { operation: 'buy_with_fiat', symbol: 'ETH', amount: '10', secondSymbol: 'EUR', method: 'card', second_order_type: 'withdraw', attempts: '3' },
  request_id: '1',
  redirect_url: 'https://shop.example/thanks?order=42',
  ping_url: 'https://shop.example/ping',
};

/** The invoice variant (moneyns-public.md §6, DPI). */
const invoice: InvoiceCheckout = {
  kind: 'invoice',
  link: { id: 'shop-user-17' },
  payment: {
    operation: 'buy_with_fiat',
    symbol: 'USDT',
    amount: '100',
    secondSymbol: 'EUR',
    secondAmount: '92.5',
    orderPaymentType: 'card',
    second_order_type: 'payment',
    secondService: '6f1c1a52-1f7b-4a51-9d2e-0b3c4d5e6f70',
    secondServiceBeneficiary: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  },
  ip: '203.0.113.7',
};

const options: CheckoutOptions = { token: purchase, lang: 'en', display: 'dark' };

const decodePart = (jwt: string, index: number): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[index] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

test('checkoutUrl signs the record’s payload with RS512 and sends nothing: lang, display, landing=false, platform, token', async (t) => {
  const world = await worldFor(t);
  const before = Math.floor(Date.now() / 1000);
  const result = await run(platformClient(world).checkoutUrl(options));
  if (E.isLeft(result)) return t.fail(result.left.message);
  const url = new URL(result.right);
  t.is(`${url.origin}${url.pathname}`, world.checkoutUrl);
  t.deepEqual([...url.searchParams.keys()], ['lang', 'display', 'landing', 'platform', 'token']);
  t.like(Object.fromEntries(url.searchParams), { lang: 'en', display: 'dark', landing: 'false', platform: world.platform.name });
  const token = url.searchParams.get('token') ?? '';
  t.deepEqual(decodePart(token, 0), { alg: 'RS512', typ: 'JWT' });
  const { expire, ...claims } = decodePart(token, 1);
  const { kind: _kind, ...documented } = purchase;
  t.deepEqual(claims, documented);
  t.true(typeof expire === 'number' && expire >= before + 3600 && expire <= Math.ceil(Date.now() / 1000) + 3600);
  const [header, payload, signature] = token.split('.');
  const verified = createVerify('sha512')
    .update(`${header}.${payload}`)
    .verify(createPublicKey(world.platform.publicKeyPem), Buffer.from(signature ?? '', 'base64url'));
  t.true(verified);
  t.is(world.requests().length, 0, 'no login: the page needs the signed token only');
  const page = await openCheckout(result.right);
  t.is(page.status, 200);
  t.true(page.html.includes('<dd data-field="linkId">shop-user-17</dd>'));
});

test('defaults are lang en, display light, landing false; landing true skips the landing page', async (t) => {
  const world = await worldFor(t);
  const client = platformClient(world);
  const plain = await run(client.checkoutUrl({ token: purchase }));
  if (E.isLeft(plain)) return t.fail(plain.left.message);
  t.like(Object.fromEntries(new URL(plain.right).searchParams), { lang: 'en', display: 'light', landing: 'false' });
  const skipping = await run(client.checkoutUrl({ token: purchase, landing: true, lang: 'de' }));
  if (E.isLeft(skipping)) return t.fail(skipping.left.message);
  t.is(new URL(skipping.right).searchParams.get('landing'), 'true');
  t.true((await openCheckout(skipping.right)).html.includes('<p data-field="step">payment</p>'));
});

test('every dashboard algorithm signs a token the checkout accepts: RS384, RS256 with the platform key, HS* with the secret', async (t) => {
  const world = await worldFor(t);
  for (const algorithm of ['RS384', 'RS256'] as const) {
    const result = await run(platformClient(world, { checkout: { algorithm } }).checkoutUrl(options));
    if (E.isLeft(result)) return t.fail(result.left.message);
    t.is(decodePart(new URL(result.right).searchParams.get('token') ?? '', 0).alg, algorithm);
    t.is((await openCheckout(result.right)).status, 200, algorithm);
  }
  for (const algorithm of ['HS512', 'HS384', 'HS256'] as const) {
    const client = platformClient(world, { checkout: { algorithm, secret: world.platform.checkoutSecret } });
    const result = await run(client.checkoutUrl(options));
    if (E.isLeft(result)) return t.fail(result.left.message);
    t.is(decodePart(new URL(result.right).searchParams.get('token') ?? '', 0).alg, algorithm);
    t.is((await openCheckout(result.right)).status, 200, algorithm);
  }
});

test('the invoice variant is signed with its payment fields and ip, and the page accepts it', async (t) => {
  const world = await worldFor(t);
  const result = await run(platformClient(world).checkoutUrl({ token: invoice }));
  if (E.isLeft(result)) return t.fail(result.left.message);
  const claims = decodePart(new URL(result.right).searchParams.get('token') ?? '', 1);
  t.like(claims, { ip: '203.0.113.7', payment: { second_order_type: 'payment', secondAmount: '92.5', orderPaymentType: 'card' } });
  t.is((await openCheckout(result.right)).status, 200);
});

test('a token past its expire is refused by the page: the lifetime is counted on the client clock', async (t) => {
  const world = await worldFor(t);
  const client = platformClient(world, { now: sandboxClock(world), checkout: { tokenLifetimeSeconds: 60 } });
  const result = await run(client.checkoutUrl(options));
  if (E.isLeft(result)) return t.fail(result.left.message);
  t.is((await openCheckout(result.right)).status, 200);
  world.sandbox.admin.clock.advance(61_000);
  t.is((await openCheckout(result.right)).status, 401);
});

test('buildCheckoutToken and checkoutTokenClaims work without a client', (t) => {
  const { privateKeyPem } = rsaKeyPair();
  const claims = checkoutTokenClaims(purchase, 1_700_000_000_000, 120);
  t.like(claims, { _tag: 'Right', right: { link: { id: 'shop-user-17' }, expire: 1_700_000_120 } });
  const token = buildCheckoutToken(purchase, { privateKeyPem }, { algorithm: 'RS256', now: 1_700_000_000_000 });
  if (E.isLeft(token)) return t.fail(token.left.message);
  t.deepEqual(decodePart(token.right, 0), { alg: 'RS256', typ: 'JWT' });
  t.like(buildCheckoutToken(purchase, { secret: 'short' }, { algorithm: 'HS256' }), { _tag: 'Left', left: { field: 'checkout.secret' } });
  t.like(buildCheckoutToken(purchase, { secret: 'x'.repeat(32) }), { _tag: 'Left', left: { field: 'checkout.privateKeyPem' } });
});

const withPayment = (payment: Record<string, unknown>): CheckoutTokenInput =>
  ({ ...invoice, payment: { ...invoice.payment, ...payment } }) as CheckoutTokenInput;

const invalid: ReadonlyArray<[string, Record<string, unknown>, string]> = [
  ['a lang outside ro, en, de', { lang: 'fr' }, 'lang'],
  ['an upper-case lang', { lang: 'EN' }, 'lang'],
  ['an unknown display', { display: 'blue' }, 'display'],
  ['a landing URL (landing is a boolean)', { landing: 'https://shop.example/thanks' }, 'landing'],
  ['a platform code with a slash', { platform: 'a/b' }, 'platform'],
  ['a token without link', { token: { ...purchase, link: undefined } }, 'link'],
  ['a link.id over 191 characters', { token: { ...purchase, link: { id: 'x'.repeat(192) } } }, 'link.id'],
  ['a payment without amount', { token: { ...purchase, payment: { operation: 'buy_with_fiat', symbol: 'ETH' } } }, 'payment.amount'],
  ['an amount that is not a decimal', { token: { ...purchase, payment: { ...purchase.payment, amount: '1,5' } } }, 'payment.amount'],
  ['attempts that are not a whole number', { token: { ...purchase, payment: { ...purchase.payment, attempts: 'three' } } }, 'payment.attempts'],
  ['a dob that is not a date', { token: { ...purchase, user: { dob: '31.01.2000' } } }, 'user.dob'],
  ['a javascript: redirect_url', { token: { ...purchase, redirect_url: 'javascript:alert(1)' } }, 'redirect_url'],
  ['an invoice without secondService', { token: withPayment({ secondService: undefined }) }, 'payment.secondService'],
  ['an invoice whose beneficiary is not a UUID', { token: withPayment({ secondServiceBeneficiary: 'bob' }) }, 'payment.secondServiceBeneficiary'],
  ['an invoice whose second_order_type is withdraw', { token: withPayment({ second_order_type: 'withdraw' }) }, 'payment.second_order_type'],
  ['an invoice without ip', { token: { ...invoice, ip: undefined } }, 'ip'],
  ['an unknown token kind', { token: { ...purchase, kind: 'refund' } }, 'token.kind'],
];

const key = rsaKeyPair();

for (const [what, change, field] of invalid) {
  test(`${what} is InvalidInput and sends nothing`, async (t) => {
    const { client, sent } = offlineClient({ platform: 'acme', privateKeyPem: key.privateKeyPem, subject: { email: 'john@email.com' } });
    const result = await run(client.checkoutUrl({ ...options, ...change } as CheckoutOptions));
    t.like(result, { _tag: 'Left', left: { _tag: 'InvalidInput', field } });
    t.is(sent(), 0);
  });
}

test('checkout settings are checked when the client is made: algorithm, HS secret, lifetime', (t) => {
  const { privateKeyPem } = rsaKeyPair();
  const auth = { platform: 'acme', privateKeyPem, subject: { email: 'john@email.com' } };
  const field = (checkout: Record<string, unknown>) => {
    const created = createMoneyNsClient({ auth, checkout: checkout as MoneyNsCheckoutSettings });
    return E.isLeft(created) && created.left._tag === 'InvalidInput' ? created.left.field : 'accepted';
  };
  t.is(field({ algorithm: 'ES256' }), 'checkout.algorithm');
  t.is(field({ algorithm: 'HS256' }), 'checkout.secret');
  t.is(field({ algorithm: 'RS512', secret: 'x'.repeat(40) }), 'checkout.secret');
  t.is(field({ tokenLifetimeSeconds: 0 }), 'checkout.tokenLifetimeSeconds');
  t.is(field({ algorithm: 'HS384', secret: 'x'.repeat(40) }), 'accepted');
});

test('a user-login client needs the platform code and a signing key for its checkout', async (t) => {
  const world = await worldFor(t);
  t.like(await run(userClient(world).checkoutUrl({ ...options, platform: world.platform.name })), {
    _tag: 'Left',
    left: { _tag: 'InvalidInput', field: 'checkout' },
  });
  const client = userClient(world, world.users.active, { checkout: { privateKeyPem: world.platform.privateKeyPem } });
  t.like(await run(client.checkoutUrl(options)), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'platform' } });
  t.is(world.requests().length, 0);
  const result = await run(client.checkoutUrl({ ...options, platform: world.platform.name }));
  if (E.isLeft(result)) return t.fail(result.left.message);
  t.is(new URL(result.right).searchParams.get('platform'), world.platform.name);
  t.is((await openCheckout(result.right)).status, 200);
});
