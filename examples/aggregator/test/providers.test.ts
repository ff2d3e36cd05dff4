import test, { type ExecutionContext } from 'ava';
import { environmentOf, run, sandboxConfigUsing, sandboxFor } from './_setup.js';

/** The lines between `payments:` and the count line, split into their columns. */
const paymentRows = (stdout: string): string[][] => {
  const lines = stdout.split('\n');
  const start = lines.indexOf('payments:');
  return lines
    .slice(start + 1)
    .filter((line) => line.startsWith('  ') && !/^\s+\d+ shown/.test(line))
    .map((line) => line.trim().split(/\s{2,}/));
};

const balanceRows = (stdout: string): string[][] => {
  const lines = stdout.split('\n');
  return lines
    .slice(lines.indexOf('balances:') + 1, lines.indexOf('payments:'))
    .map((line) => line.trim().split(/\s{2,}/));
};

/** Runs the CLI with `use` switched to `provider` against a fresh sandbox; only the CLI's own requests stay recorded. */
const runAgainstSandbox = async (t: ExecutionContext, provider: string) => {
  const sandbox = await sandboxFor(t);
  const env = await environmentOf(t, sandbox);
  sandbox.admin.clearRequests();
  const result = await run([sandboxConfigUsing(t, provider)], env);
  return { sandbox, result };
};

test('monerium: the partner profile balances and the first ten orders, newest first', async (t) => {
  const { sandbox, result } = await runAgainstSandbox(t, 'monerium');

  t.is(result.code, 0, result.stderr);
  t.is(result.stderr, '');
  const { balances, addresses, clients, orders } = sandbox.fixtures.monerium;
  const partnerAddresses = new Set<string>(addresses.filter((a) => a.profile === clients.confidential.profile).map((a) => a.address));
  const expectedBalances = balances
    .filter((b) => partnerAddresses.has(b.address))
    .map((b) => [b.currency.toUpperCase(), b.amount, b.address, `${b.chain}/${b.network}`]);
  t.true(result.stdout.startsWith('provider:     monerium\ncapabilities: balances, payments, pay, watch\nbalances:\n'));
  t.deepEqual(balanceRows(result.stdout), expectedBalances);

  const rows = paymentRows(result.stdout);
  t.is(rows.length, 10);
  const ids = rows.map((row) => row[1]);
  const seeded = orders.map((order) => order.id).filter((id) => ids.includes(id));
  t.deepEqual(ids, seeded, 'every listed order is a seeded one, in the seeded (newest first) order');
  t.regex(result.stdout, /\n {2}10 shown; more on the next page\n$/);

  const requests = sandbox.admin.requests().map((r) => `${r.method} ${r.path}`);
  t.deepEqual(requests, ['POST /auth/token', 'GET /balances', 'GET /orders']);
  t.is(sandbox.admin.requests()[2]?.query.limit, '10');
});

test("moneybutton: the signed-in user's balance and the first ten payments", async (t) => {
  const { sandbox, result } = await runAgainstSandbox(t, 'moneybutton');

  t.is(result.code, 0, result.stderr);
  const user = sandbox.fixtures.moneybutton.users[0];
  t.true(result.stdout.startsWith('provider:     moneybutton\ncapabilities: balances, payments\nbalances:\n'));
  t.deepEqual(balanceRows(result.stdout), [['USD', String(user.balance.amount), user.id]]);

  const rows = paymentRows(result.stdout);
  t.is(rows.length, 10);
  const seededIds = new Set(sandbox.fixtures.moneybutton.payments.map((p) => p.id));
  t.true(rows.every((row) => seededIds.has(row[1] ?? '')));
  const dates = rows.map((row) => row[0] ?? '');
  t.deepEqual(dates, [...dates].sort().reverse(), 'newest first');

  const requests = sandbox.admin.requests().map((r) => `${r.method} ${r.path}`);
  t.deepEqual(requests, [
    'POST /oauth/v1/token',
    'GET /api/v1/auth/user_identity',
    `GET /api/v1/users/${user.id}/balance`,
    'GET /api/v2/me/payments',
  ]);
});

test('moneyns: balances and payments are Unsupported and nothing is sent', async (t) => {
  const { sandbox, result } = await runAgainstSandbox(t, 'moneyns');

  t.is(result.code, 0, result.stderr);
  t.is(
    result.stdout,
    [
      'provider:     moneyns',
      'capabilities: checkout',
      'balances: Unsupported (no "balances" capability)',
      'payments: Unsupported (no "payments" capability)',
      '',
    ].join('\n'),
  );
  t.deepEqual(sandbox.admin.requests(), []);
});

test('a declared capability the provider fails is reported with its error and the exit code is 1', async (t) => {
  const sandbox = await sandboxFor(t);
  const env = await environmentOf(t, sandbox);
  sandbox.admin.faults.set([{ provider: 'monerium', route: 'GET /balances', kind: 'status', status: 500 }]);

  const result = await run([sandboxConfigUsing(t, 'monerium')], env);

  t.is(result.code, 1);
  t.regex(result.stdout, /\nbalances: failed: ProviderError monerium 500\b/);
  t.is(paymentRows(result.stdout).length, 10, 'the payments are still reported');
});

test('--sandbox starts a sandbox of its own and reads gateway.sandbox.json', async (t) => {
  const result = await run(['--sandbox'], {});

  t.is(result.code, 0, result.stderr);
  t.regex(result.stderr, /^sandbox: http:\/\/127\.0\.0\.1:\d+ \(started for this run\)\n$/);
  t.true(result.stdout.startsWith('provider:     monerium\n'));
  t.is(paymentRows(result.stdout).length, 10);
});
