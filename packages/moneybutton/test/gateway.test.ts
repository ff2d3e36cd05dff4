import { BalanceCodec, createRegistry, type PaymentEvent, PaymentCodec } from '@paygate/core';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { adapter, type MoneyButtonGateway, type MoneyButtonPayment, moneyButtonGateway } from '../src/index.js';
import { client, left, listen, proxyHiding, requestsTo, right, signIn, startMoneyButton } from './_setup.js';

test('the gateway declares balances and payments, plus watch when a webhook secret is configured', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  t.deepEqual([...moneyButtonGateway(mb).capabilities].sort(), ['balances', 'payments']);
  const watching = moneyButtonGateway(mb, { webhook: { secret: sandbox.fixtures.moneybutton.app.webhookSecret } });
  t.deepEqual([...watching.capabilities].sort(), ['balances', 'payments', 'watch']);
  t.is(watching.provider, 'moneybutton');
  t.is(typeof watching.webhookHandler, 'function');
});

test('pay is Unsupported and sends nothing: Money Button payments start in the user’s browser', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const gateway = moneyButtonGateway(mb);
  const error = await left(t, gateway.pay({ amount: '1', currency: 'USD', to: { kind: 'address', address: 'bob@moneybutton.com' } }));
  t.like(error, { _tag: 'Unsupported', provider: 'moneybutton', capability: 'pay' });
  t.like(gateway.watch(() => undefined), { _tag: 'Left', left: { _tag: 'Unsupported', capability: 'watch' } });
  t.is(requestsTo(sandbox).length, 0);
});

test('balances come from the API v1 user balance of the signed-in user', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const [alice] = sandbox.fixtures.moneybutton.users;
  const balances = await right(t, moneyButtonGateway(mb).balances());
  t.deepEqual(balances, [{ amount: String(alice.balance.amount), currency: 'USD', account: alice.id }]);
  for (const balance of balances) t.true(E.isRight(BalanceCodec.decode(balance)));
  t.deepEqual(
    requestsTo(sandbox).map((r) => `${r.method} ${r.path}`),
    ['GET /api/v1/auth/user_identity', `GET /api/v1/users/${alice.id}/balance`],
  );
});

test('balances can come from the API v2 wallet balances instead', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const [alice] = sandbox.fixtures.moneybutton.users;
  const savings = sandbox.fixtures.moneybutton.wallets.find((w) => w.userId === alice.id && !w.active);
  const active = await right(t, moneyButtonGateway(mb, { balanceSource: 'wallet' }).balances());
  t.like(active, [{ currency: 'USD', amount: String(alice.balance.amount) }]);
  const other = await right(t, moneyButtonGateway(mb, { balanceSource: 'wallet', walletId: savings?.id ?? '' }).balances());
  t.like(other, [{ currency: 'USD', account: savings?.id }]);
  t.deepEqual(
    requestsTo(sandbox).map((r) => r.path),
    ['/api/v2/me/wallets/active/balances', `/api/v2/me/wallets/${savings?.id}/balances`],
  );
});

test('payments use API v2, map statuses and page with a cursor until the last page', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const gateway = moneyButtonGateway(mb);
  const first = await right(t, gateway.payments({ limit: 15 }));
  t.like(requestsTo(sandbox)[0], { method: 'GET', path: '/api/v2/me/payments', query: { limit: '15', offset: '0' } });
  t.is(first.items.length, 15);
  t.is(first.nextCursor, '15');
  for (const payment of first.items) {
    const { raw: _raw, ...neutral } = payment;
    t.true(E.isRight(PaymentCodec.decode(neutral)), payment.id);
  }
  const statuses: Readonly<Record<string, string>> = {
    PENDING: 'pending',
    RECEIVED: 'processing',
    COMPLETED: 'completed',
    FAILED: 'failed',
    DOUBLE_SPENT: 'failed',
  };
  for (const payment of first.items) t.is<string | undefined, string | undefined>(payment.status, statuses[payment.raw.status]);
  const ids = first.items.map((p) => p.id);
  let cursor = first.nextCursor;
  while (cursor !== undefined) {
    const page = await right(t, gateway.payments({ limit: 15, cursor }));
    ids.push(...page.items.map((p) => p.id));
    cursor = page.nextCursor;
  }
  const all = await right(t, mb.paymentsV2({ limit: 100 }));
  t.deepEqual(ids, all.items.map((p) => p.id));
});

test('a limit above the page size is fetched in pages of 100', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const [alice] = sandbox.fixtures.moneybutton.users;
  // Top alice's history up past one page (no webhook URL is set, so nothing is delivered).
  await Promise.all(
    Array.from({ length: 70 }, () => sandbox.admin.moneybutton.pay({ toUserId: alice.id, amount: '0.5', currency: 'USD' }).delivered),
  );
  const seeded = sandbox.fixtures.moneybutton.payments.filter(
    (p) => p.userId === alice.id || p.outputs.some((o) => o.userId === alice.id),
  ).length;
  sandbox.admin.clearRequests();
  const all = await right(t, moneyButtonGateway(mb).payments({ limit: 1000 }));
  t.is(all.items.length, seeded + 70);
  t.is(new Set(all.items.map((p) => p.id)).size, seeded + 70);
  t.is(all.nextCursor, undefined);
  t.deepEqual(
    requestsTo(sandbox).map((r) => r.query),
    [
      { limit: '100', offset: '0' },
      { limit: '100', offset: '100' },
    ],
  );
  sandbox.admin.clearRequests();
  const capped = await right(t, moneyButtonGateway(mb).payments({ limit: 105 }));
  t.is(capped.items.length, 105);
  t.is(capped.nextCursor, '105');
  t.deepEqual(
    requestsTo(sandbox).map((r) => r.query),
    [
      { limit: '100', offset: '0' },
      { limit: '5', offset: '100' },
    ],
  );
});

test('the status filter keeps only payments of that status', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const page = await right(t, moneyButtonGateway(mb).payments({ limit: 40, status: 'failed' }));
  t.true(page.items.length > 0);
  t.true(page.items.every((p) => p.status === 'failed' && ['FAILED', 'DOUBLE_SPENT'].includes(p.raw.status)));
});

test('a cursor that is not one of ours and a bad limit are InvalidInput and send nothing', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const gateway = moneyButtonGateway(mb);
  t.like(await left(t, gateway.payments({ cursor: 'abc' })), { _tag: 'InvalidInput', field: 'cursor' });
  t.like(await left(t, gateway.payments({ cursor: '-5' })), { _tag: 'InvalidInput', field: 'cursor' });
  t.like(await left(t, gateway.payments({ limit: 0 })), { _tag: 'InvalidInput', field: 'limit' });
  t.like(await left(t, gateway.payment('a/b')), { _tag: 'InvalidInput', field: 'id' });
  t.is(requestsTo(sandbox).length, 0);
});

test('payment(id) reads API v2; an unknown id is a ProviderError 404', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const gateway = moneyButtonGateway(mb);
  const [first] = (await right(t, gateway.payments({ limit: 1 }))).items;
  sandbox.admin.clearRequests();
  const payment = await right(t, gateway.payment(first?.id ?? ''));
  t.deepEqual(payment, first);
  t.deepEqual(requestsTo(sandbox).map((r) => r.path), [`/api/v2/me/payments/${first?.id}`]);
  sandbox.admin.clearRequests();
  t.like(await left(t, gateway.payment('5f0c2b1e-0000-4000-8000-00000000dead')), { _tag: 'ProviderError', status: 404 });
  t.deepEqual(
    requestsTo(sandbox).map((r) => r.path),
    ['/api/v2/me/payments/5f0c2b1e-0000-4000-8000-00000000dead', '/api/v1/payments/5f0c2b1e-0000-4000-8000-00000000dead'],
  );
});

test('where API v2 answers 404, payments fall back to API v1 and stay there', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { refreshToken } = await signIn(t, sandbox);
  const proxy = await proxyHiding(t, sandbox.urls.moneybutton, '/api/v2/');
  const viaProxy = client(t, {
    baseUrl: `${proxy.url}${new URL(sandbox.urls.moneybutton).pathname}`,
    clientId: sandbox.fixtures.moneybutton.app.clientId,
    scope: [],
    refreshToken,
  });
  const gateway = moneyButtonGateway(viaProxy);
  const first = await right(t, gateway.payments({ limit: 5 }));
  const second = await right(t, gateway.payments({ limit: 5, cursor: first.nextCursor ?? '' }));
  const one = await right(t, gateway.payment(second.items[0]?.id ?? ''));
  t.is(first.items.length, 5);
  t.is(second.items.length, 5);
  t.deepEqual(one, second.items[0]);
  t.deepEqual(
    requestsTo(sandbox)
      .filter((r) => r.path.startsWith('/api/'))
      .map((r) => `${r.path}?${new URLSearchParams(r.query).toString()}`),
    ['/api/v1/payments?limit=5&offset=0', '/api/v1/payments?limit=5&offset=5', `/api/v1/payments/${second.items[0]?.id}?`],
    'the sandbox saw only API v1 calls (the proxy answered the one v2 call)',
  );
  const direct = await right(t, moneyButtonGateway(viaProxy).payments({ limit: 10 }));
  t.deepEqual(
    direct.items.map((p) => p.id),
    [...first.items, ...second.items].map((p) => p.id),
  );
});

test('watch delivers webhook events from the mounted handler, each payment status once, until unsubscribed', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const { app, users } = sandbox.fixtures.moneybutton;
  const gateway: MoneyButtonGateway = moneyButtonGateway(mb, { webhook: { secret: app.webhookSecret } });
  const handler = gateway.webhookHandler;
  if (handler === undefined) return t.fail('a webhook handler is exposed');
  const server = await listen(t, handler);
  sandbox.admin.moneybutton.setWebhookUrl(`${server.url}/moneybutton/webhook`);

  const events: Array<PaymentEvent<MoneyButtonPayment>> = [];
  const rejected: string[] = [];
  const subscription = gateway.watch((event) => events.push(event), { onError: (error) => rejected.push(error._tag) });
  if (E.isLeft(subscription)) return t.fail(subscription.left.message);
  const { paymentId, delivered } = sandbox.admin.moneybutton.pay({ toUserId: users[0].id, amount: '3.21', currency: 'USD' });
  await delivered;
  await sandbox.admin.moneybutton.redeliver(paymentId);
  t.deepEqual(
    events.map((e) => `${e.paymentId}:${e.status}`),
    [`${paymentId}:pending`, `${paymentId}:processing`, `${paymentId}:completed`],
  );
  t.like(events[2]?.payment, { amount: { amount: '3.21', currency: 'USD' } });

  const forged = await fetch(`${server.url}/moneybutton/webhook`, { method: 'POST', body: JSON.stringify({ secret: 'nope', payment: {} }) });
  t.is(forged.status, 401);
  t.deepEqual(rejected, ['AuthError']);

  await subscription.right.unsubscribe();
  await subscription.right.unsubscribe();
  const after = sandbox.admin.moneybutton.pay({ toUserId: users[0].id, amount: '1', currency: 'USD' });
  t.true((await after.delivered).every((d) => d.ok));
  t.is(events.length, 3, 'nothing arrives after unsubscribe');
});

test('the registry builds a Money Button gateway from a JSON config', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { refreshToken } = await signIn(t, sandbox);
  const registry = createRegistry([adapter]);
  const config = {
    provider: 'moneybutton',
    baseUrl: sandbox.urls.moneybutton,
    clientId: sandbox.fixtures.moneybutton.app.clientId,
    refreshToken,
    webhookSecret: sandbox.fixtures.moneybutton.app.webhookSecret,
    timeoutMs: 5_000,
  };
  const created = registry.create(JSON.parse(JSON.stringify(config)));
  if (E.isLeft(created)) return t.fail(created.left.message);
  t.deepEqual([...created.right.capabilities].sort(), ['balances', 'payments', 'watch']);
  const [alice] = sandbox.fixtures.moneybutton.users;
  t.like(await right(t, created.right.balances()), [{ account: alice.id, currency: 'USD' }]);
  t.like(registry.create({ ...config, clientId: '' }), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'clientId' } });
  t.like(registry.create({ ...config, scope: ['nope'] }), { _tag: 'Left', left: { _tag: 'InvalidInput' } });
  t.like(registry.create({ ...config, baseUrl: 'http://example.com' }), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'baseUrl' } });
});
