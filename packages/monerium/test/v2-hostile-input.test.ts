import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { createMoneriumV2Client, createWebhookReceiver, moneriumV2Gateway, v2 } from '../src/index.js';
import { right, startV2Server, v2Client } from './_v2-server.js';

const AUTH = { kind: 'client_credentials', clientId: 'c', clientSecret: 'canary-secret-42' } as const;

test('v2 base URL goes through core: plain http only to loopback, no credentials, no query', (t) => {
  for (const baseUrl of ['http://api.example.com', 'https://user:pw@api.example.com', 'https://api.example.com/?a=1', 'ftp://x']) {
    t.like(createMoneriumV2Client({ environment: { baseUrl }, auth: AUTH }), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'environment.baseUrl' } }, baseUrl);
  }
  t.true(E.isRight(createMoneriumV2Client({ environment: { baseUrl: 'http://127.0.0.1:9/' }, auth: AUTH })));
  t.like(createMoneriumV2Client({ environment: 'sandbox', auth: AUTH, http: { timeoutMs: Number.NaN } }), { left: { field: 'http.timeoutMs' } });
  t.like(createMoneriumV2Client(null as never), { left: { _tag: 'InvalidInput', field: 'settings' } });
});

test('a v2 webhook subscription URL goes through core: http to a public host is refused unsent', async (t) => {
  const server = await startV2Server(t);
  const client = v2Client(server);
  const secret = v2.generateWebhookSecret();
  const refused = await client.createWebhook({ url: 'http://hooks.example.com/monerium', secret })();
  t.like(refused, { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'url' } });
  t.is(server.seen.length, 0);
  t.is(v2.generateWebhookSecret(Number.NaN).length, `whsec_${Buffer.alloc(32).toString('base64')}`.length);
});

test('v2 path segments go through core pathSegment; a space-grouped IBAN keeps its %20 form', async (t) => {
  const server = await startV2Server(t);
  const client = v2Client(server);
  t.like(await client.order('../profiles')(), { _tag: 'Left', left: { field: 'orderId' } });
  t.like(await client.profile('a/b')(), { _tag: 'Left', left: { field: 'profileId' } });
  t.like(await client.iban('EE12  3456%2F')(), { _tag: 'Left', left: { field: 'iban' } });
  t.is(server.seen.length, 0);
  server.route('GET /ibans/EE38%202200%202210%202014%205685', { body: { iban: 'EE38 2200 2210 2014 5685', bic: 'EEUHEE2X', profile: 'p', address: '0x59cFC5Cd3a3bEfE25Fa5e1E6F1D2dB3b50C0DeA1', chain: 'chiado', name: 'n' } });
  t.is((await right(t, client.iban(' EE38 2200 2210 2014 5685 '))).bic, 'EEUHEE2X');
});

test('v2 resource functions refuse a non-API and malformed arguments with InvalidInput, never a throw', async (t) => {
  t.like(await v2.listOrders({} as never)(), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'api' } });
  const api = { request: () => undefined, send: () => undefined } as never;
  // An api whose request answers nothing usable makes the task fail: a typed Left, not a rejection.
  t.like(await v2.getAuthContext(api)(), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'arguments' } });
});

test('moneriumV2Gateway and createWebhookReceiver refuse what is not a client or an options object', async (t) => {
  const gateway = moneriumV2Gateway({} as never);
  t.like(await gateway.balances()(), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'client' } });
  t.like(createWebhookReceiver({ secret: v2.generateWebhookSecret(), maxBodyBytes: Number.POSITIVE_INFINITY }), { left: { field: 'maxBodyBytes' } });
  t.like(createWebhookReceiver({ secret: v2.generateWebhookSecret(), dedupe: {} as never }), { left: { field: 'dedupe' } });
  const receiver = createWebhookReceiver({ secret: v2.generateWebhookSecret() });
  if (E.isLeft(receiver)) return t.fail();
  t.like(receiver.right.verify(undefined as never), { _tag: 'Left', left: { field: 'request' } });
  t.like(await receiver.right.handle({ headers: {}, body: 42 } as never), { status: 400 });
  t.notThrows(() => receiver.right.listener(undefined as never, undefined as never));
});
