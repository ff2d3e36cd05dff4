import { normalizeDecimal } from '@paygate/core';
import type { MoneyButtonFixtures } from '@paygate/sandbox';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { type MoneyButtonPayment, toGatewayPayment } from '../src/index.js';
import { left, requestsTo, right, signIn, startMoneyButton } from './_setup.js';

type FixturePayment = MoneyButtonFixtures['payments'][number];

/** The sandbox writes USD with two decimals ("12.30"); the adapter hands out canonical decimals ("12.3"). */
const canonical = (amount: string): string => {
  const normalized = normalizeDecimal(amount);
  return E.isRight(normalized) ? normalized.right : `not a decimal: ${amount}`;
};

type WithoutFields<A> = Omit<A, 'fields'>;
type Comparable = WithoutFields<Omit<MoneyButtonPayment, 'outputs'>> & {
  readonly outputs: ReadonlyArray<WithoutFields<MoneyButtonPayment['outputs'][number]>>;
};

/** The typed view only: `fields` (the attributes as received) is checked on its own. */
const typed = ({ fields: _fields, outputs, ...payment }: MoneyButtonPayment): Comparable => ({
  ...payment,
  outputs: outputs.map(({ fields: _f, ...output }) => output),
});

/** What the adapter should make of a seeded payment (the fixture is the sandbox's ground truth). */
const expected = (payment: FixturePayment): Comparable => ({
  id: payment.id,
  status: payment.status,
  statusDescription: payment.statusDescription,
  txid: payment.txid,
  normalizedTxid: payment.txid,
  amount: canonical(payment.amount),
  currency: payment.currency,
  satoshis: payment.satoshis,
  createdAt: payment.createdAt,
  userId: payment.userId,
  buttonId: payment.buttonId,
  buttonData: payment.buttonData,
  outputs: payment.outputs.map((output) => ({
    id: output.id,
    type: output.userId === null ? 'PAYMAIL' : 'USER',
    to: output.to,
    userId: output.userId,
    address: null,
    script: null,
    amount: canonical(output.amount),
    currency: output.currency,
    satoshis: output.satoshis,
  })),
});

const involving = (payments: ReadonlyArray<FixturePayment>, userId: string) =>
  payments
    .filter((p) => p.userId === userId || p.outputs.some((o) => o.userId === userId))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));

test('payments sends GET /api/v1/payments?limit=&offset= and joins each payment’s outputs from included', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const [alice] = sandbox.fixtures.moneybutton.users;
  const all = involving(sandbox.fixtures.moneybutton.payments, alice.id);
  const page = await right(t, mb.payments({ limit: 5, offset: 5 }));
  t.like(requestsTo(sandbox)[0], { method: 'GET', path: '/api/v1/payments', query: { limit: '5', offset: '5' } });
  t.is(requestsTo(sandbox)[0]?.headers.accept, 'application/vnd.api+json');
  t.deepEqual(page.items.map(typed), all.slice(5, 10).map(expected));
  t.like(page, { limit: 5, offset: 5, nextOffset: 10 });
  t.is(page.total, undefined, 'the record shows no meta/total on the list');
  t.like(page.items[0]?.fields, { 'created-at': all[5]?.createdAt, satoshis: all[5]?.satoshis });
  t.regex(String(page.items[0]?.fields['amount-usd']), /^\d+(\.\d+)?$/);
  t.true(page.items.some((p) => p.outputs.length > 1), 'a payment with a fee output is on the page');
});

test('amounts are canonical decimal strings and satoshis exact digit strings', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const page = await right(t, mb.payments({ limit: 100 }));
  for (const payment of page.items) {
    t.regex(payment.amount, /^(0|[1-9]\d*)(\.\d*[1-9])?$/);
    t.regex(payment.satoshis ?? '', /^\d+$/);
    const outputSum = payment.outputs.reduce((sum, o) => sum + BigInt(o.satoshis ?? '0'), 0n);
    t.is(outputSum, BigInt(payment.satoshis ?? '-1'), `outputs of ${payment.id} add up to the payment`);
  }
});

test('a short last page has no nextOffset', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const first = await right(t, mb.payments({ limit: 100 }));
  const total = first.items.length;
  const last = await right(t, mb.payments({ limit: 10, offset: total - 3 }));
  t.is(last.items.length, 3);
  t.is(last.nextOffset, undefined);
});

test('payment(id) sends GET /api/v1/payments/{id} and decodes the FAILED payment without txid', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const [alice] = sandbox.fixtures.moneybutton.users;
  const failed = involving(sandbox.fixtures.moneybutton.payments, alice.id).find((p) => p.status === 'FAILED' && p.txid === null);
  if (failed === undefined) return t.fail('the fixtures have a failed payment without a transaction');
  t.deepEqual(typed(await right(t, mb.payment(failed.id))), expected(failed));
  t.like(requestsTo(sandbox)[0], { method: 'GET', path: `/api/v1/payments/${failed.id}` });
});

test('DOUBLE_SPENT is a payment status, mapped to failed by the gateway view', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const flagged = sandbox.fixtures.moneybutton.payments.find((p) => p.status === 'DOUBLE_SPENT');
  if (flagged === undefined) return t.fail('the fixtures have a double-spent payment');
  const owner = sandbox.fixtures.moneybutton.users.findIndex(
    (u) => flagged.userId === u.id || flagged.outputs.some((o) => o.userId === u.id),
  );
  const { client: reader } = owner === 0 ? { client: mb } : await signIn(t, sandbox, { user: 1 });
  const payment = await right(t, reader.payment(flagged.id));
  t.like(payment, { id: flagged.id, status: 'DOUBLE_SPENT' });
  t.like(toGatewayPayment(payment), { _tag: 'Right', right: { id: flagged.id, status: 'failed' } });
});

test('an unknown payment is a ProviderError 404 with the JSON:API error details', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const error = await left(t, mb.payment('424242'));
  t.like(error, { _tag: 'ProviderError', status: 404, code: 'Not Found', details: { errors: [{ status: '404' }] } });
});

test('a page size the server refuses is a ProviderError 400', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  t.like(await left(t, mb.payments({ limit: 1000 })), { _tag: 'ProviderError', status: 400, code: 'Bad Request' });
});

test('a bad limit, offset or id is InvalidInput and sends nothing', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  t.like(await left(t, mb.payments({ limit: 0 })), { _tag: 'InvalidInput', field: 'limit' });
  t.like(await left(t, mb.payments({ limit: 2.5 })), { _tag: 'InvalidInput', field: 'limit' });
  t.like(await left(t, mb.payments({ offset: -1 })), { _tag: 'InvalidInput', field: 'offset' });
  t.like(await left(t, mb.payment('../users/1040/balance')), { _tag: 'InvalidInput', field: 'id' });
  t.is(requestsTo(sandbox).length, 0);
});

test('toGatewayPayment answers InvalidInput naming the first wrong member for what is not a MoneyButtonPayment', (t) => {
  const payment: MoneyButtonPayment = { id: 'mb-1', status: 'COMPLETED', txid: null, amount: '1.5', currency: 'USD', outputs: [], fields: {} };
  t.like(toGatewayPayment(payment, '2024-01-01T00:00:00.000Z'), {
    _tag: 'Right',
    right: { id: 'mb-1', status: 'completed', amount: { amount: '1.5', currency: 'USD' }, createdAt: '2024-01-01T00:00:00.000Z' },
  });
  for (const bad of [null, undefined, 'mb-1', [], {}]) {
    t.like(toGatewayPayment(bad as never), { _tag: 'Left', left: { _tag: 'InvalidInput' } }, String(bad));
  }
  t.like(toGatewayPayment({ ...payment, amount: 1.5 } as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'payment.amount' } });
  t.like(toGatewayPayment({ ...payment, outputs: null } as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'payment.outputs' } });
  t.like(toGatewayPayment(payment, 42 as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'receivedAt' } });
});
