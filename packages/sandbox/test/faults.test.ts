import test from 'ava';
import { WebSocket } from 'ws';
import { type FaultRule, type Sandbox, startSandbox } from '../src/index.js';
import { basic, call, eventually, redeemPayload, startMonerium } from './_monerium.js';

const get = (sandbox: Sandbox, path: string): Promise<Response> =>
  fetch(`${sandbox.urls.monerium}${path}`, { headers: { authorization: basic(sandbox.fixtures.monerium.users[0]!) } });

test('a status fault answers that status with a JSON body and skips the provider', async (t) => {
  const sandbox = await startMonerium({ faults: [{ kind: 'status', status: 503 }] });
  t.teardown(() => sandbox.close());
  const answer = await get(sandbox, '/tokens');
  t.is(answer.status, 503);
  t.deepEqual(await answer.json(), { code: 503, status: 'Service Unavailable', message: 'sandbox fault' });
  sandbox.admin.faults.clear();
  t.is((await get(sandbox, '/tokens')).status, 200);
});

test('a rate-limit fault answers 429 with Retry-After', async (t) => {
  const sandbox = await startMonerium({ faults: [{ kind: 'rate-limit', retryAfterSeconds: 7 }] });
  t.teardown(() => sandbox.close());
  const answer = await get(sandbox, '/orders');
  t.is(answer.status, 429);
  t.is(answer.headers.get('retry-after'), '7');
  t.like(await answer.json(), { code: 429, status: 'Too Many Requests' });
});

test('a malformed-json fault answers 200 with a body that is not JSON', async (t) => {
  const sandbox = await startMonerium({ faults: [{ kind: 'malformed-json' }] });
  t.teardown(() => sandbox.close());
  const answer = await get(sandbox, '/orders');
  t.is(answer.status, 200);
  t.regex(answer.headers.get('content-type') ?? '', /^application\/json/);
  const text = await answer.text();
  t.throws(() => JSON.parse(text));
});

test('a bad-shape fault answers 200 with JSON of the wrong shape', async (t) => {
  const sandbox = await startMonerium({ faults: [{ kind: 'bad-shape' }] });
  t.teardown(() => sandbox.close());
  const answer = await get(sandbox, '/orders');
  t.is(answer.status, 200);
  const body = (await answer.json()) as unknown;
  t.false(Array.isArray(body));
  t.deepEqual(body, { unexpected: true });
});

test('a reset fault destroys the connection without an answer', async (t) => {
  const sandbox = await startMonerium({ faults: [{ kind: 'reset' }] });
  t.teardown(() => sandbox.close());
  const error = await t.throwsAsync(get(sandbox, '/orders'));
  t.regex(String((error as Error & { cause?: Error }).cause?.message ?? error?.message), /socket|closed|terminated|reset/i);
});

test('a latency fault delays the answer by at least its ms', async (t) => {
  const sandbox = await startMonerium({ faults: [{ kind: 'latency', ms: 150 }] });
  t.teardown(() => sandbox.close());
  const started = performance.now();
  const answer = await get(sandbox, '/tokens');
  t.is(answer.status, 200);
  t.true(performance.now() - started >= 145);
  const outcome = await fetch(`${sandbox.urls.monerium}/tokens`, { signal: AbortSignal.timeout(30) }).then(
    () => 'answered',
    (error: { name: string }) => error.name,
  );
  t.is(outcome, 'TimeoutError');
});

test('closing the sandbox does not wait for injected latency', async (t) => {
  const sandbox = await startMonerium({ faults: [{ kind: 'latency', ms: 10 * 60_000 }] });
  const pending = get(sandbox, '/tokens').then(
    (r) => r.status,
    () => 'failed',
  );
  t.true(await eventually(() => sandbox.admin.requests().length === 1), 'the request is held by the fault');
  const bound = new Promise<'stuck'>((resolve) => setTimeout(resolve, 5_000, 'stuck').unref());
  t.not(await Promise.race([sandbox.close().then(() => 'closed'), bound]), 'stuck');
  t.not(await Promise.race([pending, bound]), 'stuck', 'the held request was settled');
});

test('route and provider narrow a rule to matching requests', async (t) => {
  const sandbox = await startSandbox({
    providers: ['monerium', 'moneyns'],
    faults: [
      { provider: 'monerium', route: 'GET /orders/*', kind: 'status', status: 502 },
      { provider: 'moneyns', kind: 'status', status: 504 },
      { route: '/tokens', kind: 'status', status: 500 },
    ],
  });
  t.teardown(() => sandbox.close());
  t.is((await get(sandbox, '/orders/abc')).status, 502);
  t.not((await get(sandbox, '/orders')).status, 502);
  t.is((await get(sandbox, '/tokens')).status, 500);
  t.is((await get(sandbox, '/balances')).status, 200);
  t.is((await fetch(`${sandbox.urls.moneyns}/api/v1/authenticate`, { method: 'POST' })).status, 504);
  const post = await fetch(`${sandbox.urls.monerium}/orders/abc`, { method: 'POST' });
  t.not(post.status, 502, 'the method is part of the route');
});

test('times limits a rule to the first N matching requests', async (t) => {
  const sandbox = await startMonerium({ faults: [{ route: '/tokens', kind: 'status', status: 503, times: 2 }] });
  t.teardown(() => sandbox.close());
  t.is((await get(sandbox, '/orders')).status, 200, 'not matching, not counted');
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await get(sandbox, '/tokens')).status);
  t.deepEqual(statuses, [503, 503, 200, 200]);
  t.deepEqual(sandbox.admin.faults.list(), [{ route: '/tokens', kind: 'status', status: 503, times: 2 }]);
});

const draws = async (seed: number, rules: ReadonlyArray<FaultRule>, n: number): Promise<number[]> => {
  const sandbox = await startMonerium({ seed, faults: rules });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) statuses.push((await get(sandbox, '/tokens')).status);
    return statuses;
  } finally {
    await sandbox.close();
  }
};

test('rate draws from the seeded RNG: the same seed gives the same sequence', async (t) => {
  const rules: FaultRule[] = [{ kind: 'status', status: 500, rate: 0.5 }];
  const [first, again, other] = await Promise.all([draws(7, rules, 24), draws(7, rules, 24), draws(8, rules, 24)]);
  t.deepEqual(first, again);
  t.notDeepEqual(first, other);
  t.true(first.includes(500) && first.includes(200));
  const never = await draws(7, [{ kind: 'status', status: 500, rate: 0 }], 5);
  t.deepEqual(never, [200, 200, 200, 200, 200]);
});

test('rate and times combine: times counts the requests the rule matched', async (t) => {
  const statuses = await draws(3, [{ kind: 'status', status: 503, rate: 0.5, times: 6 }], 12);
  t.true(statuses.slice(6).every((s) => s === 200));
  t.deepEqual(statuses, await draws(3, [{ kind: 'status', status: 503, rate: 0.5, times: 6 }], 12));
});

test('invalid rules are refused when set', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  t.throws(() => sandbox.admin.faults.set([{ kind: 'status', status: 418 as 500 }]), { instanceOf: RangeError });
  t.throws(() => sandbox.admin.faults.set([{ kind: 'latency', ms: 10, rate: 2 }]), { instanceOf: RangeError });
  t.throws(() => sandbox.admin.faults.set([{ kind: 'reset', route: 'orders' }]), { instanceOf: TypeError });
  t.throws(() => sandbox.admin.faults.set([{ kind: 'explode' } as unknown as FaultRule]), { instanceOf: TypeError });
  t.deepEqual(sandbox.admin.faults.list(), []);
});

test('ws-drop terminates the order websocket after N messages', async (t) => {
  const sandbox = await startMonerium({ faults: [{ kind: 'ws-drop', afterMessages: 2 }] });
  t.teardown(() => sandbox.close());
  const alice = sandbox.fixtures.monerium.users[0]!;
  const socket = new WebSocket(`${sandbox.urls.monerium.replace(/^http/, 'ws')}/orders`, { headers: { authorization: basic(alice) } });
  const messages: unknown[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  await new Promise((resolve) => socket.once('open', resolve));
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  const address = sandbox.fixtures.monerium.addresses.find((a) => a.profile === alice.defaultProfile)!;
  sandbox.admin.monerium.placeIssueOrder({ profile: alice.defaultProfile, address: address.address, amount: '1', currency: 'eur' });
  t.is(await closed, 1006);
  t.is(messages.length, 2);
});

test('faults apply to websocket upgrades', async (t) => {
  const sandbox = await startMonerium({ faults: [{ route: 'GET /orders', kind: 'status', status: 503 }] });
  t.teardown(() => sandbox.close());
  const socket = new WebSocket(`${sandbox.urls.monerium.replace(/^http/, 'ws')}/orders`, { headers: { authorization: basic(sandbox.fixtures.monerium.users[0]!) } });
  socket.on('error', () => undefined);
  const status = await new Promise<number>((resolve) => socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
  t.is(status, 503);
});

test('clock-skew moves the provider clock that checks redeem timestamps', async (t) => {
  const sandbox = await startMonerium({ faults: [{ provider: 'monerium', kind: 'clock-skew', ms: 10 * 60_000 }] });
  t.teardown(() => sandbox.close());
  const alice = sandbox.fixtures.monerium.users[0]!;
  const address = sandbox.fixtures.monerium.addresses.find((a) => a.profile === alice.defaultProfile)!;
  const place = async (at: number) =>
    call(sandbox, '/orders', { method: 'POST', auth: basic(alice), body: JSON.stringify(await redeemPayload(sandbox, { address, at })) });
  const honest = await place(sandbox.admin.clock.now());
  t.like(honest.body, { errors: { message: 'The timestamp is more than 5 minutes from the current time' } });
  const skewed = await place(sandbox.admin.clock.now() + 10 * 60_000);
  t.is(skewed.status, 201);
  const placedAt = Date.parse((skewed.body as { meta: { placedAt: string } }).meta.placedAt);
  t.true(Math.abs(placedAt - (sandbox.admin.clock.now() + 10 * 60_000)) < 60_000, 'the order is stamped with the skewed clock');
});

test('a clock-skew limited to a route leaves other requests on time', async (t) => {
  const sandbox = await startMonerium({ faults: [{ route: 'POST /profiles/*/orders', kind: 'clock-skew', ms: -10 * 60_000 }] });
  t.teardown(() => sandbox.close());
  const alice = sandbox.fixtures.monerium.users[0]!;
  const address = sandbox.fixtures.monerium.addresses.find((a) => a.profile === alice.defaultProfile)!;
  const body = async () => JSON.stringify(await redeemPayload(sandbox, { address }));
  const plain = await call(sandbox, '/orders', { method: 'POST', auth: basic(alice), body: await body() });
  t.is(plain.status, 201);
  const skewed = await call(sandbox, `/profiles/${alice.defaultProfile}/orders`, { method: 'POST', auth: basic(alice), body: await body() });
  t.is(skewed.status, 400);
});
