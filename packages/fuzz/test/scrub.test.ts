import { providerError, scrubSecrets } from '@paygate/core';
import test from 'ava';
import fc from 'fast-check';
import { hostile } from './_hostile.js';

const SECRET = 'canary-secret-7f3a91';

/** Puts the secret at a random place: as a value, inside a longer string, or in a key, at any depth. */
const withSecret = fc.tuple(hostile, fc.nat({ max: 400 }), fc.constantFrom('value', 'text', 'key')).map(([base, depth, where]) => {
  let node: unknown =
    where === 'key' ? Object.defineProperty({}, `k-${SECRET}-k`, { value: base, enumerable: true }) : where === 'text' ? `echo ${SECRET} echo` : SECRET;
  for (let i = 0; i < depth; i += 1) node = i % 2 === 0 ? [node] : { next: node, other: base };
  return node;
});

/** Every own key and string value, walked without recursion (a deep body must not overflow the walk). */
const texts = (root: unknown): string[] => {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') out.push(value);
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    for (const key of Object.keys(value)) {
      out.push(key);
      stack.push((value as Record<string, unknown>)[key]);
    }
  }
  return out;
};

test('scrubSecrets removes a secret wherever it is (any depth, keys too) and never throws', (t) => {
  fc.assert(
    fc.property(withSecret, (details) => {
      const error = providerError({ provider: 'p', status: 400, retryable: false, details: { body: details } });
      const clean = scrubSecrets(error, [SECRET]);
      return texts(clean).every((text) => !text.includes(SECRET));
    }),
    { seed: 20261202, numRuns: 200 },
  );
  t.pass();
});
