import test from 'ava';
import { createMoneyButtonEmulator, MONEY_BUTTON_SCOPES } from '../src/moneybutton/index.js';
import { HARNESS_START_MS, manualClock, seededRandom } from './_provider-harness.js';

const fixturesFor = (seed: number) =>
  createMoneyButtonEmulator({ clock: manualClock(), random: seededRandom(seed), baseUrl: () => 'http://127.0.0.1:1/moneybutton' }, {})
    .fixtures;

test('fixtures and secrets are the same for the same seed and differ for another seed', (t) => {
  const first = fixturesFor(7);
  t.deepEqual(fixturesFor(7), first);
  const other = fixturesFor(8);
  t.not(other.app.clientSecret, first.app.clientSecret);
  t.not(other.users[0].password, first.users[0].password);
});

test('each user has at least 25 payments, one active wallet and a balance matching it', (t) => {
  const fixtures = fixturesFor(1);
  for (const user of fixtures.users) {
    const payments = fixtures.payments.filter(
      (payment) => payment.userId === user.id || payment.outputs.some((output) => output.userId === user.id),
    );
    t.true(payments.length >= 25, user.email);
    const active = fixtures.wallets.filter((wallet) => wallet.userId === user.id && wallet.active);
    t.is(active.length, 1);
    t.is(active[0]?.satoshis, user.balance.satoshis);
    t.is(user.balance.amount, Math.round(Number(user.balance.satoshis) / 20_000) / 100);
  }
});

test('fixture payments cover every status, are in the past and their outputs sum to the payment', (t) => {
  const fixtures = fixturesFor(1);
  const statuses = new Set(fixtures.payments.map((payment) => payment.status));
  t.deepEqual([...statuses].sort(), ['COMPLETED', 'DOUBLE_SPENT', 'FAILED', 'PENDING', 'RECEIVED']);
  t.true(fixtures.payments.some((payment) => payment.status === 'DOUBLE_SPENT'));
  for (const payment of fixtures.payments) {
    const sum = payment.outputs.reduce((total, output) => total + BigInt(output.satoshis), 0n);
    t.is(sum.toString(), payment.satoshis, payment.id);
    t.true(Date.parse(payment.createdAt) < HARNESS_START_MS);
  }
});

test('the apps register loopback redirect URIs and the documented example ones, and all scopes are listed', (t) => {
  const fixtures = fixturesFor(1);
  t.true(fixtures.app.redirectUris.includes('http://127.0.0.1/callback'));
  t.true(fixtures.app.redirectUris.includes('http://localhost:5007/oauth-response-web'));
  t.regex(fixtures.app.clientId, /^[0-9a-f]{32}$/);
  t.deepEqual(fixtures.scopes, MONEY_BUTTON_SCOPES);
  t.not(fixtures.otherApp.clientId, fixtures.app.clientId);
});
