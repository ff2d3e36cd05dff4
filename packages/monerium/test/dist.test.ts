import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import test from 'ava';

// The package's entry point is one esbuild bundle of tsc's output (`pnpm build` makes both).
test('@paygate/core and @paygate/monerium resolve to their bundles', (t) => {
  const entryOf = (name: string) => createRequire(join(process.cwd(), 'package.json')).resolve(name);
  for (const name of ['@paygate/core', '@paygate/monerium']) t.regex(entryOf(name), /[\\/]dist[\\/]bundle[\\/]index\.js$/, `${name} resolves to its bundle`);
});

// Runs the BUILT package under plain node (no tsx loader, no NODE_OPTIONS), through its exports map.
test('the built package imports and runs under plain node', (t) => {
  const script = `
    import * as monerium from '@paygate/monerium';
    const client = monerium.createMoneriumClient({ environment: 'sandbox', auth: { kind: 'basic', email: 'a@b.c', password: 'x' } }).right;
    const refused = monerium.createMoneriumClient({ environment: { baseUrl: 'not a url' }, auth: { kind: 'basic', email: 'a@b.c', password: 'x' } });
    const bad = await client.placeRedeemOrder({ amount: '1', currency: 'EUR', counterpart: { iban: 'nope', companyName: 'X' }, address: '0x61d1Df91F98282e5AdC8224943E0336Ec8612d66' })();
    const message = monerium.redeemMessage({ currency: 'EUR', amount: '1000', iban: 'GR1601101250000000012300 695', timestamp: new Date(Date.UTC(2021, 1, 13, 15, 48)) });
    console.log(JSON.stringify({ baseUrl: client.baseUrl, wsUrl: client.wsUrl, message: message.right, bad: bad.left.field, adapter: monerium.adapter.id, refused: [refused._tag, refused.left._tag, refused.left.field] }));
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
    refused: ['Left', 'InvalidInput', 'environment.baseUrl'],
  });
});

// What a process loads: every module the ESM loader resolves (a resolve hook, asked for its list
// once the import has finished) and every CommonJS module in the shared require.cache. fp-ts and
// io-ts are require()d by the bundles: through the ESM loader each of their files would be
// format-detected and lexed (~10-20 ms each on a cold start).
test('importing the built package loads neither ws, ibantools, standardwebhooks nor openid-client, and fp-ts and io-ts not through the ESM loader; the first socket, IBAN check and webhook receiver load theirs', (t) => {
  const script = `
    import { createRequire, register } from 'node:module';
    import { createServer } from 'node:net';
    import { MessageChannel } from 'node:worker_threads';
    const hooks = "let seen = []; export const initialize = ({ port }) => { port.on('message', () => port.postMessage(seen)); port.unref(); }; export const resolve = async (specifier, context, next) => { const r = await next(specifier, context); seen.push(r.url); return r; };";
    const { port1, port2 } = new MessageChannel();
    register('data:text/javascript,' + encodeURIComponent(hooks), { data: { port: port2 }, transferList: [port2] });
    const resolved = () => new Promise((resolve) => { port1.once('message', resolve); port1.postMessage('list'); });
    const cache = createRequire(import.meta.url).cache;
    const census = async () => {
      const viaEsm = await resolved();
      const files = [...viaEsm, ...Object.keys(cache)];
      const inPackage = (name) => (file) => new RegExp('[\\\\\\\\/]node_modules[\\\\\\\\/]' + name + '[\\\\\\\\/]').test(file);
      const of = (name) => files.some(inPackage(name));
      return { ws: of('ws'), ibantools: of('ibantools'), standardwebhooks: of('standardwebhooks'), openidClient: of('openid-client'), ioTs: of('io-ts'), fpTsOrIoTsViaEsm: viaEsm.some(inPackage('(fp-ts|io-ts)')) };
    };
    const monerium = await import('@paygate/monerium');
    const atImport = await census();
    // A port nobody listens on: the socket fails to connect, after loading ws.
    const closed = createServer();
    await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address();
    await new Promise((resolve) => closed.close(resolve));
    const client = monerium.createMoneriumClient({ environment: { baseUrl: 'http://127.0.0.1:' + port }, auth: { kind: 'basic', email: 'a@b.c', password: 'x' } }).right;
    const socketError = await new Promise((resolve) => {
      const watched = client.watchOrders({}, () => {}, { catchUp: false, onError: (error) => { void watched.right.unsubscribe(); resolve(error.kind); } });
    });
    const afterSocket = await census();
    const bad = await client.placeRedeemOrder({ amount: '1', currency: 'EUR', counterpart: { iban: 'GR1601101250000000012300 696', companyName: 'X' }, address: '0x61d1Df91F98282e5AdC8224943E0336Ec8612d66' })();
    const afterIban = await census();
    const receiver = monerium.createWebhookReceiver({ secret: 'whsec_' + Buffer.alloc(32, 7).toString('base64') });
    const afterReceiver = await census();
    port1.close();
    console.log(JSON.stringify({ atImport, socketError, afterSocket, bad: [bad.left.field, bad.left.message], afterIban, receiver: receiver._tag, afterReceiver }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: new URL('..', import.meta.url),
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
  });
  t.deepEqual(JSON.parse(out), {
    atImport: { ws: false, ibantools: false, standardwebhooks: false, openidClient: false, ioTs: true, fpTsOrIoTsViaEsm: false },
    socketError: 'reset',
    afterSocket: { ws: true, ibantools: false, standardwebhooks: false, openidClient: false, ioTs: true, fpTsOrIoTsViaEsm: false },
    bad: ['counterpart.iban', 'Invalid counterpart.iban: is not a valid IBAN (country format or check digits)'],
    afterIban: { ws: true, ibantools: true, standardwebhooks: false, openidClient: false, ioTs: true, fpTsOrIoTsViaEsm: false },
    receiver: 'Right',
    afterReceiver: { ws: true, ibantools: true, standardwebhooks: true, openidClient: false, ioTs: true, fpTsOrIoTsViaEsm: false },
  });
});
