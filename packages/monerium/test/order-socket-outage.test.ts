import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import type { GatewayError } from '@paygate/core';
import type { Order, OrderSocketState } from '../src/index.js';
import { startProxy } from './_proxy.js';
import { eventually, moneriumRequests, startMonerium, newClient } from './_sandbox.js';

/**
 * How long Monerium is unreachable. The reported outage lasted 10 s; this file keeps the full
 * 10 s because it stays well under 30 s. `PAYGATE_OUTAGE_MS` shortens it for quick local runs.
 */
const DOWN_MS = Number(process.env.PAYGATE_OUTAGE_MS ?? 10_000);

test('after the server is unreachable for a while the subscription recovers and catches up', async (t) => {
  t.timeout(DOWN_MS + 20_000);
  const sandbox = await startMonerium(t, { monerium: { autoProcessOrders: false, websocketPingMs: 1_000 } });
  const proxy = await startProxy(sandbox.urls.monerium);
  t.teardown(() => proxy.close());
  const user = sandbox.fixtures.monerium.users[0];
  const address = sandbox.fixtures.monerium.addresses.find((a) => a.profile === user?.defaultProfile);
  if (user === undefined || address === undefined) return t.fail();
  const client = newClient({
    environment: { baseUrl: proxy.url },
    auth: { kind: 'basic', email: user.email, password: user.password },
    http: { maxRetries: 0, timeoutMs: 1_000 },
  });
  const events: Order[] = [];
  const errors: GatewayError[] = [];
  const states: OrderSocketState[] = [];
  const subscription = client.watchOrders({}, (order) => events.push(order), {
    reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
    heartbeatIntervalMs: 2_000,
    onError: (error) => errors.push(error),
    onStateChange: (state) => states.push(state),
  });
  if (E.isLeft(subscription)) return t.fail(subscription.left.message);
  t.teardown(() => subscription.right.unsubscribe());
  await eventually(() => subscription.right.state() === 'open', 5_000, 'open');

  const order = sandbox.admin.monerium.placeIssueOrder({ profile: user.defaultProfile, address: address.address, amount: '42', currency: 'eur' });
  await eventually(() => events.length === 1, 5_000, 'placed');

  await proxy.pause();
  await eventually(() => subscription.right.state() === 'reconnecting', 5_000, 'reconnecting');
  // While Monerium is out of reach the order moves on: the socket cannot tell us.
  sandbox.admin.monerium.advanceOrder(order.id);
  await new Promise((resolve) => setTimeout(resolve, DOWN_MS));
  t.is(subscription.right.state(), 'reconnecting');
  const upgradesWhileDown = moneriumRequests(sandbox).filter((r) => r.headers.upgrade !== undefined).length;
  t.is(upgradesWhileDown, 1);

  await proxy.resume();
  await eventually(() => subscription.right.state() === 'open', 5_000, 'open again');
  await eventually(() => events.length === 2, 5_000, 'the missed transition');
  sandbox.admin.monerium.advanceOrder(order.id);
  await eventually(() => events.length === 3, 5_000, 'the live transition');

  t.deepEqual(
    events.map((o) => [o.id, o.meta.state]),
    [
      [order.id, 'placed'],
      [order.id, 'pending'],
      [order.id, 'processed'],
    ],
  );
  t.deepEqual(states, ['open', 'reconnecting', 'open']);
  t.true(errors.length > 0 && errors.every((e) => e._tag === 'TransportError'));
});
