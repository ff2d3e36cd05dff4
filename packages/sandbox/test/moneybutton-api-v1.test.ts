import test from 'ava';
import { createMoneyButtonEmulator } from '../src/moneybutton/index.js';
import { moneyButtonTokens, startProvider } from './_provider-harness.js';

type Emulator = Awaited<ReturnType<typeof start>>;

const start = () => startProvider('/moneybutton', (ctx) => createMoneyButtonEmulator(ctx, {}));

const ALL_USER_SCOPES = 'auth.user_identity:read users.profiles:read users.balance:read payments:read';

async function tokenFor(mb: Emulator, scope = ALL_USER_SCOPES, userIndex: 0 | 1 = 0): Promise<string> {
  const user = mb.fixtures.users[userIndex];
  const tokens = await moneyButtonTokens(mb.url, {
    clientId: mb.fixtures.app.clientId,
    redirectUri: 'http://127.0.0.1/callback',
    scope,
    email: user.email,
    password: user.password,
  });
  return tokens.access_token;
}

async function get(mb: Emulator, path: string, token: string | undefined): Promise<{ status: number; headers: Headers; body: unknown }> {
  const response = await fetch(`${mb.url}${path}`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

interface ErrorDocument {
  errors: Array<{ id: string; status: string; title: string; detail: string }>;
  jsonapi: { version: string };
}

interface PaymentDocument {
  type: string;
  id: string;
  attributes: Record<string, unknown>;
  relationships: { 'payment-outputs': { data: Array<{ type: string; id: string }> } };
}

interface IncludedDocument {
  type: string;
  id: string;
  attributes: Record<string, unknown>;
}

test('user_identity answers the JSON:API document with the user id and name', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const [alice] = mb.fixtures.users;
  const response = await get(mb, '/api/v1/auth/user_identity', await tokenFor(mb, 'auth.user_identity:read'));
  t.is(response.status, 200);
  t.is(response.headers.get('content-type'), 'application/vnd.api+json');
  t.deepEqual(response.body, { data: { type: 'user_identities', id: alice.id, attributes: { id: alice.id, name: alice.name } } });
});

test('profile answers kebab-case attributes for any known user', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const [, bob] = mb.fixtures.users;
  const response = await get(mb, `/api/v1/users/${bob.id}/profile`, await tokenFor(mb, 'users.profiles:read'));
  t.is(response.status, 200);
  t.deepEqual(response.body, {
    data: {
      type: 'profiles',
      id: bob.id,
      attributes: {
        'created-at': bob.createdAt,
        name: bob.name,
        'default-currency': 'USD',
        'default-language': 'en',
        bio: bob.bio,
        'primary-paymail': bob.primaryPaymail,
        'avatar-url': bob.avatarUrl,
      },
    },
  });
});

test('balance is an amounts resource with its own UUID id, amount a number and satoshis a string', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const [alice] = mb.fixtures.users;
  const response = await get(mb, `/api/v1/users/${alice.id}/balance`, await tokenFor(mb, 'users.balance:read'));
  t.is(response.status, 200);
  t.deepEqual(response.body, {
    data: {
      type: 'amounts',
      id: alice.balanceId,
      attributes: { amount: alice.balance.amount, currency: 'USD', satoshis: alice.balance.satoshis },
    },
  });
  t.regex(alice.balanceId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  t.is(typeof alice.balance.amount, 'number');
  t.regex(alice.balance.satoshis, /^\d+$/);
});

test("another user's balance is forbidden and an unknown user is not found", async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const token = await tokenFor(mb, 'users.balance:read users.profiles:read');
  const [, bob] = mb.fixtures.users;
  const other = await get(mb, `/api/v1/users/${bob.id}/balance`, token);
  t.is(other.status, 403);
  t.regex((other.body as ErrorDocument).errors[0]?.detail ?? '', /^User \d+ is forbidden: /);
  const unknown = await get(mb, '/api/v1/users/999999/balance', token);
  t.is(unknown.status, 404);
  const unknownProfile = await get(mb, '/api/v1/users/999999/profile', token);
  t.is(unknownProfile.status, 404);
  t.is((unknownProfile.body as ErrorDocument).errors[0]?.status, '404');
});

test('payments are paged newest first with links and their payment-outputs included, without meta (as recorded)', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const token = await tokenFor(mb, 'payments:read');
  const [alice] = mb.fixtures.users;
  const mine = mb.fixtures.payments.filter(
    (payment) => payment.userId === alice.id || payment.outputs.some((output) => output.userId === alice.id),
  );
  t.true(mine.length >= 25);
  const response = await get(mb, '/api/v1/payments?limit=10&offset=10', token);
  const body = response.body as {
    data: PaymentDocument[];
    included: IncludedDocument[];
    links: Record<string, string | null>;
    meta?: unknown;
  };
  t.is(response.status, 200);
  t.is(body.data.length, 10);
  const newestFirst = [...mine].reverse();
  t.deepEqual(
    body.data.map((payment) => payment.id),
    newestFirst.slice(10, 20).map((payment) => payment.id),
  );
  t.is(body.meta, undefined);
  t.is(body.links.self, `${mb.url}/api/v1/payments?limit=10&offset=10`);
  t.is(body.links.prev, `${mb.url}/api/v1/payments?limit=10&offset=0`);
  t.is(body.links.next, `${mb.url}/api/v1/payments?limit=10&offset=20`);
  const outputIds = body.data.flatMap((payment) => payment.relationships['payment-outputs'].data.map((ref) => ref.id));
  t.deepEqual(
    body.included.map((output) => output.id),
    outputIds,
  );
  t.true(body.included.every((output) => output.type === 'payment-outputs'));
});

test('the last page has no next link and the first no prev link', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const token = await tokenFor(mb, 'payments:read');
  const [alice] = mb.fixtures.users;
  const total = mb.fixtures.payments.filter((p) => p.userId === alice.id || p.outputs.some((o) => o.userId === alice.id)).length;
  const first = (await get(mb, '/api/v1/payments', token)).body as { links: Record<string, string | null> };
  t.is(first.links.prev, null);
  const lastOffset = Math.floor((total - 1) / 20) * 20;
  t.is(first.links.last, `${mb.url}/api/v1/payments?limit=20&offset=${lastOffset}`);
  const last = (await get(mb, `/api/v1/payments?offset=${lastOffset}`, token)).body as { links: Record<string, string | null> };
  t.is(last.links.next, null);
});

test('a payment by id has the documented attributes and its outputs', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const token = await tokenFor(mb, 'payments:read');
  const payment = mb.fixtures.payments.find((candidate) => candidate.outputs.length === 2 && candidate.userId === mb.fixtures.users[0].id);
  if (payment === undefined) return t.fail('the fixtures have a two-output payment by the first user');
  const response = await get(mb, `/api/v1/payments/${payment.id}`, token);
  const body = response.body as { data: PaymentDocument; included: IncludedDocument[] };
  t.is(response.status, 200);
  const { 'amount-usd': amountUsd, ...attributes } = body.data.attributes as Record<string, unknown>;
  t.deepEqual(attributes, {
    'created-at': payment.createdAt,
    'user-id': payment.userId,
    txid: payment.txid,
    'normalized-txid': payment.txid,
    amount: payment.amount,
    currency: payment.currency,
    satoshis: payment.satoshis,
    status: payment.status,
    'status-description': payment.statusDescription,
    'button-id': payment.buttonId,
    'button-data': payment.buttonData,
  });
  t.is(typeof amountUsd, 'string', 'all numbers as strings, as in the record');
  t.deepEqual(
    body.included.map((output) => {
      const { 'amount-usd': _usd, ...rest } = output.attributes as Record<string, unknown>;
      return rest;
    }),
    payment.outputs.map((output) => ({
      'created-at': payment.createdAt,
      to: output.to,
      amount: output.amount,
      currency: output.currency,
      satoshis: output.satoshis,
      type: output.userId === null ? 'PAYMAIL' : 'USER',
      'user-id': output.userId,
      address: null,
      script: null,
      'user-paymail': output.userId === null ? null : output.to,
    })),
  );
});

test("an unknown payment or another user's payment is a JSON:API 404", async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const [alice] = mb.fixtures.users;
  const token = await tokenFor(mb, 'payments:read');
  const foreign = mb.fixtures.payments.find(
    (payment) => payment.userId !== alice.id && payment.outputs.every((output) => output.userId !== alice.id),
  );
  for (const id of ['424242', foreign?.id ?? 'missing-fixture']) {
    const response = await get(mb, `/api/v1/payments/${id}`, token);
    const body = response.body as ErrorDocument;
    t.is(response.status, 404);
    t.is(response.headers.get('content-type'), 'application/vnd.api+json');
    t.deepEqual(Object.keys(body.errors[0] ?? {}).sort(), ['detail', 'id', 'status', 'title']);
    t.is(body.errors[0]?.status, '404');
    t.deepEqual(body.jsonapi, { version: '1.0' });
  }
});

test('a bad limit or offset is a JSON:API 400 naming the parameter', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const token = await tokenFor(mb, 'payments:read');
  for (const query of ['limit=0', 'limit=101', 'limit=abc', 'limit=1.5', 'offset=-1', 'offset=x', 'limit=5&limit=6']) {
    const response = await get(mb, `/api/v1/payments?${query}`, token);
    const body = response.body as ErrorDocument;
    t.is(response.status, 400, query);
    t.is(body.errors[0]?.status, '400');
    t.regex(body.errors[0]?.detail ?? '', query.startsWith('limit') ? /limit/ : /offset/);
  }
});

test('a token without the required scope gets 403 naming the scope', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const [alice] = mb.fixtures.users;
  const token = await tokenFor(mb, 'auth.user_identity:read');
  const routes: ReadonlyArray<readonly [string, string]> = [
    [`/api/v1/users/${alice.id}/profile`, 'users.profiles:read'],
    [`/api/v1/users/${alice.id}/balance`, 'users.balance:read'],
    ['/api/v1/payments', 'payments:read'],
    ['/api/v1/payments/10001', 'payments:read'],
  ];
  for (const [path, scope] of routes) {
    const response = await get(mb, path, token);
    t.is(response.status, 403, path);
    t.is(response.headers.get('www-authenticate'), `Bearer error="insufficient_scope", scope="${scope}"`);
    t.true((response.body as ErrorDocument).errors[0]?.detail.includes(scope));
  }
  const identityOnly = await get(mb, '/api/v1/auth/user_identity', await tokenFor(mb, 'payments:read'));
  t.is(identityOnly.status, 403);
});

test('a missing, unknown, expired or revoked token gets 401 with the RFC 6750 challenge', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const missing = await get(mb, '/api/v1/auth/user_identity', undefined);
  t.is(missing.status, 401);
  t.is(missing.headers.get('www-authenticate'), 'Bearer realm="moneybutton"');
  const unknown = await get(mb, '/api/v1/auth/user_identity', 'not-a-token');
  t.is(unknown.status, 401);
  t.regex(unknown.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
  t.is((unknown.body as ErrorDocument).errors[0]?.status, '401');

  const expiring = await tokenFor(mb, 'auth.user_identity:read');
  mb.clock.advance(3600_000);
  t.is((await get(mb, '/api/v1/auth/user_identity', expiring)).status, 401);

  const expiredByAdmin = await tokenFor(mb, 'auth.user_identity:read');
  t.is((await get(mb, '/api/v1/auth/user_identity', expiredByAdmin)).status, 200);
  mb.admin.expireAccessTokens();
  const afterExpire = await get(mb, '/api/v1/auth/user_identity', expiredByAdmin);
  t.is(afterExpire.status, 401);
  t.regex(afterExpire.headers.get('www-authenticate') ?? '', /error="invalid_token"/);

  const revoked = await tokenFor(mb, 'auth.user_identity:read');
  mb.admin.revokeAll();
  t.is((await get(mb, '/api/v1/auth/user_identity', revoked)).status, 401);
  t.is((await get(mb, '/api/v1/auth/user_identity', await tokenFor(mb, 'auth.user_identity:read'))).status, 200);
});

test('access token expiry is checked on the clock of the request, which a clock-skew fault may move', async (t) => {
  const mb = await startProvider('/moneybutton', (ctx) => createMoneyButtonEmulator(ctx, {}), {
    requestSkewMs: (request) => (request.url.endsWith('/user_identity') ? 3600_000 : 0),
  });
  t.teardown(() => mb.close());
  const token = await tokenFor(mb, 'auth.user_identity:read payments:read');
  t.is((await get(mb, '/api/v1/auth/user_identity', token)).status, 401);
  t.is((await get(mb, '/api/v1/payments', token)).status, 200);
});

test('the second user sees their own identity and payments', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const [, bob] = mb.fixtures.users;
  const token = await tokenFor(mb, ALL_USER_SCOPES, 1);
  const identity = (await get(mb, '/api/v1/auth/user_identity', token)).body as { data: { id: string } };
  t.is(identity.data.id, bob.id);
  const payments = (await get(mb, '/api/v1/payments?limit=100', token)).body as { data: PaymentDocument[] };
  t.true(payments.data.length >= 25);
  t.true(
    payments.data.every(
      (payment) =>
        payment.attributes['user-id'] === bob.id ||
        mb.fixtures.payments.find((fixture) => fixture.id === payment.id)?.outputs.some((output) => output.userId === bob.id),
    ),
  );
});

test('an unknown API route is a JSON:API 404', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const response = await get(mb, '/api/v1/nothing-here', undefined);
  t.is(response.status, 404);
  t.is((response.body as ErrorDocument).errors[0]?.status, '404');
});
