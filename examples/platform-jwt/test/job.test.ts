import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { EXIT_FAILED, EXIT_KEY_CREATED, EXIT_OK } from '../src/cli.js';
import { SANDBOX_LANDING, SANDBOX_PLATFORM } from '../src/sandbox-env.js';
import { checkoutUrlOf, pemBody, runTarget, sandboxFor, targetFor, tempDir } from './_setup.js';

const loginPath = `/api/v1/authenticate-jwt/${SANDBOX_PLATFORM}`;

test('the first run generates a 0600 key, prints its public key, registers it and logs in', async (t) => {
  const sandbox = await sandboxFor(t);
  const dir = tempDir(t);
  const target = targetFor(t, sandbox, {}, dir);

  const result = await runTarget(target, dir);

  t.is(result.code, EXIT_OK, result.stderr);
  const keyPath = join(dir, 'platform-key.pem');
  t.is(statSync(keyPath).mode & 0o777, 0o600);
  const lines = result.stdout.split('\n');
  t.is(lines[0], `Generated a new platform key (RSA 2048, PKCS#8 PEM, mode 0600): ${keyPath}`);
  t.is(lines[1], `Public key to register with MoneyNS for platform "${SANDBOX_PLATFORM}":`);
  t.is(lines[2], '-----BEGIN PUBLIC KEY-----');
  const email = sandbox.fixtures.moneyns.users.active.email;
  t.true(result.stdout.includes(`\nLogged in to MoneyNS as ${email} through platform "${SANDBOX_PLATFORM}" (user ${sandbox.fixtures.moneyns.users.active.id})\n`));
  t.is(sandbox.admin.moneyns.loginCount(email), 1);
  t.deepEqual(
    sandbox.admin.requests().map((r) => `${r.method} ${r.path}`),
    [`POST ${loginPath}`],
  );
});

test('the second run reuses the key and logs in with it again', async (t) => {
  const sandbox = await sandboxFor(t);
  const dir = tempDir(t);
  const target = targetFor(t, sandbox, {}, dir);
  await runTarget(target, dir);
  const keyPath = join(dir, 'platform-key.pem');
  const pem = readFileSync(keyPath, 'utf8');

  const result = await runTarget(target, dir);

  t.is(result.code, EXIT_OK, result.stderr);
  t.true(result.stdout.startsWith(`Using the platform key at ${keyPath}\n`));
  t.false(result.stdout.includes('BEGIN PUBLIC KEY'));
  t.is(readFileSync(keyPath, 'utf8'), pem);
  t.is(sandbox.admin.moneyns.loginCount(sandbox.fixtures.moneyns.users.active.email), 2);
});

test('the printed checkout URL opens the sandbox checkout page with 200', async (t) => {
  const sandbox = await sandboxFor(t);
  const dir = tempDir(t);

  const result = await runTarget(targetFor(t, sandbox, {}, dir), dir);

  const url = checkoutUrlOf(result);
  t.is(`${url.origin}${url.pathname}`, `${sandbox.urls.moneyns}/checkout`);
  t.is(url.searchParams.get('platform'), SANDBOX_PLATFORM);
  t.is(url.searchParams.get('landing'), 'false', 'landing is the record’s boolean; the return address is in the token');
  const claims = JSON.parse(Buffer.from(url.searchParams.get('token')?.split('.')[1] ?? '', 'base64url').toString('utf8'));
  t.like(claims, { redirect_url: SANDBOX_LANDING, link: { id: sandbox.fixtures.moneyns.users.active.email }, payment: { symbol: 'ETH', amount: '10' } });
  t.is(url.searchParams.get('lang'), 'en');
  t.is(url.searchParams.get('display'), 'light');
  const page = await fetch(url);
  await page.arrayBuffer();
  t.is(page.status, 200);
  const forged = new URL(url);
  forged.searchParams.set('token', 'not-a-session');
  const refused = await fetch(forged);
  await refused.arrayBuffer();
  t.is(refused.status, 401, 'the page checks the token’s signature, so the 200 above means the platform key signed it');
});

test('a key registered for another platform is refused with AuthError bad_credentials, and the key is not printed', async (t) => {
  const sandbox = await sandboxFor(t);
  const dir = tempDir(t);
  const target = targetFor(t, sandbox, {}, dir);
  await runTarget(target, dir);
  const pem = readFileSync(join(dir, 'platform-key.pem'), 'utf8');
  const otherPlatform = sandbox.fixtures.moneyns.platform.name;

  const result = await runTarget({ settings: { ...target.settings, platform: otherPlatform } }, dir);

  t.is(result.code, EXIT_FAILED);
  t.regex(result.stderr, /^platform-jwt: AuthError bad_credentials \(403\): /);
  const output = result.stdout + result.stderr;
  t.false(pemBody(pem).some((line) => output.includes(line)));
  t.false(output.includes('PRIVATE KEY'));
  t.is(sandbox.admin.requests().at(-1)?.path, `/api/v1/authenticate-jwt/${otherPlatform}`);
});

test('without a way to register it, a new key ends the run with exit 3 before any request', async (t) => {
  const sandbox = await sandboxFor(t);
  const dir = tempDir(t);
  const { settings } = targetFor(t, sandbox, {}, dir);

  const result = await runTarget({ settings }, dir);

  t.is(result.code, EXIT_KEY_CREATED);
  t.true(result.stdout.endsWith('-----END PUBLIC KEY-----\nRegister it with MoneyNS, then run this job again.\n'));
  t.deepEqual(sandbox.admin.requests(), []);
});

test('a bad CHECKOUT_LANG is named before any login is made', async (t) => {
  const sandbox = await sandboxFor(t);
  const dir = tempDir(t);

  const result = await runTarget(targetFor(t, sandbox, { CHECKOUT_LANG: 'english' }, dir), dir);

  t.is(result.code, EXIT_FAILED);
  t.is(result.stderr, 'platform-jwt: CHECKOUT_LANG: must be one of ro, en, de\n');
  t.deepEqual(sandbox.admin.requests(), []);
});
