import { request } from 'node:http';
import test from 'ava';
import { startSandbox } from '../src/index.js';
import { basic } from './_monerium.js';

test('the three provider URLs share one loopback origin and have no trailing slash', async (t) => {
  const sandbox = await startSandbox({ providers: ['monerium'] });
  t.teardown(() => sandbox.close());
  const origin = new URL(sandbox.urls.monerium).origin;
  t.regex(origin, /^http:\/\/127\.0\.0\.1:\d+$/);
  t.deepEqual(sandbox.urls, { monerium: `${origin}/monerium`, moneybutton: `${origin}/moneybutton`, moneyns: `${origin}/moneyns` });
});

test('the same seed gives the same fixtures and another seed different ones', async (t) => {
  const [a, b, c] = await Promise.all([
    startSandbox({ providers: ['monerium'], seed: 42 }),
    startSandbox({ providers: ['monerium'], seed: '42' }),
    startSandbox({ providers: ['monerium'], seed: 43 }),
  ]);
  t.teardown(() => Promise.all([a.close(), b.close(), c.close()]).then(() => undefined));
  t.deepEqual(a.fixtures.monerium, b.fixtures.monerium);
  t.notDeepEqual(a.fixtures.monerium.users, c.fixtures.monerium.users);
  t.notDeepEqual(a.fixtures.monerium.addresses, c.fixtures.monerium.addresses);
});

test('a provider left out answers 404 and its fixtures and admin throw', async (t) => {
  const sandbox = await startSandbox({ providers: ['monerium'] });
  t.teardown(() => sandbox.close());
  t.throws(() => sandbox.fixtures.moneyns.users, { message: /moneyns is not served/ });
  t.throws(() => sandbox.admin.moneybutton.revokeAll(), { message: /moneybutton is not served/ });
  const answer = await fetch(`${sandbox.urls.moneybutton}/oauth/v1/token`, { method: 'POST' });
  t.is(answer.status, 404);
  t.like(await answer.json(), { code: 404, status: 'Not Found' });
});

test('every request is recorded in order with provider, relative path, query, headers and raw body', async (t) => {
  const sandbox = await startSandbox({ providers: ['monerium'] });
  t.teardown(() => sandbox.close());
  const alice = sandbox.fixtures.monerium.users[0]!;
  await fetch(`${sandbox.urls.monerium}/orders?state=processed&limit=2`, { headers: { authorization: basic(alice), 'x-trace': 'one' } });
  await fetch(`${sandbox.urls.monerium}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=x',
  });
  await fetch(`${new URL(sandbox.urls.monerium).origin}/elsewhere?q=1`);
  const [first, second, third, ...rest] = sandbox.admin.requests();
  t.deepEqual(rest, []);
  t.like(first, { provider: 'monerium', method: 'GET', path: '/orders', query: { state: 'processed', limit: '2' }, body: '' });
  t.is(first?.headers['x-trace'], 'one');
  t.is(first?.headers.authorization, basic(alice));
  t.like(second, { provider: 'monerium', method: 'POST', path: '/auth/token', body: 'grant_type=client_credentials&client_id=x' });
  t.like(third, { provider: 'unknown', path: '/elsewhere', query: { q: '1' } });
  t.true((first?.at ?? 0) <= (third?.at ?? 0));
  sandbox.admin.clearRequests();
  t.deepEqual(sandbox.admin.requests(), []);
});

test('websocket upgrades are recorded too', async (t) => {
  const sandbox = await startSandbox({ providers: ['monerium'] });
  t.teardown(() => sandbox.close());
  const { WebSocket } = await import('ws');
  const socket = new WebSocket(`${sandbox.urls.monerium.replace(/^http/, 'ws')}/orders?access_token=x`);
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('unexpected-response', resolve));
  socket.terminate();
  t.like(sandbox.admin.requests()[0], { provider: 'monerium', method: 'GET', path: '/orders', query: { access_token: 'x' } });
});

test('the sandbox clock follows the given clock and moves with advance', async (t) => {
  let base = 1_700_000_000_000;
  const sandbox = await startSandbox({ providers: ['monerium'], clock: { now: () => base } });
  t.teardown(() => sandbox.close());
  t.is(sandbox.admin.clock.now(), base);
  sandbox.admin.clock.advance(5_000);
  t.is(sandbox.admin.clock.now(), base + 5_000);
  base += 1;
  t.is(sandbox.admin.clock.now(), base + 5_000);
  await fetch(`${sandbox.urls.monerium}/tokens`);
  t.is(sandbox.admin.requests()[0]?.at, base + 5_000);
});

test('an unknown top-level path is a JSON 404', async (t) => {
  const sandbox = await startSandbox({ providers: ['monerium'] });
  t.teardown(() => sandbox.close());
  const answer = await fetch(`${new URL(sandbox.urls.monerium).origin}/stripe/v1/charges`);
  t.is(answer.status, 404);
  t.like(await answer.json(), { code: 404, status: 'Not Found' });
});

test('close stops listening and can be called twice', async (t) => {
  const sandbox = await startSandbox({ providers: ['monerium'] });
  const { port } = new URL(sandbox.urls.monerium);
  await fetch(`${sandbox.urls.monerium}/tokens`);
  await Promise.all([sandbox.close(), sandbox.close()]);
  const refused = await new Promise<string>((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/monerium/tokens' }, () => resolve('answered'));
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    req.end();
  });
  t.is(refused, 'ECONNREFUSED');
});

test('a fixed port is honoured', async (t) => {
  const probe = await startSandbox({ providers: ['monerium'] });
  const port = Number(new URL(probe.urls.monerium).port);
  await probe.close();
  const sandbox = await startSandbox({ providers: ['monerium'], port });
  t.teardown(() => sandbox.close());
  t.is(sandbox.urls.monerium, `http://127.0.0.1:${port}/monerium`);
});

test('a port already in use rejects startSandbox', async (t) => {
  const first = await startSandbox({ providers: ['monerium'] });
  t.teardown(() => first.close());
  const port = Number(new URL(first.urls.monerium).port);
  await t.throwsAsync(startSandbox({ providers: ['monerium'], port }), { code: 'EADDRINUSE' });
});
