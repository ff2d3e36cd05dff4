import test from 'ava';
import { createDeliveryDedupe } from '../src/delivery-dedupe.js';

test('a key is claimed once until it is released', (t) => {
  const dedupe = createDeliveryDedupe(10);
  t.true(dedupe.claim('10061:COMPLETED'));
  t.false(dedupe.claim('10061:COMPLETED'));
  t.true(dedupe.claim('10061:RECEIVED'), 'another status of the same payment is a new event');
  dedupe.release('10061:COMPLETED');
  t.true(dedupe.claim('10061:COMPLETED'));
});

test('memory is bounded: past capacity the least recently seen key is forgotten', (t) => {
  const dedupe = createDeliveryDedupe(3);
  for (const key of ['a', 'b', 'c']) dedupe.claim(key);
  t.false(dedupe.claim('a'), 'a is remembered and now the most recent');
  t.true(dedupe.claim('d'));
  t.is(dedupe.size, 3);
  t.true(dedupe.claim('b'), 'b was the least recently seen and was forgotten');
  t.false(dedupe.claim('a'));
});

test('the default capacity holds 10 000 keys', (t) => {
  const dedupe = createDeliveryDedupe();
  for (let i = 0; i < 10_500; i++) dedupe.claim(`p${i}`);
  t.is(dedupe.size, 10_000);
  t.false(dedupe.claim('p10499'));
  t.true(dedupe.claim('p0'));
});
