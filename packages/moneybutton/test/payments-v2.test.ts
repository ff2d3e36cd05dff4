import test from 'ava';
import { left, requestsTo, right, signIn, startMoneyButton } from './_setup.js';

test('paymentsV2 sends GET /api/v2/me/payments as plain JSON and decodes the same payments as API v1', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb, accessToken } = await signIn(t, sandbox);
  const v2 = await right(t, mb.paymentsV2({ limit: 7, offset: 3 }));
  const [request] = requestsTo(sandbox);
  t.like(request, { method: 'GET', path: '/api/v2/me/payments', query: { limit: '7', offset: '3' }, body: '' });
  t.is(request?.headers.accept, 'application/json');
  t.is(request?.headers.authorization, `Bearer ${accessToken}`);
  const v1 = await right(t, mb.payments({ limit: 7, offset: 3 }));
  t.deepEqual(
    v2.items.map((p) => [p.id, p.status, p.amount, p.currency, p.satoshis, p.txid, p.createdAt, p.outputs.map((o) => [o.id, o.to, o.amount])]),
    v1.items.map((p) => [p.id, p.status, p.amount, p.currency, p.satoshis, p.txid, p.createdAt, p.outputs.map((o) => [o.id, o.to, o.amount])]),
  );
  t.is(v2.items.length, 7);
  t.is(v2.nextOffset, 10);
});

test('paymentV2 reads {payment, paymentOutputs}: the documented fields, rawtx from a serialised Buffer to hex', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const page = await right(t, mb.paymentsV2({ limit: 20 }));
  const withFee = page.items.find((p) => p.outputs.length === 2 && p.txid !== null);
  if (withFee === undefined) return t.fail('a payment with two outputs is on the first page');
  sandbox.admin.clearRequests();
  const one = await right(t, mb.paymentV2(withFee.id));
  t.deepEqual(one, withFee);
  t.like(requestsTo(sandbox)[0], { method: 'GET', path: `/api/v2/me/payments/${withFee.id}` });
  const fixture = sandbox.fixtures.moneybutton.payments.find((p) => p.id === withFee.id);
  t.is(one.rawtx, fixture?.rawtx ?? 'missing');
  t.like(one.fields, { source: 'INTERNAL', preserveOrder: false, rawtx: { type: 'Buffer' } });
});

test('paymentHistory sends GET /api/v2/me/payments/history and decodes direction, counterparty and amounts', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const [alice] = sandbox.fixtures.moneybutton.users;
  const history = await right(t, mb.paymentHistory({ limit: 30 }));
  t.like(requestsTo(sandbox)[0], { method: 'GET', path: '/api/v2/me/payments/history', query: { limit: '30', offset: '0' } });
  t.is(history.items.length, 30);
  t.true(history.items.some((e) => e.direction === 'sent'));
  t.true(history.items.some((e) => e.direction === 'received'));
  const payments = await right(t, mb.paymentsV2({ limit: 30 }));
  for (const [index, entry] of history.items.entries()) {
    const payment = payments.items[index];
    t.is(payment?.id, entry.paymentId);
    const sent = payment?.userId === alice.id;
    t.is(entry.direction, sent ? 'sent' : 'received');
    t.regex(entry.satoshis ?? '', /^\d+$/);
    if (sent) t.is(entry.satoshis, payment?.satoshis);
  }
});

test('an unknown v2 payment is a ProviderError 404, and "history" is not a payment id', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  t.like(await left(t, mb.paymentV2('424242')), { _tag: 'ProviderError', status: 404 });
  sandbox.admin.clearRequests();
  t.like(await left(t, mb.paymentV2('history')), { _tag: 'InvalidInput', field: 'id' });
  t.like(await left(t, mb.paymentsV2({ limit: -1 })), { _tag: 'InvalidInput', field: 'limit' });
  t.like(await left(t, mb.paymentHistory({ offset: 0.5 })), { _tag: 'InvalidInput', field: 'offset' });
  t.is(requestsTo(sandbox).length, 0);
});
