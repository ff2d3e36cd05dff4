import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import {
  addDecimal,
  compareDecimal,
  DecimalString,
  decimalFromNumber,
  fromMinorUnits,
  MAX_DECIMALS,
  normalizeDecimal,
  parseAmount,
  parseCurrency,
} from '../src/money.js';

test('decimals are normalised without floating point', (t) => {
  t.deepEqual(normalizeDecimal('007.500'), E.right('7.5'));
  t.deepEqual(normalizeDecimal('-0.00'), E.right('0'));
  t.deepEqual(normalizeDecimal('1000'), E.right('1000'));
  t.true(E.isLeft(normalizeDecimal('1e3')));
  t.true(E.isLeft(normalizeDecimal('1,5')));
  t.true(E.isLeft(normalizeDecimal('.5')));
});

test('the canonical-input shortcut of normalizeDecimal answers what the full normalisation does, for every string of up to six of "-0 19."', (t) => {
  // The normalisation as it was before the shortcut, kept here as the reference.
  const reference = (value: string): E.Either<string, string> => {
    const trimmed = value.trim();
    if (!/^-?\d+(\.\d+)?$/.test(trimmed)) return E.left('not a decimal');
    const negative = trimmed.startsWith('-');
    const [intRaw = '0', fracRaw = ''] = (negative ? trimmed.slice(1) : trimmed).split('.');
    const int = intRaw.replace(/^0+(?=\d)/, '');
    const frac = fracRaw.replace(/0+$/, '');
    const body = frac.length > 0 ? `${int}.${frac}` : int;
    return E.right(negative && body !== '0' ? `-${body}` : body);
  };
  const alphabet = ['-', '0', ' ', '1', '9', '.'];
  let strings = [''];
  let checked = 0;
  let decimals = 0;
  for (let length = 0; length <= 6; length++) {
    for (const value of strings) {
      const expected = reference(value);
      const actual = normalizeDecimal(value);
      checked += 1;
      if (E.isRight(expected)) decimals += 1;
      if (E.isRight(expected) !== E.isRight(actual) || (E.isRight(expected) && E.isRight(actual) && expected.right !== actual.right)) {
        t.fail(`normalizeDecimal(${JSON.stringify(value)}) = ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
        return;
      }
    }
    strings = strings.flatMap((prefix) => alphabet.map((c) => prefix + c));
  }
  t.is(checked, 55_987);
  t.true(decimals > 1_000);
});

test('addition is exact where floats are not', (t) => {
  t.deepEqual(addDecimal('0.1', '0.2'), E.right('0.3'));
  t.deepEqual(addDecimal('999999999999999999.99', '0.01'), E.right('1000000000000000000'));
  t.deepEqual(addDecimal('-1.5', '1.25'), E.right('-0.25'));
  t.deepEqual(addDecimal('1.000000000000000001', '1'), E.right('2.000000000000000001'));
});

test('comparison works across scales and signs', (t) => {
  t.deepEqual(compareDecimal('1.10', '1.1'), E.right(0));
  t.deepEqual(compareDecimal('2', '10'), E.right(-1));
  t.deepEqual(compareDecimal('-1', '-2'), E.right(1));
  t.deepEqual(compareDecimal('0.000000000000000001', '0'), E.right(1));
});

test('minor units become exact decimals', (t) => {
  t.deepEqual(fromMinorUnits('123456789', 8), E.right('1.23456789'));
  t.deepEqual(fromMinorUnits(5n, 8), E.right('0.00000005'));
  t.deepEqual(fromMinorUnits('100000000', 8), E.right('1'));
  t.true(E.isLeft(fromMinorUnits('1.5', 8)));
});

test('a non-decimal operand is an InvalidInput naming it, never a thrown RangeError', (t) => {
  for (const bad of ['abc', '1e21', '', ' ', 'NaN', '--1', null, undefined, 12, {}] as unknown as string[]) {
    t.notThrows(() => compareDecimal(bad, '1'));
    t.like(compareDecimal(bad, '1'), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'a' } });
    t.like(addDecimal('1', bad), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'b' } });
  }
});

test('fromMinorUnits refuses a scale that is not a whole number from 0 to MAX_DECIMALS', (t) => {
  for (const decimals of [Number.NaN, -2, 1e21, Number.POSITIVE_INFINITY, 2.5, MAX_DECIMALS + 1, '8'] as unknown as number[]) {
    t.like(fromMinorUnits('123', decimals), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'decimals' } }, String(decimals));
  }
  t.deepEqual(fromMinorUnits('123', 0), E.right('123'));
  t.deepEqual(fromMinorUnits('123', MAX_DECIMALS), E.right(`0.${'0'.repeat(MAX_DECIMALS - 3)}123`));
  t.like(fromMinorUnits(null as unknown as string, 8), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'amount' } });
});

test('money helpers answer InvalidInput for arguments of the wrong runtime type', (t) => {
  t.like(normalizeDecimal(5 as unknown as string), { _tag: 'Left', left: { _tag: 'InvalidInput' } });
  t.like(parseCurrency(Symbol('x') as unknown as string), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'currency' } });
  t.like(parseAmount('1', null as unknown as object), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'options' } });
  t.like(parseAmount('1', { maxDecimals: Number.NaN }), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'maxDecimals' } });
  t.like(decimalFromNumber('1' as unknown as number), { _tag: 'Left', left: { _tag: 'InvalidInput' } });
});

test('JSON numbers become decimal strings, exponents expanded', (t) => {
  t.deepEqual(decimalFromNumber(0.1), E.right('0.1'));
  t.deepEqual(decimalFromNumber(1e-7), E.right('0.0000001'));
  t.deepEqual(decimalFromNumber(1.5e21), E.right('1500000000000000000000'));
  t.deepEqual(decimalFromNumber(-2.5), E.right('-2.5'));
  t.true(E.isLeft(decimalFromNumber(Number.NaN)));
});

test('amounts to send must be positive and within the currency decimals', (t) => {
  t.deepEqual(parseAmount('10.50', { currency: 'EUR' }), E.right('10.5'));
  t.like(parseAmount('0', { currency: 'EUR' }), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'amount' } });
  t.like(parseAmount('-5'), { _tag: 'Left', left: { _tag: 'InvalidInput' } });
  t.like(parseAmount('1.001', { currency: 'eur' }), { _tag: 'Left', left: { reason: 'has more than 2 decimal places' } });
  t.like(parseAmount('1.5', { currency: 'ISK' }), { _tag: 'Left' });
  t.like(parseAmount('abc', { field: 'order.amount' }), { _tag: 'Left', left: { field: 'order.amount' } });
});

test('currency codes are three letters, upper-cased', (t) => {
  t.deepEqual(parseCurrency('eur'), E.right('EUR'));
  t.like(parseCurrency('EURO'), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'currency' } });
});

test('the DecimalString codec accepts only canonical decimals', (t) => {
  t.true(E.isRight(DecimalString.decode('12.5')));
  t.true(E.isRight(DecimalString.decode('0')));
  t.true(E.isLeft(DecimalString.decode('12.50')));
  t.true(E.isLeft(DecimalString.decode('012')));
  t.true(E.isLeft(DecimalString.decode(12.5)));
});
