/**
 * Emoney amounts as integer cents. SEPA moves whole cents, so the sandbox accepts at most two
 * decimals and never does arithmetic on floats.
 */
const AMOUNT = /^(0|[1-9][0-9]*)(?:\.([0-9]{1,2}))?$/;

/** Cents for a decimal string like `1000`, `12.5` or `0.01`; undefined when it is not one. */
export const parseAmount = (text: string): bigint | undefined => {
  const match = AMOUNT.exec(text);
  if (match === null) return undefined;
  const [, whole = '0', fraction = ''] = match;
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
};

/** The shortest decimal string for an amount of cents: `100000` → `1000`, `1250` → `12.5`. */
export const formatAmount = (cents: bigint): string => {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  const whole = abs / 100n;
  const fraction = (abs % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return fraction === '' ? `${sign}${whole}` : `${sign}${whole}.${fraction}`;
};
