import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { readJwt } from './_keys.js';
import { createMoneyNsClient } from '../src/index.js';
import { platformClient, run, worldFor } from './_setup.js';

test('platform login posts to /api/v1/authenticate-jwt/{platform} with an RS512 JWT in Token and no body', async (t) => {
  const world = await worldFor(t);
  const before = Math.floor(Date.now() / 1000);
  const result = await run(platformClient(world).session());
  const after = Math.floor(Date.now() / 1000);
  if (E.isLeft(result)) return t.fail(result.left.message);
  t.is(result.right.userId, world.users.active.id);

  const requests = world.requests();
  t.is(requests.length, 1);
  const [login] = requests;
  t.like(login, { method: 'POST', path: `/api/v1/authenticate-jwt/${world.platform.name}`, query: {}, body: '' });
  t.is(login?.headers.authorization, undefined);
  const jwt = readJwt(login?.headers.token ?? '', world.platform.publicKeyPem);
  t.true(jwt.valid, 'signed with the platform key');
  t.deepEqual(jwt.header, { alg: 'RS512', typ: 'JWT' });
  const payload = jwt.payload as { email: string; expire: number };
  t.deepEqual(Object.keys(payload).sort(), ['email', 'expire']);
  t.is(payload.email, world.users.active.email);
  t.true(payload.expire >= before + 60 && payload.expire <= after + 60, 'expire = now + 60 s, in Unix seconds');
});

test('platform login by user id sends the id claim instead of email', async (t) => {
  const world = await worldFor(t);
  const client = platformClient(world, {
    auth: { platform: world.platform.name, privateKeyPem: world.platform.privateKeyPem, subject: { id: world.users.active.id }, lifetimeSeconds: 30 },
  });
  const result = await run(client.userId());
  t.deepEqual(result, E.right(world.users.active.id));
  const [login] = world.requests();
  const payload = readJwt(login?.headers.token ?? '', world.platform.publicKeyPem).payload as Record<string, unknown>;
  t.deepEqual(Object.keys(payload).sort(), ['expire', 'id']);
  t.is(payload.id, world.users.active.id);
});

test('expire is never in the past: a negative lifetime is InvalidInput at creation, before anything is sent', async (t) => {
  const world = await worldFor(t);
  const auth = { platform: world.platform.name, privateKeyPem: world.platform.privateKeyPem, subject: { email: world.users.active.email } };
  t.like(createMoneyNsClient({ baseUrl: world.baseUrl, auth: { ...auth, lifetimeSeconds: -60 } }), {
    _tag: 'Left',
    left: { _tag: 'InvalidInput', field: 'auth.lifetimeSeconds' },
  });
  t.is(world.requests().length, 0);
});

test('a JWT already expired when it arrives (client clock behind) is refused with AuthError bad_credentials', async (t) => {
  const world = await worldFor(t);
  const client = platformClient(world, { now: () => world.sandbox.admin.clock.now() - 3_600_000 });
  const result = await run(client.session());
  t.like(result, { _tag: 'Left', left: { _tag: 'AuthError', reason: 'bad_credentials', status: 403 } });
  t.regex(E.isLeft(result) ? result.left.message : '', /The provided credentials are incorrect\./);
  t.is(world.requests().length, 1, 'a refused login is not retried');
});

test('a JWT the provider clock sees as expired is refused with AuthError bad_credentials', async (t) => {
  const world = await worldFor(t);
  world.sandbox.admin.clock.advance(120_000);
  const result = await run(platformClient(world).session());
  t.like(result, { _tag: 'Left', left: { _tag: 'AuthError', reason: 'bad_credentials', status: 403 } });
  t.is(world.requests().length, 1);
});

test('a JWT signed by another key is refused with AuthError bad_credentials', async (t) => {
  const world = await worldFor(t);
  const client = platformClient(world, {
    auth: { platform: world.platform.name, privateKeyPem: world.otherKeyPair.privateKeyPem, subject: { email: world.users.active.email } },
  });
  const result = await run(client.session());
  t.like(result, { _tag: 'Left', left: { _tag: 'AuthError', reason: 'bad_credentials', status: 403 } });
  t.is(world.requests().length, 1);
});

test('a platform login for a locked user is AuthError locked', async (t) => {
  const world = await worldFor(t);
  const client = platformClient(world, {
    auth: { platform: world.platform.name, privateKeyPem: world.platform.privateKeyPem, subject: { email: world.users.locked.email } },
  });
  t.like(await run(client.session()), { _tag: 'Left', left: { _tag: 'AuthError', reason: 'locked', status: 423 } });
});

test('a user the platform may not log in is refused with AuthError bad_credentials', async (t) => {
  const world = await worldFor(t);
  const client = platformClient(world, {
    auth: { platform: world.platform.name, privateKeyPem: world.platform.privateKeyPem, subject: { email: world.users.unlinked.email } },
  });
  t.like(await run(client.session()), { _tag: 'Left', left: { _tag: 'AuthError', reason: 'bad_credentials', status: 403 } });
});

test('an unknown platform is a ProviderError 404', async (t) => {
  const world = await worldFor(t);
  const client = platformClient(world, {
    auth: { platform: 'no-such-platform', privateKeyPem: world.platform.privateKeyPem, subject: { email: world.users.active.email } },
  });
  t.like(await run(client.session()), { _tag: 'Left', left: { _tag: 'ProviderError', provider: 'moneyns', status: 404 } });
  t.like(world.requests()[0], { path: '/api/v1/authenticate-jwt/no-such-platform' });
});

test('every platform login signs a new JWT with a fresh expire', async (t) => {
  const world = await worldFor(t);
  let clock = Date.now();
  const client = platformClient(world, { now: () => clock });
  t.true(E.isRight(await run(client.login())));
  clock += 5_000;
  t.true(E.isRight(await run(client.login())));
  const [first, second] = world.requests().map((r) => readJwt(r.headers.token ?? '', world.platform.publicKeyPem).payload as { expire: number });
  t.is((second?.expire ?? 0) - (first?.expire ?? 0), 5);
});
