import { execFileSync } from 'node:child_process';
import test from 'ava';

// The BUILT package under plain node: v2 client, message builder and the webhook receiver (which
// loads the CommonJS `standardwebhooks` package from ESM).
test('the built package exposes v2 under plain node', (t) => {
  const script = `
    import * as monerium from '@paygate/monerium';
    const client = monerium.createMoneriumV2Client({ environment: 'sandbox', auth: { kind: 'client_credentials', clientId: 'a', clientSecret: 'b' } });
    const message = monerium.v2.sepaOrderMessage({ currency: 'eur', amount: '10', iban: 'EE12 3456 7890 1234 2602', timestamp: new Date(Date.UTC(2024, 6, 12, 12, 2, 49)) });
    const receiver = monerium.createWebhookReceiver({ secret: monerium.v2.generateWebhookSecret() });
    const refused = monerium.createMoneriumV2Client({ environment: 'sandbox', auth: { kind: 'basic', email: 'a', password: 'b' } });
    console.log(JSON.stringify({ baseUrl: client.right.baseUrl, chains: client.right.chains, message: message.right, receiver: receiver._tag, refused: refused.left.field }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: new URL('..', import.meta.url),
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
  });
  t.deepEqual(JSON.parse(out), {
    baseUrl: 'https://api.monerium.dev',
    chains: 'sandbox',
    message: 'Send EUR 10 to EE123456789012342602 at 2024-07-12T12:02:00Z',
    receiver: 'Right',
    refused: 'auth.kind',
  });
});
