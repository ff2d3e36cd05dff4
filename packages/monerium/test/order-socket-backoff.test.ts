import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import test, { type ExecutionContext } from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { type WebSocket, WebSocketServer } from 'ws';
import type { GatewayError } from '@paygate/core';
import { MAX_MESSAGE_BYTES, type WatchOrdersOptions } from '../src/index.js';
import { eventually, newClient } from './_sandbox.js';

interface FakeFeed {
  /** When each websocket connection arrived (ms since the server started). */
  readonly connections: number[];
  /** Every `GET /orders` query string. */
  readonly fetches: string[];
  readonly sockets: WebSocket[];
}

/**
 * A Monerium whose `GET /orders` answers `listed` (empty by default) and whose websocket hands each new
 * connection to `onSocket` (which may drop it, keep it, send to it).
 */
const startFeed = async (t: ExecutionContext, onSocket: (socket: WebSocket, index: number) => void, listed: unknown[] = []) => {
  const started = Date.now();
  const feed: FakeFeed = { connections: [], fetches: [], sockets: [] };
  const server = createServer((req, res) => {
    feed.fetches.push(new URL(req.url ?? '/', 'http://x').search);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(listed));
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => {
    feed.connections.push(Date.now() - started);
    feed.sockets.push(socket);
    socket.on('error', () => undefined);
    onSocket(socket, feed.connections.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of wss.clients) socket.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { feed, url };
};

const subscribe = (t: ExecutionContext, url: string, options: WatchOrdersOptions) => {
  const errors: GatewayError[] = [];
  const client = newClient({
    environment: { baseUrl: url },
    auth: { kind: 'basic', email: 'user@example.com', password: 'secret-password' },
  });
  const subscription = client.watchOrders({}, () => undefined, { ...options, onError: (error) => errors.push(error) });
  if (E.isLeft(subscription)) throw new Error(subscription.left.message);
  t.teardown(() => subscription.right.unsubscribe());
  return { errors, subscription: subscription.right };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const gapsOf = (times: ReadonlyArray<number>): number[] => times.slice(1).map((time, i) => time - (times[i] ?? 0));

/**
 * The reported case at a quarter of the scale (initial backoff 100 ms instead of 500, a 2.5 s
 * window instead of 10 s): a server that accepts and drops every socket right after the upgrade,
 * once the catch-up has been answered. Backing off properly means at most a handful of
 * connections; the old behaviour (backoff reset by every catch-up) made about 25 here.
 */
test('a server that drops every socket right after the upgrade sees a handful of connections with growing gaps', async (t) => {
  const { feed, url } = await startFeed(t, (socket) => setTimeout(() => socket.terminate(), 30));
  subscribe(t, url, { reconnect: { initialDelayMs: 100 }, heartbeatIntervalMs: 10_000 });
  await eventually(() => feed.connections.length > 0, 5_000, 'first connection');
  const first = feed.connections[0] ?? 0;
  await sleep(2_500);
  const inWindow = feed.connections.filter((at) => at - first <= 2_500);
  t.log(`connections at ${feed.connections.join(', ')} ms`);
  // Backoffs of 50-100, 100-200, 200-400, 400-800, 800-1600 ms (+ 30 ms each socket lives): at most 6.
  t.true(inWindow.length >= 3 && inWindow.length <= 6, `${inWindow.length} connections`);
  // Growing gaps: the n-th gap is at least half its backoff ceiling, 50 * 2^n ms, whatever the
  // load adds on top (a loaded machine makes gaps longer, never shorter).
  const gaps = gapsOf(inWindow);
  for (const [n, gap] of gaps.entries()) t.true(gap >= 50 * 2 ** n, `gap ${n} is ${gap} ms (gaps ${gaps.join(', ')})`);
  // Each catch-up is one GET, so the requests are bounded by the connections.
  t.true(feed.fetches.length <= feed.connections.length + 1);
});

test('the backoff starts again only after a socket stayed open for stableAfterMs', async (t) => {
  // Sockets 0-3 are dropped at once; socket 4 stays up well past stableAfterMs, then drops; 5 onwards drop again.
  let stableClosedAt = 0;
  const { feed, url } = await startFeed(t, (socket, index) => {
    if (index === 4) {
      setTimeout(() => {
        stableClosedAt = Date.now();
        socket.terminate();
      }, 800);
    } else setTimeout(() => socket.terminate(), 20);
  });
  const started = Date.now();
  subscribe(t, url, { reconnect: { initialDelayMs: 100, stableAfterMs: 300 }, heartbeatIntervalMs: 10_000 });
  await eventually(() => feed.connections.length >= 6, 8_000, 'the connection after the stable one');
  const gaps = gapsOf(feed.connections);
  const afterStable = (feed.connections[5] ?? 0) - (stableClosedAt - started);
  t.log(`gaps ${gaps.join(', ')}; after the stable socket ${afterStable} ms`);
  // Before: the 4th backoff waits 400-800 ms. After the stable socket: back to 50-100 ms, so shorter.
  t.true((gaps[3] ?? 0) >= 400, `gap before the stable socket ${gaps[3]}`);
  t.true(afterStable < (gaps[3] ?? 0), `gap after the stable socket ${afterStable}`);
});

test('the client pings the server on every heartbeat interval', async (t) => {
  let pings = 0;
  const { url } = await startFeed(t, (socket) => socket.on('ping', () => (pings += 1)));
  const { subscription } = subscribe(t, url, { heartbeatIntervalMs: 50 });
  await eventually(() => subscription.state() === 'open', 5_000, 'open');
  await eventually(() => pings >= 2, 5_000, 'two pings');
  t.is(subscription.state(), 'open');
});

test('a message over 1 MiB closes the socket (1009) and the subscription reconnects', async (t) => {
  const closes: number[] = [];
  const { feed, url } = await startFeed(t, (socket, index) => {
    socket.on('close', (code) => closes.push(code));
    if (index === 0) socket.send('x'.repeat(MAX_MESSAGE_BYTES + 1));
  });
  const { errors } = subscribe(t, url, { reconnect: { initialDelayMs: 10, maxDelayMs: 50 }, heartbeatIntervalMs: 10_000 });
  await eventually(() => feed.connections.length >= 2, 5_000, 'reconnected');
  t.is(closes[0], 1009);
  t.true(errors.some((e) => e._tag === 'TransportError' && e.kind === 'protocol'));
  t.false(errors.some((e) => e._tag === 'DecodeError'));
});

test('each catch-up reads one bounded page of the newest orders', async (t) => {
  const { feed, url } = await startFeed(t, () => undefined);
  const { subscription } = subscribe(t, url, { catchUpLimit: 25, heartbeatIntervalMs: 10_000 });
  await eventually(() => subscription.state() === 'open', 5_000, 'open');
  t.deepEqual(feed.fetches, ['?limit=25', '?limit=25']);
});

test('a full catch-up page whose orders carry no cursor is fine: catch-up does not page', async (t) => {
  const listed = Array.from({ length: 3 }, (_, i) => ({
    id: `order-${i}`,
    profile: 'profile-1',
    kind: 'issue',
    address: '0x1111111111111111111111111111111111111111',
    amount: '1',
    currency: 'eur',
    counterpart: { identifier: { standard: 'iban', iban: 'DE89370400440532013000' }, details: { name: 'Payer' } },
    meta: { state: 'processed', placedBy: 'user-1', placedAt: '2026-01-01T00:00:00Z' },
  }));
  const { feed, url } = await startFeed(t, () => undefined, listed);
  const { errors, subscription } = subscribe(t, url, { catchUpLimit: 3, heartbeatIntervalMs: 10_000 });
  await eventually(() => subscription.state() === 'open', 5_000, 'open');
  t.deepEqual(errors, []);
  t.is(feed.connections.length, 1);
});

test('catchUpLimit must be a whole number from 1 to 1000', (t) => {
  const client = newClient({
    environment: { baseUrl: 'http://127.0.0.1:9' },
    auth: { kind: 'basic', email: 'user@example.com', password: 'secret-password' },
  });
  for (const catchUpLimit of [0, 1001, 2.5]) {
    t.like(client.watchOrders({}, () => undefined, { catchUpLimit }), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'catchUpLimit' } });
  }
});
