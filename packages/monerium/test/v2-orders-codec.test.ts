import test from 'ava';
import fc from 'fast-check';
import { OrderCodec, OrderCodecIoTs } from '../src/v2/orders.js';
import { agreement, badAmount, countSlowValidations, optionalText, registerAgreementTests, text } from './_codec-agreement.js';

// The v2 OrderCodec decodes valid orders by hand; it must accept, reject and return exactly what
// the io-ts codec does. Checked over generated valid v2 orders and single-field mutations of them.

const agree = agreement(OrderCodec, OrderCodecIoTs);

const amount = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc.tuple(fc.nat(99_999), fc.nat(9_999)).map(([units, cents]) => `${units}.${cents}`),
  fc.constantFrom('0', '-0', '007.50', '1000000000000000000000.000000000001'),
  // A JSON number is valid too: io-ts turns it into its decimal string, so the result is a new object.
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.integer(),
);
const identifier = fc.oneof(
  fc.record({ standard: fc.constant('iban'), iban: text }),
  fc.record({ standard: fc.constant('chain'), address: text, chain: text }),
  fc.tuple(fc.record({ standard: fc.constant('account'), accountNumber: text }), optionalText(['address', 'bic'])).map(([a, b]) => ({ ...a, ...b })),
);

const validOrder = fc
  .tuple(
    fc.record({
      id: text,
      kind: fc.constantFrom('issue', 'redeem'),
      profile: text,
      address: text,
      chain: fc.constantFrom('ethereum', 'gnosis', 'polygon', 'arbitrum'),
      currency: fc.constantFrom('eur', 'gbp', 'usd', 'isk'),
      amount,
      counterpart: fc.record(
        { identifier, details: optionalText(['firstName', 'lastName', 'companyName', 'name', 'address', 'country']) },
        { requiredKeys: ['identifier'] },
      ),
      state: fc.constantFrom('placed', 'pending', 'processed', 'rejected'),
      meta: fc.tuple(
        fc.record({ placedAt: text }),
        optionalText(['processedAt', 'rejectedReason', 'supportingDocumentId']),
        fc.option(fc.array(text, { maxLength: 3 }), { nil: undefined }),
        fc.boolean(),
      ),
    }),
    optionalText(['memo', 'referenceNumber']),
  )
  .map(([required, optional]) => {
    const { meta, ...rest } = required;
    const [placed, texts, txHashes, withTxHashesKey] = meta;
    const orderMeta: Record<string, unknown> = { ...placed, ...texts };
    if (txHashes !== undefined || withTxHashesKey) orderMeta.txHashes = txHashes;
    return { ...rest, meta: orderMeta, ...optional } as Record<string, unknown>;
  });

const PATHS = [
  'id',
  'kind',
  'profile',
  'address',
  'chain',
  'currency',
  'amount',
  'counterpart',
  'counterpart.identifier',
  'counterpart.identifier.standard',
  'counterpart.identifier.iban',
  'counterpart.identifier.address',
  'counterpart.identifier.chain',
  'counterpart.identifier.accountNumber',
  'counterpart.identifier.bic',
  'counterpart.details',
  'counterpart.details.firstName',
  'counterpart.details.lastName',
  'counterpart.details.companyName',
  'counterpart.details.name',
  'counterpart.details.address',
  'counterpart.details.country',
  'state',
  'meta',
  'meta.placedAt',
  'meta.processedAt',
  'meta.rejectedReason',
  'meta.supportingDocumentId',
  'meta.txHashes',
  'meta.txHashes.0',
  'memo',
  'referenceNumber',
] as const;

registerAgreementTests(test, {
  what: 'v2 orders',
  fast: OrderCodec,
  slow: OrderCodecIoTs,
  valid: validOrder,
  paths: PATHS,
  rewritten: 'the amount is a number',
});

test('every bad amount string is refused by both codecs', (t) => {
  fc.assert(
    fc.property(validOrder, badAmount, (order, bad) => {
      const mutated = { ...order, amount: bad };
      return OrderCodec.decode(mutated)._tag === 'Left' && agree(mutated) === undefined;
    }),
    { numRuns: 100 },
  );
  t.pass();
});

test('a valid v2 order with a decimal string amount takes the fast path; anything else goes through io-ts', (t) => {
  const order = fc.sample(validOrder, { numRuns: 1, seed: 18 })[0] as Record<string, unknown>;
  const asString = { ...order, amount: '12.5' };
  t.is(
    countSlowValidations(OrderCodecIoTs, () => {
      const decoded = OrderCodec.decode(asString);
      t.is(decoded._tag === 'Right' ? decoded.right : undefined, asString as never, 'the input itself');
    }),
    0,
  );
  const slow = countSlowValidations(OrderCodecIoTs, () => {
    t.deepEqual(OrderCodec.decode({ ...order, amount: 12.5 }), { _tag: 'Right', right: asString });
    t.is(OrderCodec.decode({ ...order, state: 'done' })._tag, 'Left');
  });
  t.is(slow, 2);
});
