import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { createMemoryDeliveryDedupe, type DeliveryDedupe, storeUnavailableForTests } from './_dedupe.js';
import { invalidInput, type PaymentEvent } from '@paygate/core';
import { createWebhookReceiver, v2 } from '../src/index.js';
import { orderBody } from './_v2-server.js';

const secret = v2.generateWebhookSecret(32);
const key = Buffer.from(secret.slice('whsec_'.length), 'base64');

/** Signs exactly as the fact sheet says (§5): HMAC-SHA256 over "<id>.<timestamp>.<body>", base64, "v1," prefix. */
const sign = (id: string, timestamp: number, body: string, with_ = key) =>
  `v1,${createHmac('sha256', with_).update(`${id}.${timestamp}.${body}`).digest('base64')}`;

const delivery = (id: string, payload: unknown, options: { timestamp?: number; signature?: string } = {}) => {
  const body = JSON.stringify(payload);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return { body, headers: { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': options.signature ?? sign(id, timestamp, body) } };
};

const receiverWith = (dedupe?: DeliveryDedupe) => {
  const receiver = createWebhookReceiver({ secret, ...(dedupe === undefined ? {} : { dedupe }) });
  if (E.isLeft(receiver)) throw new Error(receiver.left.message);
  return receiver.right;
};

const orderEvent = { type: 'order.updated', timestamp: '2024-07-29T12:30:00Z', data: orderBody() };

test('a correctly signed delivery is verified, decoded per type and handed to listeners once', async (t) => {
  const receiver = receiverWith();
  const events: string[] = [];
  receiver.subscribe((event) => {
    events.push(`${event.type}:${event.deliveryId}`);
  });
  t.deepEqual(await receiver.handle(delivery('msg_1', orderEvent)), { status: 200, body: { received: true } });
  t.deepEqual(await receiver.handle(delivery('msg_1', orderEvent)), { status: 200, body: { received: true, duplicate: true } });
  const iban = { type: 'iban.updated', timestamp: 't', data: { iban: 'EE12 3456', bic: 'B', profile: 'p', address: '0x1', chain: 'sepolia', state: 'approved' } };
  t.is((await receiver.handle(delivery('msg_2', iban))).status, 200);
  const profileError = { type: 'profile.error', timestamp: 't', data: { id: 'p', kind: 'personal', errors: [{ field: 'birthday', reason: 'invalid' }] } };
  t.is((await receiver.handle(delivery('msg_3', profileError))).status, 200);
  t.deepEqual(events, ['order.updated:msg_1', 'iban.updated:msg_2', 'profile.error:msg_3']);
});

test('several signatures: one matching entry is enough; a wrong secret, stale timestamp or missing header is 401', async (t) => {
  const receiver = receiverWith();
  const good = delivery('msg_1', orderEvent);
  const other = sign('msg_1', Number(good.headers['webhook-timestamp']), good.body, Buffer.alloc(32, 7));
  t.is((await receiver.handle({ ...good, headers: { ...good.headers, 'webhook-signature': `${other} ${good.headers['webhook-signature']}` } })).status, 200);
  t.is((await receiver.handle({ ...good, headers: { ...good.headers, 'webhook-id': 'msg_x', 'webhook-signature': other } })).status, 401);
  t.is((await receiver.handle(delivery('msg_2', orderEvent, { timestamp: Math.floor(Date.now() / 1000) - 600 }))).status, 401);
  t.is((await receiver.handle({ body: good.body, headers: { 'webhook-id': 'msg_3' } })).status, 401);
  const tampered = delivery('msg_4', orderEvent);
  t.is((await receiver.handle({ ...tampered, body: tampered.body.replace('12.50', '99.50') })).status, 401);
});

test('the subscription.created handshake is answered 200 without reaching listeners', async (t) => {
  const receiver = receiverWith();
  let calls = 0;
  receiver.subscribe(() => {
    calls += 1;
  });
  t.is((await receiver.handle(delivery('msg_h', { type: 'subscription.created', timestamp: '2024-07-29T12:30:00Z' }))).status, 200);
  t.is(calls, 0);
});

test('a listener failure answers 500 and releases the delivery, so the retry (same webhook-id) is processed', async (t) => {
  const receiver = receiverWith();
  let attempts = 0;
  receiver.subscribe(async () => {
    attempts += 1;
    if (attempts === 1) throw new Error('database down');
  });
  t.is((await receiver.handle(delivery('msg_1', orderEvent))).status, 500);
  t.is((await receiver.handle(delivery('msg_1', orderEvent))).status, 200);
  t.is(attempts, 2);
});

test('an unreachable dedupe store answers 500 and runs no listener (Monerium retries)', async (t) => {
  const failing: DeliveryDedupe = { claim: () => TE.left(storeUnavailableForTests), release: () => TE.right(undefined) };
  const receiver = receiverWith(failing);
  let calls = 0;
  receiver.subscribe(() => {
    calls += 1;
  });
  t.is((await receiver.handle(delivery('msg_1', orderEvent))).status, 500);
  t.is(calls, 0);
});

test('two receivers sharing one dedupe (two instances) process a delivery once', async (t) => {
  const shared = createMemoryDeliveryDedupe();
  const a = receiverWith(shared);
  const b = receiverWith(shared);
  let calls = 0;
  for (const r of [a, b]) {
    r.subscribe(() => {
      calls += 1;
    });
  }
  const d = delivery('msg_1', orderEvent);
  const answers = await Promise.all([a.handle(d), b.handle(d)]);
  t.deepEqual(answers.map((x) => x.status), [200, 200]);
  t.is(calls, 1);
});

test('the node listener reads the raw body; a malformed data field is 400; GET is 405', async (t) => {
  const receiver = receiverWith();
  const server = createServer(receiver.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const good = delivery('msg_1', orderEvent);
  t.is((await fetch(url, { method: 'POST', headers: good.headers, body: good.body })).status, 200);
  const bad = delivery('msg_2', { type: 'order.created', timestamp: 't', data: { id: 1 } });
  const answer = await fetch(url, { method: 'POST', headers: bad.headers, body: bad.body });
  t.is(answer.status, 400);
  t.is((await fetch(url)).status, 405);
});

test('gateway.watch on v2 is fed by the webhook receiver when one is given', async (t) => {
  const { moneriumV2Gateway } = await import('../src/index.js');
  const receiver = receiverWith();
  // watch with a receiver needs no client call; the gateway still refuses a value that is not a client at all.
  const unused = () => TE.left(invalidInput('client', 'not called by watch'));
  const client = { balances: unused, addresses: unused, orders: unused, order: unused, placeOrder: unused, watchOrders: unused };
  const gateway = moneriumV2Gateway(client as never, { webhooks: receiver });
  const events: PaymentEvent[] = [];
  let live = false;
  const subscription = gateway.watch((event) => events.push(event), {
    onLive: () => {
      live = true;
    },
  });
  if (E.isLeft(subscription)) return t.fail();
  t.true(live);
  await receiver.handle(delivery('msg_1', orderEvent));
  t.like(events[0], { paymentId: orderEvent.data.id, status: 'completed' });
  await subscription.right.unsubscribe();
  await receiver.handle(delivery('msg_2', orderEvent));
  t.is(events.length, 1);
  // Something that is not a client is refused before any method is used.
  const refused = moneriumV2Gateway({} as never).watch(() => undefined);
  t.true(E.isLeft(refused) && refused.left._tag === 'InvalidInput' && refused.left.field === 'client');
});

test('createWebhookReceiver refuses a secret that is not whsec_ base64 of 24–64 bytes', (t) => {
  t.true(E.isLeft(createWebhookReceiver({ secret: 'plain' })));
  t.true(E.isLeft(createWebhookReceiver({ secret: `whsec_${Buffer.alloc(8).toString('base64')}` })));
});
