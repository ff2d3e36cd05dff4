import test from 'ava';
import { basicClient, left, moneriumRequests, right, startMonerium } from './_sandbox.js';

test('authContext() is GET /auth/context decoded as documented', async (t) => {
  const sandbox = await startMonerium(t);
  const user = sandbox.fixtures.monerium.users[1];
  if (user === undefined) return t.fail();
  const context = await right(t, basicClient(sandbox, 1).authContext());
  t.like(context, { userId: user.userId, email: user.email, name: user.name, defaultProfile: user.defaultProfile });
  t.deepEqual(
    context.profiles.map((p) => [p.id, p.perms]),
    user.profiles.map((p) => [p.id, [...p.perms]]),
  );
  t.deepEqual(
    moneriumRequests(sandbox).map((r) => [r.method, r.path, r.query]),
    [['GET', '/auth/context', {}]],
  );
});

test('profiles() is GET /profiles and lists the profiles the caller may access', async (t) => {
  const sandbox = await startMonerium(t);
  const user = sandbox.fixtures.monerium.users[1];
  if (user === undefined) return t.fail();
  const profiles = await right(t, basicClient(sandbox, 1).profiles());
  t.deepEqual(
    profiles.map((p) => p.id),
    user.profiles.map((p) => p.id),
  );
  const acme = sandbox.fixtures.monerium.profiles.find((p) => p.id === user.defaultProfile);
  t.like(profiles[0], { id: acme?.id, name: acme?.name, kind: 'corporate' });
  t.deepEqual(
    moneriumRequests(sandbox).map((r) => [r.method, r.path]),
    [['GET', '/profiles']],
  );
});

test('profile(id) is GET /profiles/{id} with KYC and accounts decoded', async (t) => {
  const sandbox = await startMonerium(t);
  const user = sandbox.fixtures.monerium.users[1];
  const fixture = sandbox.fixtures.monerium.profiles.find((p) => p.id === user?.defaultProfile);
  if (fixture === undefined) return t.fail();
  const profile = await right(t, basicClient(sandbox, 1).profile(fixture.id));
  t.deepEqual(profile.kyc, fixture.kyc);
  t.is(profile.name, fixture.name);
  t.is(profile.accounts.length, fixture.accounts.length);
  const iban = profile.accounts.find((a) => a.standard === 'iban');
  const scan = profile.accounts.find((a) => a.standard === 'scan');
  t.truthy(iban?.iban);
  t.is(iban?.currency, 'eur');
  t.truthy(scan?.sortCode);
  t.truthy(scan?.accountNumber);
  t.is(scan?.currency, 'gbp');
  t.deepEqual(
    moneriumRequests(sandbox).map((r) => [r.method, r.path]),
    [['GET', `/profiles/${fixture.id}`]],
  );
});

test('a profile id that is empty, "." or "..", or needs escaping is refused unsent', async (t) => {
  const sandbox = await startMonerium(t);
  const client = basicClient(sandbox);
  for (const id of ['', '.', '..', '../orders', 'a b']) {
    t.like(await left(t, client.profile(id)), { _tag: 'InvalidInput', field: 'profileId' }, id);
  }
  t.deepEqual(moneriumRequests(sandbox), []);
});

test('balances() is GET /balances and balances(id) is GET /profiles/{id}/balances', async (t) => {
  const sandbox = await startMonerium(t);
  const user = sandbox.fixtures.monerium.users[0];
  if (user === undefined) return t.fail();
  const client = basicClient(sandbox);
  const all = await right(t, client.balances());
  const one = await right(t, client.balances(user.defaultProfile));
  t.deepEqual(all, one);
  const expected = sandbox.fixtures.monerium.balances.filter((b) =>
    sandbox.fixtures.monerium.addresses.some((a) => a.address === b.address && a.profile === user.defaultProfile),
  );
  const flat = all.flatMap((entry) => entry.balances.map((b) => ({ address: entry.address, chain: entry.chain, network: entry.network, currency: b.currency, amount: b.amount })));
  t.deepEqual(
    flat.sort((a, b) => `${a.address}${a.chain}${a.currency}`.localeCompare(`${b.address}${b.chain}${b.currency}`)),
    expected
      .map((b) => ({ address: b.address, chain: b.chain, network: b.network, currency: b.currency, amount: b.amount }))
      .sort((a, b) => `${a.address}${a.chain}${a.currency}`.localeCompare(`${b.address}${b.chain}${b.currency}`)),
  );
  t.deepEqual(
    moneriumRequests(sandbox).map((r) => [r.method, r.path]),
    [
      ['GET', '/balances'],
      ['GET', `/profiles/${user.defaultProfile}/balances`],
    ],
  );
});

test('tokens() is GET /tokens decoded as documented', async (t) => {
  const sandbox = await startMonerium(t);
  const tokens = await right(t, basicClient(sandbox).tokens());
  t.deepEqual(tokens, sandbox.fixtures.monerium.tokens);
  t.like(tokens[0], { currency: 'eur', ticker: 'EUR', symbol: 'EURe', decimals: 18 });
  t.deepEqual(
    moneriumRequests(sandbox).map((r) => [r.method, r.path]),
    [['GET', '/tokens']],
  );
});
