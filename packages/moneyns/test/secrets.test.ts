import { inspect } from 'node:util';
import { createRegistry, type GatewayError } from '@paygate/core';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import * as iots from 'io-ts/lib/index.js';
import { adapter, createMoneyNsClient, mapMoneyNsError } from '../src/index.js';
import { rsaKeyPair } from './_keys.js';
import { platformClient, run, userClient, type World, worldFor } from './_setup.js';

/** A PEM and its body lines: a partial echo of a key is a leak too. */
const pemParts = (pem: string): string[] => [pem, ...pem.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----'))];

const renderings = (value: unknown): string[] => [JSON.stringify(value) ?? '', inspect(value, { depth: 12 }), String((value as { message?: unknown }).message)];

const leaks = (errors: ReadonlyArray<unknown>, secrets: ReadonlyArray<string>): string[] =>
  secrets.filter((secret) => errors.some((error) => renderings(error).some((text) => text.includes(secret)))).map((s) => s.slice(0, 12));

const collect = async (errors: GatewayError[], world: World, setup: () => void, task: () => Promise<E.Either<GatewayError, unknown>>) => {
  world.sandbox.admin.faults.clear();
  setup();
  const result = await task();
  if (E.isRight(result)) throw new Error('expected a failure');
  errors.push(result.left);
};

test('a key that cannot be read is refused without quoting it', (t) => {
  const canary = 'CANARYkeyMaterial0123456789abcdefCANARY';
  const fake = `-----BEGIN PRIVATE KEY-----\n${canary}\n-----END PRIVATE KEY-----\n`;
  const weak = rsaKeyPair(1024).privateKeyPem;
  const errors = [fake, weak, fake.replace(/\n/g, '\\n')].map((pem) => {
    const result = createMoneyNsClient({ auth: { platform: 'p', privateKeyPem: pem, subject: { email: 'a@b.c' } } });
    return E.isLeft(result) ? result.left : undefined;
  });
  t.true(errors.every((error) => error?._tag === 'InvalidInput'));
  t.deepEqual(leaks(errors, [canary, ...pemParts(weak)]), []);
});

test('a config whose key is refused names the field but not the key', (t) => {
  const weak = rsaKeyPair(1024).privateKeyPem;
  const registry = createRegistry([adapter]);
  const results = [
    registry.create({ provider: 'moneyns', auth: { platform: 'p', privateKeyPem: weak, subject: { email: 'a@b.c' } } }),
    registry.create({ provider: 'moneyns', auth: { platform: 'p', privateKeyPem: weak, subject: { email: 'a@b.c' }, lifetimeSeconds: 'soon' } }),
  ];
  const errors = results.map((r) => (E.isLeft(r) ? r.left : undefined));
  t.like(errors[0], { _tag: 'InvalidInput', field: 'auth.privateKeyPem' });
  t.like(errors[1], { _tag: 'InvalidInput' });
  t.deepEqual(leaks(errors, pemParts(weak)), []);
});

test('no failure path puts the private key, the login JWT or the password into an error', async (t) => {
  const world = await worldFor(t);
  const errors: GatewayError[] = [];
  const platform = (overrides = {}) =>
    platformClient(world, {
      auth: { platform: world.platform.name, privateKeyPem: world.platform.privateKeyPem, subject: { email: world.users.active.email }, ...overrides },
      http: { timeoutMs: 200 },
    });
  const none = () => undefined;
  await collect(errors, world, none, () => run(platform({ privateKeyPem: world.otherKeyPair.privateKeyPem }).session()));
  await collect(errors, world, none, () => run(platformClient(world, { now: () => Date.now() - 7_200_000, http: { timeoutMs: 200 } }).session()));
  await collect(errors, world, none, () => run(platform({ platform: 'unknown-platform' }).session()));
  await collect(errors, world, none, () => run(platform({ subject: { email: world.users.locked.email } }).session()));
  await collect(errors, world, none, () => run(platform({ subject: { email: world.users.unlinked.email } }).session()));
  for (const fault of [
    { kind: 'status', status: 503 },
    { kind: 'status', status: 500 },
    { kind: 'latency', ms: 600 },
    { kind: 'reset' },
    { kind: 'malformed-json' },
    { kind: 'bad-shape' },
    { kind: 'rate-limit', retryAfterSeconds: 1 },
  ] as const) {
    await collect(errors, world, () => world.sandbox.admin.faults.set([fault]), () => run(platform().session()));
  }
  await collect(errors, world, none, () => run(userClient(world, { ...world.users.active, password: 'CANARY-wrong-password' }).session()));
  await collect(errors, world, none, () => run(userClient(world, world.users.inactive).session()));

  const client = platform();
  await collect(errors, world, none, () => run(client.checkoutUrl({ lang: 'xx1', display: 'light', token: { kind: 'purchase', link: { id: 'u' }, payment: { operation: 'buy', symbol: 'ETH', amount: '1' } } } as never)));
  await collect(errors, world, none, () => run(client.request({ method: 'GET', path: '/private' }, iots.unknown)));

  t.is(errors.length, 16);
  const jwts = world.requests().flatMap((r) => (r.headers.token === undefined ? [] : [r.headers.token]));
  t.true(jwts.length >= 12, 'the login JWTs sent are checked too');
  const secrets = [
    ...pemParts(world.platform.privateKeyPem),
    ...pemParts(world.otherKeyPair.privateKeyPem),
    ...jwts,
    world.users.active.password,
    world.users.inactive.password,
    'CANARY-wrong-password',
  ];
  t.deepEqual(leaks(errors, secrets), []);
});

test('the private key never leaves the process', async (t) => {
  const world = await worldFor(t);
  t.true(E.isRight(await run(platformClient(world).session())));
  const sent = world.requests().map((r) => JSON.stringify(r));
  const parts = pemParts(world.platform.privateKeyPem);
  t.true(sent.length > 0);
  t.true(sent.every((request) => parts.every((part) => !request.includes(part))));
});

test('provider text is redacted before it is shortened: no prefix of a cut password survives', async (t) => {
  const password = 'canary-pass-0123456789-abcdefghij';
  // The password straddles the 200-character cut: shortening first would keep its first half.
  const body = { error: `${'x'.repeat(185)} ${password} trailing` };
  const errors = [403, 401, 423, 500].flatMap((status) =>
    (['login', 'api'] as const).map((kind) => mapMoneyNsError(kind)({ status, headers: {}, body, isJson: true }, 'moneyns', [password])),
  );
  for (const error of errors) {
    for (const text of renderings(error)) t.false(text.includes(password.slice(0, 10)), `${error._tag}: ${text.slice(180, 260)}`);
  }
  t.true(errors.some((error) => error.message.includes('[redacted]')));
});
