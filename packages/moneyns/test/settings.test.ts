import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { createMoneyNsClient, DEFAULT_BASE_URL, DEFAULT_CHECKOUT_URL } from '../src/index.js';
import { ecPrivateKeyPem, rsaKeyPair } from './_keys.js';
import { offlineClient } from './_setup.js';

const key = rsaKeyPair();
const user = { email: 'someone@example.com', password: 'correct horse battery staple' };
const platform = { platform: 'acme', privateKeyPem: key.privateKeyPem, subject: { email: 'someone@example.com' } };

const invalidField = (result: ReturnType<typeof createMoneyNsClient>): string | undefined =>
  E.isLeft(result) && result.left._tag === 'InvalidInput' ? result.left.field : undefined;

test('the defaults are the production API and the documented checkout address', (t) => {
  const client = createMoneyNsClient({ auth: user });
  if (E.isLeft(client)) return t.fail(client.left.message);
  t.is(client.right.baseUrl, DEFAULT_BASE_URL);
  t.is(client.right.baseUrl, 'https://appapi-public.cryptocoin.pro/api/v1');
  t.is(client.right.checkoutBaseUrl, DEFAULT_CHECKOUT_URL);
});

test('a trailing slash on baseUrl is dropped', (t) => {
  const client = createMoneyNsClient({ auth: user, baseUrl: 'http://127.0.0.1:4000/moneyns/api/v1/' });
  t.like(client, { _tag: 'Right', right: { baseUrl: 'http://127.0.0.1:4000/moneyns/api/v1' } });
});

test('baseUrl over plain http to a remote host is InvalidInput', (t) => {
  t.is(invalidField(createMoneyNsClient({ auth: user, baseUrl: 'http://appapi-public.cryptocoin.pro/api/v1' })), 'baseUrl');
});

test('a relative baseUrl is InvalidInput', (t) => {
  t.is(invalidField(createMoneyNsClient({ auth: user, baseUrl: '/api/v1' })), 'baseUrl');
});

test('a checkoutUrl with embedded credentials is InvalidInput', (t) => {
  t.is(invalidField(createMoneyNsClient({ auth: user, checkoutUrl: 'https://u:p@checkout.example.com/' })), 'checkoutUrl');
});

test('a user login needs an email address and a password', (t) => {
  t.is(invalidField(createMoneyNsClient({ auth: { email: 'not-an-email', password: 'x' } })), 'auth.email');
  t.is(invalidField(createMoneyNsClient({ auth: { email: 'a@b.c', password: '' } })), 'auth.password');
});

test('a platform code that is not a plain path segment is InvalidInput', (t) => {
  t.is(invalidField(createMoneyNsClient({ auth: { ...platform, platform: '../authenticate' } })), 'auth.platform');
  t.is(invalidField(createMoneyNsClient({ auth: { ...platform, platform: '' } })), 'auth.platform');
});

test('a platform subject must be an email or a non-empty id', (t) => {
  t.is(invalidField(createMoneyNsClient({ auth: { ...platform, subject: { email: 'nope' } } })), 'auth.subject.email');
  t.is(invalidField(createMoneyNsClient({ auth: { ...platform, subject: { id: '' } } })), 'auth.subject');
  t.true(E.isRight(createMoneyNsClient({ auth: { ...platform, subject: { id: 'f2b1c3d4-0000-4000-8000-000000000001' } } })));
});

test('the JWT lifetime must be a whole number of seconds from 0 to an hour (expire never in the past)', (t) => {
  t.is(invalidField(createMoneyNsClient({ auth: { ...platform, lifetimeSeconds: 1.5 } })), 'auth.lifetimeSeconds');
  t.is(invalidField(createMoneyNsClient({ auth: { ...platform, lifetimeSeconds: 86_400 } })), 'auth.lifetimeSeconds');
  t.is(invalidField(createMoneyNsClient({ auth: { ...platform, lifetimeSeconds: -30 } })), 'auth.lifetimeSeconds');
  t.true(E.isRight(createMoneyNsClient({ auth: { ...platform, lifetimeSeconds: 0 } })));
});

test('environment picks the hosts of the record; baseUrl and checkoutUrl still override them', (t) => {
  const development = createMoneyNsClient({ auth: user, environment: 'development' });
  t.like(development, {
    _tag: 'Right',
    right: { baseUrl: 'https://dev-api-public.infra.cryptocoin.pro/api/v1', checkoutBaseUrl: 'https://dev-checkout.infra.cryptocoin.pro/' },
  });
  t.like(createMoneyNsClient({ auth: user }), {
    _tag: 'Right',
    right: { baseUrl: 'https://appapi-public.cryptocoin.pro/api/v1', checkoutBaseUrl: 'https://checkout.cryptocoin.pro/' },
  });
  t.like(createMoneyNsClient({ auth: user, environment: 'development', baseUrl: 'https://api.example/api/v1' }), {
    _tag: 'Right',
    right: { baseUrl: 'https://api.example/api/v1', checkoutBaseUrl: 'https://dev-checkout.infra.cryptocoin.pro/' },
  });
  t.is(invalidField(createMoneyNsClient({ auth: user, environment: 'staging' as never })), 'environment');
});

test('renewBeforeSeconds must be a non-negative number', (t) => {
  t.is(invalidField(createMoneyNsClient({ auth: user, renewBeforeSeconds: -1 })), 'renewBeforeSeconds');
});

test('a 1024-bit RSA key is refused at creation', (t) => {
  const weak = rsaKeyPair(1024);
  const result = createMoneyNsClient({ auth: { ...platform, privateKeyPem: weak.privateKeyPem } });
  t.like(result, { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'auth.privateKeyPem' } });
});

test('an EC key is refused at creation', (t) => {
  const result = createMoneyNsClient({ auth: { ...platform, privateKeyPem: ecPrivateKeyPem() } });
  t.like(result, { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'auth.privateKeyPem' } });
});

test('text that is not a PEM key is refused at creation', (t) => {
  const result = createMoneyNsClient({ auth: { ...platform, privateKeyPem: 'hunter2-not-a-key' } });
  t.like(result, { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'auth.privateKeyPem' } });
});

test('a PEM whose line breaks are written as \\n is accepted', (t) => {
  const escaped = key.privateKeyPem.trim().split('\n').join('\\n');
  t.false(escaped.includes('\n'));
  t.true(E.isRight(createMoneyNsClient({ auth: { ...platform, privateKeyPem: escaped } })));
});

test('requests go through the got instance given in http.got', async (t) => {
  const { client, sent } = offlineClient(user);
  const result = await client.session()();
  t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', attempts: 1 } });
  t.is(sent(), 1);
});

test('a baseUrl with a query is InvalidInput', (t) => {
  t.is(invalidField(createMoneyNsClient({ auth: user, baseUrl: 'https://api.example/api/v1?x=1' })), 'baseUrl');
});
