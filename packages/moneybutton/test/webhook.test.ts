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
  t.deepEqual(result.right.payment, {
    id: '10061',
    status: 'completed',
    amount: { amount: '12.3', currency: 'USD' },
    createdAt: '2024-05-01T09:30:00.000Z',
    raw: {
      id: '10061',
      userId: null,
      from: 'carol@paymail.example',
      status: 'COMPLETED',
      doubleSpent: false,
      txid: 'ab'.repeat(32),
      amount: '12.3',
      currency: 'USD',
      satoshis: '4920000',
      createdAt: '2024-05-01T09:30:00.000Z',
      updatedAt: '2024-05-01T09:31:00.000Z',
      outputs: [{ id: '10061-1', to: 'alice@moneybutton.com', userId: '1040', amount: '12.3', currency: 'USD', satoshis: '4920000' }],
    },
  });
});

test('each documented status maps to the paygate status', (t) => {
  const statuses = { PENDING: 'pending', RECEIVED: 'processing', COMPLETED: 'completed', FAILED: 'failed' } as const;
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

test('malformed bodies are InvalidInput naming what is wrong', (t) => {
  t.like(parseWebhook('{"secret": "', SECRET), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'body' } });
  t.like(parseWebhook('[1,2]', SECRET), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'body' } });
  t.like(parseWebhook(null, SECRET), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'body' } });
  t.like(parseWebhook(JSON.stringify({ payment: payment('COMPLETED') }), SECRET), {
    _tag: 'Left',
    left: { _tag: 'InvalidInput', field: 'body' },
  });
  t.like(parseWebhook(JSON.stringify({ secret: SECRET }), SECRET), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'payment' } });
});

test('an unknown payment status is InvalidInput on payment.status', (t) => {
  const result = parseWebhook(body('REFUNDED'), SECRET);
  t.like(result, { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'payment.status' } });
});

test('satoshis that lost precision as a float are refused', (t) => {
  const document = { secret: SECRET, payment: { ...payment('COMPLETED'), satoshis: 2 ** 60 } };
  t.like(parseWebhook(document, SECRET), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'payment.satoshis' } });
});

test('an empty expected secret is refused rather than matching an empty one', (t) => {
  t.like(parseWebhook(body('COMPLETED', ''), ''), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'expectedSecret' } });
});
