import { execFileSync } from 'node:child_process';
import test from 'ava';

// Runs the BUILT package under plain node (no tsx loader, no NODE_OPTIONS), through its exports map.
test('the built package imports and runs under plain node', (t) => {
  const script = `
    import * as mb from '@paygate/moneybutton';
    const client = mb.createMoneyButtonClient({ clientId: 'app', redirectUri: 'http://127.0.0.1:1/cb', scope: ['payments:read'] });
    const pending = client._tag === 'Right' ? client.right.authorizationUrl({ state: 'st' }) : client;
    const payment = { id: '1', userId: null, from: 'a@b.c', status: 'RECEIVED', doubleSpent: false, txid: null,
      amount: 0.1, currency: 'USD', satoshis: '40000', createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z',
      paymentOutputs: [] };
    const event = mb.parseWebhook(JSON.stringify({ secret: 's3cret', payment }), 's3cret');
    console.log(JSON.stringify({
      client: client._tag,
      url: pending._tag === 'Right' ? new URL(pending.right.url).pathname : pending.left.message,
      event: event._tag === 'Right' ? [event.right.status, event.right.payment.amount.amount] : event.left.message,
      adapter: mb.adapter.id,
      bad: mb.createMoneyButtonClient({ clientId: '', scope: [] })._tag,
      handler: typeof mb.webhookHandler('s3cret', () => undefined),
    }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: new URL('..', import.meta.url),
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
  });
  t.deepEqual(JSON.parse(out), {
    client: 'Right',
    url: '/oauth/v1/authorize',
    event: ['processing', '0.1'],
    adapter: 'moneybutton',
    bad: 'Left',
    handler: 'function',
  });
});
