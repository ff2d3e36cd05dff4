import test from 'ava';
import { WebSocket } from 'ws';
import type { MoneriumV2Order, Sandbox } from '../src/index.js';
import { basic } from './_monerium.js';
import { bearer, orderBody, startV2, userTokens, V2, v2 } from './_monerium-v2.js';

const wsUrl = (sandbox: Sandbox, query: string): string => `${sandbox.urls.monerium.replace(/^http/, 'ws')}/orders${query}`;

const listen = (url: string, headers: Record<string, string> = {}): Promise<{ socket: WebSocket; messages: MoneriumV2Order[] }> =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    const messages: MoneriumV2Order[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data)) as MoneriumV2Order));
    socket.once('open', () => resolve({ socket, messages }));
    socket.once('error', reject);
  });

const until = async (check: () => boolean): Promise<boolean> => {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return check();
};

test('a v2 client’s token on wss /orders?access_token= gets every transition as a v2 Order, filtered by state', async (t) => {
  const sandbox = await startV2({ monerium: { v2: { autoProcessOrders: false } } });
  t.teardown(() => sandbox.close());
  const tokens = await userTokens(sandbox);
  const all = await listen(wsUrl(sandbox, `?access_token=${tokens.access_token}`));
  const processed = await listen(wsUrl(sandbox, `?access_token=${tokens.access_token}&state=processed`));
  t.teardown(() => {
    all.socket.terminate();
    processed.socket.terminate();
  });
  const key = sandbox.fixtures.monerium.v2.addresses[0]!;
  const order = (await v2(sandbox, '/orders', { method: 'POST', auth: bearer(tokens), body: await orderBody(sandbox, { key: key.privateKey, amount: '1' }) })).body as MoneriumV2Order;
  sandbox.admin.monerium.v2.advanceOrder(order.id);
  sandbox.admin.monerium.v2.advanceOrder(order.id);
  t.true(await until(() => all.messages.length >= 3 && processed.messages.length >= 1));
  t.deepEqual(all.messages.map((m) => m.state), ['placed', 'pending', 'processed']);
  t.true(all.messages.every((m) => m.id === order.id && m.chain === 'sepolia' && !('network' in m)));
  t.deepEqual(processed.messages.map((m) => m.state), ['processed']);
});

test('the v2 Accept header selects the v2 feed; a v1.3 token without it keeps the v1.3 feed; a bad token is refused', async (t) => {
  const sandbox = await startV2();
  t.teardown(() => sandbox.close());
  const tokens = await userTokens(sandbox);
  const withHeader = await listen(wsUrl(sandbox, ''), { accept: V2, authorization: bearer(tokens) });
  const alice = sandbox.fixtures.monerium.users[0]!;
  const v1 = await listen(wsUrl(sandbox, ''), { authorization: basic(alice) });
  t.teardown(() => {
    withHeader.socket.terminate();
    v1.socket.terminate();
  });
  const v1Address = sandbox.fixtures.monerium.addresses.find((a) => a.profile === alice.defaultProfile)!;
  sandbox.admin.monerium.placeIssueOrder({ profile: alice.defaultProfile, address: v1Address.address, amount: '5', currency: 'eur' });
  const iban = sandbox.fixtures.monerium.v2.ibans.find((i) => i.profile === alice.defaultProfile)!;
  sandbox.admin.monerium.v2.incomingPayment({ iban: iban.iban, amount: '7' });
  t.true(await until(() => v1.messages.length >= 1 && withHeader.messages.length >= 1));
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.true(v1.messages.every((m) => (m as unknown as { meta: { state?: string } }).meta.state !== undefined && m.amount === '5'));
  t.true(withHeader.messages.every((m) => m.amount === '7' && m.kind === 'issue' && typeof m.state === 'string'));
  const refused = await new Promise<number>((resolve) => {
    const socket = new WebSocket(wsUrl(sandbox, '?access_token=nope'), { headers: { accept: V2 } });
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', () => undefined);
  });
  t.is(refused, 401);
  const upgrades = sandbox.admin.requests().filter((r) => r.path === '/orders' && r.method === 'GET');
  t.is(upgrades.length, 3);
});
