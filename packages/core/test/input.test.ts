import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import * as io from 'io-ts/lib/index.js';
import { decodeInput } from '../src/decode.js';
import { checkHttpSettings, finiteNumber, optionalNumber, optionalRecord, requireDate, requireFunction, requireRecord, requireString } from '../src/input.js';

test('finiteNumber refuses NaN, ±Infinity, fractions and values out of range, naming the field', (t) => {
  for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1.5, -1, 1e21, '5', null, undefined]) {
    t.like(finiteNumber(value, 'maxBodyBytes', { min: 0, max: 1e9 }), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'maxBodyBytes' } }, String(value));
  }
  t.deepEqual(finiteNumber(0, 'n', { min: 0 }), E.right(0));
  t.deepEqual(finiteNumber(0.5, 'n', { min: 0, max: 1, integer: false }), E.right(0.5));
});

test('optionalNumber uses the fallback only for undefined', (t) => {
  t.deepEqual(optionalNumber(undefined, 7, 'n', { min: 1 }), E.right(7));
  t.like(optionalNumber(Number.NaN, 7, 'n', { min: 1 }), { _tag: 'Left', left: { field: 'n' } });
  t.like(optionalNumber(null, 7, 'n', { min: 1 }), { _tag: 'Left', left: { field: 'n' } });
});

test('record, string and function checks name the field', (t) => {
  for (const value of [null, 1, 'x', [], undefined]) t.like(requireRecord(value, 'input'), { _tag: 'Left', left: { field: 'input' } });
  t.deepEqual(requireRecord({ a: 1 }, 'input'), E.right({ a: 1 }));
  t.deepEqual(optionalRecord(undefined, 'options'), E.right(undefined));
  t.like(optionalRecord(null, 'options'), { _tag: 'Left', left: { field: 'options' } });
  t.like(requireString('  ', 'id'), { _tag: 'Left', left: { field: 'id' } });
  t.like(requireString(5, 'id'), { _tag: 'Left', left: { field: 'id' } });
  t.like(requireFunction({}, 'handler'), { _tag: 'Left', left: { field: 'handler' } });
  t.true(E.isRight(requireFunction(() => 1, 'handler')));
});

test('checkHttpSettings refuses a NaN timeout or retry count and names the field', (t) => {
  t.like(checkHttpSettings({ timeoutMs: Number.NaN }), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'http.timeoutMs' } });
  t.like(checkHttpSettings({ maxRetries: Number.POSITIVE_INFINITY }), { _tag: 'Left', left: { field: 'http.maxRetries' } });
  t.like(checkHttpSettings({ backoffBaseMs: -1 }), { _tag: 'Left', left: { field: 'http.backoffBaseMs' } });
  t.like(checkHttpSettings({ timeoutMs: 1e21 }), { _tag: 'Left', left: { field: 'http.timeoutMs' } });
  t.like(checkHttpSettings({ got: 'x' }), { _tag: 'Left', left: { field: 'http.got' } });
  t.like(checkHttpSettings(null), { _tag: 'Left', left: { field: 'http' } });
  t.true(E.isRight(checkHttpSettings(undefined)));
  t.true(E.isRight(checkHttpSettings({ timeoutMs: 500, maxRetries: 0 })));
});

test('requireDate accepts a Date holding a time and refuses an invalid Date or any other value, naming the field', (t) => {
  const at = new Date(Date.UTC(2024, 0, 1));
  t.deepEqual(requireDate(at, 'timestamp'), E.right(at));
  for (const value of [new Date('not a date'), Date.now(), '2024-01-01', null, undefined, {}]) {
    t.like(requireDate(value, 'timestamp'), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'timestamp' } }, String(value));
  }
});

test('decodeInput names the field and the first failing path, never the value', (t) => {
  const Shape = io.type({ id: io.string, meta: io.type({ state: io.keyof({ placed: null }) }) });
  t.deepEqual(decodeInput(Shape, 'order')({ id: 'a', meta: { state: 'placed' } }), E.right({ id: 'a', meta: { state: 'placed' } }));
  t.like(decodeInput(Shape, 'order')(null), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'order' } });
  const deep = decodeInput(Shape, 'order')({ id: 'a', meta: { state: 'canary-secret-value' } });
  t.like(deep, { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'order.meta.state' } });
  t.false(JSON.stringify(deep).includes('canary-secret-value'));
  t.like(decodeInput(null as never, 'order')({}), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'codec' } });
});
