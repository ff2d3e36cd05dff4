import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { createRegistry, type GatewayAdapter, type Payment } from '@paygate/core';
import { privateKeyToAccount } from 'viem/accounts';
import { adapter, moneriumV2Gateway, v2 } from '../src/index.js';
import { left, orderBody, right, startV2Server, v2Client } from './_v2-server.js';
import { viemSigner } from './_signer.js';

const account = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d');
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const at = (minute: number) => `2024-07-29T12:${String(minute).padStart(2, '0')}:00.000000Z`;

test('payments pages a list the server did not page: each order once, newest first, ending', async (t) => {
  const server = await startV2Server(t);
  // Five orders, one of them repeated by the server: the page is larger than asked for.
  const orders = [1, 2, 3, 4, 5].map((n) => orderBody({ id: uuid(n), meta: { placedAt: at(n) } }));
  server.route('GET /orders', { body: { orders: [...orders, orders[2]] } });
  const gateway = moneriumV2Gateway(v2Client(server));
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10; page += 1) {
    const result: { items: ReadonlyArray<Payment>; nextCursor?: string } = await right(t, gateway.payments({ limit: 2, ...(cursor === undefined ? {} : { cursor }) }));
    t.true(result.items.length <= 2);
    seen.push(...result.items.map((p) => p.id));
    if (result.nextCursor === undefined) break;
    cursor = result.nextCursor;
  }
  t.deepEqual(seen, [5, 4, 3, 2, 1].map(uuid));
  t.deepEqual(server.seen[0]?.query, []);
});

test('a new order arriving between pages does not repeat or skip older ones', async (t) => {
  const server = await startV2Server(t);
  const orders = [1, 2, 3].map((n) => orderBody({ id: uuid(n), meta: { placedAt: at(n) } }));
  server.route('GET /orders', (_s, count) => ({ body: { orders: count === 1 ? orders : [orderBody({ id: uuid(9), meta: { placedAt: at(9) } }), ...orders] } }));
  const gateway = moneriumV2Gateway(v2Client(server));
  const first = await right(t, gateway.payments({ limit: 2 }));
  const second = await right(t, gateway.payments({ limit: 2, cursor: first.nextCursor as string }));
  t.deepEqual([...first.items, ...second.items].map((p) => p.id), [3, 2, 1].map(uuid));
  t.like(await left(t, gateway.payments({ cursor: 'garbage' })), { _tag: 'InvalidInput', field: 'cursor' });
});

test('status filters map to v2 order states; "failed" is empty without a request', async (t) => {
  const server = await startV2Server(t);
  server.route('GET /orders', { body: { orders: [orderBody({ state: 'pending' })] } });
  const gateway = moneriumV2Gateway(v2Client(server), { profile: 'p1' });
  t.is((await right(t, gateway.payments({ status: 'processing' }))).items[0]?.status, 'processing');
  t.deepEqual(server.seen[0]?.query, [
    ['state', 'pending'],
    ['profile', 'p1'],
  ]);
  t.deepEqual((await right(t, gateway.payments({ status: 'failed' }))).items, []);
  t.is(server.seen.length, 1);
});

test('balances() reads every linked address on every chain; pay sends SEPA with the IBAN country and cross-chain as <chain>:<address>', async (t) => {
  const server = await startV2Server(t);
  const address = account.address;
  server.route('GET /addresses', { body: { addresses: [{ profile: 'p1', address, chains: ['sepolia', 'chiado'] }] } });
  for (const chain of ['sepolia', 'chiado']) server.route(`GET /balances/${chain}/${address}`, { body: { address, chain, balances: [{ currency: 'eur', amount: '1.50' }] } });
  server.route('POST /orders', (seen) => ({ body: orderBody({ id: (seen.json as { id: string }).id, address, state: 'placed' }) }));
  const signer = viemSigner(account);
  const gateway = moneriumV2Gateway(v2Client(server), { signer, chain: 'sepolia', profile: 'p1' });
  const balances = await right(t, moneriumV2Gateway(v2Client(server), { profile: 'p1' }).balances());
  t.deepEqual(balances.map((b) => [b.chain, b.amount, b.currency]), [
    ['sepolia', '1.5', 'EUR'],
    ['chiado', '1.5', 'EUR'],
  ]);
  const paid = await right(t, gateway.pay({ amount: '2', currency: 'EUR', to: { kind: 'iban', iban: 'DE89370400440532013000', companyName: 'Acme' } }));
  t.is(paid.status, 'pending');
  const sepa = server.seen.find((s) => s.method === 'POST')?.json as { counterpart: unknown };
  t.deepEqual(sepa.counterpart, { identifier: { standard: 'iban', iban: 'DE89370400440532013000' }, details: { companyName: 'Acme', country: 'DE' } });
  await right(t, gateway.pay({ amount: '2', currency: 'EUR', to: { kind: 'address', address: `gnosis:${address}` } }));
  const cross = server.seen.filter((s) => s.method === 'POST')[1]?.json as { counterpart: unknown };
  t.deepEqual(cross.counterpart, { identifier: { standard: 'chain', address, chain: 'chiado' } });
  t.like(await left(t, gateway.pay({ amount: '2', currency: 'EUR', to: { kind: 'address', address } })), { field: 'to.address' });
});

test('the registry builds v2 by default and v1.3 when the config says so; errors name the field', async (t) => {
  const server = await startV2Server(t);
  server.route('GET /orders', { body: { orders: [] } });
  const registry = createRegistry([adapter as GatewayAdapter<unknown>]);
  const tokens = { accessToken: 'at-abcdef', tokenType: 'Bearer', extra: {} };
  const v2 = registry.create({ provider: 'monerium', environment: { baseUrl: server.url }, auth: { kind: 'tokens', tokens } });
  if (E.isLeft(v2)) return t.fail(v2.left.message);
  await right(t, v2.right.payments());
  t.is(server.seen[0]?.headers.accept, 'application/vnd.monerium.api-v2+json');
  const v13 = registry.create({ provider: 'monerium', apiVersion: 'v1.3', environment: { baseUrl: server.url }, auth: { kind: 'basic', email: 'a@b.c', password: 'x' } });
  t.true(E.isRight(v13));
  const basicOnV2 = registry.create({ provider: 'monerium', environment: 'sandbox', auth: { kind: 'basic', email: 'a@b.c', password: 'x' } });
  t.true(E.isLeft(basicOnV2) && basicOnV2.left._tag === 'InvalidInput');
  const badVersion = registry.create({ provider: 'monerium', apiVersion: 'v3', environment: 'sandbox', auth: { kind: 'tokens', tokens } });
  t.true(E.isLeft(badVersion) && badVersion.left._tag === 'InvalidInput' && badVersion.left.field === 'apiVersion');
  const badTimeout = registry.create({ provider: 'monerium', environment: 'sandbox', auth: { kind: 'tokens', tokens }, timeoutMs: '10s' });
  t.true(E.isLeft(badTimeout) && badTimeout.left._tag === 'InvalidInput' && badTimeout.left.field === 'timeoutMs');
});

test('paymentFromV2Order maps an order and answers InvalidInput naming the first wrong field for anything else', (t) => {
  t.like(v2.paymentFromV2Order(orderBody() as never), { _tag: 'Right', right: { status: 'completed', amount: { amount: '12.5', currency: 'EUR' }, counterpart: { name: 'Ada Lovelace' } } });
  for (const bad of [null, 7, 'order', []]) t.like(v2.paymentFromV2Order(bad as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'order' } }, String(bad));
  t.like(v2.paymentFromV2Order(orderBody({ state: 'gone' }) as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'order.state' } });
  t.like(v2.paymentFromV2Order(orderBody({ meta: null }) as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'order.meta' } });
});

test('pageOrders pages checked orders and answers InvalidInput naming a wrong argument', (t) => {
  const orders = [orderBody({ id: uuid(1), meta: { placedAt: at(1) } }), orderBody({ id: uuid(2), meta: { placedAt: at(2) } })] as never;
  const first = v2.pageOrders(orders, 1, undefined);
  if (E.isLeft(first)) return t.fail(first.left.message);
  t.deepEqual(first.right.items.map((order) => order.id), [uuid(2)]);
  t.like(v2.pageOrders(orders, 1, first.right.nextCursor), { _tag: 'Right', right: { items: [{ id: uuid(1) }] } });
  t.like(v2.pageOrders(null as never, 1, undefined), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'orders' } });
  t.like(v2.pageOrders([null] as never, 1, undefined), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'orders.0' } });
  for (const limit of [0, Number.NaN, 1.5, 1001, '5']) {
    t.like(v2.pageOrders(orders, limit as never, undefined), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'limit' } }, String(limit));
  }
  t.like(v2.pageOrders(orders, 1, 42 as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'cursor' } });
  t.like(v2.pageOrders(orders, 1, 'not-a-cursor'), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'cursor' } });
});

test("watch with a receiver of the app's own making: an event whose data is not an order goes to onError, never throws, and later orders still arrive", async (t) => {
  const server = await startV2Server(t);
  let listener: ((event: unknown) => void) | undefined;
  const webhooks = {
    subscribe: (next: (event: unknown) => void) => {
      listener = next;
      return () => undefined;
    },
  };
  const gateway = moneriumV2Gateway(v2Client(server), { webhooks: webhooks as never, profile: '9f1b6a38-0000-4000-8000-000000000001' });
  const payments: Payment[] = [];
  const errors: unknown[] = [];
  const subscription = gateway.watch((event) => payments.push(event.payment as Payment), { onError: (error) => errors.push(error) });
  if (E.isLeft(subscription)) return t.fail(subscription.left.message);
  if (listener === undefined) return t.fail('the gateway subscribed to the receiver');
  const deliver = listener;
  t.notThrows(() => deliver({ type: 'order.created', data: null }));
  t.notThrows(() => deliver({ type: 'order.updated', data: orderBody({ state: 'lost' }) }));
  t.notThrows(() => deliver(null));
  deliver({ type: 'order.updated', data: orderBody() });
  t.like(errors, [
    { _tag: 'InvalidInput', field: 'order' },
    { _tag: 'InvalidInput', field: 'order.state' },
  ]);
  t.is(errors.length, 2);
  t.deepEqual(
    payments.map((payment) => payment.status),
    ['completed'],
  );
  await subscription.right.unsubscribe();
});
