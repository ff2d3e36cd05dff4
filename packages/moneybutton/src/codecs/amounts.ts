import { decimalFromNumber, fromMinorUnits, type GatewayError, normalizeDecimal } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts/lib/index.js';

/** Satoshis per bitcoin: BSV amounts have 8 decimals. */
export const BSV_DECIMALS = 8;

/**
 * An amount as Money Button sends it (a JSON number such as `12.34`, or a decimal string) to a
 * canonical decimal string. Numbers go through their shortest round-trip text, so `0.1` stays
 * "0.1" and is never widened to a binary float expansion.
 */
export const AmountCodec = new t.Type<string, string, unknown>(
  'Amount',
  (u): u is string => typeof u === 'string',
  (u, context) => {
    const parsed =
      typeof u === 'number' ? decimalFromNumber(u) : typeof u === 'string' ? normalizeDecimal(u) : undefined;
    if (parsed === undefined || E.isLeft(parsed)) return t.failure(u, context, 'a number or a decimal string');
    return t.success(parsed.right);
  },
  (amount) => amount,
);

/**
 * Satoshis as a string of digits, exactly as sent. Money Button sends them as strings because
 * they outgrow 2^53; a JSON number is accepted only while it is a safe integer (beyond that its
 * digits are already lost and refusing is the honest answer).
 */
export const SatoshisCodec = new t.Type<string, string, unknown>(
  'Satoshis',
  (u): u is string => typeof u === 'string' && /^-?\d+$/.test(u),
  (u, context) => {
    if (typeof u === 'string' && /^-?\d+$/.test(u)) return t.success(u);
    if (typeof u === 'number' && Number.isSafeInteger(u)) return t.success(String(u));
    return t.failure(u, context, 'a whole number of satoshis (string, or a safe integer)');
  },
  (satoshis) => satoshis,
);

/** "123456789" satoshis → "1.23456789" (BSV). */
export const bsvFromSatoshis = (satoshis: string): E.Either<GatewayError, string> =>
  fromMinorUnits(satoshis, BSV_DECIMALS);
