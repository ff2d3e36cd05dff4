import { createHmac, generateKeyPairSync } from 'node:crypto';
import test from 'ava';
import jwt from 'jsonwebtoken';
import { createMoneyNsEmulator } from '../src/moneyns/index.js';
import { type MoneyNsEmulator as Emulator, startMoneyNs as start } from './_moneyns.js';
import { startProvider, testPlatformKeyPair } from './_provider-harness.js';

const nowSeconds = (ns: Emulator): number => Math.floor(ns.clock.now() / 1000);

function platformToken(ns: Emulator, claims: Record<string, unknown>, privateKeyPem = ns.fixtures.platform.privateKeyPem): string {
  return jwt.sign(claims, privateKeyPem, { algorithm: 'RS512', noTimestamp: true });
}

function unsignedToken(header: Record<string, unknown>, claims: Record<string, unknown>, sign: (input: string) => string): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part(header)}.${part(claims)}`;
  return `${input}.${sign(input)}`;
}

async function jwtLogin(ns: Emulator, token: string | undefined, platform = ns.fixtures.platform.name) {
  const response = await fetch(`${ns.url}/api/v1/authenticate-jwt/${platform}`, {
    method: 'POST',
    headers: token === undefined ? {} : { token },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test('a platform JWT signed RS512 with {email, expire} answers the documented session', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const { active } = ns.fixtures.users;
  const response = await jwtLogin(ns, platformToken(ns, { email: active.email, expire: nowSeconds(ns) + 300 }));
  t.is(response.status, 200);
  const data = response.body.data as Record<string, unknown>;
  t.deepEqual(Object.keys(data).sort(), ['created', 'id', 'ttl', 'until', 'userId']);
  t.regex(data.id as string, /^\d+\|[A-Za-z0-9]{40}$/);
  t.is(data.userId, active.id);
  t.is(data.ttl, 1209600);
  t.is(ns.admin.loginCount(active.email), 1);
});

test('a platform JWT may name the user by id instead of email', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const { active } = ns.fixtures.users;
  const response = await jwtLogin(ns, platformToken(ns, { id: active.id, expire: nowSeconds(ns) + 300 }));
  t.is(response.status, 200);
  t.is((response.body.data as Record<string, unknown>).userId, active.id);
});

test('expire is checked against the sandbox clock, in Unix seconds', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const { active } = ns.fixtures.users;
  const token = platformToken(ns, { email: active.email, expire: nowSeconds(ns) + 60 });
  t.is((await jwtLogin(ns, token)).status, 200);
  ns.clock.advance(60_000);
  t.is((await jwtLogin(ns, token)).status, 200, 'expire equal to now is still valid (after_or_equal:now)');
  ns.clock.advance(1_000);
  const expired = await jwtLogin(ns, token);
  t.is(expired.status, 403);
  t.deepEqual(expired.body, { error: 'The provided credentials are incorrect.' });
});

test('expire is checked on the clock of the request, which a clock-skew fault may move', async (t) => {
  const ns = await startProvider('/moneyns', (ctx) => createMoneyNsEmulator(ctx, { platformKeyPair: testPlatformKeyPair() }), {
    requestSkewMs: (request) => (request.url.includes('/authenticate-jwt/') ? 120_000 : 0),
  });
  t.teardown(() => ns.close());
  const token = platformToken(ns, { email: ns.fixtures.users.active.email, expire: nowSeconds(ns) + 60 });
  t.deepEqual((await jwtLogin(ns, token)).body, { error: 'The provided credentials are incorrect.' });
});

test('a JWT without expire is refused even when it carries a standard exp', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const { active } = ns.fixtures.users;
  const response = await jwtLogin(ns, platformToken(ns, { email: active.email, exp: nowSeconds(ns) + 300 }));
  t.is(response.status, 403);
  t.deepEqual(response.body, { error: 'The provided credentials are incorrect.' });
});

test('a JWT signed by another key is refused with 403', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const { active } = ns.fixtures.users;
  const claims = { email: active.email, expire: nowSeconds(ns) + 300 };
  const response = await jwtLogin(ns, platformToken(ns, claims, ns.fixtures.otherKeyPair.privateKeyPem));
  t.is(response.status, 403);
  t.deepEqual(Object.keys(response.body), ['error']);
  t.is(ns.admin.loginCount(active.email), 0);
});

test('HS256 signed with the public key and alg none are refused with 403', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const claims = { email: ns.fixtures.users.active.email, expire: nowSeconds(ns) + 300 };
  const hs256 = unsignedToken({ alg: 'HS256', typ: 'JWT' }, claims, (input) =>
    createHmac('sha256', ns.fixtures.platform.publicKeyPem).update(input).digest('base64url'),
  );
  const none = unsignedToken({ alg: 'none', typ: 'JWT' }, claims, () => '');
  const rs256 = jwt.sign(claims, ns.fixtures.platform.privateKeyPem, { algorithm: 'RS256', noTimestamp: true });
  for (const token of [hs256, none, rs256]) {
    const response = await jwtLogin(ns, token);
    t.is(response.status, 403);
    t.deepEqual(response.body, { error: 'The provided credentials are incorrect.' });
  }
});

test('a token that is not a JWT is refused with 403 and a missing Token header with 400', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  t.is((await jwtLogin(ns, 'not-a-jwt')).status, 403);
  const missing = await jwtLogin(ns, undefined);
  t.is(missing.status, 400);
  t.deepEqual(missing.body, { error: 'The Token header is required' });
});

test('an unknown platform is 404 with a flat error', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const token = platformToken(ns, { email: ns.fixtures.users.active.email, expire: nowSeconds(ns) + 300 });
  const response = await jwtLogin(ns, token, 'no-such-platform');
  t.is(response.status, 404);
  t.deepEqual(response.body, { error: 'Platform not found' });
});

test('an unknown subject or a user of no such platform is refused with 403', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const expire = nowSeconds(ns) + 300;
  for (const claims of [
    { email: 'stranger@email.com', expire },
    { id: '00000000-0000-4000-8000-000000000000', expire },
    { email: ns.fixtures.users.unlinked.email, expire },
    { expire },
  ]) {
    const response = await jwtLogin(ns, platformToken(ns, claims));
    t.is(response.status, 403, JSON.stringify(claims));
  }
});

test('platform logins of inactive and locked accounts answer 401 and 423', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const { inactive, locked } = ns.fixtures.users;
  const expire = nowSeconds(ns) + 300;
  const inactiveResponse = await jwtLogin(ns, platformToken(ns, { email: inactive.email, expire }));
  t.is(inactiveResponse.status, 401);
  t.deepEqual(inactiveResponse.body, { error: 'The account is inactive.' });
  const lockedResponse = await jwtLogin(ns, platformToken(ns, { email: locked.email, expire }));
  t.is(lockedResponse.status, 423);
  t.deepEqual(lockedResponse.body, { error: 'The account is locked.' });
});

test('the JWT login ignores a body, even an empty JSON one', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const token = platformToken(ns, { email: ns.fixtures.users.active.email, expire: nowSeconds(ns) + 300 });
  const response = await fetch(`${ns.url}/api/v1/authenticate-jwt/${ns.fixtures.platform.name}`, {
    method: 'POST',
    headers: { token, 'content-type': 'application/json' },
    body: '',
  });
  t.is(response.status, 200);
});

test('registerPlatform adds a platform whose key and users are then accepted', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const { active, unlinked } = ns.fixtures.users;
  const { publicKeyPem, privateKeyPem } = ns.fixtures.otherKeyPair;
  ns.admin.registerPlatform('partner', publicKeyPem, { userEmails: [unlinked.email] });
  const expire = nowSeconds(ns) + 300;
  t.is((await jwtLogin(ns, platformToken(ns, { email: unlinked.email, expire }, privateKeyPem), 'partner')).status, 200);
  t.is((await jwtLogin(ns, platformToken(ns, { email: active.email, expire }, privateKeyPem), 'partner')).status, 403);
  t.is((await jwtLogin(ns, platformToken(ns, { email: unlinked.email, expire }), 'partner')).status, 403);
});

test('registerPlatform refuses a malformed PEM and an RSA key shorter than 2048 bits', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  t.throws(() => ns.admin.registerPlatform('bad', 'not a pem'), { instanceOf: TypeError });
  const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' });
  t.throws(() => ns.admin.registerPlatform('small', small.toString()), { instanceOf: TypeError, message: /2048/ });
});
