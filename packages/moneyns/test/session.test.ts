import { createMemoryTokenStore } from '@paygate/core';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { platformClient, run, sandboxClock, userClient, worldFor } from './_setup.js';

const logins = (world: { requests(): ReadonlyArray<{ path: string }> }) =>
  world.requests().filter((r) => r.path.startsWith('/api/v1/authenticate')).length;

test('a session is renewed by a new login shortly before it ends', async (t) => {
  const world = await worldFor(t, { sessionTtlSeconds: 600 });
  const client = userClient(world, world.users.active, { now: sandboxClock(world) });
  const first = await run(client.session());
  if (E.isLeft(first)) return t.fail(first.left.message);
  t.is(first.right.ttl, 600);

  world.sandbox.admin.clock.advance(500_000);
  t.deepEqual(await run(client.session()), first, 'still 100 s left: no login');
  t.is(logins(world), 1);

  world.sandbox.admin.clock.advance(50_000);
  const renewed = await run(client.session());
  if (E.isLeft(renewed)) return t.fail(renewed.left.message);
  t.not(renewed.right.id, first.right.id, '50 s left, under the 60 s margin: a new login');
  t.is(logins(world), 2);
});

test('an expired session is renewed by exactly one login under 200 concurrent calls', async (t) => {
  const world = await worldFor(t, { sessionTtlSeconds: 600 });
  const client = platformClient(world, { now: sandboxClock(world) });
  const first = await run(client.session());
  if (E.isLeft(first)) return t.fail(first.left.message);
  world.sandbox.admin.clock.advance(601_000);
  world.sandbox.admin.clearRequests();

  const results = await Promise.all(Array.from({ length: 200 }, () => run(client.session())));
  const ids = new Set(results.map((r) => (E.isRight(r) ? r.right.id : `error: ${r.left.message}`)));
  t.is(ids.size, 1, 'every caller got the same session');
  t.false(ids.has(first.right.id));
  t.is(world.requests().length, 1);
  t.like(world.requests()[0], { method: 'POST', path: `/api/v1/authenticate-jwt/${world.platform.name}` });
});

test('a refused renewal is returned once, not retried', async (t) => {
  const world = await worldFor(t, { sessionTtlSeconds: 600 });
  const client = userClient(world, world.users.active, { now: sandboxClock(world) });
  t.true(E.isRight(await run(client.session())));
  world.sandbox.admin.moneyns.setUserState(world.users.active.email, 'locked');
  world.sandbox.admin.clock.advance(601_000);
  world.sandbox.admin.clearRequests();
  const results = await Promise.all(Array.from({ length: 20 }, () => run(client.session())));
  t.true(results.every((r) => E.isLeft(r) && r.left._tag === 'AuthError' && r.left.reason === 'locked'));
  t.is(world.requests().length, 1);
});

test('the session is kept in the TokenStore and reused by another client on the same store', async (t) => {
  const world = await worldFor(t);
  const tokenStore = createMemoryTokenStore();
  const first = await run(userClient(world, world.users.active, { tokenStore }).session());
  const second = await run(userClient(world, world.users.active, { tokenStore }).session());
  t.true(E.isRight(first));
  t.deepEqual(second, first);
  t.is(world.requests().length, 1);
});

test('sessions of different users on one store are kept apart', async (t) => {
  const world = await worldFor(t);
  const tokenStore = createMemoryTokenStore();
  const asUser = await run(userClient(world, world.users.active, { tokenStore }).session());
  const asPlatform = await run(platformClient(world, { tokenStore }).session());
  if (E.isLeft(asUser) || E.isLeft(asPlatform)) return t.fail('login failed');
  t.not(asPlatform.right.id, asUser.right.id);
  t.is(world.requests().length, 2);
});

test('a store entry that is not a MoneyNS session is a DecodeError', async (t) => {
  const world = await worldFor(t);
  const tokenStore = createMemoryTokenStore();
  const client = userClient(world, world.users.active, { tokenStore });
  t.true(E.isRight(await run(client.session())));
  const key = `moneyns:${world.baseUrl}:user:${world.users.active.email}`;
  await tokenStore.set(key, { accessToken: 'x', tokenType: 'Bearer', extra: { profile: 'other' }, expiresAt: Date.now() + 3_600_000 })();
  // `client` serves the session it just stored for a few seconds (the TokenManager's cacheMs);
  // a client that has not read it yet, like another process, reads the store.
  const other = userClient(world, world.users.active, { tokenStore });
  t.like(await run(other.session()), { _tag: 'Left', left: { _tag: 'DecodeError', provider: 'moneyns', path: 'userId' } });
});

test('clearSession() forgets the session and the next call logs in', async (t) => {
  const world = await worldFor(t);
  const client = userClient(world);
  t.true(E.isRight(await run(client.session())));
  t.deepEqual(await run(client.clearSession()), E.right(undefined));
  t.is(world.requests().length, 1, 'forgetting sends nothing');
  t.true(E.isRight(await run(client.session())));
  t.is(world.requests().length, 2);
});
