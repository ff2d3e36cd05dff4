import test from 'ava';
import { left, requestsTo, right, signIn, startMoneyButton } from './_setup.js';

test('walletBalances("active") sends GET /api/v2/me/wallets/active/balances and decodes every balance', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const [alice] = sandbox.fixtures.moneybutton.users;
  const active = sandbox.fixtures.moneybutton.wallets.find((w) => w.userId === alice.id && w.active);
  const wallet = await right(t, mb.walletBalances('active'));
  t.like(requestsTo(sandbox)[0], { method: 'GET', path: '/api/v2/me/wallets/active/balances', query: {} });
  t.deepEqual(
    { ...wallet, balances: wallet.balances.map(({ fields: _fields, ...balance }) => balance) },
    {
      walletId: active?.id ?? '',
      name: 'Main wallet',
      active: true,
      balances: [{ currency: 'USD', amount: String(alice.balance.amount), satoshis: alice.balance.satoshis }],
    },
  );
});

test('walletBalances by id reads an inactive wallet', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const [alice] = sandbox.fixtures.moneybutton.users;
  const savings = sandbox.fixtures.moneybutton.wallets.find((w) => w.userId === alice.id && !w.active);
  if (savings === undefined) return t.fail('alice has an inactive wallet');
  const wallet = await right(t, mb.walletBalances(savings.id));
  t.like(wallet, { walletId: savings.id, active: false, balances: [{ currency: 'USD', satoshis: savings.satoshis }] });
  t.like(requestsTo(sandbox)[0], { path: `/api/v2/me/wallets/${savings.id}/balances` });
});

test('another user’s wallet is a ProviderError 404 and a malformed wallet id sends nothing', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const [, bob] = sandbox.fixtures.moneybutton.users;
  const bobs = sandbox.fixtures.moneybutton.wallets.find((w) => w.userId === bob.id);
  t.like(await left(t, mb.walletBalances(bobs?.id ?? 'x')), { _tag: 'ProviderError', status: 404 });
  sandbox.admin.clearRequests();
  t.like(await left(t, mb.walletBalances('active/../../payments')), { _tag: 'InvalidInput', field: 'walletId' });
  t.is(requestsTo(sandbox).length, 0);
});
