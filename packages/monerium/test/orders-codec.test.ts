import test from 'ava';
import fc from 'fast-check';
import type * as t from 'io-ts/lib/index.js';
import { OrderCodec, OrderCodecIoTs } from '../src/orders.js';

// OrderCodec decodes valid orders by hand; it must accept, reject and return exactly what the io-ts
// codec does. Checked over generated valid orders and single-field mutations of them.

const text = fc.string({ maxLength: 12 });
const amount = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc.tuple(fc.nat(99_999), fc.nat(9_999)).map(([units, cents]) => `${units}.${cents}`),
  fc.constantFrom('0', '-0', '007.50', '1000000000000000000000.000000000001'),
);
const identifier = fc.oneof(
  fc.record({ standard: fc.constant('iban'), iban: text }),
  fc.record({ standard: fc.constant('scan'), sortCode: text, accountNumber: text }),
);
const optionalText = <K extends string>(keys: ReadonlyArray<K>) =>
  fc.record(Object.fromEntries(keys.map((key) => [key, fc.option(text, { nil: undefined })])) as Record<K, fc.Arbitrary<string | undefined>>, {
    requiredKeys: [],
  });

const validOrder = fc
  .tuple(
    fc.record({
      id: text,
      profile: text,
      kind: fc.constantFrom('issue', 'redeem'),
      address: text,
      amount,
      // Upper or mixed case is valid too: io-ts lower-cases it, so the result is a new object.
      currency: fc.constantFrom('eur', 'gbp', 'usd', 'isk', 'EUR', 'Gbp'),
      counterpart: fc.record({
        identifier,
        details: optionalText(['name', 'companyName', 'firstName', 'lastName', 'country']),
      }),
      meta: fc.tuple(
        fc.record({ state: fc.constantFrom('placed', 'pending', 'processed', 'rejected'), placedBy: text, placedAt: text }),
        optionalText(['approvedAt', 'processedAt', 'rejectedAt', 'receivedAmount', 'sentAmount', 'cursor']),
      ),
    }),
    optionalText(['accountId', 'memo', 'rejectedReason', 'supportingDocumentId', 'chain', 'network', 'totalFee', 'message', 'signature']),
    fc.option(fc.array(text, { maxLength: 3 }), { nil: undefined }),
    fc.boolean(),
  )
  .map(([required, optional, txHashes, withTxHashesKey]) => {
    const { meta, ...rest } = required;
    const order: Record<string, unknown> = { ...rest, meta: { ...meta[0], ...meta[1] }, ...optional };
    if (txHashes !== undefined || withTxHashesKey) order.txHashes = txHashes;
    return order;
  });

const PATHS = [
  'id',
  'profile',
  'kind',
  'address',
  'amount',
  'currency',
  'counterpart',
  'counterpart.identifier',
  'counterpart.identifier.standard',
  'counterpart.identifier.iban',
  'counterpart.identifier.sortCode',
  'counterpart.identifier.accountNumber',
  'counterpart.details',
  'counterpart.details.name',
  'counterpart.details.companyName',
  'counterpart.details.firstName',
  'counterpart.details.lastName',
  'counterpart.details.country',
  'meta',
  'meta.state',
  'meta.placedBy',
  'meta.placedAt',
  'meta.approvedAt',
  'meta.processedAt',
  'meta.rejectedAt',
  'meta.receivedAmount',
  'meta.sentAmount',
  'meta.cursor',
  'accountId',
  'memo',
  'rejectedReason',
  'supportingDocumentId',
  'chain',
  'network',
  'txHashes',
  'txHashes.0',
  'totalFee',
  'message',
  'signature',
] as const;

type Mutation = { readonly kind: 'delete' } | { readonly kind: 'set'; readonly value: unknown } | { readonly kind: 'extra'; readonly key: string; readonly value: unknown };

const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(text, { maxLength: 2 }),
  fc.dictionary(text, text, { maxKeys: 2 }),
);
const outOfSet = fc.constantFrom('PLACED', 'issued', 'Issue', '', 'EUR ', 'chf', 'iban ', 'SCAN', 'toString', 'constructor', '__proto__', 'hasOwnProperty');
const badAmount = fc.constantFrom('1.', '.5', '1e3', ' 1', '1 ', '1,00', '--1', '+1', '', '0x10', '١٢', 'NaN', 'Infinity', '1.2.3');

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: 'delete' as const }),
  fc.oneof(wrongType, outOfSet, badAmount, text).map((value) => ({ kind: 'set' as const, value })),
  fc
    .tuple(fc.oneof(text, fc.constantFrom('__proto__', 'constructor', 'extra', 'id', 'standard')), fc.anything({ maxDepth: 2 }))
    .map(([key, value]) => ({ kind: 'extra' as const, key, value })),
);

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null;

/** Applies one mutation at `path` of a deep copy (own properties only, as JSON.parse makes them). */
const mutate = (order: Record<string, unknown>, path: string, change: Mutation): unknown => {
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
    if (isObject(target)) define(target, change.key, change.value);
    else define(parent, change.key, change.value);
  }
  return copy;
};

const pathsOf = (errors: t.Errors) =>
  errors.map((error) => [error.context.map((entry) => entry.key).join('.'), error.context.at(-1)?.type.name, error.message]);

/** Same tag, same errors, an equal value, and the input itself returned by both or by neither. */
const agree = (u: unknown): string | undefined => {
  const fast = OrderCodec.decode(u);
  const slow = OrderCodecIoTs.decode(u);
  if (OrderCodec.is(u) !== OrderCodecIoTs.is(u)) return `is: ${OrderCodec.is(u)} against ${OrderCodecIoTs.is(u)}`;
  if (fast._tag !== slow._tag) return `decode: ${fast._tag} against ${slow._tag}`;
  if (fast._tag === 'Left' && slow._tag === 'Left') {
    return JSON.stringify(pathsOf(fast.left)) === JSON.stringify(pathsOf(slow.left)) ? undefined : 'different errors';
  }
  if (fast._tag === 'Right' && slow._tag === 'Right') {
    if ((fast.right === u) !== (slow.right === u)) return 'one returned its input, the other a copy';
    const same = JSON.stringify(fast.right) === JSON.stringify(slow.right) && Object.keys(fast.right).join() === Object.keys(slow.right).join();
    return same ? undefined : 'different values';
  }
  return undefined;
};

test('valid orders decode to what the io-ts codec returns (the input itself unless the currency is lower-cased)', (t) => {
  let lowered = 0;
  fc.assert(
    fc.property(validOrder, (order) => {
      const decoded = OrderCodec.decode(order);
      if (decoded._tag !== 'Right') return false;
      if (decoded.right !== order) lowered += 1;
      return agree(order) === undefined;
    }),
    { numRuns: 200 },
  );
  t.true(lowered > 0, 'the upper-case currency path was exercised');
});

test('single-field mutations (missing, wrong type, out-of-set literal, bad amount, extra field) are judged as io-ts judges them', (t) => {
  let rejected = 0;
  let accepted = 0;
  fc.assert(
    fc.property(validOrder, fc.constantFrom(...PATHS), mutation, (order, path, change) => {
      const mutated = mutate(order, path, change);
      if (OrderCodecIoTs.decode(mutated)._tag === 'Left') rejected += 1;
      else accepted += 1;
      const problem = agree(mutated);
      if (problem !== undefined) throw new Error(`${problem} at ${path} (${change.kind})`);
    }),
    { numRuns: 2_000 },
  );
  t.true(rejected > 300 && accepted > 100, `both outcomes exercised: ${rejected} rejected, ${accepted} accepted`);
});

test('anything else is judged as io-ts judges it', (t) => {
  fc.assert(
    fc.property(fc.anything({ maxDepth: 3 }), (value) => agree(value) === undefined),
    { numRuns: 500 },
  );
  t.pass();
});

test('the fast codec keeps the io-ts codec name, tag and parts, and encodes the same', (t) => {
  t.is(OrderCodec.name, OrderCodecIoTs.name);
  t.is(OrderCodec._tag, 'IntersectionType');
  t.is(OrderCodec.types, OrderCodecIoTs.types);
  fc.assert(fc.property(validOrder, (order) => JSON.stringify(OrderCodec.encode(order as never)) === JSON.stringify(OrderCodecIoTs.encode(order as never))), {
    numRuns: 50,
  });
});

test('a valid order with a lower-case currency takes the fast path; anything else goes through io-ts', (t) => {
  const validate = OrderCodecIoTs.validate;
  const writable = OrderCodecIoTs as { validate: t.Validate<unknown, unknown> };
  let slow = 0;
  writable.validate = (u, c) => {
    slow += 1;
    return validate(u, c);
  };
  try {
    const order = fc.sample(validOrder, { numRuns: 1, seed: 18 })[0] as Record<string, unknown>;
    const lower = { ...order, currency: 'eur' };
    t.is(OrderCodec.decode(lower)._tag, 'Right');
    t.is(slow, 0);
    t.deepEqual(OrderCodec.decode({ ...order, currency: 'EUR' }), OrderCodec.decode(lower));
    t.is(OrderCodec.decode({ ...order, amount: 12 })._tag, 'Left');
    t.is(slow, 2);
  } finally {
    writable.validate = validate;
  }
});
