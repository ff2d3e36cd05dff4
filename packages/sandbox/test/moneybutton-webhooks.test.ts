import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import test, { type ExecutionContext } from 'ava';
import { createMoneyButtonEmulator } from '../src/moneybutton/index.js';
import { moneyButtonTokens, startProvider } from './_provider-harness.js';

const start = () => startProvider('/moneybutton', (ctx) => createMoneyButtonEmulator(ctx, {}));

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A webhook receiver on 127.0.0.1:0 that answers `status` and keeps what it got. */
async function receiver(status = 200): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/moneybutton`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The emulator posting its webhooks to a fresh receiver that answers `status`; both close when the test ends. */
async function startWithReceiver(t: ExecutionContext, status = 200) {
  const mb = await start();
  const hooks = await receiver(status);
  t.teardown(async () => {
    await mb.close();
    await hooks.close();
  });
  mb.admin.setWebhookUrl(hooks.url);
  return { mb, hooks };
}

interface WebhookBody {
  secret: string;
  payment: {
    id: string;
    status: string;
    amount: string;
    currency: string;
    satoshis: string;
    txid: string;
    rawtx: string;
    outputs: Array<{ type: string; userId: string | null; satoshis: number }>;
  };
}

test('pay posts {secret, payment} for PENDING, then RECEIVED, then COMPLETED', async (t) => {
  const { mb, hooks } = await startWithReceiver(t);
  const [, bob] = mb.fixtures.users;
  const { paymentId, delivered } = mb.admin.pay({ toUserId: bob.id, amount: '2.50', currency: 'USD' });
  const deliveries = await delivered;
  t.deepEqual(
    deliveries.map((delivery) => [delivery.paymentStatus, delivery.ok, delivery.httpStatus, delivery.redelivery]),
    [
      ['PENDING', true, 200, false],
      ['RECEIVED', true, 200, false],
      ['COMPLETED', true, 200, false],
    ],
  );
  t.is(hooks.received.length, 3);
  const bodies = hooks.received.map((request) => JSON.parse(request.body) as WebhookBody);
  t.deepEqual(
    bodies.map((body) => body.payment.status),
    ['PENDING', 'RECEIVED', 'COMPLETED'],
  );
  t.regex(hooks.received[0]?.headers['content-type'] ?? '', /^application\/json/);
  const first = bodies[0];
  t.is(first?.secret, mb.fixtures.app.webhookSecret);
  // moneybutton-public.md §6: the documented payload, field by field.
  t.deepEqual(Object.keys(first?.payment ?? {}).sort(), [
    'amount', 'buttonData', 'buttonId', 'currency', 'id', 'normalizedTxid', 'outputs', 'rawtx', 'satoshis', 'status', 'txid', 'userId',
  ]);
  t.like(first?.payment, { id: paymentId, amount: '2.50', currency: 'USD', satoshis: '5000000', userId: null });
  t.regex(first?.payment.txid ?? '', /^[0-9a-f]{64}$/);
  t.regex(first?.payment.rawtx ?? '', /^[0-9a-f]+$/);
  t.deepEqual(first?.payment.outputs[0], {
    type: 'userId',
    address: null,
    userId: bob.id,
    script: null,
    amount: '2.50',
    currency: 'USD',
    satoshis: 5_000_000,
  });
  t.deepEqual(mb.admin.deliveries(), deliveries);
});

test('redeliver posts the last event again, byte for byte', async (t) => {
  const { mb, hooks } = await startWithReceiver(t);
  const { paymentId, delivered } = mb.admin.pay({ toUserId: mb.fixtures.users[0].id, amount: '0.001', currency: 'BSV' });
  await delivered;
  const again = await mb.admin.redeliver(paymentId);
  t.true(again.ok);
  t.true(again.redelivery);
  t.is(again.paymentStatus, 'COMPLETED');
  t.is(hooks.received.length, 4);
  t.is(hooks.received[3]?.body, hooks.received[2]?.body);
  await t.throwsAsync(mb.admin.redeliver('123'), { message: /no webhook event/ });
});

test('a completed incoming payment credits the balance and shows in the payments API', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const [alice] = mb.fixtures.users;
  const { paymentId, delivered } = mb.admin.pay({ toUserId: alice.id, amount: '10.00', currency: 'USD' });
  await delivered;
  const { access_token } = await moneyButtonTokens(mb.url, {
    clientId: mb.fixtures.app.clientId,
    redirectUri: 'http://127.0.0.1/callback',
    scope: 'users.balance:read payments:read',
    email: alice.email,
    password: alice.password,
  });
  const headers = { authorization: `Bearer ${access_token}` };
  const balance = (await (await fetch(`${mb.url}/api/v1/users/${alice.id}/balance`, { headers })).json()) as {
    data: { attributes: { satoshis: string; amount: number } };
  };
  t.is(balance.data.attributes.satoshis, (BigInt(alice.balance.satoshis) + 20_000_000n).toString());
  const payment = (await (await fetch(`${mb.url}/api/v1/payments/${paymentId}`, { headers })).json()) as {
    data: { attributes: { status: string } };
  };
  t.is(payment.data.attributes.status, 'COMPLETED');
  const newest = (await (await fetch(`${mb.url}/api/v1/payments?limit=1`, { headers })).json()) as { data: Array<{ id: string }> };
  t.is(newest.data[0]?.id, paymentId);
});

test('a payment can end FAILED, and a failed payment credits nothing', async (t) => {
  const { mb } = await startWithReceiver(t);
  const [, bob] = mb.fixtures.users;
  const deliveries = await mb.admin.pay({ toUserId: bob.id, amount: '1.00', currency: 'USD', finalStatus: 'FAILED' }).delivered;
  t.deepEqual(
    deliveries.map((delivery) => delivery.paymentStatus),
    ['PENDING', 'RECEIVED', 'FAILED'],
  );
  const { access_token } = await moneyButtonTokens(mb.url, {
    clientId: mb.fixtures.app.clientId,
    redirectUri: 'http://127.0.0.1/callback',
    scope: 'users.balance:read',
    email: bob.email,
    password: bob.password,
  });
  const balance = (await (
    await fetch(`${mb.url}/api/v2/me/wallets/active/balances`, { headers: { authorization: `Bearer ${access_token}` } })
  ).json()) as { balances: Array<{ satoshis: string }> };
  t.is(balance.balances[0]?.satoshis, bob.balance.satoshis);
});

test('deliveries the receiver refuses are recorded with the HTTP status and never throw', async (t) => {
  const { mb } = await startWithReceiver(t, 500);
  const deliveries = await mb.admin.pay({ toUserId: mb.fixtures.users[0].id, amount: '1.00', currency: 'USD' }).delivered;
  t.deepEqual(
    deliveries.map((delivery) => [delivery.ok, delivery.httpStatus]),
    [
      [false, 500],
      [false, 500],
      [false, 500],
    ],
  );
});

test('deliveries to a closed port are recorded with the connection error', async (t) => {
  const mb = await start();
  const hooks = await receiver();
  t.teardown(() => mb.close());
  const deadUrl = hooks.url;
  await hooks.close();
  mb.admin.setWebhookUrl(deadUrl);
  const deliveries = await mb.admin.pay({ toUserId: mb.fixtures.users[0].id, amount: '1.00', currency: 'USD' }).delivered;
  t.is(deliveries.length, 3);
  for (const delivery of deliveries) {
    t.false(delivery.ok);
    t.is(delivery.httpStatus, null);
    t.regex(delivery.error ?? '', /ECONNREFUSED/);
  }
});

test('without a webhook URL the payment still advances and the deliveries say nothing was sent', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const deliveries = await mb.admin.pay({ toUserId: mb.fixtures.users[0].id, amount: '1.00', currency: 'USD' }).delivered;
  t.deepEqual(
    deliveries.map((delivery) => [delivery.url, delivery.ok, delivery.error]),
    [
      [null, false, 'no webhook URL is set'],
      [null, false, 'no webhook URL is set'],
      [null, false, 'no webhook URL is set'],
    ],
  );
});

test('pay and setWebhookUrl refuse bad input', async (t) => {
  const mb = await start();
  t.teardown(() => mb.close());
  const [alice] = mb.fixtures.users;
  t.throws(() => mb.admin.pay({ toUserId: '1', amount: '1.00', currency: 'USD' }), { instanceOf: TypeError });
  t.throws(() => mb.admin.pay({ toUserId: alice.id, amount: '1.001', currency: 'USD' }), { instanceOf: TypeError });
  t.throws(() => mb.admin.pay({ toUserId: alice.id, amount: '0', currency: 'BSV' }), { instanceOf: TypeError });
  t.throws(() => mb.admin.setWebhookUrl('ftp://example.test/hook'), { instanceOf: TypeError });
  t.throws(() => mb.admin.setWebhookUrl('not a url'), { instanceOf: TypeError });
});
