import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts/lib/index.js';
import { type GatewayError, invalidInput } from './errors.js';
import { finiteNumber } from './input.js';

/**
 * Amounts are decimal strings ("1000", "12.5"), never floats: a payment library that rounds is
 * a payment library that loses cents. Arithmetic goes through bigint at a common scale.
 */
export interface Money {
  readonly amount: string;
  readonly currency: string;
}

const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;
const LOOSE_DECIMAL = /^-?\d+(\.\d+)?$/;
/** What `normalizeDecimal` returns unchanged (but `-0`): no leading zeros, no trailing fractional zeros. */
const CANONICAL_DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;

export interface DecimalBrand {
  readonly DecimalString: unique symbol;
}
/** A canonical decimal string: no leading zeros, no trailing fractional zeros, no exponent. */
export const DecimalString = t.brand(
  t.string,
  (s): s is t.Branded<string, DecimalBrand> => DECIMAL.test(s) && !/\.\d*0$/.test(s) && s !== '-0',
  'DecimalString',
);

/** Minor-unit digits per currency, for validation of what a user may send. */
export const CURRENCY_DECIMALS: Readonly<Record<string, number>> = {
  EUR: 2,
  GBP: 2,
  USD: 2,
  ISK: 0,
  BSV: 8,
};

/** Strips leading zeros and trailing fractional zeros: "007.500" → "7.5", "-0.0" → "0". */
export const normalizeDecimal = (value: string): E.Either<GatewayError, string> => {
  if (typeof value !== 'string') return E.left(invalidInput('amount', 'must be a decimal string'));
  // Most amounts a provider sends are canonical already: one test, nothing split or rebuilt.
  if (CANONICAL_DECIMAL.test(value) && value !== '-0') return E.right(value);
  const trimmed = value.trim();
  if (!LOOSE_DECIMAL.test(trimmed)) return E.left(invalidInput('amount', `"${preview(value)}" is not a decimal number`));
  const negative = trimmed.startsWith('-');
  const [intRaw = '0', fracRaw = ''] = (negative ? trimmed.slice(1) : trimmed).split('.');
  const int = intRaw.replace(/^0+(?=\d)/, '');
  const frac = fracRaw.replace(/0+$/, '');
  const body = frac.length > 0 ? `${int}.${frac}` : int;
  return E.right(negative && body !== '0' ? `-${body}` : body);
};

/** User input echoed in a message is cut short: a megabyte "amount" must not become a megabyte error. */
const preview = (value: string): string => (value.length > 40 ? `${value.slice(0, 40)}…` : value);

const scaleOf = (value: string): number => value.split('.')[1]?.length ?? 0;

const toScaled = (value: string, scale: number): bigint => {
  const negative = value.startsWith('-');
  const [int = '0', frac = ''] = (negative ? value.slice(1) : value).split('.');
  const digits = BigInt(int + frac.padEnd(scale, '0'));
  return negative ? -digits : digits;
};

const fromScaled = (value: bigint, scale: number): string => {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  const body = frac.length > 0 ? `${int}.${frac}` : int;
  return negative && body !== '0' ? `-${body}` : body;
};

/** Both operands normalised to canonical decimals, each refusal naming its argument. */
const canonicalPair = (a: string, b: string): E.Either<GatewayError, readonly [string, string]> => {
  const x = normalizeDecimal(a);
  if (E.isLeft(x)) return E.left(invalidInput('a', x.left._tag === 'InvalidInput' ? x.left.reason : x.left.message));
  const y = normalizeDecimal(b);
  if (E.isLeft(y)) return E.left(invalidInput('b', y.left._tag === 'InvalidInput' ? y.left.reason : y.left.message));
  return E.right([x.right, y.right]);
};

/** `Right(-1 | 0 | 1)`, or `InvalidInput` naming the argument (`a` or `b`) that is not a decimal string. */
export const compareDecimal = (a: string, b: string): E.Either<GatewayError, -1 | 0 | 1> =>
  E.map(([x, y]: readonly [string, string]) => {
    const scale = Math.max(scaleOf(x), scaleOf(y));
    const diff = toScaled(x, scale) - toScaled(y, scale);
    return diff === 0n ? 0 : diff < 0n ? -1 : 1;
  })(canonicalPair(a, b));

/** The exact sum of two decimal strings, or `InvalidInput` naming the argument that is not one. */
export const addDecimal = (a: string, b: string): E.Either<GatewayError, string> =>
  E.map(([x, y]: readonly [string, string]) => {
    const scale = Math.max(scaleOf(x), scaleOf(y));
    return fromScaled(toScaled(x, scale) + toScaled(y, scale), scale);
  })(canonicalPair(a, b));

/** More fractional digits than any currency or token has (ERC-20 uses at most 18; 36 leaves room). */
export const MAX_DECIMALS = 36;

/**
 * Minor units (satoshis, cents) to a decimal string: ("123456789", 8) → "1.23456789".
 * `decimals` must be a whole number from 0 to `MAX_DECIMALS`.
 */
export const fromMinorUnits = (minor: string | bigint, decimals: number): E.Either<GatewayError, string> => {
  const scale = finiteNumber(decimals, 'decimals', { min: 0, max: MAX_DECIMALS });
  if (E.isLeft(scale)) return scale;
  if (typeof minor !== 'string' && typeof minor !== 'bigint') return E.left(invalidInput('amount', 'must be a string or bigint of minor units'));
  const text = typeof minor === 'bigint' ? minor.toString() : minor.trim();
  if (!/^-?\d+$/.test(text)) return E.left(invalidInput('amount', `"${preview(text)}" is not a whole number of minor units`));
  return E.right(fromScaled(BigInt(text), scale.right));
};

/**
 * A JSON number from a provider (Money Button sends USD amounts as numbers) to a decimal string.
 * Uses the shortest round-trip representation, expanding exponents, so 0.1 stays "0.1".
 */
export const decimalFromNumber = (value: number): E.Either<GatewayError, string> => {
  if (typeof value !== 'number') return E.left(invalidInput('amount', 'must be a number'));
  if (!Number.isFinite(value)) return E.left(invalidInput('amount', `${value} is not a finite number`));
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (match === null) return normalizeDecimal(text);
  const [, sign = '', int = '', frac = '', exp = '0'] = match;
  const digits = int + frac;
  const point = int.length + Number(exp);
  const expanded =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + '0'.repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return normalizeDecimal(sign + expanded);
};

/** Validates a currency code (three letters, any case) and returns it upper-case. */
export const parseCurrency = (value: string, field = 'currency'): E.Either<GatewayError, string> => {
  const name = typeof field === 'string' ? field : 'currency';
  if (typeof value !== 'string') return E.left(invalidInput(name, 'must be a three-letter currency code'));
  return /^[A-Za-z]{3}$/.test(value)
    ? E.right(value.toUpperCase())
    : E.left(invalidInput(name, `"${preview(value)}" is not a three-letter currency code`));
};

/**
 * Validates an amount a user wants to move: a positive decimal string with at most `maxDecimals`
 * fractional digits (default: the currency's, else 18). Returns it normalised.
 */
export const parseAmount = (
  value: string,
  options: { readonly currency?: string; readonly maxDecimals?: number; readonly field?: string } = {},
): E.Either<GatewayError, string> => {
  if (typeof options !== 'object' || options === null) return E.left(invalidInput('options', 'must be an object'));
  const field = typeof options.field === 'string' ? options.field : 'amount';
  if (typeof value !== 'string') return E.left(invalidInput(field, 'must be a decimal string'));
  const normalized = normalizeDecimal(value);
  if (E.isLeft(normalized)) return E.left(invalidInput(field, `"${preview(value)}" is not a decimal number`));
  const amount = normalized.right;
  if (amount.startsWith('-') || amount === '0') return E.left(invalidInput(field, 'must be greater than zero'));
  const currencyDecimals = typeof options.currency === 'string' ? CURRENCY_DECIMALS[options.currency.toUpperCase()] : undefined;
  const maxDecimals = finiteNumber(options.maxDecimals ?? currencyDecimals ?? 18, 'maxDecimals', { min: 0, max: MAX_DECIMALS });
  if (E.isLeft(maxDecimals)) return maxDecimals;
  if (scaleOf(amount) > maxDecimals.right) {
    return E.left(invalidInput(field, `has more than ${maxDecimals.right} decimal places`));
  }
  return E.right(amount);
};

export const MoneyCodec = t.type({ amount: DecimalString, currency: t.string });
