import { createMemoryTokenStore } from '@paygate/core';
import type { Sandbox } from '@paygate/sandbox';
import type { ExecutionContext } from 'ava';
import test from 'ava';
import { client, left, requestsTo, right, signIn, startMoneyButton } from './_setup.js';

/** Fast backoff so retried tests stay quick; the retry policy itself is core's. */
const http = { backoffBaseMs: 5, maxBackoffMs: 20 } as const;

test('a GET answered 503 once is retried and succeeds', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox, { settings: { http } });
  sandbox.admin.faults.set([{ provider: 'moneybutton', route: 'GET /api/v1/payments', kind: 'status', status: 503, times: 1 }]);
  const page = await right(t, mb.payments({ limit: 3 }));
  t.is(page.items.length, 3);
  t.deepEqual(
    requestsTo(sandbox).map((r) => `${r.method} ${r.path}`),
    ['GET /api/v1/payments', 'GET /api/v1/payments'],
  );
});

test('a GET whose connection is reset is retried and succeeds', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox, { settings: { http } });
  sandbox.admin.faults.set([{ provider: 'moneybutton', route: 'GET /api/v2/me/assets', kind: 'reset', times: 2 }]);
  t.true((await right(t, mb.assets())).length > 0);
  t.is(requestsTo(sandbox, '/api/v2/me/assets').length, 3);
});

test('a 429 with Retry-After is retried', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox, { settings: { http } });
  sandbox.admin.faults.set([{ provider: 'moneybutton', route: 'GET /api/v1/auth/user_identity', kind: 'rate-limit', retryAfterSeconds: 1, times: 1 }]);
  await right(t, mb.userIdentity());
  t.is(requestsTo(sandbox, '/api/v1/auth/user_identity').length, 2);
});

test('a GET that keeps failing ends as TransportError unavailable after 3 attempts', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox, { settings: { http } });
  sandbox.admin.faults.set([{ provider: 'moneybutton', kind: 'status', status: 502 }]);
  t.like(await left(t, mb.paymentsV2()), { _tag: 'TransportError', kind: 'unavailable', status: 502, attempts: 3 });
  t.is(requestsTo(sandbox).length, 3);
});

test('a POST is never retried: createAsset answered 503 is sent once', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox, { settings: { http } });
  sandbox.admin.faults.set([{ provider: 'moneybutton', route: 'POST /api/v2/me/assets', kind: 'status', status: 503 }]);
  t.like(await left(t, mb.createAsset({ name: 'Once only', initialSupply: 10 })), {
    _tag: 'TransportError',
    kind: 'unavailable',
    attempts: 1,
  });
  t.is(requestsTo(sandbox, '/api/v2/me/assets').length, 1);
});

test('a PUT is idempotent and retried after a reset', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox, { settings: { http } });
  sandbox.admin.faults.set([{ provider: 'moneybutton', route: 'PUT /api/v2/me/assets/*', kind: 'reset', times: 1 }]);
  t.like(await right(t, mb.updateAsset('501', { name: 'Renamed' })), { id: '501', name: 'Renamed' });
  t.is(requestsTo(sandbox, '/api/v2/me/assets/501').length, 2);
});

/** A signed-in session, then a second client on the same token store with a short per-attempt timeout. */
const impatientClient = async (t: ExecutionContext, sandbox: Sandbox, timeoutMs: number) => {
  const tokenStore = createMemoryTokenStore();
  await signIn(t, sandbox, { settings: { tokenStore } });
  return client(t, {
    baseUrl: sandbox.urls.moneybutton,
    clientId: sandbox.fixtures.moneybutton.app.clientId,
    scope: [],
    tokenStore,
    http: { ...http, timeoutMs },
  });
};

test('a provider slower than the timeout is TransportError timeout after every attempt timed out', async (t) => {
  const sandbox = await startMoneyButton(t);
  const mb = await impatientClient(t, sandbox, 400);
  sandbox.admin.faults.set([{ provider: 'moneybutton', route: 'GET /api/v1/users/*', kind: 'latency', ms: 2_000 }]);
  const [alice] = sandbox.fixtures.moneybutton.users;
  t.like(await left(t, mb.userProfile(alice.id)), { _tag: 'TransportError', kind: 'timeout', attempts: 3 });
  t.is(requestsTo(sandbox, `/api/v1/users/${alice.id}/profile`).length, 3);
});

test('a GET whose first attempt timed out is retried and succeeds', async (t) => {
  const sandbox = await startMoneyButton(t);
  const mb = await impatientClient(t, sandbox, 1_000);
  sandbox.admin.faults.set([{ provider: 'moneybutton', route: 'GET /api/v1/users/*', kind: 'latency', ms: 3_000, times: 1 }]);
  const [alice] = sandbox.fixtures.moneybutton.users;
  t.like(await right(t, mb.userProfile(alice.id)), { id: alice.id });
  t.is(requestsTo(sandbox, `/api/v1/users/${alice.id}/profile`).length, 2);
});

test('a token endpoint slower than the timeout is a TransportError too', async (t) => {
  const sandbox = await startMoneyButton(t);
  const mb = await impatientClient(t, sandbox, 400);
  sandbox.admin.faults.set([{ provider: 'moneybutton', route: 'POST /oauth/v1/token', kind: 'latency', ms: 2_000 }]);
  t.like(await left(t, mb.refresh()), { _tag: 'TransportError', kind: 'timeout' });
});

test('a body that is not JSON is a DecodeError', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  sandbox.admin.faults.set([{ provider: 'moneybutton', kind: 'malformed-json' }]);
  t.like(await left(t, mb.payments()), { _tag: 'DecodeError', provider: 'moneybutton' });
  t.like(await left(t, mb.walletBalances('active')), { _tag: 'DecodeError', provider: 'moneybutton' });
});

test('JSON of the wrong shape is a DecodeError naming where it broke', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  sandbox.admin.faults.set([{ provider: 'moneybutton', kind: 'bad-shape' }]);
  const errors = [await left(t, mb.userIdentity()), await left(t, mb.payments()), await left(t, mb.paymentsV2()), await left(t, mb.assets())];
  for (const error of errors) {
    t.like(error, { _tag: 'DecodeError', provider: 'moneybutton' });
    if (error._tag === 'DecodeError') t.true(error.errors.length > 0);
  }
});
