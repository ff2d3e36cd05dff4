import type { ExecutionContext } from 'ava';
import test from 'ava';
import { type MoneyButtonPaymentEvent, type WebhookFailure, webhookHandler } from '../src/index.js';
import { listen, startMoneyButton } from './_setup.js';

/** A webhook endpoint on a real node:http server, recording what it accepted and refused. */
const receiver = async (
  t: ExecutionContext,
  secret: string,
  onEvent: (event: MoneyButtonPaymentEvent) => void | Promise<void> = () => undefined,
  maxBodyBytes?: number,
) => {
  const events: MoneyButtonPaymentEvent[] = [];
  const failures: WebhookFailure[] = [];
  const handler = webhookHandler(
    secret,
    async (event) => {
      await onEvent(event);
      events.push(event);
    },
    { onError: (failure) => failures.push(failure), ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }) },
  );
  const server = await listen(t, handler);
  return { url: `${server.url}/webhooks/moneybutton`, events, failures };
};

const post = (url: string, body: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

test('the sandbox’s deliveries for a payment arrive as pending, processing and completed events', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { app, users } = sandbox.fixtures.moneybutton;
  const endpoint = await receiver(t, app.webhookSecret);
  sandbox.admin.moneybutton.setWebhookUrl(endpoint.url);
  const { paymentId, delivered } = sandbox.admin.moneybutton.pay({ toUserId: users[0].id, amount: '12.34', currency: 'USD' });
  const deliveries = await delivered;
  t.deepEqual(
    deliveries.map((d) => [d.paymentStatus, d.httpStatus]),
    [
      ['PENDING', 200],
      ['RECEIVED', 200],
      ['COMPLETED', 200],
    ],
  );
  t.deepEqual(
    endpoint.events.map((e) => [e.paymentId, e.status]),
    [
      [paymentId, 'pending'],
      [paymentId, 'processing'],
      [paymentId, 'completed'],
    ],
  );
  const completed = endpoint.events[2]?.payment;
  t.like(completed, { id: paymentId, amount: { amount: '12.34', currency: 'USD' } });
  t.like(completed?.raw.outputs[0], { type: 'userId', userId: users[0].id, satoshis: completed?.raw.satoshis });
  t.regex(completed?.raw.rawtx ?? '', /^[0-9a-f]+$/);
  t.deepEqual(endpoint.failures, []);
});

test('a redelivered event is acknowledged but reported once', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { app, users } = sandbox.fixtures.moneybutton;
  const endpoint = await receiver(t, app.webhookSecret);
  sandbox.admin.moneybutton.setWebhookUrl(endpoint.url);
  const { paymentId, delivered } = sandbox.admin.moneybutton.pay({ toUserId: users[1].id, amount: '0.001', currency: 'BSV', finalStatus: 'FAILED' });
  await delivered;
  const again = await sandbox.admin.moneybutton.redeliver(paymentId);
  const thrice = await sandbox.admin.moneybutton.redeliver(paymentId);
  t.like(again, { redelivery: true, httpStatus: 200, paymentStatus: 'FAILED' });
  t.like(thrice, { httpStatus: 200 });
  t.deepEqual(
    endpoint.events.map((e) => e.status),
    ['pending', 'processing', 'failed'],
  );
  t.like(endpoint.events[2]?.payment, { amount: { amount: '0.001', currency: 'BSV' }, raw: { satoshis: '100000' } });
});

test('a delivery with the wrong secret is answered 401 without echoing any secret', async (t) => {
  const secret = 'the-app-webhook-secret';
  const endpoint = await receiver(t, secret);
  const response = await post(endpoint.url, JSON.stringify({ secret: 'guessed-secret', payment: {} }));
  const text = await response.text();
  t.is(response.status, 401);
  t.false(text.includes(secret));
  t.false(text.includes('guessed-secret'));
  t.is(endpoint.events.length, 0);
  t.like(endpoint.failures, [{ kind: 'rejected', status: 401, error: { _tag: 'AuthError', reason: 'bad_credentials' } }]);
});

test('malformed JSON is 400, a GET is 405 and an oversized body is 413', async (t) => {
  const endpoint = await receiver(t, 'the-app-webhook-secret', undefined, 1_024);
  const malformed = await post(endpoint.url, '{"secret":');
  t.is(malformed.status, 400);
  t.like(await malformed.json(), { error: 'Invalid body: is not valid JSON' });
  const get = await fetch(endpoint.url);
  t.is(get.status, 405);
  t.is(get.headers.get('allow'), 'POST');
  await get.arrayBuffer();
  const large = await post(endpoint.url, JSON.stringify({ secret: 'x', padding: 'p'.repeat(4_096) }));
  t.is(large.status, 413);
  await large.arrayBuffer();
  t.deepEqual(
    endpoint.failures.map((f) => (f.kind === 'rejected' ? f.status : f.kind)),
    [400, 405, 413],
  );
  t.is(endpoint.events.length, 0);
});

test('an event whose handler fails is answered 500 and processed again when redelivered', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { app, users } = sandbox.fixtures.moneybutton;
  let failNext = true;
  const endpoint = await receiver(t, app.webhookSecret, (event) => {
    if (event.status === 'completed' && failNext) {
      failNext = false;
      throw new Error('database down');
    }
  });
  sandbox.admin.moneybutton.setWebhookUrl(endpoint.url);
  const { paymentId, delivered } = sandbox.admin.moneybutton.pay({ toUserId: users[0].id, amount: '5', currency: 'USD' });
  const deliveries = await delivered;
  t.deepEqual(
    deliveries.map((d) => d.httpStatus),
    [200, 200, 500],
  );
  t.like(endpoint.failures, [{ kind: 'handler_failed', paymentId }]);
  const retried = await sandbox.admin.moneybutton.redeliver(paymentId);
  t.is(retried.httpStatus, 200);
  t.deepEqual(
    endpoint.events.map((e) => e.status),
    ['pending', 'processing', 'completed'],
  );
});

test('a body an Express-style JSON parser already read is taken from req.body', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { app, users } = sandbox.fixtures.moneybutton;
  const events: MoneyButtonPaymentEvent[] = [];
  const handler = webhookHandler(app.webhookSecret, (event) => {
    events.push(event);
  });
  const server = await listen(t, (req, res) => {
    // What express.json() does before the route handler runs.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      Object.assign(req, { body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      handler(req, res);
    });
  });
  sandbox.admin.moneybutton.setWebhookUrl(`${server.url}/hooks`);
  const { paymentId, delivered } = sandbox.admin.moneybutton.pay({ toUserId: users[0].id, amount: '1.5', currency: 'USD' });
  t.true((await delivered).every((d) => d.ok));
  t.deepEqual(
    events.map((e) => `${e.paymentId}:${e.status}`),
    [`${paymentId}:pending`, `${paymentId}:processing`, `${paymentId}:completed`],
  );
});
