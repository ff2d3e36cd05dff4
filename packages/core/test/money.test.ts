import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import {
  addDecimal,
  compareDecimal,
  DecimalString,
  decimalFromNumber,
  fromMinorUnits,
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

test('addition is exact where floats are not', (t) => {
  t.is(addDecimal('0.1', '0.2'), '0.3');
  t.is(addDecimal('999999999999999999.99', '0.01'), '1000000000000000000');
  t.is(addDecimal('-1.5', '1.25'), '-0.25');
  t.is(addDecimal('1.000000000000000001', '1'), '2.000000000000000001');
});

test('comparison works across scales and signs', (t) => {
  t.is(compareDecimal('1.10', '1.1'), 0);
  t.is(compareDecimal('2', '10'), -1);
  t.is(compareDecimal('-1', '-2'), 1);
  t.is(compareDecimal('0.000000000000000001', '0'), 1);
});

test('minor units become exact decimals', (t) => {
  t.deepEqual(fromMinorUnits('123456789', 8), E.right('1.23456789'));
  t.deepEqual(fromMinorUnits(5n, 8), E.right('0.00000005'));
  t.deepEqual(fromMinorUnits('100000000', 8), E.right('1'));
  t.true(E.isLeft(fromMinorUnits('1.5', 8)));
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
