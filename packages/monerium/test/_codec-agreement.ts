import type { TestFn } from 'ava';
import fc from 'fast-check';
import type * as t from 'io-ts/lib/index.js';

// What the property tests of the hand-written order decoders (v1.3 `orders-codec`, v2
// `v2-orders-codec`) share: generators of field values, single-field mutations, and the check
// that a fast codec and its io-ts codec agree on a value.

export const text = fc.string({ maxLength: 12 });

/** An object with some of `keys`, each an optional string. */
export const optionalText = <K extends string>(keys: ReadonlyArray<K>) =>
  fc.record(Object.fromEntries(keys.map((key) => [key, fc.option(text, { nil: undefined })])) as Record<K, fc.Arbitrary<string | undefined>>, {
    requiredKeys: [],
  });

export type Mutation = { readonly kind: 'delete' } | { readonly kind: 'set'; readonly value: unknown } | { readonly kind: 'extra'; readonly key: string; readonly value: unknown };

export const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(text, { maxLength: 2 }),
  fc.dictionary(text, text, { maxKeys: 2 }),
);
export const outOfSet = fc.constantFrom('PLACED', 'issued', 'Issue', '', 'EUR ', 'chf', 'iban ', 'SCAN', 'Chain', 'account ', 'toString', 'constructor', '__proto__', 'hasOwnProperty');
export const badAmount = fc.constantFrom('1.', '.5', '1e3', ' 1', '1 ', '1,00', '--1', '+1', '', '0x10', '١٢', 'NaN', 'Infinity', '1.2.3');

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: 'delete' as const }),
  fc.oneof(wrongType, outOfSet, badAmount, text).map((value) => ({ kind: 'set' as const, value })),
  fc
    .tuple(fc.oneof(text, fc.constantFrom('__proto__', 'constructor', 'extra', 'id', 'standard')), fc.anything({ maxDepth: 2 }))
    .map(([key, value]) => ({ kind: 'extra' as const, key, value })),
);

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null;

/** Applies one mutation at `path` of a deep copy (own properties only, as JSON.parse makes them). */
export const mutate = (order: object, path: string, change: Mutation): unknown => {
  const copy = structuredClone(order);
  const keys = path.split('.');
  const last = keys.pop() ?? '';
  let parent: unknown = copy;
  for (const key of keys) parent = isObject(parent) ? parent[key] : undefined;
  if (!isObject(parent)) return copy;
  const define = (target: Record<string, unknown>, key: string, value: unknown) =>
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  if (change.kind === 'delete') delete parent[last];
  else if (change.kind === 'set') define(parent, last, change.value);
  else {
    const target = parent[last];
    const holder = isObject(target) && !Array.isArray(target) ? target : parent;
    // JSON arrays have no named properties (and io-ts throws copying an array whose own
    // `constructor` is not one): an extra field goes to the nearest object that is no array.
    if (!Array.isArray(holder)) define(holder, change.key, change.value);
  }
  return copy;
};

const pathsOf = (errors: t.Errors) =>
  errors.map((error) => [error.context.map((entry) => entry.key).join('.'), error.context.at(-1)?.type.name, error.message]);

/**
 * Same tag, same errors, an equal value, and the input itself returned by both or by neither.
 * `undefined` when `fast` and `slow` agree on `u`, else what differs.
 */
export const agreement =
  (fast: t.Mixed, slow: t.Mixed) =>
  (u: unknown): string | undefined => {
  const fastResult = fast.decode(u);
  const slowResult = slow.decode(u);
  if (fast.is(u) !== slow.is(u)) return `is: ${fast.is(u)} against ${slow.is(u)}`;
  if (fastResult._tag !== slowResult._tag) return `decode: ${fastResult._tag} against ${slowResult._tag}`;
  if (fastResult._tag === 'Left' && slowResult._tag === 'Left') {
    return JSON.stringify(pathsOf(fastResult.left)) === JSON.stringify(pathsOf(slowResult.left)) ? undefined : 'different errors';
  }
  if (fastResult._tag === 'Right' && slowResult._tag === 'Right') {
    const [a, b] = [fastResult.right as object, slowResult.right as object];
    if ((a === u) !== (b === u)) return 'one returned its input, the other a copy';
    const same = JSON.stringify(a) === JSON.stringify(b) && Object.keys(a).join() === Object.keys(b).join();
    return same ? undefined : 'different values';
  }
  return undefined;
};


/** What `registerAgreementTests` checks: a fast codec, its io-ts codec, and generated valid values. */
export interface AgreementSubject {
  /** Names the values in the test titles (`orders`, `v2 orders`). */
  readonly what: string;
  readonly fast: t.Mixed;
  readonly slow: t.Mixed;
  readonly valid: fc.Arbitrary<object>;
  /** Every field path a mutation may touch. */
  readonly paths: ReadonlyArray<string>;
  /** Which valid values io-ts rewrites (so they come back as a copy), for the first title. */
  readonly rewritten: string;
}

/**
 * The property tests every hand-written decoder gets: valid values, single-field mutations and
 * arbitrary values are judged as the io-ts codec judges them, and the codec keeps io-ts's name,
 * tag, parts and encoding.
 */
export const registerAgreementTests = (test: TestFn, subject: AgreementSubject): void => {
  const { what, fast, slow, valid, paths } = subject;
  const agree = agreement(fast, slow);

  test(`valid ${what} decode to what the io-ts codec returns (the input itself unless ${subject.rewritten})`, (t) => {
    let copied = 0;
    fc.assert(
      fc.property(valid, (value) => {
        const decoded = fast.decode(value);
        if (decoded._tag !== 'Right') return false;
        if (decoded.right !== value) copied += 1;
        return agree(value) === undefined;
      }),
      { numRuns: 200 },
    );
    t.true(copied > 0, 'the path where io-ts rewrites the value was exercised');
  });

  test(`single-field mutations of ${what} (missing, wrong type, out-of-set literal, bad amount, extra field) are judged as io-ts judges them`, (t) => {
    let rejected = 0;
    let accepted = 0;
    fc.assert(
      fc.property(valid, fc.constantFrom(...paths), mutation, (value, path, change) => {
        const mutated = mutate(value, path, change);
        if (slow.decode(mutated)._tag === 'Left') rejected += 1;
        else accepted += 1;
        const problem = agree(mutated);
        if (problem !== undefined) throw new Error(`${problem} at ${path} (${change.kind})`);
      }),
      { numRuns: 2_000 },
    );
    t.true(rejected > 300 && accepted > 100, `both outcomes exercised: ${rejected} rejected, ${accepted} accepted`);
  });

  test(`anything else is judged as io-ts judges it (${what})`, (t) => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3 }), (value) => agree(value) === undefined),
      { numRuns: 500 },
    );
    t.pass();
  });

  test(`the fast codec of ${what} keeps the io-ts codec name, tag and parts, and encodes the same`, (t) => {
    t.is(fast.name, slow.name);
    const parts = (codec: t.Mixed) => codec as t.Mixed & { readonly _tag?: string; readonly types?: unknown; readonly type?: unknown };
    t.true(parts(fast)._tag === 'IntersectionType' || parts(fast)._tag === 'ArrayType');
    t.is(parts(fast)._tag, parts(slow)._tag);
    t.is(parts(fast).types, parts(slow).types);
    t.is(parts(fast).type, parts(slow).type);
    fc.assert(fc.property(valid, (value) => JSON.stringify(fast.encode(value)) === JSON.stringify(slow.encode(value))), { numRuns: 50 });
  });
};

/** Runs `body` with `codec.validate` counted; returns how often io-ts's own validate ran. */
export const countSlowValidations = (codec: t.Mixed, body: () => void): number => {
  const validate = codec.validate;
  const writable = codec as { validate: t.Validate<unknown, unknown> };
  let slow = 0;
  writable.validate = (u, c) => {
    slow += 1;
    return validate(u, c);
  };
  try {
    body();
  } finally {
    writable.validate = validate;
  }
  return slow;
};
