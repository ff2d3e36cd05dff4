import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { privateKeyToAccount } from 'viem/accounts';
import { verifyMessage } from 'viem';
import { crossChainOrderMessage, formatOrderTimestamp, sepaOrderMessage, shortIban } from '../src/v2/order-message.js';
import { left, orderBody, right, startV2Server, v2Client } from './_v2-server.js';
import { viemSigner } from './_signer.js';

const account = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d');
const signer = viemSigner(account);
const ADDRESS = account.address;
const ID = '0b8a3c1e-1111-4222-8333-444455556666';
const AT = new Date('2024-07-12T12:02:49.948Z');

test('order messages are exactly the §4 forms: minute UTC stamp, compact or short IBAN, "on <chain>"', (t) => {
  t.deepEqual(formatOrderTimestamp(AT), E.right('2024-07-12T12:02:00Z'));
  t.is(shortIban('EE12 3456 7890 1234 2602'), 'EE12...2602');
  t.deepEqual(sepaOrderMessage({ currency: 'eur', amount: '10', iban: 'ee12 3456 7890 1234 2602', timestamp: AT }), E.right('Send EUR 10 to EE123456789012342602 at 2024-07-12T12:02:00Z'));
  t.deepEqual(sepaOrderMessage({ currency: 'eur', amount: '10', iban: 'EE12 3456 7890 1234 2602', ibanForm: 'short', timestamp: AT }), E.right('Send EUR 10 to EE12...2602 at 2024-07-12T12:02:00Z'));
  t.deepEqual(crossChainOrderMessage({ currency: 'eur', amount: '1.5', address: ADDRESS, chain: 'chiado', timestamp: AT }), E.right(`Send EUR 1.5 to ${ADDRESS} on chiado at 2024-07-12T12:02:00Z`));
});

test('order message builders answer InvalidInput naming the part that is not what its type says', (t) => {
  for (const bad of [null, undefined, 0, '2024-07-12', new Date('x')]) {
    t.like(formatOrderTimestamp(bad as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'date' } }, String(bad));
  }
  const sepa = { currency: 'eur', amount: '10', iban: 'EE12 3456 7890 1234 2602', timestamp: AT };
  t.like(sepaOrderMessage(null as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'parts' } });
  t.like(sepaOrderMessage({ ...sepa, currency: null } as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'currency' } });
  t.like(sepaOrderMessage({ ...sepa, iban: 5 } as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'iban' } });
  t.like(sepaOrderMessage({ ...sepa, ibanForm: 'long' } as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'ibanForm' } });
  t.like(sepaOrderMessage({ ...sepa, timestamp: '2024-07-12' } as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'timestamp' } });
  const chain = { currency: 'eur', amount: '1.5', address: ADDRESS, chain: 'chiado', timestamp: AT };
  t.like(crossChainOrderMessage([] as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'parts' } });
  t.like(crossChainOrderMessage({ ...chain, chain: {} } as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'chain' } });
  t.like(crossChainOrderMessage({ ...chain, address: undefined } as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'address' } });
});

test('a SEPA redeem is POST /orders with our id, the signed §4 message and the documented body', async (t) => {
  const server = await startV2Server(t);
  server.route('POST /orders', (seen) => ({ body: orderBody({ id: (seen.json as { id: string }).id, address: ADDRESS, state: 'placed' }) }));
  const client = v2Client(server, { now: () => AT.getTime(), signer });
  const outcome = await right(
    t,
    client.placeOrder({
      id: ID,
      amount: '12.50',
      address: ADDRESS,
      chain: 'ethereum',
      counterpart: { kind: 'iban', iban: 'DE89 3704 0044 0532 0130 00', firstName: 'Ada', lastName: 'Lovelace', country: 'DE' },
      memo: 'Invoice 42',
      referenceNumber: 'RF18539007547034',
    }),
  );
  t.is(outcome._tag, 'placed');
  const body = server.seen[0]?.json as Record<string, unknown>;
  const { signature, ...rest } = body;
  t.deepEqual(rest, {
    id: ID,
    kind: 'redeem',
    address: ADDRESS,
    chain: 'sepolia',
    currency: 'eur',
    amount: '12.5',
    counterpart: { identifier: { standard: 'iban', iban: 'DE89370400440532013000' }, details: { firstName: 'Ada', lastName: 'Lovelace', country: 'DE' } },
    message: 'Send EUR 12.5 to DE89370400440532013000 at 2024-07-12T12:02:00Z',
    memo: 'Invoice 42',
    referenceNumber: 'RF18539007547034',
  });
  t.true(await verifyMessage({ address: ADDRESS, message: String(rest.message), signature: signature as `0x${string}` }));
});

test('a cross-chain redeem carries the chain identifier, no details, and the "on <chain>" message', async (t) => {
  const server = await startV2Server(t);
  server.route('POST /orders', (seen) => ({ body: orderBody({ id: (seen.json as { id: string }).id, address: ADDRESS, state: 'placed' }) }));
  const client = v2Client(server, { now: () => AT.getTime(), signer });
  await right(t, client.placeOrder({ amount: '5', address: ADDRESS, chain: 'sepolia', counterpart: { kind: 'chain', address: ADDRESS, chain: 'gnosis' } }));
  const body = server.seen[0]?.json as Record<string, unknown>;
  t.deepEqual(body.counterpart, { identifier: { standard: 'chain', address: ADDRESS, chain: 'chiado' } });
  t.is(body.message, `Send EUR 5 to ${ADDRESS} on chiado at 2024-07-12T12:02:00Z`);
  t.regex(String(body.id), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('202 (multisig pending) is a typed pending outcome, followed through GET /orders/{id}', async (t) => {
  const server = await startV2Server(t);
  server.route('POST /orders', { status: 202, body: { code: 202, status: 'Accepted' } });
  server.route(`GET /orders/${ID}`, (_s, count) => (count === 1 ? { status: 404, body: { code: 404, status: 'Not Found', message: 'no order' } } : { body: orderBody({ id: ID, address: ADDRESS }) }));
  const client = v2Client(server, { now: () => AT.getTime() });
  const outcome = await right(t, client.placeOrder({ id: ID, amount: '5', address: ADDRESS, chain: 'sepolia', signature: '0x', timestamp: AT, counterpart: { kind: 'chain', address: ADDRESS, chain: 'chiado' } }));
  t.deepEqual(outcome, { _tag: 'pending_signature', id: ID, message: `Send EUR 5 to ${ADDRESS} on chiado at 2024-07-12T12:02:00Z` });
  t.deepEqual(await right(t, client.followPendingOrder(ID)), { _tag: 'pending_signature' });
  t.is((await right(t, client.followPendingOrder(ID)))._tag, 'placed');
});

test('a 202 with an empty body ({} or none) is pending too, never a decode failure', async (t) => {
  const server = await startV2Server(t);
  server.route('POST /orders', (_s, count) => (count === 1 ? { status: 202, body: {} } : { status: 202 }));
  const client = v2Client(server, { signer });
  const input = { amount: '5', address: ADDRESS, chain: 'sepolia', counterpart: { kind: 'chain' as const, address: ADDRESS, chain: 'chiado' } };
  t.is((await right(t, client.placeOrder(input)))._tag, 'pending_signature');
  t.is((await right(t, client.placeOrder(input)))._tag, 'pending_signature');
  t.is(server.seen.length, 2);
});

test('a lost response is reconciled by GET /orders/{our id}: placed exactly once, never re-sent', async (t) => {
  const server = await startV2Server(t);
  server.route('POST /orders', { drop: true });
  server.route(`GET /orders/${ID}`, { body: orderBody({ id: ID, address: ADDRESS, amount: '5' }) });
  const client = v2Client(server, { signer });
  const outcome = await right(t, client.placeOrder({ id: ID, amount: '5', address: ADDRESS, chain: 'sepolia', counterpart: { kind: 'chain', address: ADDRESS, chain: 'chiado' } }));
  t.is(outcome._tag, 'placed');
  t.deepEqual(
    server.seen.map((s) => `${s.method} ${s.path}`),
    ['POST /orders', `GET /orders/${ID}`],
  );
});

test('a lost response with no order under our id is "unknown" with the id, never retryable', async (t) => {
  const server = await startV2Server(t);
  server.route('POST /orders', { drop: true });
  server.route(`GET /orders/${ID}`, { status: 404, body: { code: 404, status: 'Not Found', message: 'no order' } });
  const client = v2Client(server, { signer });
  const error = await left(t, client.placeOrder({ id: ID, amount: '5', address: ADDRESS, chain: 'sepolia', counterpart: { kind: 'chain', address: ADDRESS, chain: 'chiado' } }));
  t.like(error, { _tag: 'TransportError', paymentOutcome: 'unknown', paymentId: ID });
  t.is(server.seen.filter((s) => s.method === 'POST').length, 1);
});

test('sending again with the same id after an unknown outcome returns the existing order on 409', async (t) => {
  const server = await startV2Server(t);
  server.route('POST /orders', { status: 409, body: { code: 409, status: 'Conflict', message: 'order exists' } });
  server.route(`GET /orders/${ID}`, { body: orderBody({ id: ID, address: ADDRESS, amount: '5' }) });
  const client = v2Client(server, { signer });
  const outcome = await right(t, client.placeOrder({ id: ID, amount: '5.00', address: ADDRESS, chain: 'sepolia', counterpart: { kind: 'chain', address: ADDRESS, chain: 'chiado' } }));
  t.like(outcome, { _tag: 'placed', order: { id: ID } });
});

test('a 400 is not_placed and not retryable; a 500 with no order is unknown; 429 is not_placed', async (t) => {
  const server = await startV2Server(t);
  server.route('POST /orders', (_s, count) =>
    count === 1
      ? { status: 400, body: { code: 400, status: 'Bad Request', message: 'Validation', errors: { message: 'timestamp is expired' } } }
      : count === 2
        ? { status: 500, body: { code: 500, status: 'Internal Server Error' } }
        : { status: 429, headers: { 'retry-after': '0' }, body: { code: 429, status: 'Too Many Requests' } },
  );
  server.route(`GET /orders/${ID}`, { status: 404, body: { code: 404, status: 'Not Found', message: 'no order' } });
  const client = v2Client(server, { signer });
  const input = { id: ID, amount: '5', address: ADDRESS, chain: 'sepolia', counterpart: { kind: 'chain' as const, address: ADDRESS, chain: 'chiado' } };
  t.like(await left(t, client.placeOrder(input)), { _tag: 'ProviderError', status: 400, paymentOutcome: 'not_placed', retryable: false, details: { errors: { message: 'timestamp is expired' } } });
  t.like(await left(t, client.placeOrder(input)), { _tag: 'ProviderError', status: 500, paymentOutcome: 'unknown', retryable: false, paymentId: ID });
  t.like(await left(t, client.placeOrder(input)), { _tag: 'TransportError', kind: 'rate_limited', paymentOutcome: 'not_placed' });
  t.is(server.seen.filter((s) => s.method === 'POST').length, 3);
});

test('a 2xx whose body does not decode is read back by our id, else a DecodeError that says placed', async (t) => {
  const server = await startV2Server(t);
  server.route('POST /orders', { status: 200, body: { id: ID, surprise: 'not an order' } });
  server.route(`GET /orders/${ID}`, (_s, count) => (count <= 1 ? { body: orderBody({ id: ID, address: ADDRESS, amount: '5' }) } : { status: 404, body: { code: 404, status: 'Not Found', message: 'no' } }));
  const client = v2Client(server, { signer });
  const input = { id: ID, amount: '5', address: ADDRESS, chain: 'sepolia', counterpart: { kind: 'chain' as const, address: ADDRESS, chain: 'chiado' } };
  t.like(await right(t, client.placeOrder(input)), { _tag: 'placed', order: { id: ID } });
  t.like(await left(t, client.placeOrder(input)), { _tag: 'DecodeError', paymentOutcome: 'placed', paymentId: ID });
  t.is(server.seen.filter((s) => s.method === 'POST').length, 2);
});

test('a refused connection is not_placed without a lookup (core: neverSent)', async (t) => {
  const server = await startV2Server(t);
  const client = v2Client(server, { signer, environment: { baseUrl: 'http://127.0.0.1:1' } });
  const error = await left(t, client.placeOrder({ id: ID, amount: '5', address: ADDRESS, chain: 'sepolia', counterpart: { kind: 'chain', address: ADDRESS, chain: 'chiado' } }));
  t.like(error, { _tag: 'TransportError', paymentOutcome: 'not_placed', paymentId: ID });
});

test('€15,000 or more needs a supporting document; bad inputs are refused before signing or sending', async (t) => {
  const server = await startV2Server(t);
  server.route('POST /orders', (seen) => ({ body: orderBody({ id: (seen.json as { id: string }).id, address: ADDRESS, amount: '15000' }) }));
  const client = v2Client(server, { signer });
  const base = { amount: '15000', address: ADDRESS, chain: 'sepolia', counterpart: { kind: 'iban' as const, iban: 'DE89370400440532013000', companyName: 'Acme', country: 'DE' } };
  t.like(await left(t, client.placeOrder(base)), { _tag: 'InvalidInput', field: 'supportingDocumentId' });
  await right(t, client.placeOrder({ ...base, supportingDocumentId: 'f1' }));
  t.like(server.seen[0]?.json, { supportingDocumentId: 'f1' });
  t.like(await left(t, client.placeOrder({ ...base, amount: '1.234' })), { field: 'amount' });
  t.like(await left(t, client.placeOrder({ ...base, id: 'not-a-uuid' })), { field: 'id' });
  t.like(await left(t, client.placeOrder({ ...base, memo: 'abc' })), { field: 'memo' });
  t.like(await left(t, client.placeOrder({ ...base, supportingDocumentId: 'f1', counterpart: { ...base.counterpart, country: 'Germany' } })), { field: 'counterpart.country' });
  t.like(await left(t, client.placeOrder({ ...base, supportingDocumentId: 'f1', counterpart: { ...base.counterpart, iban: 'DE00370400440532013000' } })), { field: 'counterpart.iban' });
  t.is(server.seen.length, 1);
});
