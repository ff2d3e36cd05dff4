import * as t from 'io-ts/lib/index.js';

/** The e-money currencies Monerium issues (v1.3 reference: accounts[].currency). */
export const CurrencyKeysCodec = t.keyof({ eur: null, gbp: null, usd: null, isk: null });
export type Currency = t.TypeOf<typeof CurrencyKeysCodec>;

/**
 * Monerium writes currencies lower-case in what it returns (`"currency": "eur"`) and upper-case
 * in what it takes (`"currency": "EUR"` in the redeem payload); both decode to the lower-case key.
 */
export const CurrencyCodec = new t.Type<Currency, string, unknown>(
  'Currency',
  CurrencyKeysCodec.is,
  (input, context) => {
    if (typeof input !== 'string') return t.failure(input, context);
    const lower = input.toLowerCase();
    return CurrencyKeysCodec.is(lower) ? t.success(lower) : t.failure(input, context);
  },
  (currency) => currency,
);

const AMOUNT = /^-?\d+(\.\d+)?$/;

/** Amounts travel as decimal strings (`"1000"`, `"12.34"`), never as JSON numbers. */
export const AmountCodec = t.refinement(t.string, (s) => AMOUNT.test(s), 'DecimalAmount');
