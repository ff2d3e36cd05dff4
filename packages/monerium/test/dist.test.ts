import { execFileSync } from 'node:child_process';
import test from 'ava';

// Runs the BUILT package under plain node (no tsx loader, no NODE_OPTIONS), through its exports map.
test('the built package imports and runs under plain node', (t) => {
  const script = `
    import * as monerium from '@paygate/monerium';
    const client = monerium.createMoneriumClient({ environment: 'sandbox', auth: { kind: 'basic', email: 'a@b.c', password: 'x' } });
    const bad = await client.placeRedeemOrder({ amount: '1', currency: 'EUR', counterpart: { iban: 'nope', companyName: 'X' }, address: '0x61d1Df91F98282e5AdC8224943E0336Ec8612d66' })();
    const message = monerium.redeemMessage({ currency: 'EUR', amount: '1000', iban: 'GR1601101250000000012300 695', timestamp: new Date(Date.UTC(2021, 1, 13, 15, 48)) });
    console.log(JSON.stringify({ baseUrl: client.baseUrl, wsUrl: client.wsUrl, message, bad: bad.left.field, adapter: monerium.adapter.id }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: new URL('..', import.meta.url),
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
  });
  t.deepEqual(JSON.parse(out), {
    baseUrl: 'https://api.monerium.dev',
    wsUrl: 'wss://api.monerium.dev',
    message: 'Send EUR 1000 to GR1601101250000000012300 695 at Sat, 13 Feb 2021 15:48 +00:00',
    bad: 'counterpart.iban',
    adapter: 'monerium',
  });
});
