import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { createMoneriumClient, type MoneriumClient } from '../src/index.js';
import { newClient } from './_sandbox.js';

const AUTH = { kind: 'basic', email: 'a@example.com', password: 'canary-password-77' } as const;

/** A local server that records what reaches it and answers 200 `[]`. */
const recorder = async (t: import('ava').ExecutionContext) => {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
};

test('a wsUrl with a fragment is refused when the client is built, not thrown later inside connect()', (t) => {
  const created = createMoneriumClient({ environment: { baseUrl: 'http://127.0.0.1:9', wsUrl: 'ws://127.0.0.1:9/#frag' }, auth: AUTH });
  t.like(created, { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'environment.wsUrl' } });
});

test('plain http or ws to a non-loopback host is refused: credentials would travel in clear', (t) => {
  const cases: ReadonlyArray<[{ baseUrl: string; wsUrl?: string }, string]> = [
    [{ baseUrl: 'http://api.example.com' }, 'environment.baseUrl'],
    [{ baseUrl: 'https://api.example.com', wsUrl: 'ws://api.example.com' }, 'environment.wsUrl'],
  ];
  for (const [environment, field] of cases) {
    t.like(createMoneriumClient({ environment, auth: AUTH }), { _tag: 'Left', left: { _tag: 'InvalidInput', field } }, field);
  }
});

test('"." and ".." are refused by every path builder before anything is sent', async (t) => {
  const server = await recorder(t);
  const client = newClient({ environment: { baseUrl: server.url }, auth: AUTH, http: { maxRetries: 0 } });
  const address = { address: '0x0000000000000000000000000000000000000001', chain: 'ethereum' };
  for (const bad of ['.', '..', 'a/b', '%2e%2e']) {
    const calls: ReadonlyArray<[string, () => Promise<E.Either<unknown, unknown>>]> = [
      ['profileId', client.profile(bad)],
      ['profileId', client.balances(bad)],
      ['orderId', client.order(bad)],
      ['profileId', client.linkAddress(bad, { ...address, message: 'I hereby declare that I am the address owner.', signature: '0x00' } as never)],
      [
        'profile',
        client.placeRedeemOrder({
          profile: bad,
          amount: '10',
          currency: 'EUR',
          counterpart: { iban: 'GR16 0110 1250 0000 0001 2300 695', companyName: 'Payee' },
          address: address.address,
          signature: `0x${'ab'.repeat(65)}`,
        }),
      ],
    ];
    for (const [field, call] of calls) t.like(await call(), { _tag: 'Left', left: { _tag: 'InvalidInput', field } }, `${field}=${bad}`);
  }
  t.deepEqual(server.seen, []);
});

test('null or a wrong type as any argument answers InvalidInput and never throws', async (t) => {
  const client: MoneriumClient = newClient({ environment: { baseUrl: 'http://127.0.0.1:9' }, auth: AUTH, http: { maxRetries: 0 } });
  const nothing = null as never;
  t.like(await client.placeRedeemOrder(nothing)(), { _tag: 'Left', left: { _tag: 'InvalidInput' } });
  t.like(await client.orders(nothing)(), { _tag: 'Left', left: { _tag: 'InvalidInput' } });
  t.like(await client.finishAuthorization(nothing, nothing)(), { _tag: 'Left', left: { _tag: 'InvalidInput' } });
  t.like(client.watchOrders(nothing, () => undefined), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'filters' } });
  t.like(client.watchOrders({}, nothing), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'handler' } });
  t.like(client.watchOrders({}, () => undefined, nothing), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'options' } });
  t.like(await client.uploadSupportingDocument(nothing)(), { _tag: 'Left', left: { _tag: 'InvalidInput' } });
  t.like(await client.linkAddress('p', nothing)(), { _tag: 'Left', left: { _tag: 'InvalidInput' } });
  t.like(createMoneriumClient(nothing), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'settings' } });
});

test('NaN or out-of-range numeric settings are refused by the factory with InvalidInput naming them', (t) => {
  const cases: ReadonlyArray<[object, string]> = [
    [{ http: { timeoutMs: Number.NaN } }, 'http.timeoutMs'],
    [{ http: { maxRetries: Number.NaN } }, 'http.maxRetries'],
    [{ http: { backoffBaseMs: Number.POSITIVE_INFINITY } }, 'http.backoffBaseMs'],
    [{ orderLookup: { attempts: 1e21 } }, 'orderLookup.attempts'],
  ];
  for (const [extra, field] of cases) {
    t.like(createMoneriumClient({ environment: { baseUrl: 'http://127.0.0.1:9' }, auth: AUTH, ...extra }), { _tag: 'Left', left: { _tag: 'InvalidInput', field } }, field);
  }
  const client = newClient({ environment: { baseUrl: 'http://127.0.0.1:9' }, auth: AUTH });
  t.like(client.watchOrders({}, () => undefined, { heartbeatIntervalMs: 1e21 }), { _tag: 'Left', left: { field: 'heartbeatIntervalMs' } });
});

test('an application callback that throws inside the background connection never becomes an unhandled rejection', async (t) => {
  const unhandled: unknown[] = [];
  const listener = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', listener);
  t.teardown(() => process.off('unhandledRejection', listener));
  const client = newClient({ environment: { baseUrl: 'http://127.0.0.1:9' }, auth: AUTH, http: { maxRetries: 0 } });
  let errors = 0;
  const states: string[] = [];
  const closed = new Promise<void>((resolve) => {
    const watched = client.watchOrders({}, () => undefined, {
      onError: () => {
        errors += 1;
        throw new Error('application bug in onError');
      },
      onStateChange: (state) => {
        states.push(state);
        if (state === 'closed') resolve();
      },
    });
    t.true(E.isRight(watched));
  });
  await closed;
  await new Promise((resolve) => setImmediate(resolve));
  t.true(errors >= 1);
  t.deepEqual(unhandled, []);
});
