import test from 'ava';
import { left, requestsTo, right, signIn, startMoneyButton } from './_setup.js';

test('userIdentity sends GET /api/v1/auth/user_identity as JSON:API and decodes id and name', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb, accessToken } = await signIn(t, sandbox);
  const [alice] = sandbox.fixtures.moneybutton.users;
  t.deepEqual(await right(t, mb.userIdentity()), { id: alice.id, name: alice.name });
  const [request, ...others] = requestsTo(sandbox);
  t.is(others.length, 0);
  t.like(request, { method: 'GET', path: '/api/v1/auth/user_identity', query: {}, body: '' });
  t.is(request?.headers.authorization, `Bearer ${accessToken}`);
  t.is(request?.headers.accept, 'application/vnd.api+json');
  t.regex(request?.headers['user-agent'] ?? '', /^paygate\//);
});

test('userProfile decodes the kebab-case profile into camelCase', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const [alice, bob] = sandbox.fixtures.moneybutton.users;
  const { fields, ...profile } = await right(t, mb.userProfile(bob.id));
  t.deepEqual(profile, {
    id: bob.id,
    name: bob.name,
    createdAt: bob.createdAt,
    defaultCurrency: 'USD',
    defaultLanguage: 'en',
    avatarUrl: bob.avatarUrl,
    primaryPaymail: bob.primaryPaymail,
    bio: bob.bio,
  });
  t.is(fields['default-language'], 'en');
  t.like(requestsTo(sandbox)[0], { method: 'GET', path: `/api/v1/users/${bob.id}/profile` });
  t.like(await right(t, mb.userProfile(alice.id)), { primaryPaymail: 'alice@moneybutton.com' });
});

test('userBalance turns the USD number into a decimal string and keeps satoshis exact', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const [alice] = sandbox.fixtures.moneybutton.users;
  const balance = await right(t, mb.userBalance(alice.id));
  t.deepEqual(balance, {
    userId: alice.id,
    id: alice.balanceId,
    amount: String(alice.balance.amount),
    currency: 'USD',
    satoshis: alice.balance.satoshis,
  });
  t.regex(balance.amount, /^\d+(\.\d{1,2})?$/);
  t.like(requestsTo(sandbox)[0], { method: 'GET', path: `/api/v1/users/${alice.id}/balance` });
});

test('another user’s balance is AuthError forbidden carrying the provider’s text', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const [alice, bob] = sandbox.fixtures.moneybutton.users;
  const error = await left(t, mb.userBalance(bob.id));
  t.like(error, { _tag: 'AuthError', reason: 'forbidden', status: 403 });
  t.regex(error.message, new RegExp(`User ${alice.id} is forbidden: a balance can only be read by its owner`));
});

test('an unknown user is a ProviderError 404', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  t.like(await left(t, mb.userProfile('999999')), { _tag: 'ProviderError', status: 404, code: 'Not Found' });
});

test('a user id that would change the path is InvalidInput and sends nothing', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  for (const userId of ['../payments', '1040/balance', '', '10 40']) {
    t.like(await left(t, mb.userProfile(userId)), { _tag: 'InvalidInput', field: 'userId' });
    t.like(await left(t, mb.userBalance(userId)), { _tag: 'InvalidInput', field: 'userId' });
  }
  t.is(requestsTo(sandbox).length, 0);
});
