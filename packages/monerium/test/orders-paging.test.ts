import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test, { type ExecutionContext } from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { type MoneriumClient, moneriumGateway, type Order } from '../src/index.js';
import { newClient } from './_sandbox.js';

const order = (n: number): Order => ({
  id: `order-${n}`,
  profile: 'profile-1',
  kind: 'issue',
  address: '0x1111111111111111111111111111111111111111',
  amount: '1',
  currency: 'eur',
  counterpart: { identifier: { standard: 'iban', iban: 'DE89370400440532013000' }, details: { name: 'Payer' } },
  meta: { state: 'processed', placedBy: 'user-1', placedAt: '2026-01-01T00:00:00Z', cursor: `cursor-${n}` },
});

/** A Monerium that ignores `limit` and `cursor` entirely: every GET /orders answers the same list. */
const startIgnoringServer = async (t: ExecutionContext, count: number) => {
  const orders = Array.from({ length: count }, (_, i) => order(i + 1));
  const queries: string[] = [];
  const server = http.createServer((req, res) => {
    queries.push(new URL(req.url ?? '/', 'http://x').search);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(orders));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const client: MoneriumClient = newClient({
    environment: { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
    auth: { kind: 'basic', email: 'user@example.com', password: 'secret-password' },
  });
  return { client, orders, queries };
};

/** Collects at most `cap` entries, so a test against an iteration that never ends still finishes (and fails). */
const collect = async <A>(iterable: AsyncIterable<A>, cap = 200): Promise<A[]> => {
  const out: A[] = [];
  for await (const entry of iterable) {
    out.push(entry);
    if (out.length >= cap) break;
  }
  return out;
};

test('a page larger than the requested limit means paging was ignored: no next cursor', async (t) => {
  const { client, orders } = await startIgnoringServer(t, 12);
  const page = await client.orders({ limit: 5 })();
  t.deepEqual(page, E.right({ orders }));
});

test('a page that offers back the cursor it was asked for has no next cursor', async (t) => {
  const { client, orders, queries } = await startIgnoringServer(t, 5);
  const first = await client.orders({ limit: 5 })();
  t.deepEqual(first, E.right({ orders, nextCursor: 'cursor-5' }));
  const second = await client.orders({ limit: 5, cursor: 'cursor-5' })();
  t.deepEqual(second, E.right({ orders }));
  t.deepEqual(queries, ['?limit=5', '?cursor=cursor-5&limit=5']);
});

test('allOrders() against a server that ignores paging ends and yields each order once (larger page)', async (t) => {
  const { client, orders, queries } = await startIgnoringServer(t, 12);
  const yielded = await collect(client.allOrders({}, { pageSize: 5 }));
  t.deepEqual(yielded, orders.map(E.right));
  t.deepEqual(queries, ['?limit=5']);
});

test('allOrders() against a server that ignores paging ends and yields each order once (page of exactly the limit)', async (t) => {
  const { client, orders, queries } = await startIgnoringServer(t, 5);
  const yielded = await collect(client.allOrders({}, { pageSize: 5 }));
  t.deepEqual(yielded, orders.map(E.right));
  t.deepEqual(queries, ['?limit=5', '?cursor=cursor-5&limit=5']);
});

test('allOrders() stops after maxPages with a page_cap error', async (t) => {
  let n = 0;
  const server = http.createServer((_req, res) => {
    // Every page is full and new: a feed that never ends.
    const page = [order(n + 1), order(n + 2)];
    n += 2;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(page));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const client = newClient({
    environment: { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
    auth: { kind: 'basic', email: 'user@example.com', password: 'secret-password' },
  });
  const yielded = await collect(client.allOrders({}, { pageSize: 2, maxPages: 3 }));
  t.is(yielded.length, 7);
  t.true(yielded.slice(0, 6).every(E.isRight));
  t.like(yielded[6], { _tag: 'Left', left: { _tag: 'ProviderError', provider: 'monerium', code: 'page_cap', retryable: false } });
});

test('gateway.payments() against a server that ignores paging does not keep offering the same page', async (t) => {
  const { client, queries } = await startIgnoringServer(t, 5);
  const gateway = moneriumGateway(client);
  const first = await gateway.payments({ limit: 5 })();
  if (E.isLeft(first)) return t.fail(first.left.message);
  t.is(first.right.nextCursor, 'cursor-5');
  const second = await gateway.payments({ limit: 5, cursor: 'cursor-5' })();
  if (E.isLeft(second)) return t.fail(second.left.message);
  t.is(second.right.items.length, 5);
  t.is(second.right.nextCursor, undefined);
  const larger = await gateway.payments({ limit: 3 })();
  t.like(larger, { _tag: 'Right', right: { nextCursor: undefined } });
  t.deepEqual(queries, ['?limit=5', '?cursor=cursor-5&limit=5', '?limit=3']);
});
