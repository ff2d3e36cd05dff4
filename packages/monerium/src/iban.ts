import { createRequire } from 'node:module';
import type * as IbanTools from 'ibantools';

/**
 * ibantools is loaded by the first IBAN check (a redeem order, v1.3 or v2), not when
 * `@paygate/monerium` is imported.
 */
let ibantools: typeof IbanTools | undefined;
const loadIbantools = (): typeof IbanTools => {
  ibantools ??= createRequire(import.meta.url)('ibantools') as typeof IbanTools;
  return ibantools;
};

/** The IBAN in electronic format (no spaces, upper case) when its country format and check digits are valid. */
export const validElectronicIban = (typed: string): string | undefined => {
  const { electronicFormatIBAN, isValidIBAN } = loadIbantools();
  const electronic = electronicFormatIBAN(typed);
  return electronic !== null && isValidIBAN(electronic) ? electronic : undefined;
};
