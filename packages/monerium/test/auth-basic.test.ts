import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { createMoneriumClient } from '../src/index.js';
import { basicClient, newClient, environmentOf, left, moneriumRequests, right, startMonerium } from './_sandbox.js';

test('every call carries Authorization: Basic base64(email:password)', async (t) => {
  const sandbox = await startMonerium(t);
  const user = sandbox.fixtures.monerium.users[0];
  if (user === undefined) return t.fail();
  const context = await right(t, basicClient(sandbox).authContext());
  t.is(context.userId, user.userId);
  t.is(context.auth.method, 'password');
  const [request] = moneriumRequests(sandbox);
  t.is(request?.method, 'GET');
  t.is(request?.path, '/auth/context');
  t.is(request?.headers.authorization, `Basic ${Buffer.from(`${user.email}:${user.password}`).toString('base64')}`);
  t.deepEqual(
    moneriumRequests(sandbox).filter((r) => r.path.startsWith('/auth/token')),
    [],
  );
});

test('a wrong password is AuthError bad_credentials and the password appears nowhere', async (t) => {
  const sandbox = await startMonerium(t);
  const user = sandbox.fixtures.monerium.users[0];
  if (user === undefined) return t.fail();
  const password = 'definitely-not-the-password';
  const client = newClient({ environment: environmentOf(sandbox), auth: { kind: 'basic', email: user.email, password } });
  const error = await left(t, client.profiles());
  t.like(error, { _tag: 'AuthError', reason: 'bad_credentials', status: 401 });
  const basic = Buffer.from(`${user.email}:${password}`).toString('base64');
  t.false(JSON.stringify(error).includes(password));
  t.false(JSON.stringify(error).includes(basic));
});

test('OAuth operations are InvalidInput for a Basic client', async (t) => {
  const sandbox = await startMonerium(t);
  const client = basicClient(sandbox);
  const url = client.authorizationUrl();
  t.true(E.isLeft(url) && url.left._tag === 'InvalidInput' && url.left.field === 'auth.kind');
  t.like(await left(t, client.refresh()), { _tag: 'InvalidInput', field: 'auth.kind' });
  t.like(await left(t, client.clientCredentials()), { _tag: 'InvalidInput', field: 'auth.kind' });
  t.deepEqual(moneriumRequests(sandbox), []);
});

test('settings that cannot work are refused by the factory with InvalidInput naming the setting, without a request', async (t) => {
  const sandbox = await startMonerium(t);
  const badUrl = createMoneriumClient({ environment: { baseUrl: 'not a url' }, auth: { kind: 'basic', email: 'a@b.c', password: 'x' } });
  t.like(badUrl, { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'environment.baseUrl' } });
  const empty = createMoneriumClient({ environment: environmentOf(sandbox), auth: { kind: 'basic', email: '', password: 'x' } });
  t.like(empty, { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'auth.email' } });
  t.deepEqual(moneriumRequests(sandbox), []);
});

test('the production and sandbox environments point at the documented hosts', (t) => {
  const auth = { kind: 'basic', email: 'a@b.c', password: 'x' } as const;
  const production = newClient({ environment: 'production', auth });
  const sandbox = newClient({ environment: 'sandbox', auth });
  t.deepEqual([production.baseUrl, production.wsUrl], ['https://api.monerium.app', 'wss://api.monerium.app']);
  t.deepEqual([sandbox.baseUrl, sandbox.wsUrl], ['https://api.monerium.dev', 'wss://api.monerium.dev']);
});
