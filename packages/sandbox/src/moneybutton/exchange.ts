/**
 * Amounts and satoshis. The sandbox prices BSV at a fixed 50 USD so that every USD amount maps to
 * a whole number of satoshis (1 cent = 20 000 satoshis) and balances never drift.
 */

export type MoneyButtonCurrency = 'USD' | 'BSV';

export const MONEY_BUTTON_CURRENCIES: ReadonlyArray<MoneyButtonCurrency> = ['USD', 'BSV'];

const SATOSHIS_PER_BSV = 100_000_000n;
const SATOSHIS_PER_CENT = 20_000n;

const USD_AMOUNT = /^(0|[1-9]\d{0,11})(?:\.(\d{1,2}))?$/;
const BSV_AMOUNT = /^(0|[1-9]\d{0,7})(?:\.(\d{1,8}))?$/;

export function isMoneyButtonCurrency(value: string): value is MoneyButtonCurrency {
  return (MONEY_BUTTON_CURRENCIES as ReadonlyArray<string>).includes(value);
}

/** Satoshis for a positive decimal amount, or undefined when the amount is not one. */
export function satoshisOf(amount: string, currency: MoneyButtonCurrency): bigint | undefined {
  const match = (currency === 'USD' ? USD_AMOUNT : BSV_AMOUNT).exec(amount);
  if (match === null) return undefined;
  const whole = BigInt(match[1] ?? '0');
  const satoshis =
    currency === 'USD'
      ? (whole * 100n + BigInt((match[2] ?? '').padEnd(2, '0'))) * SATOSHIS_PER_CENT
      : whole * SATOSHIS_PER_BSV + BigInt((match[2] ?? '').padEnd(8, '0'));
  return satoshis > 0n ? satoshis : undefined;
}

/** `12.34` for USD, `0.00125` for BSV (trailing zeros dropped). */
export function formatAmount(satoshis: bigint, currency: MoneyButtonCurrency): string {
  if (currency === 'USD') {
    const cents = satoshis / SATOSHIS_PER_CENT;
    return `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
  }
  const fraction = (satoshis % SATOSHIS_PER_BSV).toString().padStart(8, '0').replace(/0+$/, '');
  const whole = (satoshis / SATOSHIS_PER_BSV).toString();
  return fraction.length === 0 ? whole : `${whole}.${fraction}`;
}

/** The USD value of a balance, rounded half-up to the cent, as the JSON number API v1 returns. */
export function usdValueOf(satoshis: bigint): number {
  const cents = (satoshis + SATOSHIS_PER_CENT / 2n) / SATOSHIS_PER_CENT;
  return Number(cents) / 100;
}
