import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { platformClient, run, userClient, worldFor } from './_setup.js';

test('a login slower than the timeout is a TransportError timeout after one attempt', async (t) => {
  const world = await worldFor(t);
  world.sandbox.admin.faults.set([{ provider: 'moneyns', route: 'POST /api/v1/authenticate', kind: 'latency', ms: 1_500 }]);
  const result = await run(userClient(world, world.users.active, { http: { timeoutMs: 300 } }).session());
  t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', kind: 'timeout', attempts: 1 } });
  t.is(world.requests().length, 1);
});

test('a 503 on login is a TransportError unavailable and is not retried', async (t) => {
  const world = await worldFor(t);
  world.sandbox.admin.faults.set([{ provider: 'moneyns', kind: 'status', status: 503 }]);
  const result = await run(platformClient(world).session());
  t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', kind: 'unavailable', status: 503, attempts: 1 } });
  t.is(world.requests().length, 1);
});

test('a 429 on login is a TransportError rate_limited and is not retried', async (t) => {
  const world = await worldFor(t);
  world.sandbox.admin.faults.set([{ provider: 'moneyns', kind: 'rate-limit', retryAfterSeconds: 1 }]);
  const result = await run(userClient(world).session());
  t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', kind: 'rate_limited', status: 429, attempts: 1 } });
  t.is(world.requests().length, 1);
});

test('a 500 on login is a retryable ProviderError and is not retried', async (t) => {
  const world = await worldFor(t);
  world.sandbox.admin.faults.set([{ provider: 'moneyns', kind: 'status', status: 500 }]);
  const result = await run(userClient(world).session());
  t.like(result, { _tag: 'Left', left: { _tag: 'ProviderError', status: 500, retryable: true } });
  t.is(world.requests().length, 1);
});

test('a connection reset during login is a TransportError reset', async (t) => {
  const world = await worldFor(t);
  world.sandbox.admin.faults.set([{ provider: 'moneyns', kind: 'reset' }]);
  const result = await run(userClient(world).session());
  t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', kind: 'reset', attempts: 1 } });
  t.is(world.requests().length, 1);
});

test('a login answer that is not JSON is a DecodeError', async (t) => {
  const world = await worldFor(t);
  world.sandbox.admin.faults.set([{ provider: 'moneyns', kind: 'malformed-json' }]);
  t.like(await run(userClient(world).session()), { _tag: 'Left', left: { _tag: 'DecodeError', provider: 'moneyns' } });
});

test('a login answer of the wrong shape is a DecodeError', async (t) => {
  const world = await worldFor(t);
  world.sandbox.admin.faults.set([{ provider: 'moneyns', kind: 'bad-shape' }]);
  const result = await run(userClient(world).session());
  t.like(result, { _tag: 'Left', left: { _tag: 'DecodeError', provider: 'moneyns' } });
});

test('after a failed login the next call logs in again and succeeds', async (t) => {
  const world = await worldFor(t);
  world.sandbox.admin.faults.set([{ provider: 'moneyns', kind: 'status', status: 503, times: 1 }]);
  const client = userClient(world);
  t.true(E.isLeft(await run(client.session())));
  t.true(E.isRight(await run(client.session())));
  t.is(world.requests().length, 2);
});

test('a provider clock far behind ours does not make a fresh session look expired', async (t) => {
  const world = await worldFor(t);
  world.sandbox.admin.faults.set([{ provider: 'moneyns', kind: 'clock-skew', ms: -15 * 24 * 3_600_000 }]);
  const client = userClient(world);
  const first = await run(client.session());
  if (E.isLeft(first)) return t.fail(first.left.message);
  t.true(Date.parse(first.right.until ?? '') < Date.now(), 'the provider dated the session to end in our past');
  t.deepEqual(await run(client.session()), first);
  t.is(world.requests().length, 1, 'its `until` is in our past, but the session is measured by its ttl on our clock');
});
