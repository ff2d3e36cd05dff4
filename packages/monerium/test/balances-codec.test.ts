import test from 'ava';
import fc from 'fast-check';
import * as iots from 'io-ts/lib/index.js';
import { AddressBalancesCodec, AddressBalancesCodecIoTs, BalancesCodec } from '../src/balances.js';
import { OrderCodec, OrderListCodec } from '../src/orders.js';
import { countSlowValidations, registerAgreementTests, text } from './_codec-agreement.js';

// The balances codecs check valid values by hand (one address's balances, and a whole `GET /balances`
// answer in one pass, as the order list is); they must accept, reject and return exactly what the
// io-ts codecs do. Checked over generated valid values and single-field mutations of them.

const amount = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc.tuple(fc.nat(99_999), fc.nat(9_999)).map(([units, cents]) => `${units}.${cents}`),
  fc.constantFrom('0', '-0', '007.50', '1000000000000000000000.000000000001'),
);
// Upper or mixed case is valid too: io-ts lower-cases it, so the result is a new object.
const currency = fc.constantFrom('eur', 'gbp', 'usd', 'isk', 'EUR', 'Gbp');
const validAddressBalances = fc
  .tuple(
    fc.record({ address: text, chain: text, network: text, balances: fc.array(fc.record({ currency, amount }), { maxLength: 3 }) }),
    fc.option(text, { nil: undefined }),
    fc.boolean(),
  )
  .map(([required, id, withIdKey]) => {
    const value: Record<string, unknown> = { ...required };
    if (id !== undefined || withIdKey) value.id = id;
    return value;
  });

const ENTRY_PATHS = ['address', 'chain', 'network', 'id', 'balances', 'balances.0', 'balances.0.currency', 'balances.0.amount', 'balances.1.amount'];

registerAgreementTests(test, {
  what: 'address balances',
  fast: AddressBalancesCodec,
  slow: AddressBalancesCodecIoTs,
  valid: validAddressBalances,
  paths: ENTRY_PATHS,
  rewritten: 'a currency is lower-cased',
});

registerAgreementTests(test, {
  what: 'balance lists',
  fast: BalancesCodec,
  // The element codec's own agreement with io-ts is the test above.
  slow: iots.array(AddressBalancesCodec),
  valid: fc.array(validAddressBalances, { minLength: 1, maxLength: 3 }),
  paths: ['0', '1', '2', ...ENTRY_PATHS.flatMap((path) => [`0.${path}`, `1.${path}`])],
  rewritten: 'a currency is lower-cased',
});

test('a balance list with lower-case currencies takes the fast path; one entry io-ts must rewrite or reject sends the list through io-ts', (t) => {
  const list = [
    { id: 'p1', address: '0xa', chain: 'ethereum', network: 'sepolia', balances: [{ currency: 'eur', amount: '1.5' }] },
    { address: '0xb', chain: 'gnosis', network: 'chiado', balances: [] },
  ];
  const fast = countSlowValidations(AddressBalancesCodecIoTs, () => {
    const decoded = BalancesCodec.decode(list);
    t.true(decoded._tag === 'Right' && decoded.right === list);
  });
  t.is(fast, 0);
  const upper = [list[0], { ...list[1], balances: [{ currency: 'GBP', amount: '2' }] }];
  const expected = iots.array(AddressBalancesCodecIoTs).decode(upper);
  const slow = countSlowValidations(AddressBalancesCodecIoTs, () => {
    const decoded = BalancesCodec.decode(upper);
    t.deepEqual(decoded, expected);
    t.true(decoded._tag === 'Right' && decoded.right[1]?.balances[0]?.currency === 'gbp');
    t.is(BalancesCodec.decode([list[0], { ...list[1], network: 7 }])._tag, 'Left');
  });
  // Only the entries the hand-written check refused went through io-ts, one each.
  t.is(slow, 2);
});

test('an order list of valid orders takes the fast path as a whole; a sparse one goes through io-ts', (t) => {
  const order = {
    id: 'o1',
    profile: 'p1',
    kind: 'redeem',
    address: '0xa',
    amount: '10',
    currency: 'eur',
    counterpart: { identifier: { standard: 'iban', iban: 'DE00' }, details: {} },
    meta: { state: 'placed', placedBy: 'u', placedAt: '2024-01-01T00:00:00Z' },
  };
  const list = [order, { ...order, id: 'o2' }];
  const decoded = OrderListCodec.decode(list);
  t.true(decoded._tag === 'Right' && decoded.right === list);
  const sparse: unknown[] = new Array(3);
  sparse[0] = order;
  sparse[2] = order;
  t.deepEqual(OrderListCodec.decode(sparse)._tag, iots.array(OrderCodec).decode(sparse)._tag);
  t.is(OrderListCodec.decode(sparse)._tag, 'Left');
  t.is(OrderListCodec.name, iots.array(OrderCodec).name);
});
