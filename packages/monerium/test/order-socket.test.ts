import { createServer, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import test, { type ExecutionContext } from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { type Sandbox, startSandbox } from '@paygate/sandbox';
import { WebSocketServer } from 'ws';
import type { GatewayError } from '@paygate/core';
import type { MoneriumClient, Order, OrderSocketState, WatchOrdersOptions } from '../src/index.js';
import { startProxy } from './_proxy.js';
import { basicClient, eventually, moneriumRequests, pkceClient, right, seededWallet, signIn, startMonerium, newClient } from './_sandbox.js';

const FAST: WatchOrdersOptions = { reconnect: { initialDelayMs: 10, maxDelayMs: 50 }, heartbeatIntervalMs: 10_000 };

/** User 0's profile and first address, where issue orders can be booked. */
const target = (sandbox: Sandbox) => {
  const { user, address } = seededWallet(sandbox);
  return { profile: user.defaultProfile, address: address.address };
};

interface Watch {
  readonly events: Order[];
  readonly errors: GatewayError[];
  readonly states: OrderSocketState[];
  readonly subscription: { unsubscribe(): Promise<void>; state(): OrderSocketState };
}

const watch = (t: ExecutionContext, client: MoneriumClient, options: WatchOrdersOptions = FAST, filters = {}): Watch => {
  const events: Order[] = [];
  const errors: GatewayError[] = [];
  const states: OrderSocketState[] = [];
  const subscription = client.watchOrders(filters, (order) => events.push(order), {
    ...options,
    onError: (error) => errors.push(error),
    onStateChange: (state) => states.push(state),
  });
  if (E.isLeft(subscription)) throw new Error(subscription.left.message);
  t.teardown(() => subscription.right.unsubscribe());
  return { events, errors, states, subscription: subscription.right };
};

const transitionsOf = (events: ReadonlyArray<Order>, id: string) => events.filter((o) => o.id === id).map((o) => o.meta.state);

const upgrades = (sandbox: Sandbox) =>
  moneriumRequests(sandbox).filter((r) => r.path === '/orders' && (r.headers.upgrade ?? '').toLowerCase() === 'websocket');

test('a new order’s three transitions arrive as three events, in order, once each', async (t) => {
  const sandbox = await startMonerium(t, { monerium: { orderTransitionMs: 30 } });
  const w = watch(t, basicClient(sandbox));
  await eventually(() => w.subscription.state() === 'open', 5_000, 'open');
  const order = sandbox.admin.monerium.placeIssueOrder({ ...target(sandbox), amount: '100', currency: 'eur' });
  await eventually(() => transitionsOf(w.events, order.id).includes('processed'), 5_000, 'processed');
  t.deepEqual(transitionsOf(w.events, order.id), ['placed', 'pending', 'processed']);
  t.deepEqual(
    w.events.map((o) => o.id),
    [order.id, order.id, order.id],
  );
  t.like(w.events[2], { kind: 'issue', amount: '100', currency: 'eur' });
  t.deepEqual(w.states, ['open']);
});

test('Basic credentials go in the Authorization header of the upgrade; filters in the query', async (t) => {
  const sandbox = await startMonerium(t);
  const { profile } = target(sandbox);
  const user = sandbox.fixtures.monerium.users[0];
  const w = watch(t, basicClient(sandbox), FAST, { profile, state: 'processed' });
  await eventually(() => w.subscription.state() === 'open', 5_000, 'open');
  const [upgrade] = upgrades(sandbox);
  t.deepEqual(upgrade?.query, { profile, state: 'processed' });
  t.is(upgrade?.headers.authorization, `Basic ${Buffer.from(`${user?.email}:${user?.password}`).toString('base64')}`);
  // The catch-up fetch uses the same filters.
  const fetches = moneriumRequests(sandbox).filter((r) => r.path === '/orders' && r.headers.upgrade === undefined);
  t.true(fetches.length >= 1);
  t.true(fetches.every((r) => r.query.profile === profile && r.query.state === 'processed'));
});

test('the state filter delivers only orders entering that state', async (t) => {
  const sandbox = await startMonerium(t, { monerium: { orderTransitionMs: 20 } });
  const w = watch(t, basicClient(sandbox), FAST, { state: 'processed' });
  await eventually(() => w.subscription.state() === 'open', 5_000, 'open');
  const order = sandbox.admin.monerium.placeIssueOrder({ ...target(sandbox), amount: '7', currency: 'eur' });
  await eventually(() => w.events.length > 0, 5_000, 'event');
  t.deepEqual(transitionsOf(w.events, order.id), ['processed']);
});

test('a socket dropped mid-stream reconnects and no transition is lost or repeated', async (t) => {
  const sandbox = await startMonerium(t, { monerium: { autoProcessOrders: false } });
  sandbox.admin.faults.set([{ provider: 'monerium', kind: 'ws-drop', afterMessages: 1, times: 1 }]);
  const w = watch(t, basicClient(sandbox));
  await eventually(() => w.subscription.state() === 'open', 5_000, 'open');
  const order = sandbox.admin.monerium.placeIssueOrder({ ...target(sandbox), amount: '10', currency: 'eur' });
  await eventually(() => w.events.length === 1, 5_000, 'placed');
  // The socket is gone after its first message: this step lands while it is down or reconnecting,
  // and reaches the handler through the catch-up fetch or the new socket, never both.
  sandbox.admin.monerium.advanceOrder(order.id);
  await eventually(() => w.events.length === 2 && w.subscription.state() === 'open', 5_000, 'pending, reconnected');
  sandbox.admin.monerium.advanceOrder(order.id);
  await eventually(() => w.events.length === 3, 5_000, 'processed');
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.deepEqual(transitionsOf(w.events, order.id), ['placed', 'pending', 'processed']);
  t.is(w.events.length, 3);
  t.is(upgrades(sandbox).length, 2);
  t.deepEqual(w.states, ['open', 'reconnecting', 'open']);
  t.true(w.errors.length > 0 && w.errors.every((e) => e._tag === 'TransportError'));
});

test('every (re)connection takes a fresh token; a refused upgrade renews the session once', async (t) => {
  const sandbox = await startMonerium(t);
  const proxy = await startProxy(sandbox.urls.monerium);
  t.teardown(() => proxy.close());
  const client = pkceClient(sandbox);
  const proxied = newClient({
    environment: { baseUrl: proxy.url },
    auth: { kind: 'tokens', tokens: (await signIn(t, sandbox, client)).tokens, clientId: sandbox.fixtures.monerium.clients.public.clientId },
  });
  const w = watch(t, proxied);
  await eventually(() => w.subscription.state() === 'open', 5_000, 'open');
  const before = await right(t, proxied.session());
  sandbox.admin.monerium.expireAccessTokens();
  proxy.dropAll();
  await eventually(() => upgrades(sandbox).length >= 3 && w.subscription.state() === 'open', 5_000, 'reopened');
  const after = await right(t, proxied.session());
  t.not(after.tokens.accessToken, before.tokens.accessToken);
  const tokens = upgrades(sandbox).map((r) => r.query.access_token);
  t.deepEqual(tokens, [before.tokens.accessToken, before.tokens.accessToken, after.tokens.accessToken]);
  t.is(upgrades(sandbox)[0]?.headers.authorization, undefined);
  const refreshes = moneriumRequests(sandbox).filter((r) => r.path === '/auth/token' && r.body.includes('grant_type=refresh_token'));
  t.is(refreshes.length, 1);
});

/** A local websocket server standing in for Monerium, for what the sandbox never does. */
const fakeSocketServer = async (
  t: ExecutionContext,
  onConnection: (socket: import('ws').WebSocket) => void,
  serverOptions: { autoPong?: boolean } = {},
) => {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, ...serverOptions });
  let connections = 0;
  server.on('connection', (socket) => {
    connections += 1;
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  const client = newClient({
    environment: { baseUrl: `http://127.0.0.1:${port}` },
    auth: { kind: 'basic', email: 'user@example.com', password: 'password' },
  });
  return { client, connections: () => connections };
};

const ORDER = {
  id: '1af62814-6e07-11eb-9bc8-acde48001122',
  profile: '4f079ef8-6d26-11eb-9bc8-acde48001122',
  kind: 'issue',
  address: '0x61d1Df91F98282e5AdC8224943E0336Ec8612d66',
  amount: '5000',
  currency: 'eur',
  counterpart: { identifier: { standard: 'iban', iban: 'JO17 LYUU 2289 2691 5944 9413 1490 60' }, details: { name: 'Payer name' } },
  memo: 'This is the memo which is visible to both sender and receiver',
  meta: { state: 'processed', placedBy: '00000000-0000-0000-0000-000000000000', placedAt: '2021-02-13T14:23:56.124539Z' },
};

test('a message that is not an order goes to onError as a DecodeError and the stream goes on', async (t) => {
  const { client } = await fakeSocketServer(t, (socket) => {
    socket.send('not json');
    socket.send(JSON.stringify({ id: 1 }));
    socket.send(JSON.stringify(ORDER));
  });
  const w = watch(t, client, { ...FAST, catchUp: false });
  await eventually(() => w.events.length === 1, 5_000, 'the valid order');
  t.deepEqual(w.events, [ORDER as unknown as Order]);
  t.deepEqual(
    w.errors.map((e) => e._tag),
    ['DecodeError', 'DecodeError'],
  );
});

test('a socket that brings neither messages, pings nor pongs for two intervals is replaced', async (t) => {
  // A hung server: it does not even answer the client's pings.
  const { client, connections } = await fakeSocketServer(t, () => undefined, { autoPong: false });
  const w = watch(t, client, { ...FAST, heartbeatIntervalMs: 50, catchUp: false });
  await eventually(() => connections() >= 2, 5_000, 'a second connection');
  t.true(w.errors.some((e) => e._tag === 'TransportError' && e.kind === 'timeout'));
});

test('server pings keep a quiet socket alive past the liveness deadline', async (t) => {
  const sandbox = await startMonerium(t, { monerium: { websocketPingMs: 300 } });
  const w = watch(t, basicClient(sandbox), { ...FAST, heartbeatIntervalMs: 400 });
  await eventually(() => w.subscription.state() === 'open', 5_000, 'open');
  // Three times the 800 ms a silent socket would be allowed.
  await new Promise((resolve) => setTimeout(resolve, 2_400));
  t.deepEqual(w.errors, []);
  t.is(upgrades(sandbox).length, 1);
  t.is(w.subscription.state(), 'open');
});

/** An HTTP server that refuses every websocket upgrade with `status`. */
const refusingServer = async (t: ExecutionContext, status: number) => {
  let attempts = 0;
  let tokenRequests = 0;
  // Its token endpoint hands out a new token to every refresh.
  const server = createServer((request, response) => {
    request.resume();
    tokenRequests += 1;
    response.writeHead(request.url === '/auth/token' ? 200 : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ access_token: `token-${tokenRequests}`, token_type: 'Bearer', expires_in: 3600, refresh_token: `refresh-${tokenRequests}` }));
  });
  server.on('upgrade', (_request, socket: Duplex) => {
    attempts += 1;
    socket.on('error', () => undefined);
    const body = JSON.stringify({ code: status, status: STATUS_CODES[status], message: 'refused' });
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  const client = newClient({
    environment: { baseUrl: `http://127.0.0.1:${port}` },
    auth: { kind: 'basic', email: 'user@example.com', password: 'password' },
  });
  const bearerClient = newClient({
    environment: { baseUrl: `http://127.0.0.1:${port}` },
    auth: { kind: 'tokens', tokens: { accessToken: 'token-0', tokenType: 'Bearer', extra: {}, refreshToken: 'refresh-0' }, clientId: 'app' },
  });
  return { client, bearerClient, attempts: () => attempts, tokenRequests: () => tokenRequests };
};

test('a 403 upgrade ends the subscription with AuthError forbidden', async (t) => {
  const { client, attempts } = await refusingServer(t, 403);
  const w = watch(t, client, { ...FAST, catchUp: false });
  await eventually(() => w.subscription.state() === 'closed', 5_000, 'closed');
  t.deepEqual(w.errors, [
    { _tag: 'AuthError', reason: 'forbidden', status: 403, message: 'Monerium denied the order notifications' },
  ]);
  t.is(attempts(), 1);
});

test('a 401 upgrade with Basic credentials ends the subscription with AuthError bad_credentials', async (t) => {
  const { client, attempts } = await refusingServer(t, 401);
  const w = watch(t, client, { ...FAST, catchUp: false });
  await eventually(() => w.subscription.state() === 'closed', 5_000, 'closed');
  t.like(w.errors[0], { _tag: 'AuthError', reason: 'bad_credentials', status: 401 });
  t.is(attempts(), 1);
});

test('a 401 upgrade renews the token once; refused again, the subscription ends with AuthError invalid_token', async (t) => {
  const { bearerClient, attempts, tokenRequests } = await refusingServer(t, 401);
  const w = watch(t, bearerClient, { ...FAST, catchUp: false });
  await eventually(() => w.subscription.state() === 'closed', 5_000, 'closed');
  t.is(attempts(), 2);
  t.is(tokenRequests(), 1);
  t.like(w.errors.at(-1), { _tag: 'AuthError', reason: 'invalid_token', status: 401 });
});

test('a 503 upgrade is retried with backoff until the server accepts', async (t) => {
  const { client, attempts } = await refusingServer(t, 503);
  const w = watch(t, client, { ...FAST, catchUp: false });
  await eventually(() => attempts() >= 3, 5_000, 'three attempts');
  t.not(w.subscription.state(), 'closed');
  t.true(w.errors.every((e) => e._tag === 'TransportError' && e.kind === 'unavailable' && e.status === 503));
});

test('invalid filters or options are InvalidInput and nothing connects', async (t) => {
  const sandbox = await startMonerium(t);
  const client = basicClient(sandbox);
  const bad = client.watchOrders({ state: 'done' as never }, () => undefined);
  t.true(E.isLeft(bad) && bad.left._tag === 'InvalidInput' && bad.left.field === 'state');
  const badOption = client.watchOrders({}, () => undefined, { heartbeatIntervalMs: -1 });
  t.true(E.isLeft(badOption) && badOption.left._tag === 'InvalidInput');
  t.deepEqual(moneriumRequests(sandbox), []);
});

const resources = (): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const name of process.getActiveResourcesInfo()) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
};

const noMoreThan = (now: Map<string, number>, before: Map<string, number>): boolean =>
  [...now].every(([name, count]) => count <= (before.get(name) ?? 0));

test.serial('unsubscribe closes the socket and leaves no timers or sockets behind', async (t) => {
  const before = resources();
  const sandbox = await startSandbox({ providers: ['monerium'], monerium: { orderTransitionMs: 10 } });
  try {
    const events: Order[] = [];
    const subscription = basicClient(sandbox).watchOrders({}, (order) => events.push(order), FAST);
    if (E.isLeft(subscription)) return t.fail();
    await eventually(() => subscription.right.state() === 'open', 5_000, 'open');
    sandbox.admin.monerium.placeIssueOrder({ ...target(sandbox), amount: '1', currency: 'eur' });
    await eventually(() => events.length === 3, 5_000, 'three events');
    t.false(noMoreThan(resources(), before), 'the live subscription holds resources');
    await subscription.right.unsubscribe();
    await subscription.right.unsubscribe();
    t.is(subscription.right.state(), 'closed');
  } finally {
    await sandbox.close();
  }
  await eventually(() => noMoreThan(resources(), before), 2_000, 'resources released');
  t.true(noMoreThan(resources(), before));
});

test('tracking is bounded: forgotten orders are not replayed after a reconnect, their later changes are', async (t) => {
  const sandbox = await startMonerium(t, { monerium: { autoProcessOrders: false } });
  // The orders are placed on a provider clock ten minutes behind: by the time the catch-up sees
  // them they are history, as a forgotten order that changed long before a drop would be.
  sandbox.admin.clock.advance(-600_000);
  // The socket drops right after the fourth message; the catch-up then sees all four orders again.
  sandbox.admin.faults.set([{ provider: 'monerium', kind: 'ws-drop', afterMessages: 4, times: 1 }]);
  const w = watch(t, basicClient(sandbox), { ...FAST, maxTrackedOrders: 2 });
  await eventually(() => w.subscription.state() === 'open', 5_000, 'open');
  const placed = [1, 2, 3, 4].map((n) => sandbox.admin.monerium.placeIssueOrder({ ...target(sandbox), amount: String(n), currency: 'eur' }));
  await eventually(() => w.events.length === 4, 5_000, 'four placed');
  await eventually(() => w.states.filter((s) => s === 'open').length === 2, 5_000, 'reconnected');
  // Only the last two orders are still tracked; the first one is forgotten, then moves on.
  const [first, ...rest] = placed;
  if (first === undefined) return t.fail();
  sandbox.admin.clock.advance(600_000);
  sandbox.admin.monerium.advanceOrder(first.id);
  await eventually(() => transitionsOf(w.events, first.id).includes('pending'), 5_000, 'the forgotten order moved on');
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.deepEqual(transitionsOf(w.events, first.id), ['placed', 'pending']);
  for (const order of rest) t.deepEqual(transitionsOf(w.events, order.id), ['placed'], order.id);
  t.is(w.events.length, 5);
});

test('maxTrackedOrders must be positive', (t) => {
  const client = newClient({ environment: { baseUrl: 'http://127.0.0.1:9' }, auth: { kind: 'basic', email: 'a@b.c', password: 'x' } });
  t.like(client.watchOrders({}, () => undefined, { maxTrackedOrders: 0 }), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'maxTrackedOrders' } });
});
