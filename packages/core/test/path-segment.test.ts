import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { pathSegment } from '../src/path-segment.js';

test('"." and ".." are refused: URL resolution would turn them into another endpoint', (t) => {
  for (const value of ['.', '..']) t.like(pathSegment(value, 'profile'), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'profile' } });
  t.is(new URL('https://x/profiles/../balances').pathname, '/balances', 'why: the resolution we guard against');
});

test('anything that would need percent-encoding is refused', (t) => {
  for (const value of ['a/b', 'a?b', 'a#b', '%2e%2e', 'a b', 'ü', '', '\u0000', 'x'.repeat(257)]) {
    t.like(pathSegment(value, 'id'), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'id' } }, JSON.stringify(value));
  }
  for (const value of [null, undefined, 5, {}, ['a']]) t.like(pathSegment(value, 'id'), { _tag: 'Left', left: { field: 'id' } });
});

test('ordinary ids (uuids, dotted names, ~) pass unchanged', (t) => {
  for (const value of ['3f2c1a7e-1b2c-4d5e-8f90-0123456789ab', 'a.b', '...', 'x~y_z', 'active']) t.deepEqual(pathSegment(value, 'id'), E.right(value));
});
