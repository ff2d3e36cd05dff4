import { readFileSync } from 'node:fs';
import test, { type ExecutionContext } from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { parseWebhook, webhookHandler } from '../src/index.js';
import { client, left, listen, right } from './_setup.js';

/** Every example body of moneybutton-public.md (see __fixtures__/README.md), decoded as a server would send it. */
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));
const SECRET = '5e1c0ffee5e1c0ffee5e1c0ffee5e1c0';

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly accept: string | undefined;
  readonly body: string;
}

const ROUTES: Readonly<Record<string, [number, string]>> = {
  'GET /api/v1/auth/user_identity': [200, 'v1-user-identity.json'],
  'GET /api/v1/users/5/profile': [200, 'v1-profile.json'],
  'GET /api/v1/users/5/balance': [200, 'v1-balance.json'],
  'GET /api/v1/payments?limit=20&offset=0': [200, 'v1-payments.json'],
  'GET /api/v2/me/payments/4': [200, 'v2-payment-by-id.json'],
  'POST /api/v2/me/assets': [200, 'v2-asset-create-response.json'],
  'PUT /api/v2/me/assets/21': [200, 'v2-asset-modify-response.json'],
  'GET /api/v2/me/assets': [500, 'v2-assets-error-500.json'],
};

/** A server answering with the recorded bodies, and the requests it saw. */
const recordServer = async (t: ExecutionContext) => {
  const seen: Seen[] = [];
  const server = await listen(t, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', accept: req.headers.accept, body: Buffer.concat(chunks).toString('utf8') });
      const route = ROUTES[`${req.method} ${req.url}`];
      res.statusCode = route?.[0] ?? 404;
      res.setHeader('content-type', req.url?.startsWith('/api/v1') ? 'application/vnd.api+json' : 'application/json');
      res.end(route === undefined ? '{"errors":[{"title":"Not Found"}]}' : JSON.stringify(fixture(route[1])));
    });
  });
  const mb = client(t, { baseUrl: server.url, clientId: 'app', scope: [] });
  await right(t, mb.session.setTokens({ accessToken: 'token-1', tokenType: 'Bearer', extra: {} }));
  return { mb, seen };
};

test('API v1 identity, profile (created-at, default-currency, default-language) and balance (type amounts, UUID id)', async (t) => {
  const { mb, seen } = await recordServer(t);
  t.deepEqual(await right(t, mb.userIdentity()), { id: '5', name: 'John Doe' });
  const profile = await right(t, mb.userProfile('5'));
  t.like(profile, {
    id: '5',
    name: 'John Doe',
    createdAt: '2019-03-14T20:36:35.411Z',
    defaultCurrency: 'USD',
    defaultLanguage: 'en',
    primaryPaymail: '5@moneybutton.com',
    bio: 'I am a very enthusiastic person.',
  });
  t.deepEqual(await right(t, mb.userBalance('5')), {
    userId: '5',
    id: '1f6f8b55-4cb2-4a1c-8a4c-0e0c1f9ad6b1',
    amount: '36.07',
    currency: 'USD',
    satoshis: '17361389',
  });
  t.deepEqual(
    seen.map((r) => [r.method, r.path, r.accept]),
    [
      ['GET', '/api/v1/auth/user_identity', 'application/vnd.api+json'],
      ['GET', '/api/v1/users/5/profile', 'application/vnd.api+json'],
      ['GET', '/api/v1/users/5/balance', 'application/vnd.api+json'],
    ],
  );
});

test('API v1 payments: every documented attribute, outputs from included, status-description of a FAILED payment', async (t) => {
  const { mb, seen } = await recordServer(t);
  const page = await right(t, mb.payments());
  t.is(seen[0]?.path, '/api/v1/payments?limit=20&offset=0');
  const [completed, failed] = page.items;
  t.like(completed, {
    id: '1040',
    status: 'COMPLETED',
    amount: '0.01',
    satoshis: '6793',
    normalizedTxid: '6b2f0a1e9c7d5b3a18f6e4d2c0b9a7f5e3d1c9b7a5f3e1d9c7b5a3f1e9d7c5b3',
    buttonId: '1',
    buttonData: '{}',
    userId: '5',
  });
  t.like(completed?.outputs[0], { id: '1121', type: 'USER', to: '6', userId: '6', satoshis: '6793', fields: { 'user-paymail': '6@moneybutton.com' } });
  t.is(completed?.fields['fee-amount-satoshis'], '196');
  t.like(failed, { id: '1039', status: 'FAILED', txid: null, statusDescription: 'Timed out.', outputs: [] });
  t.is(page.nextOffset, undefined, 'two items on a page of 20: the last page');
});

test('API v2 payment by id: {payment, paymentOutputs}, the ~35 fields, rawtx Buffer → hex', async (t) => {
  const { mb, seen } = await recordServer(t);
  const payment = await right(t, mb.paymentV2('4'));
  t.like(seen[0], { method: 'GET', path: '/api/v2/me/payments/4', accept: 'application/json' });
  t.like(payment, {
    id: '4',
    status: 'COMPLETED',
    amount: '0.01',
    satoshis: '4386',
    createdAt: '2020-04-21T16:16:10.505Z',
    senderPaymail: '3@moneybutton.com',
    rawtx: '0100000001ab00000000',
    buttonData: '{}',
  });
  t.deepEqual(payment.outputs.map((o) => [o.id, o.userId, o.satoshis]), [['11', '6', '4386']]);
  const body = fixture('v2-payment-by-id.json') as { payment: Record<string, unknown> };
  t.deepEqual(payment.fields, body.payment, 'the provider’s object is kept whole');
  t.is(Object.keys(body.payment).length, 35);
});

test('API v2 assets: create sends initialSupply as a number and reads it back as a string; modify reads tokenProtocolId', async (t) => {
  const { mb, seen } = await recordServer(t);
  const request = fixture('v2-asset-create-request.json') as { name: string; initialSupply: number; protocol: string };
  const created = await right(t, mb.createAsset(request));
  t.deepEqual(JSON.parse(seen[0]?.body ?? 'null'), request);
  t.like(created, { id: '21', initialSupply: '1000', paymailAlias: 'e5045f6a00a2.asset', paymailDomain: null, avatar: 'https://example.com/token.png' });
  const modified = await right(t, mb.updateAsset('21', { name: 'My renamed token', description: 'A renamed token', avatar: 'https://example.com/token-2.png' }));
  t.like(seen[1], { method: 'PUT', path: '/api/v2/me/assets/21' });
  t.deepEqual(JSON.parse(seen[1]?.body ?? 'null'), { name: 'My renamed token', description: 'A renamed token', avatar: 'https://example.com/token-2.png' });
  t.like(modified, { name: 'My renamed token', tokenProtocolId: '1' });
  t.like(await left(t, mb.assets()), { _tag: 'ProviderError', status: 500, code: 'Server Error', errorId: '4b1d7b5e-2f8d-4c0e-9a41-5c3e0b8f7a12' });
});

test('webhooks: the documented payload, the integrations’ paymentOutputs variant and an ntxid delivery all decode', (t) => {
  const documented = parseWebhook(fixture('webhook-documented.json'), SECRET, new Date('2024-01-02T03:04:05Z'));
  if (E.isLeft(documented)) return t.fail(documented.left.message);
  t.like(documented.right, { paymentId: '1040', status: 'completed', payment: { createdAt: '2024-01-02T03:04:05.000Z' } });
  const raw = documented.right.payment.raw;
  t.like(raw, { buttonId: 'invoice-42', buttonData: '{"invoice":42}', satoshis: '45454', userId: '5', rawtx: '0100000001ab00000000' });
  t.deepEqual(
    raw.outputs.map((o) => [o.type, o.address ?? o.userId ?? o.script, o.satoshis]),
    [
      ['address', '1LqjUkpKPDNgZFBQk5hmwzGzjCfYtnrTjN', '22727'],
      ['userId', '6', '13636'],
      ['script', 'OP_FALSE OP_RETURN 6d6f6e6579', '9091'],
    ],
  );

  const integration = parseWebhook(fixture('webhook-integration.json'), SECRET);
  if (E.isLeft(integration)) return t.fail(integration.left.message);
  t.like(integration.right, { paymentId: '2211', status: 'processing', payment: { createdAt: '2020-03-02T11:45:12.231Z' } });
  t.like(integration.right.payment.raw, { satoshis: '12345678', normalizedTxid: null, fields: { someFutureField: { kept: true } } });
  t.like(integration.right.payment.raw.outputs[0], { id: '5501', type: 'USER', to: 'shop@moneybutton.com', userId: '6', satoshis: '12345678' });

  const older = parseWebhook(fixture('webhook-ntxid.json'), SECRET);
  if (E.isLeft(older)) return t.fail(older.left.message);
  t.like(older.right, { status: 'failed', payment: { raw: { status: 'DOUBLE_SPENT', normalizedTxid: '1f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0' } } });
});

test('the webhook endpoint answers 200 to each recorded delivery, 401 without the secret, 400 only without a payment object', async (t) => {
  const events: string[] = [];
  const server = await listen(
    t,
    webhookHandler(SECRET, (event) => {
      events.push(`${event.paymentId}:${event.status}`);
    }),
  );
  const post = async (body: unknown) => (await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status;
  for (const name of ['webhook-documented.json', 'webhook-integration.json', 'webhook-ntxid.json']) t.is(await post(fixture(name)), 200, name);
  t.deepEqual(events, ['1040:completed', '2211:processing', '987:failed']);
  const { secret: _secret, ...unsigned } = fixture('webhook-documented.json') as Record<string, unknown>;
  t.is(await post(unsigned), 401);
  t.is(await post({ secret: SECRET, payment: 'COMPLETED' }), 400);
  t.is(await post({ secret: SECRET, payment: { id: '1', status: 'COMPLETED', amount: '1', currency: 'USD', outputs: 'odd', satoshis: 'many' } }), 200);
});
