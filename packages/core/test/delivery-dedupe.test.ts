import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { createMemoryDeliveryDedupe } from '../src/delivery-dedupe.js';

const run = async <A>(task: () => Promise<E.Either<unknown, A>>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error('unexpected Left');
  return result.right;
};

test('a key is claimed once; a second claim of it is refused', async (t) => {
  const dedupe = createMemoryDeliveryDedupe();
  t.true(await run(dedupe.claim('msg_1')));
  t.false(await run(dedupe.claim('msg_1')));
  t.true(await run(dedupe.claim('msg_2')));
});

test('a released key can be claimed again (a failed handler lets the retry through)', async (t) => {
  const dedupe = createMemoryDeliveryDedupe();
  t.true(await run(dedupe.claim('msg_1')));
  await run(dedupe.release('msg_1'));
  t.true(await run(dedupe.claim('msg_1')));
});

test('a claim expires after its TTL', async (t) => {
  let now = 1_000;
  const dedupe = createMemoryDeliveryDedupe({ now: () => now, ttlMs: 100 });
  t.true(await run(dedupe.claim('msg_1')));
  now += 99;
  t.false(await run(dedupe.claim('msg_1')));
  now += 2;
  t.true(await run(dedupe.claim('msg_1')));
});

test('beyond its capacity the oldest claim is forgotten first', async (t) => {
  const dedupe = createMemoryDeliveryDedupe({ capacity: 2 });
  for (const key of ['a', 'b', 'c']) t.true(await run(dedupe.claim(key)));
  t.false(await run(dedupe.claim('c')));
  t.false(await run(dedupe.claim('b')));
  t.true(await run(dedupe.claim('a')));
});
