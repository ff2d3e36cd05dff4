import test from 'ava';
import fc from 'fast-check';
import { OrderCodec, OrderCodecIoTs } from '../src/orders.js';
import { countSlowValidations, optionalText, registerAgreementTests, text } from './_codec-agreement.js';

// OrderCodec decodes valid orders by hand; it must accept, reject and return exactly what the io-ts
// codec does. Checked over generated valid orders and single-field mutations of them.

const amount = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc.tuple(fc.nat(99_999), fc.nat(9_999)).map(([units, cents]) => `${units}.${cents}`),
  fc.constantFrom('0', '-0', '007.50', '1000000000000000000000.000000000001'),
);
const identifier = fc.oneof(
  fc.record({ standard: fc.constant('iban'), iban: text }),
  fc.record({ standard: fc.constant('scan'), sortCode: text, accountNumber: text }),
);
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

registerAgreementTests(test, {
  what: 'orders',
  fast: OrderCodec,
  slow: OrderCodecIoTs,
  valid: validOrder,
  paths: PATHS,
  rewritten: 'the currency is lower-cased',
});

test('a valid order with a lower-case currency takes the fast path; anything else goes through io-ts', (t) => {
  const order = fc.sample(validOrder, { numRuns: 1, seed: 18 })[0] as Record<string, unknown>;
  const lower = { ...order, currency: 'eur' };
  t.is(
    countSlowValidations(OrderCodecIoTs, () => t.is(OrderCodec.decode(lower)._tag, 'Right')),
    0,
  );
  const slow = countSlowValidations(OrderCodecIoTs, () => {
    t.deepEqual(OrderCodec.decode({ ...order, currency: 'EUR' }), OrderCodec.decode(lower));
    t.is(OrderCodec.decode({ ...order, amount: 12 })._tag, 'Left');
  });
  t.is(slow, 2);
});
