import { inspect } from 'node:util';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { parseWebhook } from '../src/index.js';

const SECRET = '5e1c0ffee5e1c0ffee5e1c0ffee5e1c0';

const payment = (status: string) => ({
  id: '10061',
  userId: null,
  from: 'carol@paymail.example',
  status,
  doubleSpent: false,
  txid: status === 'PENDING' ? null : 'ab'.repeat(32),
  amount: '12.30',
  currency: 'USD',
  satoshis: '4920000',
  createdAt: '2024-05-01T09:30:00.000Z',
  updatedAt: '2024-05-01T09:31:00.000Z',
  paymentOutputs: [
    { id: '10061-1', to: 'alice@moneybutton.com', userId: '1040', amount: '12.30', currency: 'USD', satoshis: '4920000' },
  ],
});

const body = (status = 'COMPLETED', secret = SECRET) => JSON.stringify({ secret, payment: payment(status) });

test('a webhook with the right secret becomes a PaymentEvent with the payment decoded', (t) => {
  const result = parseWebhook(body(), SECRET);
  if (E.isLeft(result)) return t.fail(result.left.message);
  t.is(result.right.paymentId, '10061');
  t.is(result.right.status, 'completed');
  const { raw, ...neutral } = result.right.payment;
  t.deepEqual(neutral, { id: '10061', status: 'completed', amount: { amount: '12.3', currency: 'USD' }, createdAt: '2024-05-01T09:30:00.000Z' });
  t.like(raw, {
    id: '10061',
    userId: null,
    senderPaymail: 'carol@paymail.example',
    status: 'COMPLETED',
    doubleSpent: false,
    txid: 'ab'.repeat(32),
    amount: '12.3',
    satoshis: '4920000',
    updatedAt: '2024-05-01T09:31:00.000Z',
  });
  t.like(raw.outputs[0], { id: '10061-1', to: 'alice@moneybutton.com', userId: '1040', amount: '12.3', satoshis: '4920000' });
  t.deepEqual(raw.fields, payment('COMPLETED'));
});

test('each documented status maps to the paygate status', (t) => {
  const statuses = { PENDING: 'pending', RECEIVED: 'processing', COMPLETED: 'completed', FAILED: 'failed', DOUBLE_SPENT: 'failed' } as const;
  for (const [mb, paygate] of Object.entries(statuses)) {
    t.like(parseWebhook(body(mb), SECRET), { _tag: 'Right', right: { status: paygate, payment: { status: paygate } } });
  }
});

test('the body may be a string, a Buffer or an already parsed object', (t) => {
  const expected = parseWebhook(body(), SECRET);
  t.deepEqual(parseWebhook(Buffer.from(body()), SECRET), expected);
  t.deepEqual(parseWebhook(JSON.parse(body()), SECRET), expected);
});

test('a wrong secret is AuthError bad_credentials carrying neither secret', (t) => {
  const forged = 'forged-secret-value-of-another-length';
  const result = parseWebhook(body('COMPLETED', forged), SECRET);
  t.like(result, { _tag: 'Left', left: { _tag: 'AuthError', reason: 'bad_credentials', status: 401 } });
  for (const text of [JSON.stringify(result), inspect(result, { depth: 10 })]) {
    t.false(text.includes(SECRET));
    t.false(text.includes(forged));
  }
  t.like(parseWebhook(body('COMPLETED', SECRET.slice(0, -1)), SECRET), { _tag: 'Left', left: { reason: 'bad_credentials' } });
  t.like(parseWebhook(body('COMPLETED', ''), SECRET), { _tag: 'Left', left: { reason: 'bad_credentials' } });
});

test('the payment is not looked at before the secret matched', (t) => {
  const unauthenticatedGarbage = JSON.stringify({ secret: 'nope', payment: { status: 'WHATEVER' } });
  t.like(parseWebhook(unauthenticatedGarbage, SECRET), { _tag: 'Left', left: { _tag: 'AuthError' } });
});

test('only a body that is not a JSON object with a payment is InvalidInput; a missing secret is 401 like a wrong one', (t) => {
  t.like(parseWebhook('{"secret": "', SECRET), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'body' } });
  t.like(parseWebhook('[1,2]', SECRET), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'body' } });
  t.like(parseWebhook(null, SECRET), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'body' } });
  t.like(parseWebhook(JSON.stringify({ payment: payment('COMPLETED') }), SECRET), {
    _tag: 'Left',
    left: { _tag: 'AuthError', reason: 'bad_credentials', status: 401 },
  });
  t.like(parseWebhook(JSON.stringify({ secret: SECRET }), SECRET), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'payment' } });
  t.like(parseWebhook(JSON.stringify({ secret: SECRET, payment: [] }), SECRET), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'payment' } });
  const { id: _id, ...withoutId } = payment('COMPLETED');
  t.like(parseWebhook({ secret: SECRET, payment: withoutId }, SECRET), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'payment.id' } });
});

test('an undocumented status is accepted, kept as sent, and not final (processing)', (t) => {
  t.like(parseWebhook(body('REFUNDED'), SECRET), {
    _tag: 'Right',
    right: { status: 'processing', payment: { status: 'processing', raw: { status: 'REFUNDED' } } },
  });
});

test('members of an unexpected type are left out of the typed view, never guessed, and the delivery is accepted', (t) => {
  const odd = { ...payment('COMPLETED'), satoshis: 2 ** 60, buttonData: { not: 'text' }, createdAt: 17, paymentOutputs: 'none' };
  const result = parseWebhook({ secret: SECRET, payment: odd }, SECRET, new Date('2024-06-01T00:00:00Z'));
  if (E.isLeft(result)) return t.fail(result.left.message);
  const { raw } = result.right.payment;
  t.is(raw.satoshis, undefined);
  t.is(raw.buttonData, undefined);
  t.deepEqual(raw.outputs, []);
  t.is(result.right.payment.createdAt, '2024-05-01T09:31:00.000Z', 'updatedAt stands in for a createdAt that is not a date string');
  t.deepEqual(raw.fields, odd);
});

test('a minimal payment (id, status, amount, currency) is enough; the receipt time stands in for createdAt', (t) => {
  const minimal = { id: 7, status: 'PENDING', amount: 0.5, currency: 'BSV' };
  t.like(parseWebhook({ secret: SECRET, payment: minimal }, SECRET, new Date('2024-06-01T00:00:00Z')), {
    _tag: 'Right',
    right: { paymentId: '7', status: 'pending', payment: { amount: { amount: '0.5', currency: 'BSV' }, createdAt: '2024-06-01T00:00:00.000Z', raw: { txid: null, outputs: [] } } },
  });
});

test('an empty expected secret is refused rather than matching an empty one', (t) => {
  t.like(parseWebhook(body('COMPLETED', ''), ''), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'expectedSecret' } });
});
