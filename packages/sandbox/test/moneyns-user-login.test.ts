import test from 'ava';
import { type MoneyNsEmulator as Emulator, startMoneyNs as start } from './_moneyns.js';

async function login(ns: Emulator, body: string, contentType = 'application/json') {
  const response = await fetch(`${ns.url}/api/v1/authenticate`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

const credentials = (email: string, password: string): string => JSON.stringify({ email, password });

test('a user login answers the documented {data:{id,userId,ttl,until,created}}', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const { active } = ns.fixtures.users;
  const response = await login(ns, credentials(active.email, active.password));
  t.is(response.status, 200);
  t.regex(response.headers.get('content-type') ?? '', /^application\/json/);
  const data = response.body.data as Record<string, unknown>;
  t.deepEqual(Object.keys(response.body), ['data']);
  t.deepEqual(Object.keys(data).sort(), ['created', 'id', 'ttl', 'until', 'userId']);
  t.regex(data.id as string, /^\d+\|[A-Za-z0-9]{40}$/);
  t.is(data.userId, active.id);
  t.is(data.ttl, 1209600);
  t.regex(data.created as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  t.regex(data.until as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  t.is((data.created as string).slice(0, 23), new Date(ns.clock.now()).toISOString().slice(0, 23));
  t.is(Date.parse(data.until as string) - Date.parse(data.created as string), 1209600 * 1000);
});

test('sessionTtlSeconds sets ttl and until', async (t) => {
  const ns = await start(60);
  t.teardown(() => ns.close());
  const { active } = ns.fixtures.users;
  const data = (await login(ns, credentials(active.email, active.password))).body.data as Record<string, unknown>;
  t.is(data.ttl, 60);
  t.is(Date.parse(data.until as string) - Date.parse(data.created as string), 60_000);
});

test('every login gets a new token', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const { active } = ns.fixtures.users;
  const first = (await login(ns, credentials(active.email, active.password))).body.data as { id: string };
  const second = (await login(ns, credentials(active.email, active.password))).body.data as { id: string };
  t.not(first.id, second.id);
  t.is(ns.admin.loginCount(active.email), 2);
});

test('a wrong password or an unknown email is 403 with a flat error', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const { active } = ns.fixtures.users;
  for (const body of [credentials(active.email, 'wrong'), credentials('nobody@email.com', active.password)]) {
    const response = await login(ns, body);
    t.is(response.status, 403);
    t.deepEqual(response.body, { error: 'The provided credentials are incorrect.' });
  }
  t.is(ns.admin.loginCount(active.email), 0);
});

test('an inactive account is 401 and a locked account is 423', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const { inactive, locked } = ns.fixtures.users;
  const inactiveResponse = await login(ns, credentials(inactive.email, inactive.password));
  t.is(inactiveResponse.status, 401);
  t.deepEqual(inactiveResponse.body, { error: 'The account is inactive.' });
  const lockedResponse = await login(ns, credentials(locked.email, locked.password));
  t.is(lockedResponse.status, 423);
  t.deepEqual(lockedResponse.body, { error: 'The account is locked.' });
});

test('setUserState changes what a login answers', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const { active, locked } = ns.fixtures.users;
  ns.admin.setUserState(active.email, 'locked');
  t.is((await login(ns, credentials(active.email, active.password))).status, 423);
  ns.admin.setUserState(active.email, 'inactive');
  t.is((await login(ns, credentials(active.email, active.password))).status, 401);
  ns.admin.setUserState(locked.email, 'active');
  t.is((await login(ns, credentials(locked.email, locked.password))).status, 200);
  t.throws(() => ns.admin.setUserState('nobody@email.com', 'active'), { instanceOf: TypeError });
});

test('a malformed body is 400 with a flat error', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['{"email":', 'application/json'],
    ['', 'application/json'],
    ['[]', 'application/json'],
    ['{"email":"john@email.com"}', 'application/json'],
    ['{"email":"john@email.com","password":12345}', 'application/json'],
    ['email=john%40email.com&password=x', 'application/x-www-form-urlencoded'],
  ];
  for (const [body, contentType] of cases) {
    const response = await login(ns, body, contentType);
    t.is(response.status, 400, body);
    t.deepEqual(Object.keys(response.body), ['error'], body);
    t.is(typeof response.body.error, 'string');
  }
});

test('errors never echo the password that was sent', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const response = await fetch(`${ns.url}/api/v1/authenticate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ns.fixtures.users.active.email, password: 'hunter2-secret' }),
  });
  t.false((await response.text()).includes('hunter2-secret'));
});

test('an unknown route is a flat 404', async (t) => {
  const ns = await start();
  t.teardown(() => ns.close());
  const response = await fetch(`${ns.url}/api/v1/me`);
  t.is(response.status, 404);
  t.deepEqual(await response.json(), { error: 'Not found' });
});
