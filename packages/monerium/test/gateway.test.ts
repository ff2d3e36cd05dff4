import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { createRegistry, type GatewayAdapter, type PaymentEvent, PaymentCodec } from '@paygate/core';
import { adapter, moneriumGateway, type Order, paymentFromOrder } from '../src/index.js';
import { basicClient, eventually, left, moneriumRequests, partnerClient, right, seededWallet, startMonerium } from './_sandbox.js';

test('the gateway declares balances, payments, pay and watch', async (t) => {
  const sandbox = await startMonerium(t);
  const gateway = moneriumGateway(basicClient(sandbox));
  t.is(gateway.provider, 'monerium');
  t.deepEqual([...gateway.capabilities].sort(), ['balances', 'pay', 'payments', 'watch']);
});

test('balances() flattens every address, chain and currency into Balance entries', async (t) => {
  const sandbox = await startMonerium(t);
  const { user } = seededWallet(sandbox);
  const balances = await right(t, moneriumGateway(basicClient(sandbox)).balances());
  const expected = sandbox.fixtures.monerium.balances.filter((b) =>
    sandbox.fixtures.monerium.addresses.some((a) => a.address === b.address && a.profile === user.defaultProfile),
  );
  t.is(balances.length, expected.length);
  for (const balance of balances) {
    const match = expected.find((b) => b.address === balance.account && b.chain === balance.chain && b.currency.toUpperCase() === balance.currency);
    t.truthy(match);
    t.regex(balance.amount, /^(0|[1-9]\d*)(\.\d*[1-9])?$/);
    t.is(balance.network, match?.network);
  }
});

test('payments() maps orders to payments and pages with the order cursor', async (t) => {
  const sandbox = await startMonerium(t);
  const gateway = moneriumGateway(partnerClient(sandbox));
  const first = await right(t, gateway.payments({ limit: 10 }));
  t.is(first.items.length, 10);
  t.truthy(first.nextCursor);
  for (const payment of first.items) t.true(E.isRight(PaymentCodec.decode(payment)), payment.id);
  const orders = sandbox.fixtures.monerium.orders;
  const status = { placed: 'pending', pending: 'processing', processed: 'completed', rejected: 'rejected' } as const;
  first.items.forEach((payment, i) => {
    const order = orders[i];
    t.is<string | undefined, string | undefined>(payment.id, order?.id);
    t.is<string | undefined, string | undefined>(payment.status, order === undefined ? undefined : status[order.meta.state]);
    t.is(payment.direction, order?.kind === 'issue' ? 'incoming' : 'outgoing');
    t.is(payment.amount.currency, 'EUR');
    t.is<string | undefined, string | undefined>(payment.createdAt, order?.meta.placedAt);
    t.is(payment.counterpart?.identifier, order?.counterpart.identifier.iban);
    t.deepEqual(payment.raw, order as unknown as Order);
  });
  const second = await right(t, gateway.payments({ limit: 10, ...(first.nextCursor === undefined ? {} : { cursor: first.nextCursor }) }));
  t.is(second.items[0]?.id, orders[10]?.id);
  const query = moneriumRequests(sandbox).filter((r) => r.path === '/orders').map((r) => r.query);
  t.deepEqual(query, [{ limit: '10' }, { limit: '10', cursor: first.nextCursor }]);
});

test('payments({ status }) filters by the matching order state; failed needs no request', async (t) => {
  const sandbox = await startMonerium(t);
  const gateway = moneriumGateway(partnerClient(sandbox));
  const completed = await right(t, gateway.payments({ status: 'completed' }));
  t.true(completed.items.length > 0 && completed.items.every((p) => p.status === 'completed'));
  t.deepEqual(moneriumRequests(sandbox).filter((r) => r.path === '/orders').at(-1)?.query, { limit: '50', state: 'processed' });
  sandbox.admin.clearRequests();
  t.deepEqual(await right(t, gateway.payments({ status: 'failed' })), { items: [] });
  t.deepEqual(moneriumRequests(sandbox), []);
});

test('payment(id) is one order as a payment', async (t) => {
  const sandbox = await startMonerium(t);
  const order = sandbox.fixtures.monerium.orders.find((o) => o.kind === 'redeem');
  if (order === undefined) return t.fail();
  const payment = await right(t, moneriumGateway(partnerClient(sandbox)).payment(order.id));
  t.like(payment, { id: order.id, direction: 'outgoing' });
});

test('pay() places a signed redeem order to the IBAN and returns it as a pending payment', async (t) => {
  const sandbox = await startMonerium(t, { monerium: { autoProcessOrders: false } });
  const { address, signer } = seededWallet(sandbox);
  const gateway = moneriumGateway(basicClient(sandbox), { signer, chain: 'ethereum' });
  const payment = await right(
    t,
    gateway.pay({ amount: '19.90', currency: 'EUR', to: { kind: 'iban', iban: 'DE89 3704 0044 0532 0130 00', firstName: 'Erika', lastName: 'Mustermann' }, memo: 'Rent' }),
  );
  t.like(payment, { status: 'pending', direction: 'outgoing', amount: { amount: '19.9', currency: 'EUR' }, memo: 'Rent' });
  t.is(payment.raw.address, address.address);
  const body = JSON.parse(moneriumRequests(sandbox)[0]?.body ?? '{}') as Record<string, unknown>;
  t.like(body, { kind: 'redeem', amount: '19.9', currency: 'EUR', address: address.address, chain: 'ethereum', memo: 'Rent' });
});

test('pay() to an address or without a signer is InvalidInput and nothing is sent', async (t) => {
  const sandbox = await startMonerium(t);
  const { signer } = seededWallet(sandbox);
  const withSigner = moneriumGateway(basicClient(sandbox), { signer });
  t.like(await left(t, withSigner.pay({ amount: '1', currency: 'EUR', to: { kind: 'address', address: signer.address } })), {
    _tag: 'InvalidInput',
    field: 'to',
  });
  const withoutSigner = moneriumGateway(basicClient(sandbox));
  t.like(await left(t, withoutSigner.pay({ amount: '1', currency: 'EUR', to: { kind: 'iban', iban: 'DE89370400440532013000', companyName: 'X' } })), {
    _tag: 'InvalidInput',
    field: 'signer',
  });
  t.deepEqual(moneriumRequests(sandbox), []);
});

test('watch() turns order transitions into payment events', async (t) => {
  const sandbox = await startMonerium(t, { monerium: { orderTransitionMs: 20 } });
  const { user, address } = seededWallet(sandbox);
  const events: PaymentEvent<Order>[] = [];
  const subscription = moneriumGateway(basicClient(sandbox)).watch((event) => events.push(event));
  if (E.isLeft(subscription)) return t.fail();
  t.teardown(() => subscription.right.unsubscribe());
  await eventually(() => moneriumRequests(sandbox).filter((r) => r.path === '/orders').length >= 3, 5_000, 'connected and caught up');
  const order = sandbox.admin.monerium.placeIssueOrder({ profile: user.defaultProfile, address: address.address, amount: '5', currency: 'eur' });
  await eventually(() => events.length === 3, 5_000, 'three events');
  t.deepEqual(
    events.map((e) => [e.paymentId, e.status, e.payment.direction]),
    [
      [order.id, 'pending', 'incoming'],
      [order.id, 'processing', 'incoming'],
      [order.id, 'completed', 'incoming'],
    ],
  );
});

test('the adapter builds a gateway from a JSON config through the registry', async (t) => {
  const sandbox = await startMonerium(t);
  const user = sandbox.fixtures.monerium.users[0];
  if (user === undefined) return t.fail();
  const registry = createRegistry([adapter as GatewayAdapter<unknown>]);
  const config = JSON.parse(
    JSON.stringify({
      provider: 'monerium',
      apiVersion: 'v1.3',
      environment: { baseUrl: sandbox.urls.monerium },
      auth: { kind: 'basic', email: user.email, password: user.password },
      timeoutMs: 5_000,
    }),
  ) as unknown;
  const gateway = registry.create(config);
  if (E.isLeft(gateway)) return t.fail(gateway.left.message);
  t.is(gateway.right.provider, 'monerium');
  t.true((await right(t, gateway.right.balances())).length > 0);
  t.like(await left(t, gateway.right.pay({ amount: '1', currency: 'EUR', to: { kind: 'iban', iban: 'DE89370400440532013000', companyName: 'X' } })), {
    _tag: 'InvalidInput',
    field: 'signer',
  });
});

test('a config that cannot work is InvalidInput naming the field', (t) => {
  const registry = createRegistry([adapter as GatewayAdapter<unknown>]);
  const base = { provider: 'monerium', apiVersion: 'v1.3', environment: 'sandbox', auth: { kind: 'basic', email: 'a@b.c', password: 'x' } };
  const wrongAuth = registry.create({ ...base, auth: { kind: 'password' } });
  t.true(E.isLeft(wrongAuth) && wrongAuth.left._tag === 'InvalidInput');
  const badAddress = registry.create({ ...base, address: '0x12' });
  t.true(E.isLeft(badAddress) && badAddress.left._tag === 'InvalidInput' && badAddress.left.field === 'address');
  const badUrl = registry.create({ ...base, environment: { baseUrl: 'ftp://example.com' } });
  t.true(E.isLeft(badUrl) && badUrl.left._tag === 'InvalidInput' && badUrl.left.field === 'environment.baseUrl');
  t.true(E.isRight(registry.create(base)));
});

const ORDER: Order = {
  id: 'o-1',
  profile: 'p-1',
  kind: 'redeem',
  address: '0x59cFC7aF6B8aFcE7C4aB6d0Fb8c8dD6c8F4A1bC2',
  amount: '12.50',
  currency: 'eur',
  counterpart: { identifier: { standard: 'iban', iban: 'DE89370400440532013000' }, details: { firstName: 'Ada', lastName: 'Lovelace' } },
  meta: { state: 'processed', placedBy: 'u-1', placedAt: '2024-07-29T12:21:58.777Z' },
};

test('paymentFromOrder maps an order and answers InvalidInput naming the first wrong field for anything else', (t) => {
  t.like(paymentFromOrder(ORDER), {
    _tag: 'Right',
    right: { id: 'o-1', status: 'completed', amount: { amount: '12.5', currency: 'EUR' }, direction: 'outgoing', counterpart: { identifier: 'DE89370400440532013000', name: 'Ada Lovelace' } },
  });
  for (const bad of [null, undefined, 'o-1', [], {}]) {
    t.like(paymentFromOrder(bad as never), { _tag: 'Left', left: { _tag: 'InvalidInput' } }, String(bad));
  }
  t.like(paymentFromOrder({ ...ORDER, meta: { ...ORDER.meta, state: 'lost' } } as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'order.meta.state' } });
  t.like(paymentFromOrder({ ...ORDER, counterpart: null } as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'order.counterpart' } });
});
