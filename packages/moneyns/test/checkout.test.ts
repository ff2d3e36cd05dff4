import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import type { CheckoutOptions } from '../src/index.js';
import { openCheckout } from './_checkout-page.js';
import { rsaKeyPair } from './_keys.js';
import { offlineClient, platformClient, run, sandboxClock, userClient, worldFor } from './_setup.js';

const options: CheckoutOptions = { lang: 'en', display: 'dark', landing: 'https://shop.example/thanks?order=42' };

test('checkoutUrl is the checkout page with platform, token, lang, display and landing', async (t) => {
  const world = await worldFor(t);
  const client = platformClient(world);
  const result = await run(client.checkoutUrl(options));
  const session = await run(client.session());
  if (E.isLeft(result) || E.isLeft(session)) return t.fail('checkoutUrl failed');
  const url = new URL(result.right);
  t.is(`${url.origin}${url.pathname}`, world.checkoutUrl);
  t.deepEqual(Object.fromEntries(url.searchParams), {
    platform: world.platform.name,
    token: session.right.id,
    lang: 'en',
    display: 'dark',
    landing: 'https://shop.example/thanks?order=42',
  });
  t.is(world.requests().length, 1, 'one login; building the address sends nothing else');
});

test('the checkout URL opens on the sandbox checkout page with a valid session', async (t) => {
  const world = await worldFor(t);
  const result = await run(platformClient(world).checkoutUrl(options));
  if (E.isLeft(result)) return t.fail(result.left.message);
  const page = await openCheckout(result.right);
  t.is(page.status, 200);
  t.true(page.html.includes(world.users.active.email) || page.html.includes(world.users.active.id), 'the page shows the session user');
});

test('the checkout URL of an expired session is refused by the page, and checkoutUrl logs in again', async (t) => {
  const world = await worldFor(t, { sessionTtlSeconds: 600 });
  const client = platformClient(world, { now: sandboxClock(world) });
  const before = await run(client.checkoutUrl(options));
  if (E.isLeft(before)) return t.fail(before.left.message);
  world.sandbox.admin.clock.advance(601_000);
  t.is((await openCheckout(before.right)).status, 401);
  const after = await run(client.checkoutUrl(options));
  if (E.isLeft(after)) return t.fail(after.left.message);
  t.is((await openCheckout(after.right)).status, 200);
});

const invalid: ReadonlyArray<[string, Partial<Record<keyof CheckoutOptions, unknown>>, string]> = [
  ['a three-letter lang', { lang: 'eng' }, 'lang'],
  ['an upper-case lang', { lang: 'EN' }, 'lang'],
  ['a lang with a digit', { lang: 'e1' }, 'lang'],
  ['an unknown display', { display: 'blue' }, 'display'],
  ['a relative landing', { landing: '/thanks' }, 'landing'],
  ['a landing over plain http to a remote host', { landing: 'http://shop.example/thanks' }, 'landing'],
  ['a javascript: landing', { landing: 'javascript:alert(1)' }, 'landing'],
  ['a landing with credentials', { landing: 'https://user:pw@shop.example/' }, 'landing'],
  ['a platform code with a slash', { platform: 'a/b' }, 'platform'],
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

test('a landing over http on a loopback host is accepted', async (t) => {
  const world = await worldFor(t);
  const result = await run(platformClient(world).checkoutUrl({ ...options, landing: 'http://127.0.0.1:5173/done' }));
  t.true(E.isRight(result));
});

test('a user-login client needs the platform code for its checkout', async (t) => {
  const world = await worldFor(t);
  const client = userClient(world);
  t.like(await run(client.checkoutUrl(options)), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'platform' } });
  t.is(world.requests().length, 0);
  const result = await run(client.checkoutUrl({ ...options, platform: world.platform.name }));
  if (E.isLeft(result)) return t.fail(result.left.message);
  t.is(new URL(result.right).searchParams.get('platform'), world.platform.name);
  t.is((await openCheckout(result.right)).status, 200);
});
