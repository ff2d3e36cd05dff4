import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import { authError } from '@paygate/core';
import { useSessionOnProbe } from './_checkout-page.js';
import { offlineClient, platformClient, run, userClient, worldFor } from './_setup.js';

test('a session refused on use is renewed by one login and the use retried once', async (tt) => {
  const world = await worldFor(tt);
  const client = platformClient(world);
  const first = await run(client.session());
  if (E.isLeft(first)) return tt.fail(first.left.message);
  world.sandbox.admin.moneyns.expireAccessTokens();
  world.sandbox.admin.clearRequests();

  const result = await run(client.withSession(useSessionOnProbe(world.baseUrl)));
  tt.like(result, { _tag: 'Right', right: { status: 200 } });
  tt.deepEqual(
    world.requests().map((r) => `${r.method} ${r.path}`),
    ['GET /api/v1/_sandbox/session', `POST /api/v1/authenticate-jwt/${world.platform.name}`, 'GET /api/v1/_sandbox/session'],
  );
  const [refused, , retried] = world.requests();
  tt.is(refused?.headers.authorization, `Bearer ${first.right.id}`);
  tt.not(retried?.headers.authorization, `Bearer ${first.right.id}`);
});

test('50 concurrent uses refused at once lead to exactly one login', async (tt) => {
  const world = await worldFor(tt);
  const client = platformClient(world);
  tt.true(E.isRight(await run(client.session())));
  world.sandbox.admin.moneyns.expireAccessTokens();
  world.sandbox.admin.clearRequests();

  const use = useSessionOnProbe(world.baseUrl);
  const results = await Promise.all(Array.from({ length: 50 }, () => run(client.withSession(use))));
  tt.true(results.every(E.isRight));
  tt.is(world.requests().filter((r) => r.method === 'POST').length, 1);
});

test('a use refused again after the re-login is not retried a second time', async (tt) => {
  const world = await worldFor(tt);
  const client = userClient(world);
  let uses = 0;
  const result = await run(
    client.withSession(() => {
      uses += 1;
      return TE.left(authError({ reason: 'invalid_token', status: 401 }));
    }),
  );
  tt.like(result, { _tag: 'Left', left: { _tag: 'AuthError', reason: 'invalid_token' } });
  tt.is(uses, 2);
  tt.is(world.requests().length, 2, 'the first login and one re-login');
});

test('other failures of a use are returned without a re-login', async (tt) => {
  const world = await worldFor(tt);
  const client = userClient(world);
  const result = await run(client.withSession(() => TE.left(authError({ reason: 'insufficient_scope', status: 403 }))));
  tt.like(result, { _tag: 'Left', left: { reason: 'insufficient_scope' } });
  tt.is(world.requests().length, 1);
});

test('when the re-login is refused its error is returned', async (tt) => {
  const world = await worldFor(tt);
  const client = userClient(world);
  tt.true(E.isRight(await run(client.session())));
  world.sandbox.admin.moneyns.expireAccessTokens();
  world.sandbox.admin.moneyns.setUserState(world.users.active.email, 'inactive');
  const result = await run(client.withSession(useSessionOnProbe(world.baseUrl)));
  tt.like(result, { _tag: 'Left', left: { _tag: 'AuthError', reason: 'inactive', status: 401 } });
  tt.is(world.requests().filter((r) => r.method === 'POST').length, 2);
});

test('request() calls a private endpoint under baseUrl with Authorization: Bearer <session id>', async (tt) => {
  const world = await worldFor(tt);
  const client = userClient(world);
  const session = await run(client.session());
  if (E.isLeft(session)) return tt.fail(session.left.message);
  world.sandbox.admin.clearRequests();
  const result = await run(
    client.request(
      { method: 'GET', path: '/users/me', query: { include: 'wallets' }, headers: { Authorization: 'Bearer not-mine', 'X-Trace': 'abc' } },
      t.unknown,
    ),
  );
  const [sent] = world.requests();
  tt.like(sent, { method: 'GET', path: '/api/v1/users/me', query: { include: 'wallets' }, body: '' });
  tt.is(sent?.headers.authorization, `Bearer ${session.right.id}`, "the session's token replaces the caller's");
  tt.is(sent?.headers['x-trace'], 'abc');
  // The sandbox emulates no undocumented resource, so the answer is its 404.
  tt.like(result, { _tag: 'Left', left: { _tag: 'ProviderError', status: 404 } });
  tt.false(JSON.stringify(result).includes(session.right.id), 'the token is not in the error');
});

test('request() with a path that does not start with "/" is InvalidInput and sends nothing', async (tt) => {
  const { client, sent } = offlineClient({ email: 'john@email.com', password: 'pw' });
  const result = await run(client.request({ method: 'GET', path: 'https://elsewhere.example/' }, t.unknown));
  tt.like(result, { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'path' } });
  tt.is(sent(), 0);
});
