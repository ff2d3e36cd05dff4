import { subscribePaygateHooks, type WebhookReceivedEvent } from '@paygate/core';
import test from 'ava';
import { webhookHandler } from '../src/index.js';
import { listen, startMoneyButton } from './_setup.js';

// Core's webhook-received hook is process-wide, so these tests run one at a time.
test.serial('every delivery the webhook handler receives is published: accepted, duplicate, rejected', async (t) => {
  const seen: WebhookReceivedEvent[] = [];
  t.teardown(subscribePaygateHooks({ onWebhookReceived: (event) => seen.push(event) }));
  const sandbox = await startMoneyButton(t);
  const { app, users } = sandbox.fixtures.moneybutton;
  const server = await listen(t, webhookHandler(app.webhookSecret, () => undefined));
  const url = `${server.url}/webhooks/moneybutton`;
  sandbox.admin.moneybutton.setWebhookUrl(url);
  const { paymentId, delivered } = sandbox.admin.moneybutton.pay({ toUserId: users[0].id, amount: '1.5', currency: 'USD' });
  await delivered;
  await sandbox.admin.moneybutton.redeliver(paymentId);
  const refused = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ secret: 'guessed', payment: {} }) });
  t.is(refused.status, 401);
  t.deepEqual(seen, [
    { provider: 'moneybutton', eventType: 'PENDING', outcome: 'accepted' },
    { provider: 'moneybutton', eventType: 'RECEIVED', outcome: 'accepted' },
    { provider: 'moneybutton', eventType: 'COMPLETED', outcome: 'accepted' },
    { provider: 'moneybutton', eventType: 'COMPLETED', outcome: 'duplicate' },
    { provider: 'moneybutton', outcome: 'rejected' },
  ]);
  t.false(JSON.stringify(seen).includes(app.webhookSecret));
});
