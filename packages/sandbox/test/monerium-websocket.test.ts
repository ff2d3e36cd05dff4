import test from 'ava';
import { WebSocket } from 'ws';
import type { MoneriumOrder, Sandbox } from '../src/index.js';
import { basic, bearer, call, eventually, redeemPayload, startMonerium, userTokens } from './_monerium.js';

const wsUrl = (sandbox: Sandbox, path: string): string => `${sandbox.urls.monerium.replace(/^http/, 'ws')}${path}`;

interface Listener {
  readonly socket: WebSocket;
  readonly messages: MoneriumOrder[];
}

const listen = (url: string, options: ConstructorParameters<typeof WebSocket>[2] = {}): Promise<Listener> =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    const messages: MoneriumOrder[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data)) as MoneriumOrder));
    socket.once('open', () => resolve({ socket, messages }));
    socket.once('error', reject);
  });

/** The HTTP status a refused upgrade answered with. */
const refusal = (url: string, options: ConstructorParameters<typeof WebSocket>[2] = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
    });
    socket.once('open', () => reject(new Error('the upgrade was accepted')));
    socket.once('error', () => undefined);
  });

const close = (listener: Listener): Promise<void> =>
  new Promise((resolve) => {
    if (listener.socket.readyState === WebSocket.CLOSED) return resolve();
    listener.socket.once('close', () => resolve());
    listener.socket.terminate();
  });

test('the order websocket emits placed, pending and processed in order with the full order', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const alice = sandbox.fixtures.monerium.users[0]!;
  const tokens = await userTokens(sandbox, alice, 'orders:write');
  const listener = await listen(wsUrl(sandbox, `/orders?access_token=${tokens.access_token}`));
  t.teardown(() => close(listener));
  const address = sandbox.fixtures.monerium.addresses.find((a) => a.profile === alice.defaultProfile)!;
  const placed = await call(sandbox, '/orders', { method: 'POST', auth: bearer(tokens), body: JSON.stringify(await redeemPayload(sandbox, { address })) });
  t.is(placed.status, 201);
  t.true(await eventually(() => listener.messages.length >= 3));
  t.deepEqual(
    listener.messages.map((m) => m.meta.state),
    ['placed', 'pending', 'processed'],
  );
  t.deepEqual(listener.messages[0], placed.body);
  t.true(listener.messages.every((m) => m.id === (placed.body as MoneriumOrder).id));
  const final = await call(sandbox, `/orders/${(placed.body as MoneriumOrder).id}`, { auth: bearer(tokens) });
  t.deepEqual(listener.messages[2], final.body);
});

test('the state filter emits only orders in that state', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const alice = sandbox.fixtures.monerium.users[0]!;
  const listener = await listen(wsUrl(sandbox, '/orders?state=processed'), { headers: { authorization: basic(alice) } });
  t.teardown(() => close(listener));
  const address = sandbox.fixtures.monerium.addresses.find((a) => a.profile === alice.defaultProfile)!;
  const first = sandbox.admin.monerium.placeIssueOrder({ profile: alice.defaultProfile, address: address.address, amount: '1', currency: 'eur' });
  const second = sandbox.admin.monerium.placeIssueOrder({ profile: alice.defaultProfile, address: address.address, amount: '2', currency: 'eur' });
  t.true(await eventually(() => listener.messages.length >= 2));
  t.deepEqual(listener.messages.map((m) => m.meta.state), ['processed', 'processed']);
  t.deepEqual(listener.messages.map((m) => m.id).sort(), [first.id, second.id].sort());
});

test('a listener only hears orders of profiles it may read, and the profile path narrows further', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const [alice, bob] = sandbox.fixtures.monerium.users;
  const aliceAll = await listen(wsUrl(sandbox, '/orders'), { headers: { authorization: basic(alice!) } });
  const bobCorporate = await listen(wsUrl(sandbox, `/profiles/${bob!.defaultProfile}/orders`), { headers: { authorization: basic(bob!) } });
  const bobFiltered = await listen(wsUrl(sandbox, `/orders?profile=${bob!.profiles[1]!.id}`), { headers: { authorization: basic(bob!) } });
  t.teardown(async () => {
    await Promise.all([close(aliceAll), close(bobCorporate), close(bobFiltered)]);
  });
  const bobAddress = sandbox.fixtures.monerium.addresses.find((a) => a.profile === bob!.defaultProfile)!;
  const aliceAddress = sandbox.fixtures.monerium.addresses.find((a) => a.profile === alice!.defaultProfile)!;
  const bobs = sandbox.admin.monerium.placeIssueOrder({ profile: bob!.defaultProfile, address: bobAddress.address, amount: '3', currency: 'eur' });
  const alices = sandbox.admin.monerium.placeIssueOrder({ profile: alice!.defaultProfile, address: aliceAddress.address, amount: '4', currency: 'eur' });
  t.true(await eventually(() => aliceAll.messages.length >= 3 && bobCorporate.messages.length >= 3));
  t.true(aliceAll.messages.every((m) => m.id === alices.id));
  t.true(bobCorporate.messages.every((m) => m.id === bobs.id));
  t.deepEqual(bobFiltered.messages, [], "Bob's personal profile had no orders");
});

test('the upgrade is refused with 401 for a bad token and 403 for a foreign profile', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const [alice, bob] = sandbox.fixtures.monerium.users;
  const bad = await refusal(wsUrl(sandbox, '/orders?access_token=nope'));
  t.is(bad.status, 401);
  t.is(bad.headers['www-authenticate'], 'Bearer error="invalid_token"');
  t.deepEqual(JSON.parse(bad.body), { code: 401, status: 'Unauthorized', message: 'Invalid or expired access token' });
  const none = await refusal(wsUrl(sandbox, '/orders'));
  t.is(none.status, 401);
  const foreign = await refusal(wsUrl(sandbox, `/profiles/${bob!.defaultProfile}/orders`), { headers: { authorization: basic(alice!) } });
  t.is(foreign.status, 403);
  const badState = await refusal(wsUrl(sandbox, '/orders?state=done'), { headers: { authorization: basic(alice!) } });
  t.is(badState.status, 400);
  const elsewhere = await refusal(wsUrl(sandbox, '/balances'), { headers: { authorization: basic(alice!) } });
  t.is(elsewhere.status, 404);
  t.like(JSON.parse(elsewhere.body), { code: 404, details: { id: '/balances', resource: 'endpoint' } });
});

test('the server pings and drops a client that does not pong', async (t) => {
  const sandbox = await startMonerium({ monerium: { websocketPingMs: 250 } });
  t.teardown(() => sandbox.close());
  const alice = sandbox.fixtures.monerium.users[0]!;
  const polite = await listen(wsUrl(sandbox, '/orders'), { headers: { authorization: basic(alice) } });
  const silent = await listen(wsUrl(sandbox, '/orders'), { headers: { authorization: basic(alice) }, autoPong: false });
  t.teardown(() => close(polite));
  let pings = 0;
  polite.socket.on('ping', () => {
    pings++;
  });
  const dropped = new Promise<number>((resolve) => silent.socket.once('close', (code) => resolve(code)));
  t.is(await dropped, 1006, 'terminated without a close frame');
  t.true(await eventually(() => pings >= 2));
  t.is(polite.socket.readyState, WebSocket.OPEN);
});

test('closing the sandbox closes open order websockets', async (t) => {
  const sandbox = await startMonerium();
  const listener = await listen(wsUrl(sandbox, '/orders'), { headers: { authorization: basic(sandbox.fixtures.monerium.users[0]!) } });
  const closed = new Promise<void>((resolve) => listener.socket.once('close', () => resolve()));
  await sandbox.close();
  await closed;
  t.is(listener.socket.readyState, WebSocket.CLOSED);
});
