import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import test, { type ExecutionContext } from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { type WebSocket, WebSocketServer } from 'ws';
import { createRegistry, type GatewayAdapter, type GatewayError, type PaymentEvent } from '@paygate/core';
import { adapter, createMoneriumV2Client, type MoneriumV2Client, moneriumV2Gateway, v2, type WatchOrdersOptions } from '../src/index.js';
import { eventually } from './_sandbox.js';
import { signedIn, startV2Sandbox, v2PrivateClient } from './_v2-sandbox.js';

const FAST: WatchOrdersOptions = { reconnect: { initialDelayMs: 10, maxDelayMs: 50 }, heartbeatIntervalMs: 10_000 };
const ACCESS_TOKEN = 'fake-v2-access-token';

interface Watch {
  readonly events: v2.Order[];
  readonly errors: GatewayError[];
  readonly subscription: { unsubscribe(): Promise<void>; state(): string };
}

const watch = (t: ExecutionContext, client: MoneriumV2Client, options: WatchOrdersOptions = FAST, filters = {}): Watch => {
  const events: v2.Order[] = [];
  const errors: GatewayError[] = [];
  const subscription = client.watchOrders(filters, (order) => events.push(order), { ...options, onError: (error) => errors.push(error) });
  if (E.isLeft(subscription)) throw new Error(subscription.left.message);
  t.teardown(() => subscription.right.unsubscribe());
  return { events, errors, subscription: subscription.right };
};

const statesOf = (events: ReadonlyArray<v2.Order>, id: string) => events.filter((o) => o.id === id).map((o) => o.state);

/** A seeded IBAN of the user's default profile: an incoming payment there is an issue order of that profile. */
const ibanOf = (sandbox: Awaited<ReturnType<typeof startV2Sandbox>>, profile: string | undefined) => {
  const iban = sandbox.fixtures.monerium.v2.ibans.find((i) => i.profile === profile);
  if (iban === undefined) throw new Error('the v2 sandbox seeds an IBAN per profile');
  return iban.iban;
};

test('the v2 socket on the sandbox: the upgrade carries the token, filters and v2 Accept; each v2 transition arrives once', async (t) => {
  const sandbox = await startV2Sandbox(t);
  const user = sandbox.fixtures.monerium.v2.users[0];
  const client = await signedIn(sandbox);
  sandbox.admin.clearRequests();
  const w = watch(t, client, FAST, { profile: user?.defaultProfile });
  await eventually(() => w.subscription.state() === 'open', 5_000, 'open');
  const upgrade = sandbox.admin.requests().find((r) => r.path === '/orders' && (r.headers.upgrade ?? '').toLowerCase() === 'websocket');
  t.like(upgrade, { method: 'GET', query: { profile: user?.defaultProfile } });
  t.is(upgrade?.headers.accept, v2.V2_ACCEPT);
  t.true((upgrade?.query.access_token ?? '').length > 0, 'the access token is in the query');
  // Catch-up reads v2's GET /orders with the same filter and the v2 Accept header.
  const listed = sandbox.admin.requests().find((r) => r.path === '/orders' && r.headers.upgrade === undefined);
  t.like(listed, { method: 'GET', query: { profile: user?.defaultProfile } });
  t.is(listed?.headers.accept, v2.V2_ACCEPT);

  const order = sandbox.admin.monerium.v2.incomingPayment({ iban: ibanOf(sandbox, user?.defaultProfile), amount: '7.5' });
  await eventually(() => statesOf(w.events, order.id).includes('processed'), 5_000, 'processed');
  t.deepEqual(statesOf(w.events, order.id), ['placed', 'pending', 'processed']);
  t.like(w.events[0], { kind: 'issue', amount: '7.5', profile: user?.defaultProfile });
  t.deepEqual(w.errors, []);
});

test('the v2 feed shares the path: a handler that throws is reported as InvalidInput on handler and later events still arrive', async (t) => {
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  process.on('uncaughtException', onUncaught);
  t.teardown(() => process.off('uncaughtException', onUncaught));
  const sandbox = await startV2Sandbox(t);
  const user = sandbox.fixtures.monerium.v2.users[0];
  const client = await signedIn(sandbox);
  const events: v2.Order[] = [];
  const errors: GatewayError[] = [];
  if (user === undefined) return t.fail('the v2 sandbox seeds a user');
  const subscription = client.watchOrders(
    { profile: user.defaultProfile },
    (order) => {
      events.push(order);
      throw new Error('app bug canary-secret-in-v2-handler');
    },
    { ...FAST, onError: (error) => errors.push(error) },
  );
  if (E.isLeft(subscription)) return t.fail(subscription.left.message);
  t.teardown(() => subscription.right.unsubscribe());
  await eventually(() => subscription.right.state() === 'open', 5_000, 'open');
  const order = sandbox.admin.monerium.v2.incomingPayment({ iban: ibanOf(sandbox, user?.defaultProfile), amount: '7.5' });
  await eventually(() => statesOf(events, order.id).includes('processed'), 5_000, 'processed');
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(statesOf(events, order.id), ['placed', 'pending', 'processed']);
  t.is(subscription.right.state(), 'open');
  t.deepEqual(uncaught, []);
  t.deepEqual(
    errors.map((error) => [error._tag, error._tag === 'InvalidInput' ? error.field : '']),
    [
      ['InvalidInput', 'handler'],
      ['InvalidInput', 'handler'],
      ['InvalidInput', 'handler'],
    ],
  );
  t.false(JSON.stringify(errors).includes('canary-secret-in-v2-handler'));
});

test('a registry-built v2 gateway has watch, fed by the websocket', async (t) => {
  const sandbox = await startV2Sandbox(t);
  const { clientId, clientSecret } = sandbox.fixtures.monerium.v2.clients.private;
  const gateway = createRegistry([adapter as GatewayAdapter<unknown>]).create({
    provider: 'monerium',
    environment: { baseUrl: sandbox.urls.monerium },
    auth: { kind: 'client_credentials', clientId, clientSecret },
  });
  if (E.isLeft(gateway)) return t.fail(gateway.left.message);
  t.true(gateway.right.capabilities.has('watch'));
  const events: PaymentEvent[] = [];
  let live = false;
  const subscription = gateway.right.watch((event) => events.push(event), {
    onLive: () => {
      live = true;
    },
  });
  if (E.isLeft(subscription)) return t.fail(subscription.left.message);
  t.teardown(() => subscription.right.unsubscribe());
  await eventually(() => live, 5_000, 'live');
  const iban = sandbox.fixtures.monerium.v2.ibans[0];
  if (iban === undefined) return t.fail();
  const order = sandbox.admin.monerium.v2.incomingPayment({ iban: iban.iban, amount: '3' });
  await eventually(() => events.some((e) => e.paymentId === order.id && e.status === 'completed'), 5_000, 'completed');
  t.like(events.find((e) => e.paymentId === order.id), { payment: { direction: 'incoming', amount: { amount: '3', currency: 'EUR' } } });
});

test('a v2 gateway without a webhook receiver declares watch and subscribes through client.watchOrders', async (t) => {
  const sandbox = await startV2Sandbox(t);
  const client = v2PrivateClient(sandbox);
  let asked: unknown;
  const watchOrders: MoneriumV2Client['watchOrders'] = (filters, handler, options) => {
    asked = filters;
    return client.watchOrders(filters, handler, options);
  };
  const gateway = moneriumV2Gateway({ ...client, watchOrders }, { profile: 'p-1' });
  t.true(gateway.capabilities.has('watch'));
  const subscription = gateway.watch(() => undefined);
  if (E.isLeft(subscription)) return t.fail(subscription.left.message);
  await subscription.right.unsubscribe();
  t.deepEqual(asked, { profile: 'p-1' });
});

interface FakeFeed {
  readonly upgrades: IncomingHttpHeaders[];
  readonly urls: string[];
  readonly fetches: string[];
  listed: unknown[];
  refused: number;
}

/**
 * A v2 Monerium whose `GET /orders` answers `{ orders: feed.listed }` and whose websocket hands each
 * connection to `onSocket`, or refuses every upgrade with `refuseWith`.
 */
const startFake = async (t: ExecutionContext, onSocket: (socket: WebSocket, index: number, feed: FakeFeed) => void, refuseWith?: number) => {
  const feed: FakeFeed = { upgrades: [], urls: [], fetches: [], listed: [], refused: 0 };
  const server = createServer((req, res) => {
    feed.fetches.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ orders: feed.listed }));
  });
  const wss = new WebSocketServer({
    server,
    verifyClient: (_info, done) => {
      if (refuseWith === undefined) return done(true);
      feed.refused += 1;
      done(false, refuseWith);
    },
  });
  wss.on('connection', (socket, request) => {
    feed.upgrades.push(request.headers);
    feed.urls.push(request.url ?? '');
    socket.on('error', () => undefined);
    onSocket(socket, feed.upgrades.length - 1, feed);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of wss.clients) socket.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const client = createMoneriumV2Client({
    environment: { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
    auth: { kind: 'tokens', tokens: { accessToken: ACCESS_TOKEN, tokenType: 'Bearer', extra: {}, expiresAt: Date.now() + 3_600_000 } },
  });
  if (E.isLeft(client)) throw new Error(client.left.message);
  return { feed, client: client.right };
};

const order = (id: string, state: v2.OrderState): v2.Order => ({
  id,
  kind: 'issue',
  profile: 'profile-1',
  address: '0x0000000000000000000000000000000000000001',
  chain: 'gnosis',
  currency: 'eur',
  amount: '10',
  counterpart: { identifier: { standard: 'iban', iban: 'GR1601101250000000012300695' } },
  state,
  meta: { placedAt: new Date().toISOString() },
});

test('a fake v2 server that drops every socket right after the upgrade sees bounded, backed-off reconnects', async (t) => {
  const { feed, client } = await startFake(t, (socket) => socket.terminate());
  const w = watch(t, client, { reconnect: { initialDelayMs: 100, maxDelayMs: 10_000 }, heartbeatIntervalMs: 10_000 });
  await eventually(() => feed.upgrades.length >= 3, 5_000, 'three connections');
  await new Promise((resolve) => setTimeout(resolve, 500));
  // Without backoff a dropped socket is replaced at once: hundreds of connections in this time.
  t.true(feed.upgrades.length <= 8, `${feed.upgrades.length} connections`);
  t.is(feed.upgrades[0]?.accept, v2.V2_ACCEPT);
  t.is(new URL(feed.urls[0] ?? '', 'ws://x').searchParams.get('access_token'), ACCESS_TOKEN);
  t.true(w.errors.length > 0 && w.errors.every((error) => error._tag === 'TransportError'));
  t.deepEqual(w.events, []);
});

test('a non-order message on the v2 socket is a DecodeError to onError and the socket carries on', async (t) => {
  const { client } = await startFake(t, (socket) => {
    socket.send(JSON.stringify({ hello: 'world' }));
    socket.send(JSON.stringify(order('o-1', 'processed')));
  });
  const w = watch(t, client);
  await eventually(() => w.events.length === 1, 5_000, 'the order after the bad message');
  t.like(w.errors[0], { _tag: 'DecodeError', provider: 'monerium' });
  t.is(w.errors.length, 1);
  t.is(w.events[0]?.id, 'o-1');
});

test('a v2 order seen before a reconnect is not reported again by the socket or by catch-up', async (t) => {
  const { feed, client } = await startFake(t, (socket, index, fake) => {
    if (index === 0) {
      socket.send(JSON.stringify(order('o-1', 'processed')));
      fake.listed = [order('o-1', 'processed')];
      setTimeout(() => socket.terminate(), 50);
      return;
    }
    socket.send(JSON.stringify(order('o-1', 'processed')));
    socket.send(JSON.stringify(order('o-2', 'placed')));
  });
  const w = watch(t, client);
  await eventually(() => w.events.some((o) => o.id === 'o-2'), 5_000, 'the order after the reconnect');
  t.deepEqual(
    w.events.map((o) => `${o.id}:${o.state}`),
    ['o-1:processed', 'o-2:placed'],
  );
  t.true(feed.upgrades.length >= 2);
  // Baseline, then one catch-up per connection: the second catch-up lists o-1 again and reports nothing.
  await eventually(() => feed.fetches.length >= 3 && w.subscription.state() === 'open', 5_000, 'the second catch-up');
  t.true(feed.fetches.every((url) => url === '/orders'), feed.fetches.join(', '));
  t.is(w.events.length, 2);
});

test('where Monerium does not serve the v2 socket, the refused upgrade ends the subscription with a ProviderError', async (t) => {
  const { feed, client } = await startFake(t, () => undefined, 404);
  const w = watch(t, client, { ...FAST, catchUp: false });
  await eventually(() => w.subscription.state() === 'closed', 5_000, 'closed');
  t.like(w.errors, [{ _tag: 'ProviderError', status: 404 }]);
  t.is(w.errors.length, 1);
  t.is(feed.refused, 1, 'no second attempt');
});
