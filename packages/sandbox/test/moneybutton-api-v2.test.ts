import test from 'ava';
import { createMoneyButtonEmulator } from '../src/moneybutton/index.js';
import { moneyButtonTokens, startProvider } from './_provider-harness.js';

type Emulator = Awaited<ReturnType<typeof start>>;

const start = () => startProvider('/moneybutton', (ctx) => createMoneyButtonEmulator(ctx, {}));

async function tokenFor(mb: Emulator, scope: string): Promise<string> {
  const [alice] = mb.fixtures.users;
  const tokens = await moneyButtonTokens(mb.url, {
    clientId: mb.fixtures.app.clientId,
    redirectUri: 'http://127.0.0.1/callback',
    scope,
    email: alice.email,
    password: alice.password,
  });
  return tokens.access_token;
}

async function call(
  mb: Emulator,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${mb.url}${path}`, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

function errorDetail(body: Record<string, unknown>): string {
  const errors = body.errors as Array<{ status: string; detail: string }> | undefined;
  return `${errors?.[0]?.status} ${errors?.[0]?.detail}`;
}

test('wallet balances of the active wallet and of a wallet by id are camelCase JSON', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const [alice] = mb.fixtures.users;
  const token = await tokenFor(mb, 'users.balance:read');
  const active = mb.fixtures.wallets.find((wallet) => wallet.userId === alice.id && wallet.active);
  const savings = mb.fixtures.wallets.find((wallet) => wallet.userId === alice.id && !wallet.active);
  const response = await call(mb, 'GET', '/api/v2/me/wallets/active/balances', token);
  t.is(response.status, 200);
  t.regex(response.headers.get('content-type') ?? '', /^application\/json/);
  t.deepEqual(response.body, {
    walletId: active?.id,
    name: 'Main wallet',
    active: true,
    balances: [{ currency: 'USD', amount: alice.balance.amount, satoshis: alice.balance.satoshis }],
  });
  const byId = await call(mb, 'GET', `/api/v2/me/wallets/${savings?.id}/balances`, token);
  t.is(byId.body.walletId, savings?.id);
  t.is(byId.body.active, false);
});

test("another user's wallet or an unknown wallet is a 404", async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const [, bob] = mb.fixtures.users;
  const token = await tokenFor(mb, 'users.balance:read');
  const bobs = mb.fixtures.wallets.find((wallet) => wallet.userId === bob.id);
  t.is((await call(mb, 'GET', `/api/v2/me/wallets/${bobs?.id}/balances`, token)).status, 404);
  t.is(errorDetail((await call(mb, 'GET', '/api/v2/me/wallets/nope/balances', token)).body), '404 Wallet nope not found');
});

test('payments list camelCase payments with their outputs, paged by limit and offset', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const token = await tokenFor(mb, 'payments:read');
  const response = await call(mb, 'GET', '/api/v2/me/payments?limit=5', token);
  const payments = response.body.payments as Array<Record<string, unknown>>;
  t.is(response.status, 200);
  t.is(payments.length, 5);
  t.is(response.body.limit, 5);
  t.is(response.body.offset, 0);
  t.true((response.body.total as number) >= 25);
  const first = payments[0] ?? {};
  t.deepEqual(Object.keys(first).sort(), [...V2_PAYMENT_FIELDS].sort());
  t.is((await call(mb, 'GET', '/api/v2/me/payments?limit=1000', token)).status, 400);
});

test('payment history shows each payment from the user side: direction and counterparty', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const [alice, bob] = mb.fixtures.users;
  const token = await tokenFor(mb, 'payments:read');
  const response = await call(mb, 'GET', '/api/v2/me/payments/history?limit=100', token);
  const history = response.body.history as Array<Record<string, unknown>>;
  t.is(response.status, 200);
  t.is(history.length, response.body.total as number);
  const toBob = mb.fixtures.payments.find((payment) => payment.userId === alice.id && payment.outputs[0]?.userId === bob.id);
  t.like(
    history.find((entry) => entry.paymentId === toBob?.id),
    { direction: 'sent', counterparty: bob.primaryPaymail, satoshis: toBob?.satoshis },
  );
  const received = mb.fixtures.payments.find((payment) => payment.outputs.some((output) => output.userId === alice.id));
  t.like(history.find((entry) => entry.paymentId === received?.id), { direction: 'received', counterparty: received?.from });
});

/** moneybutton-public.md §4: the documented members of a v2 payment. */
const V2_PAYMENT_FIELDS = [
  'id', 'createdAt', 'updatedAt', 'userId', 'txid', 'normalizedTxid', 'amount', 'currency', 'satoshis', 'transactionId',
  'status', 'statusDescription', 'clientId', 'buttonId', 'buttonData', 'referrerUrl', 'browserUserAgent', 'amountUsd',
  'inputAmountUsd', 'inputAmountSatoshis', 'spendAmountUsd', 'spendAmountSatoshis', 'feeAmountUsd', 'feeAmountSatoshis',
  'changeAmountUsd', 'changeAmountSatoshis', 'rawtx', 'cryptoOperations', 'source', 'senderSignature', 'senderPaymail',
  'signaturePubkey', 'preserveOrder', 'paymentOutputs', 'app',
] as const;

test('a payment by id is {payment, paymentOutputs} with the documented fields and rawtx as a serialised Buffer; unknown ids are 404', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const [alice] = mb.fixtures.users;
  const token = await tokenFor(mb, 'payments:read');
  const payment = mb.fixtures.payments.find((candidate) => candidate.userId === alice.id);
  const response = await call(mb, 'GET', `/api/v2/me/payments/${payment?.id}`, token);
  t.is(response.status, 200);
  t.deepEqual(Object.keys(response.body).sort(), ['payment', 'paymentOutputs']);
  const body = response.body.payment as Record<string, unknown>;
  t.deepEqual(Object.keys(body).sort(), [...V2_PAYMENT_FIELDS].sort());
  t.like(body, {
    id: payment?.id,
    status: payment?.status,
    amount: payment?.amount,
    satoshis: payment?.satoshis,
    createdAt: payment?.createdAt,
    source: 'INTERNAL',
    preserveOrder: false,
  });
  if (payment?.rawtx != null) {
    t.deepEqual(body.rawtx, { type: 'Buffer', data: [...Buffer.from(payment.rawtx, 'hex')] });
  }
  t.deepEqual(response.body.paymentOutputs, body.paymentOutputs);
  t.is((response.body.paymentOutputs as unknown[]).length, payment?.outputs.length ?? -1);
  t.is((await call(mb, 'GET', '/api/v2/me/payments/1', token)).status, 404);
});

test("assets list the user's own assets", async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const [alice] = mb.fixtures.users;
  const response = await call(mb, 'GET', '/api/v2/me/assets', await tokenFor(mb, 'users.asset:read'));
  const assets = response.body.assets as Array<Record<string, unknown>>;
  t.is(response.status, 200);
  t.deepEqual(
    assets.map((asset) => asset.id),
    mb.fixtures.assets.filter((asset) => asset.userId === alice.id).map((asset) => asset.id),
  );
  t.like(assets[0], { name: 'Sandbox Coupon', tokenProtocolId: '1', paymailDomain: null });
  t.regex(assets[0]?.paymailAlias as string, /^[0-9a-f]{12}\.asset$/);
  t.regex(assets[0]?.initialSupply as string, /^\d+$/);
});

test('creating an asset answers 201 with the asset, which the list then shows', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const token = await tokenFor(mb, 'users.asset:read users.asset:write');
  const created = await call(mb, 'POST', '/api/v2/me/assets', token, {
    name: 'Test Tickets',
    initialSupply: 5000,
    protocol: 'SFP',
    description: 'Admission tickets',
    avatar: 'https://cdn.example/t.png',
  });
  t.is(created.status, 201);
  t.like(created.body, {
    name: 'Test Tickets',
    initialSupply: '5000',
    description: 'Admission tickets',
    avatar: 'https://cdn.example/t.png',
    url: null,
    paymailDomain: null,
    createdAt: new Date(mb.clock.now()).toISOString(),
  });
  t.regex(created.body.paymailAlias as string, /^[0-9a-f]{12}\.asset$/);
  const list = await call(mb, 'GET', '/api/v2/me/assets', token);
  t.true((list.body.assets as Array<{ id: string }>).some((asset) => asset.id === created.body.id));
});

test('creating an asset validates the documented fields: name ≥ 5, initialSupply a number ≥ 1, protocol', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const token = await tokenFor(mb, 'users.asset:write');
  const valid = { protocol: 'SFP', name: 'Okay!', initialSupply: 10 };
  const cases: ReadonlyArray<readonly [unknown, RegExp]> = [
    [{ name: 'Okay!', initialSupply: 10 }, /protocol is required/],
    [{ protocol: 'SFP', initialSupply: 1 }, /name is required/],
    [{ ...valid, name: '   ' }, /name must have/],
    [{ ...valid, name: 'Abcd' }, /name must have at least 5/],
    [{ protocol: 'SFP', name: 'Okay!' }, /initialSupply is required/],
    [{ ...valid, initialSupply: 0 }, /initialSupply/],
    [{ ...valid, initialSupply: '10' }, /initialSupply/],
    [{ ...valid, initialSupply: 1.5 }, /initialSupply/],
    [{ ...valid, description: 42 }, /description/],
    [{ ...valid, avatar: 7 }, /avatar/],
    [['SFP'], /JSON object/],
  ];
  for (const [body, detail] of cases) {
    const response = await call(mb, 'POST', '/api/v2/me/assets', token, body);
    t.is(response.status, 400, JSON.stringify(body));
    t.regex(errorDetail(response.body), detail);
    t.deepEqual(response.body.jsonapi, { version: '1.0' });
  }
});

test('malformed JSON in an asset body is a 400 error document', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const token = await tokenFor(mb, 'users.asset:write');
  const response = await fetch(`${mb.url}/api/v2/me/assets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{"protocol":',
  });
  const body = (await response.json()) as Record<string, unknown>;
  t.is(response.status, 400);
  t.regex(errorDetail(body), /^400 /);
});

test('modifying an asset (PUT {name, description, avatar}) answers the asset with tokenProtocolId; supply is unchanged', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const token = await tokenFor(mb, 'users.asset:write');
  mb.clock.advance(60_000);
  const before = mb.fixtures.assets.find((asset) => asset.id === '501');
  const changed = await call(mb, 'PUT', '/api/v2/me/assets/501', token, {
    description: 'Now redeemable',
    avatar: 'https://cdn.example/coupon.png',
    initialSupply: 1,
  });
  t.is(changed.status, 200);
  t.like(changed.body, {
    id: '501',
    name: 'Sandbox Coupon',
    description: 'Now redeemable',
    avatar: 'https://cdn.example/coupon.png',
    initialSupply: before?.initialSupply,
    tokenProtocolId: '1',
    updatedAt: new Date(mb.clock.now()).toISOString(),
  });
  t.regex(errorDetail((await call(mb, 'PUT', '/api/v2/me/assets/501', token, {})).body), /at least one/);
  t.regex(errorDetail((await call(mb, 'PUT', '/api/v2/me/assets/501', token, { name: 'Abc' })).body), /at least 5/);
});

test("modifying another user's asset or an unknown asset is a 404", async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const token = await tokenFor(mb, 'users.asset:write');
  t.is((await call(mb, 'PUT', '/api/v2/me/assets/503', token, { name: 'Mine now' })).status, 404);
  t.is((await call(mb, 'PUT', '/api/v2/me/assets/999', token, { name: 'Nothing here' })).status, 404);
});

test('v2 endpoints enforce their scopes with 403 and reject bad tokens with 401', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const readOnly = await tokenFor(mb, 'users.asset:read');
  const routes: ReadonlyArray<readonly [string, string, string]> = [
    ['GET', '/api/v2/me/wallets/active/balances', 'users.balance:read'],
    ['GET', '/api/v2/me/payments', 'payments:read'],
    ['GET', '/api/v2/me/payments/history', 'payments:read'],
    ['GET', '/api/v2/me/payments/10001', 'payments:read'],
    ['POST', '/api/v2/me/assets', 'users.asset:write'],
    ['PUT', '/api/v2/me/assets/501', 'users.asset:write'],
  ];
  for (const [method, path, scope] of routes) {
    const response = await call(mb, method, path, readOnly, method === 'GET' ? undefined : { name: 'Renamed' });
    t.is(response.status, 403, path);
    t.is(response.headers.get('www-authenticate'), `Bearer error="insufficient_scope", scope="${scope}"`);
  }
  const writeOnly = await tokenFor(mb, 'users.asset:write');
  t.is((await call(mb, 'GET', '/api/v2/me/assets', writeOnly)).status, 403);
  const unknown = await call(mb, 'GET', '/api/v2/me/assets', 'bogus');
  t.is(unknown.status, 401);
  t.regex(unknown.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
});
