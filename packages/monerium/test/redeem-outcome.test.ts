import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test, { type ExecutionContext } from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { type MoneriumClient, type Order, type RedeemOrderInput, redeemMessage } from '../src/index.js';
import { newClient } from './_sandbox.js';

const ADDRESS = '0x1111111111111111111111111111111111111111';
const SIGNATURE = `0x${'ab'.repeat(65)}`;
const OTHER_SIGNATURE = `0x${'cd'.repeat(65)}`;
const IBAN = 'DE89370400440532013000';

/** What the fake server does with a POST /orders, after storing the order (or not). */
type Answer =
  | { readonly kind: 'status'; readonly status: number; readonly store: boolean }
  | { readonly kind: 'bad-content-length'; readonly store: boolean }
  | { readonly kind: 'created'; readonly extra: Record<string, unknown> };

interface FakeMonerium {
  readonly url: string;
  readonly orders: Order[];
  readonly calls: string[];
}

/**
 * A minimal Monerium for redeem outcomes: POST /orders stores the order as Monerium would (with or
 * without `message`/`signature` listed) and then answers as `answer` says; GET /orders lists every
 * stored order, filters ignored (the client must decide which is its own).
 */
const startFake = async (
  t: ExecutionContext,
  answer: Answer,
  options: { listsSignature?: boolean; seed?: Order[] } = {},
): Promise<FakeMonerium> => {
  const orders: Order[] = [...(options.seed ?? [])];
  const calls: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      calls.push(`${req.method} ${req.url?.split('?')[0]}`);
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(orders));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      const order = {
        id: `order-${orders.length + 1}`,
        profile: 'profile-1',
        kind: 'redeem',
        address: body.address,
        amount: body.amount,
        currency: String(body.currency).toLowerCase(),
        counterpart: body.counterpart,
        memo: body.memo,
        meta: { state: 'placed', placedBy: 'user-1', placedAt: new Date().toISOString() },
        ...(options.listsSignature === true ? { message: body.message, signature: body.signature } : {}),
      } as Order;
      const store = answer.kind === 'created' || answer.store;
      if (store) orders.push(order);
      if (answer.kind === 'status') {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: answer.status, status: 'Internal Server Error', message: 'upstream failed' }));
      } else if (answer.kind === 'bad-content-length') {
        req.socket.end(`HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 1x\r\n\r\n${JSON.stringify(order)}`);
      } else {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ...order, ...answer.extra }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, orders, calls };
};

const clientOf = (url: string, signature = SIGNATURE): MoneriumClient =>
  newClient({
    environment: { baseUrl: url },
    auth: { kind: 'basic', email: 'user@example.com', password: 'secret-password' },
    signer: { address: ADDRESS, signMessage: async () => signature },
    orderLookup: { attempts: 2, intervalMs: 10 },
    http: { timeoutMs: 2_000 },
  });

const payout: RedeemOrderInput = {
  amount: '25',
  currency: 'EUR',
  counterpart: { iban: IBAN, companyName: 'Payee GmbH' },
  memo: 'invoice-7',
  address: ADDRESS,
};

/** A stored order that looks exactly like `payout`, placed `agoMs` before now. */
const lookAlike = (id: string, agoMs: number, extra: Partial<Order> = {}): Order => ({
  id,
  profile: 'profile-1',
  kind: 'redeem',
  address: ADDRESS,
  amount: '25',
  currency: 'eur',
  counterpart: { identifier: { standard: 'iban', iban: IBAN }, details: { companyName: 'Payee GmbH' } },
  memo: 'invoice-7',
  meta: { state: 'placed', placedBy: 'user-1', placedAt: new Date(Date.now() - agoMs).toISOString() },
  ...extra,
});

for (const status of [500, 502, 504]) {
  test(`an order stored by Monerium and then answered ${status} is found by the lookup and returned`, async (t) => {
    const fake = await startFake(t, { kind: 'status', status, store: true });
    const result = await clientOf(fake.url).placeRedeemOrder(payout)();
    t.deepEqual(result, E.right(fake.orders[0]));
    t.deepEqual(fake.calls, ['POST /orders', 'GET /orders']);
  });

  test(`a ${status} with no order to be found is unknown, never retryable, and the POST is sent once`, async (t) => {
    const fake = await startFake(t, { kind: 'status', status, store: false });
    const result = await clientOf(fake.url).placeRedeemOrder(payout)();
    t.like(result, { _tag: 'Left', left: { paymentOutcome: 'unknown' } });
    if (E.isRight(result)) return;
    t.not((result.left as { retryable?: boolean }).retryable, true);
    t.regex(result.left.message, /whether the payment was placed is unknown/);
    t.deepEqual(fake.calls, ['POST /orders', 'GET /orders', 'GET /orders']);
  });
}

test('a 500 is a ProviderError carrying unknown and retryable false', async (t) => {
  const fake = await startFake(t, { kind: 'status', status: 500, store: false });
  const result = await clientOf(fake.url).placeRedeemOrder(payout)();
  t.like(result, { _tag: 'Left', left: { _tag: 'ProviderError', status: 500, retryable: false, paymentOutcome: 'unknown' } });
});

test('a 201 with a bad Content-Length after storing the order is reconciled, not not_placed', async (t) => {
  const fake = await startFake(t, { kind: 'bad-content-length', store: true });
  const result = await clientOf(fake.url).placeRedeemOrder(payout)();
  t.deepEqual(result, E.right(fake.orders[0]));
  t.deepEqual(fake.calls, ['POST /orders', 'GET /orders']);
});

test('a bad Content-Length with no order to be found is unknown', async (t) => {
  const fake = await startFake(t, { kind: 'bad-content-length', store: false });
  const result = await clientOf(fake.url).placeRedeemOrder(payout)();
  t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', kind: 'protocol', paymentOutcome: 'unknown' } });
});

test('a 201 whose body fails to decode (rejectedReason: null) is DecodeError placed with the order id', async (t) => {
  const fake = await startFake(t, { kind: 'created', extra: { rejectedReason: null } });
  const result = await clientOf(fake.url).placeRedeemOrder(payout)();
  t.like(result, { _tag: 'Left', left: { _tag: 'DecodeError', path: 'rejectedReason', paymentOutcome: 'placed', paymentId: 'order-1' } });
  t.deepEqual(fake.calls, ['POST /orders']);
});

test('an identical payout placed two minutes earlier (no message or signature listed) is not taken for this one', async (t) => {
  const fake = await startFake(t, { kind: 'status', status: 504, store: false }, { seed: [lookAlike('earlier', 2 * 60_000)] });
  const result = await clientOf(fake.url).placeRedeemOrder(payout)();
  t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', status: 504, paymentOutcome: 'unknown' } });
  if (E.isLeft(result)) t.false('paymentId' in result.left);
});

test('an identical payout seconds earlier, listed with the same signed message and signature, is not taken for this one', async (t) => {
  // A double click inside one minute signs the very same message, and EIP-191 signatures are deterministic.
  const timestamp = new Date();
  const message = redeemMessage({ currency: 'EUR', amount: '25', iban: IBAN, timestamp });
  const earlier = lookAlike('earlier', 5_000, { message, signature: SIGNATURE });
  const fake = await startFake(t, { kind: 'status', status: 504, store: false }, { seed: [earlier] });
  const result = await clientOf(fake.url).placeRedeemOrder({ ...payout, timestamp })();
  t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', paymentOutcome: 'unknown' } });
  t.deepEqual(fake.calls, ['POST /orders', 'GET /orders', 'GET /orders']);
});

test('an order listed with a different signature is not ours even if every field matches', async (t) => {
  const fake = await startFake(t, { kind: 'status', status: 502, store: false }, { seed: [lookAlike('other', -1_000, { signature: OTHER_SIGNATURE })] });
  const result = await clientOf(fake.url).placeRedeemOrder(payout)();
  t.like(result, { _tag: 'Left', left: { paymentOutcome: 'unknown' } });
});

test('an order listed with our exact signature and message is ours', async (t) => {
  const fake = await startFake(t, { kind: 'status', status: 502, store: true }, { listsSignature: true });
  const result = await clientOf(fake.url).placeRedeemOrder(payout)();
  t.deepEqual(result, E.right(fake.orders[0]));
});

test('two orders that both could be this one leave the outcome unknown', async (t) => {
  const fake = await startFake(t, { kind: 'status', status: 500, store: true });
  const client = clientOf(fake.url);
  // A look-alike placed after the request started (e.g. by another process) makes the match ambiguous.
  const pending = client.placeRedeemOrder(payout)();
  fake.orders.push(lookAlike('concurrent', -60_000));
  const result = await pending;
  t.like(result, { _tag: 'Left', left: { _tag: 'ProviderError', paymentOutcome: 'unknown', retryable: false } });
});

test('a refused connection is not_placed and nothing is looked up', async (t) => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const result = await clientOf(closedUrl).placeRedeemOrder(payout)();
  t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', kind: 'connection', neverSent: true, paymentOutcome: 'not_placed' } });
});

test('a 4xx validation answer is not_placed and nothing is looked up', async (t) => {
  const fake = await startFake(t, { kind: 'status', status: 422, store: false });
  const result = await clientOf(fake.url).placeRedeemOrder(payout)();
  t.like(result, { _tag: 'Left', left: { _tag: 'ProviderError', status: 422, retryable: false, paymentOutcome: 'not_placed' } });
  t.deepEqual(fake.calls, ['POST /orders']);
});
