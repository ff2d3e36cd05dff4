import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { run, userClient, worldFor } from './_setup.js';

test('user login posts {email, password} as JSON to /api/v1/authenticate and decodes the session', async (t) => {
  const world = await worldFor(t);
  const user = world.users.active;
  const result = await run(userClient(world).session());
  if (E.isLeft(result)) return t.fail(result.left.message);
  const session = result.right;
  t.is(session.userId, user.id);
  t.true(session.id.length > 0);
  t.is(session.ttl, 1_209_600);
  t.true(Date.parse(session.until ?? '') > Date.parse(session.created));

  const requests = world.requests();
  t.is(requests.length, 1);
  const [login] = requests;
  t.like(login, { method: 'POST', path: '/api/v1/authenticate', query: {} });
  t.regex(login?.headers['content-type'] ?? '', /^application\/json/);
  t.is(login?.headers.authorization, undefined);
  t.is(login?.headers.token, undefined);
  t.deepEqual(JSON.parse(login?.body ?? ''), { email: user.email, password: user.password });
});

test('a live session is reused without another request', async (t) => {
  const world = await worldFor(t);
  const client = userClient(world);
  const first = await run(client.session());
  const second = await run(client.session());
  t.deepEqual(second, first);
  t.is(world.requests().length, 1);
});

test('userId() is the userId of the session', async (t) => {
  const world = await worldFor(t);
  t.deepEqual(await run(userClient(world).userId()), E.right(world.users.active.id));
});

test('a wrong password is AuthError bad_credentials (403) and is not retried', async (t) => {
  const world = await worldFor(t);
  const user = { ...world.users.active, password: `${world.users.active.password}-wrong` };
  const result = await run(userClient(world, user).session());
  t.like(result, { _tag: 'Left', left: { _tag: 'AuthError', reason: 'bad_credentials', status: 403 } });
  t.is(world.requests().length, 1);
});

test('an inactive account is AuthError inactive (401)', async (t) => {
  const world = await worldFor(t);
  const result = await run(userClient(world, world.users.inactive).session());
  t.like(result, { _tag: 'Left', left: { _tag: 'AuthError', reason: 'inactive', status: 401 } });
  t.is(world.requests().length, 1);
});

test('a locked account is AuthError locked (423)', async (t) => {
  const world = await worldFor(t);
  const result = await run(userClient(world, world.users.locked).session());
  t.like(result, { _tag: 'Left', left: { _tag: 'AuthError', reason: 'locked', status: 423 } });
  t.is(world.requests().length, 1);
});

test('200 concurrent calls with a wrong password share one refused login', async (t) => {
  const world = await worldFor(t);
  const client = userClient(world, { ...world.users.active, password: 'definitely-not-it' });
  const results = await Promise.all(Array.from({ length: 200 }, () => run(client.session())));
  t.true(results.every((r) => E.isLeft(r) && r.left._tag === 'AuthError' && r.left.reason === 'bad_credentials'));
  t.is(world.requests().length, 1);
});

test('login() logs in again even while the session is live', async (t) => {
  const world = await worldFor(t);
  const client = userClient(world);
  const first = await run(client.session());
  const second = await run(client.login());
  if (E.isLeft(first) || E.isLeft(second)) return t.fail('login failed');
  t.not(second.right.id, first.right.id);
  t.is(world.requests().filter((r) => r.path === '/api/v1/authenticate').length, 2);
  t.deepEqual(await run(client.session()), second, 'the new session replaced the old one');
  t.is(world.requests().length, 2);
});
