import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import type { Order } from '../src/index.js';
import { basicClient, left, moneriumRequests, partnerClient, right, startMonerium } from './_sandbox.js';

test('orders() is GET /orders and decodes every order the caller may read', async (t) => {
  const sandbox = await startMonerium(t);
  const user = sandbox.fixtures.monerium.users[0];
  if (user === undefined) return t.fail();
  const page = await right(t, basicClient(sandbox).orders());
  const expected = sandbox.fixtures.monerium.orders.filter((o) => o.profile === user.defaultProfile);
  t.true(expected.length > 0);
  t.deepEqual(page, { orders: expected });
  t.deepEqual(
    moneriumRequests(sandbox).map((r) => [r.method, r.path, r.query]),
    [['GET', '/orders', {}]],
  );
});

test('every documented filter goes into the query string', async (t) => {
  const sandbox = await startMonerium(t);
  const target = sandbox.fixtures.monerium.orders.find((o) => o.memo !== undefined && o.txHashes.length > 0);
  if (target === undefined) return t.fail('no seeded order with memo and txHash');
  const filters = {
    address: target.address,
    txHash: target.txHashes[0] ?? '',
    memo: target.memo ?? '',
    profile: target.profile,
    accountId: target.accountId,
    state: target.meta.state,
  };
  const page = await right(t, partnerClient(sandbox).orders(filters));
  t.deepEqual(
    page.orders.map((o) => o.id),
    [target.id],
  );
  const request = moneriumRequests(sandbox).find((r) => r.path === '/orders');
  t.deepEqual(request?.query, filters);
});

test('pages follow the meta.cursor of the last order until a short page', async (t) => {
  const sandbox = await startMonerium(t);
  const client = partnerClient(sandbox);
  const all = sandbox.fixtures.monerium.orders;
  const seen: Order[] = [];
  const cursors: Array<string | undefined> = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i += 1) {
    const page = await right(t, client.orders({ limit: 7, ...(cursor === undefined ? {} : { cursor }) }));
    seen.push(...page.orders);
    cursors.push(page.nextCursor);
    if (page.nextCursor === undefined) break;
    t.is<string | undefined, string | undefined>(page.nextCursor, page.orders.at(-1)?.meta.cursor);
    cursor = page.nextCursor;
  }
  t.deepEqual(
    seen.map((o) => o.id),
    all.map((o) => o.id),
  );
  t.is(cursors.length, Math.ceil(all.length / 7));
  const queries = moneriumRequests(sandbox)
    .filter((r) => r.path === '/orders')
    .map((r) => r.query);
  t.deepEqual(queries[0], { limit: '7' });
  t.deepEqual(queries[1], { limit: '7', cursor: seen[6]?.meta.cursor });
});

test('allOrders() yields every matching order across pages', async (t) => {
  const sandbox = await startMonerium(t);
  const ids: string[] = [];
  for await (const order of partnerClient(sandbox).allOrders({ state: 'processed' }, { pageSize: 4 })) {
    if (E.isLeft(order)) return t.fail(order.left.message);
    ids.push(order.right.id);
  }
  const expected = sandbox.fixtures.monerium.orders.filter((o) => o.meta.state === 'processed').map((o) => o.id);
  t.deepEqual(ids, expected);
  const requests = moneriumRequests(sandbox).filter((r) => r.path === '/orders');
  t.is(requests.length, Math.floor(expected.length / 4) + 1);
  t.true(requests.every((r) => r.query.state === 'processed' && r.query.limit === '4'));
});

test('allOrders() ends with one Left when a page fails', async (t) => {
  const sandbox = await startMonerium(t);
  const client = partnerClient(sandbox);
  await right(t, client.tokens());
  sandbox.admin.faults.set([{ provider: 'monerium', route: 'GET /orders', kind: 'malformed-json' }]);
  const results: Array<E.Either<unknown, Order>> = [];
  for await (const item of client.allOrders({}, { pageSize: 5 })) results.push(item);
  t.is(results.length, 1);
  t.like(results[0], { _tag: 'Left', left: { _tag: 'DecodeError' } });
});

test('order(id) is GET /orders/{id} decoded as documented', async (t) => {
  const sandbox = await startMonerium(t);
  const fixture = sandbox.fixtures.monerium.orders.find((o) => o.kind === 'redeem' && o.meta.state === 'rejected') ??
    sandbox.fixtures.monerium.orders[0];
  if (fixture === undefined) return t.fail();
  const order = await right(t, partnerClient(sandbox).order(fixture.id));
  t.deepEqual(order, fixture);
  t.deepEqual(
    moneriumRequests(sandbox).filter((r) => r.path.startsWith('/orders')).map((r) => [r.method, r.path]),
    [['GET', `/orders/${fixture.id}`]],
  );
});

test('invalid filters are InvalidInput and nothing is sent', async (t) => {
  const sandbox = await startMonerium(t);
  const client = basicClient(sandbox);
  const cases = [
    [{ address: '0x1234' }, 'address'],
    [{ state: 'done' as never }, 'state'],
    [{ limit: 0 }, 'limit'],
    [{ limit: 2.5 }, 'limit'],
    [{ cursor: 'abc' }, 'cursor'],
    [{ memo: '' }, 'memo'],
  ] as const;
  for (const [filters, field] of cases) {
    t.like(await left(t, client.orders(filters)), { _tag: 'InvalidInput', field }, field);
  }
  t.like(await left(t, client.order('')), { _tag: 'InvalidInput', field: 'orderId' });
  t.deepEqual(moneriumRequests(sandbox), []);
});
