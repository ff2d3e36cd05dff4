import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import type { Page } from 'playwright-core';
import { SESSION_COOKIE } from '../src/app.js';
import { launchChromium } from './_chromium.js';
import { type Running, startApp } from './_setup.js';

const SCREENSHOT = fileURLToPath(new URL('../../../docs/images/web-login.png', import.meta.url));
const PAYMENTS_SHOWN = 10;

type Provider = 'monerium' | 'moneybutton';
const LABELS: Readonly<Record<Provider, string>> = { monerium: 'Monerium', moneybutton: 'Money Button' };

/** An app, a sandbox and a Chromium page, all closed when the test ends. */
const setUp = async (t: ExecutionContext) => {
  const running = await startApp();
  const browser = await launchChromium();
  t.teardown(async () => {
    await browser.close();
    await running.close();
  });
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  return { running, context: browser.context, page };
};

const first = <A>(items: ReadonlyArray<A>): A => {
  const item = items[0];
  if (item === undefined) throw new Error('the sandbox has no seeded user');
  return item;
};

/** Clicks "Sign in with …" on the app, then fills the sandbox's sign-in form and approves, as a user would. */
const signInThroughBrowser = async (page: Page, running: Running, provider: Provider): Promise<void> => {
  const user = first<{ email: string; password: string }>(running.sandbox.fixtures[provider].users);
  const providerOrigin = new URL(running.sandbox.urls[provider]).origin;
  await page.goto(`${running.url}/`);
  await page.getByRole('button', { name: `Sign in with ${LABELS[provider]}` }).click();
  await page.waitForURL((url) => url.origin === providerOrigin);
  await page.locator('input[name="email"]').fill(user.email);
  await page.locator('input[name="password"]').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Approve' }).click();
};

const tableRows = async (page: Page, table: string): Promise<string[][]> => {
  const rows = await page.locator(`#${table} tbody tr`).all();
  return Promise.all(rows.map(async (row) => (await row.locator('td').allTextContents()).map((cell) => cell.trim())));
};

const sorted = (rows: ReadonlyArray<ReadonlyArray<string>>): string[][] => rows.map((row) => [...row]).sort((a, b) => a.join('|').localeCompare(b.join('|')));

/** Id, amount (as a number: the page prints the shortest decimal) and currency of each shown payment. */
const paymentSummaries = (rows: ReadonlyArray<ReadonlyArray<string>>) => rows.map((cells) => [cells[1], Number(cells[5]), cells[6]]);

test('signing in with Monerium in Chromium shows the seeded balances and latest orders', async (t) => {
  const { running, context, page } = await setUp(t);
  await signInThroughBrowser(page, running, 'monerium');
  await page.waitForURL(`${running.url}/account`);

  const fixtures = running.sandbox.fixtures.monerium;
  const user = first(fixtures.users);
  const profiles = new Set(user.profiles.map((profile) => profile.id));
  const addresses = new Set<string>(fixtures.addresses.filter((a) => profiles.has(a.profile)).map((a) => a.address));
  const expectedBalances = fixtures.balances
    .filter((b) => addresses.has(b.address))
    .map((b) => [b.address, b.chain, b.network, b.amount, b.currency.toUpperCase()]);
  const expectedPayments = fixtures.orders
    .filter((order) => profiles.has(order.profile))
    .slice(0, PAYMENTS_SHOWN)
    .map((order) => [order.id, Number(order.amount), order.currency.toUpperCase()]);

  t.is(await page.locator('h1').textContent(), 'Signed in with Monerium');
  t.is(await page.locator('#user').textContent(), `${user.name} <${user.email}>`);
  t.true(expectedBalances.length > 0);
  t.deepEqual(sorted(await tableRows(page, 'balances')), sorted(expectedBalances));
  t.deepEqual(paymentSummaries(await tableRows(page, 'payments')), expectedPayments);

  const cookie = (await context.cookies(running.url)).find((c) => c.name === SESSION_COOKIE);
  t.is(cookie?.httpOnly, true);
  t.is(cookie?.sameSite, 'Lax');
  t.false(String(await page.evaluate('document.cookie')).includes(SESSION_COOKIE));

  await mkdir(dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
});

test('signing in with Money Button in Chromium shows the seeded balance and latest payments', async (t) => {
  const { running, page } = await setUp(t);
  await signInThroughBrowser(page, running, 'moneybutton');
  await page.waitForURL(`${running.url}/account`);

  const user = first(running.sandbox.fixtures.moneybutton.users);
  const involved = running.sandbox.fixtures.moneybutton.payments.filter(
    (p) => p.userId === user.id || p.outputs.some((output) => output.userId === user.id),
  );
  const newestFirst = [...involved].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || Number(b.id) - Number(a.id));
  const expectedPayments = newestFirst.slice(0, PAYMENTS_SHOWN).map((p) => [p.id, Number(p.amount), p.currency]);

  t.is(await page.locator('h1').textContent(), 'Signed in with Money Button');
  t.is(await page.locator('#user').textContent(), user.name);
  t.deepEqual(await tableRows(page, 'balances'), [[user.id, '', '', String(user.balance.amount), user.balance.currency]]);
  t.deepEqual(paymentSummaries(await tableRows(page, 'payments')), expectedPayments);
});

test('a callback whose state was edited in flight shows AuthError: state_mismatch', async (t) => {
  const { running, page } = await setUp(t);
  const providerOrigin = new URL(running.sandbox.urls.monerium).origin;
  let seenState: string | null = null;
  // Chromium follows redirects without asking the route handlers, so the provider's answer to
  // the consent form is fetched here and its redirect back to the app rewritten, as an attacker would.
  await page.route(
    (url) => url.origin === providerOrigin,
    async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      const location = response.headers().location;
      if (response.status() !== 302 || location === undefined) return route.fulfill({ response });
      const tampered = new URL(location);
      seenState = tampered.searchParams.get('state');
      tampered.searchParams.set('state', `${seenState}-tampered`);
      return route.fulfill({ response, headers: { ...response.headers(), location: tampered.href } });
    },
  );
  await signInThroughBrowser(page, running, 'monerium');

  t.is(await page.locator('#error').textContent(), 'AuthError: state_mismatch');
  t.truthy(seenState);
  t.false(running.sandbox.admin.requests().some((r) => r.path === '/auth/token'), 'no code was redeemed');
  await page.goto(`${running.url}/account`);
  t.is(page.url(), `${running.url}/`);
});

test('a forged cross-site callback in the middle of a sign-in is refused and does not cancel it', async (t) => {
  const { running, context, page } = await setUp(t);
  const user = first<{ email: string; password: string }>(running.sandbox.fixtures.monerium.users);
  const providerOrigin = new URL(running.sandbox.urls.monerium).origin;
  await page.goto(`${running.url}/`);
  await page.getByRole('button', { name: 'Sign in with Monerium' }).click();
  await page.waitForURL((url) => url.origin === providerOrigin);

  // Another tab, on another site, sends the browser to the app's callback with the attacker's
  // code and state: a top-level GET, so the Lax session cookie rides along.
  const attacker = await context.newPage();
  await attacker.goto(`${running.sandbox.urls.monerium}/`);
  await attacker.goto(`${running.url}/callback?code=attacker-code&state=attacker-state`);
  t.is(await attacker.locator('#error').textContent(), 'AuthError: state_mismatch');
  await attacker.close();

  // The user's own sign-in, still pending, completes.
  await page.locator('input[name="email"]').fill(user.email);
  await page.locator('input[name="password"]').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.waitForURL(`${running.url}/account`);
  t.is(await page.locator('h1').textContent(), 'Signed in with Monerium');
  t.is(running.sandbox.admin.requests().filter((r) => r.path === '/auth/token').length, 1, 'only the genuine code was redeemed');
});

test('signing out in Chromium clears the session and its cookie', async (t) => {
  const { running, context, page } = await setUp(t);
  await signInThroughBrowser(page, running, 'moneybutton');
  await page.waitForURL(`${running.url}/account`);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${running.url}/`);
  t.true(await page.getByRole('button', { name: 'Sign in with Money Button' }).isVisible());
  t.false((await context.cookies(running.url)).some((c) => c.name === SESSION_COOKIE));

  await page.goto(`${running.url}/account`);
  t.is(page.url(), `${running.url}/`);
});
