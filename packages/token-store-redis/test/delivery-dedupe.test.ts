import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { createRedisDeliveryDedupe, type RedisDeliveryDedupe } from '../src/index.js';
import { sharedRedis, startRedis } from './_redis.js';

const redis = sharedRedis();

const open = (t: { teardown: (f: () => Promise<void>) => void }, prefix: string): RedisDeliveryDedupe => {
  const dedupe = createRedisDeliveryDedupe({ redis: redis.url, keyPrefix: prefix });
  if (E.isLeft(dedupe)) throw new Error(dedupe.left.message);
  t.teardown(async () => void (await dedupe.right.close()()));
  return dedupe.right;
};

const value = async <A>(task: () => Promise<E.Either<unknown, A>>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
  return result.right;
};

test('of two instances claiming one delivery at once, exactly one wins', async (t) => {
  const a = open(t, 'race:');
  const b = open(t, 'race:');
  const results = await Promise.all([value(a.claim('msg_1')), value(b.claim('msg_1'))]);
  t.deepEqual(results.sort(), [false, true]);
  t.is(await redis.raw.get('race:msg_1'), '1');
});

test('a claim carries its TTL in Redis; release deletes it so the retry is processed', async (t) => {
  const dedupe = open(t, 'ttl:');
  t.true(await value(dedupe.claim('msg_1', 60_000)));
  const ttl = await redis.raw.pttl('ttl:msg_1');
  t.true(ttl > 0 && ttl <= 60_000);
  t.false(await value(dedupe.claim('msg_1')));
  await value(dedupe.release('msg_1'));
  t.is(await redis.raw.exists('ttl:msg_1'), 0);
  t.true(await value(dedupe.claim('msg_1')));
});

test('Redis down is a TransportError of kind store, not a silent "new delivery"', async (t) => {
  const server = await startRedis();
  const dedupe = createRedisDeliveryDedupe({ redis: server.url, connectTimeoutMs: 300, commandTimeoutMs: 300 });
  if (E.isLeft(dedupe)) return t.fail();
  await server.dispose();
  const result = await dedupe.right.claim('msg_1')();
  t.true(E.isLeft(result) && result.left._tag === 'TransportError' && result.left.kind === 'store');
  await dedupe.right.close()();
});

test('a bad TTL is refused before any command', (t) => {
  const dedupe = createRedisDeliveryDedupe({ redis: 'redis://127.0.0.1:1', ttlMs: 0 });
  t.true(E.isLeft(dedupe) && dedupe.left._tag === 'InvalidInput');
});
