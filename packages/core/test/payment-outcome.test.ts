import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import * as io from 'io-ts/lib/index.js';
import {
  authError,
  decodeError,
  type GatewayError,
  type PaymentOutcome,
  invalidInput,
  providerError,
  transportError,
  unsupported,
} from '../src/errors.js';
import { createHttpClient } from '../src/http.js';
import { lenientPaymentId, paymentOutcomeOf, sendPayment, withPaymentOutcome } from '../src/payment-outcome.js';
import { json, startRawServer, startServer } from './_http-server.js';

const Payout = io.type({ id: io.string, state: io.string });

/** POSTs a payment to `baseUrl` through `sendPayment` with a lookup that finds nothing, and says whether it ran. */
const payWithLookupSpy = async (baseUrl: string) => {
  const http = createHttpClient({ provider: 'x', baseUrl });
  let looked = false;
  const result = await sendPayment({
    provider: 'x',
    send: http.send({ method: 'POST', path: '/pay', json: {} }),
    codec: Payout,
    reconcile: () => async () => {
      looked = true;
      return undefined;
    },
  })();
  return { result, looked };
};

test('what a failure proves by itself: refusals and unsent requests are not_placed, the rest unknown', (t) => {
  const cases: ReadonlyArray<[GatewayError, PaymentOutcome]> = [
    [invalidInput('amount', 'bad'), 'not_placed'],
    [unsupported('x', 'pay'), 'not_placed'],
    [authError({ reason: 'invalid_token', status: 401 }), 'not_placed'],
    [providerError({ provider: 'x', status: 422, retryable: false }), 'not_placed'],
    [providerError({ provider: 'x', status: 409, retryable: false }), 'unknown'],
    [providerError({ provider: 'x', status: 408, retryable: false }), 'unknown'],
    [providerError({ provider: 'x', status: 500, retryable: true }), 'unknown'],
    [transportError({ kind: 'connection', attempts: 1, neverSent: true }), 'not_placed'],
    [transportError({ kind: 'connection', attempts: 1 }), 'unknown'],
    [transportError({ kind: 'timeout', attempts: 1 }), 'unknown'],
    [transportError({ kind: 'protocol', attempts: 1 }), 'unknown'],
    [transportError({ kind: 'unavailable', status: 502, attempts: 1 }), 'unknown'],
    [transportError({ kind: 'rate_limited', status: 429, attempts: 1 }), 'not_placed'],
    [transportError({ kind: 'store', attempts: 0 }), 'not_placed'],
    [decodeError({ provider: 'x', path: '', errors: [] }), 'unknown'],
    [transportError({ kind: 'timeout', attempts: 1, paymentOutcome: 'placed' }), 'placed'],
  ];
  for (const [error, outcome] of cases) t.is(paymentOutcomeOf(error), outcome, JSON.stringify(error));
});

test('withPaymentOutcome: every kind a money-moving call returns carries the outcome; a ProviderError is never retryable', (t) => {
  const failures = [
    providerError({ provider: 'x', status: 500, retryable: true }),
    decodeError({ provider: 'x', path: 'state', errors: ['state: expected string'] }),
    transportError({ kind: 'timeout', attempts: 1 }),
    authError({ reason: 'invalid_token', status: 401 }),
  ];
  for (const error of failures) {
    const marked = withPaymentOutcome(error, 'unknown', 'p-1');
    t.like(marked, { _tag: error._tag, paymentOutcome: 'unknown', paymentId: 'p-1' });
    t.regex(marked.message, /; whether the payment was placed is unknown/);
  }
  t.like(withPaymentOutcome(failures[0] as GatewayError, 'unknown'), { retryable: false });
  const twice = withPaymentOutcome(withPaymentOutcome(failures[2] as GatewayError, 'unknown'), 'placed');
  t.is(twice.message, 'Request failed (timeout) after 1 attempt(s); the payment was placed: do not send it again');
  const input = invalidInput('amount', 'bad');
  t.is(withPaymentOutcome(input, 'not_placed'), input);
});

test('paymentOutcomeOf answers unknown (the safe side for money) for a value that is not a GatewayError or a carried outcome that is not one', (t) => {
  for (const bad of [null, undefined, 0, 'placed', {}, [], { _tag: 'TransportError' }, { _tag: 'Other', message: 'x' }]) {
    t.is(paymentOutcomeOf(bad as never), 'unknown', JSON.stringify(bad) ?? String(bad));
  }
  t.is(paymentOutcomeOf({ ...authError({ reason: 'invalid_grant' }), paymentOutcome: 'maybe' } as never), 'not_placed');
  t.is(paymentOutcomeOf({ ...transportError({ kind: 'timeout', attempts: 1 }), paymentOutcome: 42 } as never), 'unknown');
});

test('withPaymentOutcome answers InvalidInput naming error for a non-error, and reads a bad outcome as unknown', (t) => {
  for (const bad of [null, undefined, 'boom', {}, { _tag: 'ProviderError' }]) {
    t.like(withPaymentOutcome(bad as never, 'placed'), { _tag: 'InvalidInput', field: 'error' });
  }
  const error = transportError({ kind: 'timeout', attempts: 1 });
  for (const outcome of [null, 'maybe', 3, '__proto__', 'constructor']) {
    const marked = withPaymentOutcome(error, outcome as never, 7 as never);
    t.like(marked, { _tag: 'TransportError', paymentOutcome: 'unknown' });
    t.false('paymentId' in marked);
    t.regex(marked.message, /; whether the payment was placed is unknown/);
  }
});

test('lenientPaymentId reads id or data.id, strings or numbers, and nothing else', (t) => {
  t.is(lenientPaymentId({ id: 'a', junk: null }), 'a');
  t.is(lenientPaymentId({ id: 7 }), '7');
  t.is(lenientPaymentId({ data: { id: 'mb-1', type: 'assets' } }), 'mb-1');
  t.is(lenientPaymentId({ id: '' }), undefined);
  t.is(lenientPaymentId([{ id: 'a' }]), undefined);
  t.is(lenientPaymentId('id'), undefined);
});

test('sendPayment: a 2xx body that fails the codec is DecodeError placed with the id', async (t) => {
  const server = await startServer((_req, res) => json(res, 201, { id: 'p-9', state: null }));
  t.teardown(server.close);
  const http = createHttpClient({ provider: 'x', baseUrl: server.url });
  const result = await sendPayment({ provider: 'x', send: http.send({ method: 'POST', path: '/pay', json: {} }), codec: Payout })();
  t.like(result, { _tag: 'Left', left: { _tag: 'DecodeError', path: 'state', paymentOutcome: 'placed', paymentId: 'p-9' } });
});

test('sendPayment: a 2xx body that is not JSON is DecodeError placed without an id', async (t) => {
  const server = await startServer((_req, res) => {
    res.writeHead(201, { 'content-type': 'text/plain' });
    res.end('created');
  });
  t.teardown(server.close);
  const http = createHttpClient({ provider: 'x', baseUrl: server.url });
  const result = await sendPayment({ provider: 'x', send: http.send({ method: 'POST', path: '/pay', json: {} }), codec: Payout })();
  t.like(result, { _tag: 'Left', left: { _tag: 'DecodeError', paymentOutcome: 'placed' } });
  if (E.isLeft(result)) t.false('paymentId' in result.left);
});

test('sendPayment: a 5xx is reconciled once, found → Right, not found → unknown and not retryable', async (t) => {
  const server = await startServer((_req, res) => json(res, 500, { message: 'boom' }));
  t.teardown(server.close);
  const http = createHttpClient({ provider: 'x', baseUrl: server.url });
  const send = http.send({ method: 'POST', path: '/pay', json: {} });
  const lookups: GatewayError[] = [];
  const found = await sendPayment({
    provider: 'x',
    send,
    codec: Payout,
    reconcile: (error) => async () => {
      lookups.push(error);
      return { id: 'p-1', state: 'placed' };
    },
  })();
  t.deepEqual(found, E.right({ id: 'p-1', state: 'placed' }));
  t.like(lookups, [{ _tag: 'ProviderError', status: 500 }]);
  const missing = await sendPayment({ provider: 'x', send, codec: Payout, reconcile: () => async () => undefined })();
  t.like(missing, { _tag: 'Left', left: { _tag: 'ProviderError', status: 500, retryable: false, paymentOutcome: 'unknown' } });
  t.is(server.requests.length, 2);
});

test('sendPayment: a refused connection is not_placed without a lookup', async (t) => {
  const server = await startServer(() => undefined);
  await server.close();
  const { result, looked } = await payWithLookupSpy(server.url);
  t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', neverSent: true, paymentOutcome: 'not_placed' } });
  t.false(looked);
});

test('sendPayment: a bad Content-Length after the request was written is unknown, not not_placed', async (t) => {
  const server = await startRawServer('HTTP/1.1 201 Created\r\ncontent-length: nope\r\n\r\n{"id":"p-2","state":"placed"}');
  t.teardown(server.close);
  const http = createHttpClient({ provider: 'x', baseUrl: server.url });
  const result = await sendPayment({ provider: 'x', send: http.send({ method: 'POST', path: '/pay', json: {} }), codec: Payout })();
  t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', kind: 'protocol', paymentOutcome: 'unknown' } });
});

test('sendPayment: a 4xx validation answer is not_placed and not reconciled', async (t) => {
  const server = await startServer((_req, res) => json(res, 422, { message: 'bad iban' }));
  t.teardown(server.close);
  const { result, looked } = await payWithLookupSpy(server.url);
  t.like(result, { _tag: 'Left', left: { _tag: 'ProviderError', status: 422, retryable: false, paymentOutcome: 'not_placed' } });
  t.false(looked);
});
