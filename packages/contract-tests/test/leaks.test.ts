import test from 'ava';
import { leakedSecrets } from '../src/leaks.js';

test('a secret is found in the message, in JSON and in util.inspect output', (t) => {
  t.deepEqual(leakedSecrets({ message: 'token abcd1234 refused' }, ['abcd1234']), ['abcd…']);
  t.deepEqual(leakedSecrets({ message: 'x', details: { deep: ['zz-secret-zz'] } }, ['zz-secret-zz']), ['zz-s…']);
  t.deepEqual(leakedSecrets({ message: 'clean' }, ['abcd1234']), []);
});

test('secrets shorter than four characters are not searched for', (t) => {
  t.deepEqual(leakedSecrets({ message: 'a b c' }, ['a']), []);
});
