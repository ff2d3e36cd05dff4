import test from 'ava';
import type { Sandbox } from '@paygate/sandbox';
import type { RedeemOrderInput } from '../src/index.js';
import { startProxy } from './_proxy.js';
import { basicClient, left, moneriumRequests, right, seededWallet, startMonerium, newClient } from './_sandbox.js';

const order = (sandbox: Sandbox, memo: string): RedeemOrderInput => {
  const { address, signer } = seededWallet(sandbox);
  return {
    amount: '25',
    currency: 'EUR',
    counterpart: { iban: 'DE89 3704 0044 0532 0130 00', companyName: 'Payee GmbH' },
    memo,
    address: address.address,
    chain: 'ethereum',
    signer,
  };
};

const calls = (sandbox: Sandbox) => moneriumRequests(sandbox).map((r) => `${r.method} ${r.path}`);

test('a 503 on the order POST is not retried; the order is looked up and, not found, is unknown', async (t) => {
  const sandbox = await startMonerium(t, { monerium: { autoProcessOrders: false } });
  sandbox.admin.faults.set([{ provider: 'monerium', route: 'POST /orders', kind: 'status', status: 503 }]);
  const input = order(sandbox, 'reconcile-503');
  const error = await left(t, basicClient(sandbox, 0, { orderLookup: { attempts: 2, intervalMs: 10 } }).placeRedeemOrder(input));
  t.like(error, { _tag: 'TransportError', kind: 'unavailable', status: 503, attempts: 1, paymentOutcome: 'unknown' });
  t.deepEqual(calls(sandbox), ['POST /orders', 'GET /orders', 'GET /orders']);
  const lookup = moneriumRequests(sandbox)[1];
  t.like(lookup?.query, { address: input.address, memo: 'reconcile-503' });
});

test('an order POST whose answer is lost after Monerium placed it is found by the lookup and returned', async (t) => {
  const sandbox = await startMonerium(t, { monerium: { autoProcessOrders: false } });
  const proxy = await startProxy(sandbox.urls.monerium);
  t.teardown(() => proxy.close());
  const user = sandbox.fixtures.monerium.users[0];
  if (user === undefined) return t.fail();
  const client = newClient({
    environment: { baseUrl: proxy.url },
    auth: { kind: 'basic', email: user.email, password: user.password },
  });
  proxy.loseNextAnswer(/^HTTP\/1\.1 201/);
  const placed = await right(t, client.placeRedeemOrder(order(sandbox, 'reconcile-lost-answer')));
  t.like(placed, { kind: 'redeem', amount: '25', memo: 'reconcile-lost-answer' });
  t.deepEqual(calls(sandbox), ['POST /orders', 'GET /orders']);
  const stored = await right(t, basicClient(sandbox).orders({ memo: 'reconcile-lost-answer' }));
  t.deepEqual(
    stored.orders.map((o) => o.id),
    [placed.id],
  );
});

test('an order POST that times out is looked up several times and, never found, is unknown', async (t) => {
  const sandbox = await startMonerium(t, { monerium: { autoProcessOrders: false } });
  sandbox.admin.faults.set([{ provider: 'monerium', route: 'POST /orders', kind: 'latency', ms: 10_000, times: 1 }]);
  const client = basicClient(sandbox, 0, { http: { timeoutMs: 1_500 }, orderLookup: { attempts: 3, intervalMs: 20 } });
  const error = await left(t, client.placeRedeemOrder(order(sandbox, 'reconcile-timeout')));
  t.like(error, { _tag: 'TransportError', kind: 'timeout', attempts: 1, paymentOutcome: 'unknown' });
  t.deepEqual(calls(sandbox), ['POST /orders', 'GET /orders', 'GET /orders', 'GET /orders']);
});

test('a connection reset with no order to be found leaves the outcome unknown', async (t) => {
  const sandbox = await startMonerium(t, { monerium: { autoProcessOrders: false } });
  sandbox.admin.faults.set([{ provider: 'monerium', route: 'POST /orders', kind: 'reset' }]);
  const client = basicClient(sandbox, 0, { orderLookup: { attempts: 2, intervalMs: 10 } });
  const error = await left(t, client.placeRedeemOrder(order(sandbox, 'reconcile-reset')));
  t.like(error, { _tag: 'TransportError', attempts: 1, paymentOutcome: 'unknown' });
  t.deepEqual(calls(sandbox), ['POST /orders', 'GET /orders', 'GET /orders']);
});

test('a 429 on the order POST means not placed, without retry or lookup', async (t) => {
  const sandbox = await startMonerium(t, { monerium: { autoProcessOrders: false } });
  sandbox.admin.faults.set([{ provider: 'monerium', route: 'POST /orders', kind: 'rate-limit', retryAfterSeconds: 1 }]);
  const error = await left(t, basicClient(sandbox).placeRedeemOrder(order(sandbox, 'reconcile-429')));
  t.like(error, { _tag: 'TransportError', kind: 'rate_limited', status: 429, paymentOutcome: 'not_placed' });
  t.deepEqual(calls(sandbox), ['POST /orders']);
});

test('a 503 on a GET is retried and the call succeeds', async (t) => {
  const sandbox = await startMonerium(t);
  sandbox.admin.faults.set([{ provider: 'monerium', route: 'GET /orders', kind: 'status', status: 503, times: 1 }]);
  const page = await right(t, basicClient(sandbox).orders());
  t.true(page.orders.length > 0);
  t.deepEqual(calls(sandbox), ['GET /orders', 'GET /orders']);
});

test('a GET that keeps failing with 503 ends as TransportError unavailable after the retries', async (t) => {
  const sandbox = await startMonerium(t);
  sandbox.admin.faults.set([{ provider: 'monerium', route: 'GET /tokens', kind: 'status', status: 503 }]);
  const error = await left(t, basicClient(sandbox, 0, { http: { maxRetries: 2 } }).tokens());
  t.like(error, { _tag: 'TransportError', kind: 'unavailable', status: 503, attempts: 3 });
  t.is(calls(sandbox).length, 3);
});
