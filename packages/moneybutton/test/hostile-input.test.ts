import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { createMoneyButtonClient, type MoneyButtonClient } from '../src/index.js';

const clientFor = async (t: import('ava').ExecutionContext) => {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const client = createMoneyButtonClient({
    clientId: 'app',
    clientSecret: 'canary-secret-1',
    scope: [],
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    refreshToken: 'canary-refresh-1',
    http: { maxRetries: 0 },
  });
  if (E.isLeft(client)) throw new Error(client.left.message);
  return { client: client.right, seen };
};

test('"." and ".." are refused by every path builder before anything is sent', async (t) => {
  const { client, seen } = await clientFor(t);
  const builders: ReadonlyArray<[string, (c: MoneyButtonClient, id: string) => () => Promise<unknown>]> = [
    ['userId', (c, id) => c.userProfile(id)],
    ['userId', (c, id) => c.userBalance(id)],
    ['id', (c, id) => c.payment(id)],
    ['walletId', (c, id) => c.walletBalances(id)],
    ['id', (c, id) => c.paymentV2(id)],
    ['id', (c, id) => c.updateAsset(id, { name: 'x' })],
  ];
  for (const bad of ['.', '..', 'a/b', '%2e%2e', '']) {
    for (const [field, build] of builders) t.like(await build(client, bad)(), { _tag: 'Left', left: { _tag: 'InvalidInput', field } }, `${field}=${bad}`);
  }
  t.deepEqual(seen, []);
});

test('null or a wrong type as any argument answers InvalidInput and never throws', async (t) => {
  const { client, seen } = await clientFor(t);
  const nothing = null as never;
  t.like(client.authorizationUrl(nothing), { _tag: 'Left', left: { _tag: 'InvalidInput' } });
  t.like(await client.finishAuthorization(nothing, nothing)(), { _tag: 'Left', left: { _tag: 'InvalidInput' } });
  t.like(await client.payments(nothing)(), { _tag: 'Left', left: { _tag: 'InvalidInput' } });
  t.like(await client.paymentsV2(nothing)(), { _tag: 'Left', left: { _tag: 'InvalidInput' } });
  t.like(await client.paymentHistory(nothing)(), { _tag: 'Left', left: { _tag: 'InvalidInput' } });
  t.like(await client.createAsset(nothing)(), { _tag: 'Left', left: { _tag: 'InvalidInput' } });
  t.like(await client.updateAsset('a1', nothing)(), { _tag: 'Left', left: { _tag: 'InvalidInput' } });
  t.deepEqual(seen, []);
});

test('plain http to a non-loopback host, NaN HTTP settings and null settings are refused', (t) => {
  t.like(createMoneyButtonClient({ clientId: 'a', scope: [], baseUrl: 'http://10.1.2.3' }), { _tag: 'Left', left: { field: 'baseUrl' } });
  t.like(createMoneyButtonClient({ clientId: 'a', scope: [], baseUrl: 'https://x.example/#f' }), { _tag: 'Left', left: { field: 'baseUrl' } });
  t.like(createMoneyButtonClient({ clientId: 'a', scope: [], http: { timeoutMs: Number.NaN } }), { _tag: 'Left', left: { field: 'http.timeoutMs' } });
  t.like(createMoneyButtonClient(null as never), { _tag: 'Left', left: { field: 'settings' } });
});
