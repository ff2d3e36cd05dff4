import { createRegistry } from '@paygate/core';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { adapter, MoneyNsConfigCodec, moneyNsGateway } from '../src/index.js';
import { openCheckout } from './_checkout-page.js';
import { offlineClient, platformClient, run, worldFor } from './_setup.js';

const payment = { amount: '10', currency: 'EUR', to: { kind: 'iban' as const, iban: 'GR1601101250000000012300695', name: 'Someone' } };

test('the gateway declares checkout and nothing else', (t) => {
  const gateway = moneyNsGateway(offlineClient({ email: 'john@email.com', password: 'pw' }).client);
  t.is(gateway.provider, 'moneyns');
  t.deepEqual([...gateway.capabilities], ['checkout']);
});

test('balances, payments, payment, pay and watch answer Unsupported and send nothing', async (t) => {
  const { client, sent } = offlineClient({ email: 'john@email.com', password: 'pw' });
  const gateway = moneyNsGateway(client);
  t.like(await run(gateway.balances()), { _tag: 'Left', left: { _tag: 'Unsupported', provider: 'moneyns', capability: 'balances' } });
  t.like(await run(gateway.payments({ limit: 5 })), { _tag: 'Left', left: { _tag: 'Unsupported', capability: 'payments' } });
  t.like(await run(gateway.payment('some-id')), { _tag: 'Left', left: { _tag: 'Unsupported', capability: 'payments' } });
  t.like(await run(gateway.pay(payment)), { _tag: 'Left', left: { _tag: 'Unsupported', capability: 'pay' } });
  t.like(gateway.watch(() => undefined), { _tag: 'Left', left: { _tag: 'Unsupported', capability: 'watch' } });
  t.is(sent(), 0);
});

test('the gateway builds the checkout URL of its client', async (t) => {
  const world = await worldFor(t);
  const gateway = moneyNsGateway(platformClient(world));
  const url = await run(
    gateway.checkoutUrl({
      lang: 'de',
      display: 'light',
      landing: true,
      token: { kind: 'purchase', link: { id: 'u-1' }, payment: { operation: 'buy_with_fiat', symbol: 'ETH', amount: '10' } },
    }),
  );
  if (E.isLeft(url)) return t.fail(url.left.message);
  t.is((await openCheckout(url.right)).status, 200);
});

test('the registry builds a MoneyNS gateway from a JSON config with the PEM as a string', async (t) => {
  const world = await worldFor(t);
  // As it would arrive from a JSON file or an environment variable: line breaks written as \n.
  const json = JSON.stringify({
    provider: 'moneyns',
    baseUrl: world.baseUrl,
    checkoutUrl: world.checkoutUrl,
    timeoutMs: 5_000,
    auth: {
      platform: world.platform.name,
      privateKeyPem: world.platform.privateKeyPem.trim().split('\n').join('\\n'),
      subject: { email: world.users.active.email },
      lifetimeSeconds: 30,
    },
  });
  const registry = createRegistry([adapter]);
  const gateway = registry.create(JSON.parse(json));
  if (E.isLeft(gateway)) return t.fail(gateway.left.message);
  t.is(gateway.right.provider, 'moneyns');
  t.deepEqual([...gateway.right.capabilities], ['checkout']);
  t.true(E.isRight(await run(moneyNsGatewayOf(gateway.right).client.session())));
  t.like(world.requests()[0], { method: 'POST', path: `/api/v1/authenticate-jwt/${world.platform.name}` });
});

test('a user-login config decodes and logs in with email and password', async (t) => {
  const world = await worldFor(t);
  const gateway = adapter.create({ provider: 'moneyns', baseUrl: world.baseUrl, auth: { email: world.users.active.email, password: world.users.active.password } });
  if (E.isLeft(gateway)) return t.fail(gateway.left.message);
  t.deepEqual(await run(moneyNsGatewayOf(gateway.right).client.userId()), E.right(world.users.active.id));
});

test('a config without auth is InvalidInput from the registry', (t) => {
  const registry = createRegistry([adapter]);
  t.like(registry.create({ provider: 'moneyns' }), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'auth' } });
});

test('a config with an http baseUrl to a remote host is InvalidInput', (t) => {
  const result = adapter.create({ provider: 'moneyns', baseUrl: 'http://appapi-public.cryptocoin.pro/api/v1', auth: { email: 'a@b.c', password: 'pw' } });
  t.like(result, { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'baseUrl' } });
});

test('the config codec accepts both auth forms', (t) => {
  t.true(E.isRight(MoneyNsConfigCodec.decode({ provider: 'moneyns', auth: { email: 'a@b.c', password: 'pw' } })));
  t.true(E.isRight(MoneyNsConfigCodec.decode({ provider: 'moneyns', auth: { platform: 'p', privateKeyPem: 'pem', subject: { id: 'u1' } } })));
  t.true(E.isLeft(MoneyNsConfigCodec.decode({ provider: 'monerium', auth: { email: 'a@b.c', password: 'pw' } })));
});

/** The registry hands back a PaymentsGateway; a MoneyNS one also carries its client. */
const moneyNsGatewayOf = (gateway: unknown) => gateway as ReturnType<typeof moneyNsGateway>;
