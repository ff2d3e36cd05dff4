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

/** A string or null, as Money Button sends optional text (`txid` before broadcast, …). */
export const NullableString = t.union([t.string, t.null]);

/** An id as a string; a JSON number is accepted (and written in decimal) because ids are sent both ways. */
export const IdCodec = new t.Type<string, string, unknown>(
  'Id',
  (u): u is string => typeof u === 'string',
  (u, context) => {
    if (typeof u === 'string' && u.length > 0) return t.success(u);
    if (typeof u === 'number' && Number.isSafeInteger(u)) return t.success(String(u));
    return t.failure(u, context, 'a non-empty string or whole-number id');
  },
  (id) => id,
);

const isByte = (value: unknown): boolean => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 255;

/**
 * A raw transaction as lower-case hex. Webhooks send `rawtx` as hex text; API v2 reads send the
 * JSON serialisation of a Node Buffer, `{type: "Buffer", data: [bytes]}` (moneybutton-public.md §4, §6).
 */
export const RawTxCodec = new t.Type<string, string, unknown>(
  'RawTx',
  (u): u is string => typeof u === 'string',
  (u, context) => {
    if (typeof u === 'string' && /^(?:[0-9a-fA-F]{2})*$/.test(u)) return t.success(u.toLowerCase());
    if (typeof u === 'object' && u !== null && !Array.isArray(u)) {
      const { type, data } = u as { type?: unknown; data?: unknown };
      if (type === 'Buffer' && Array.isArray(data) && data.every(isByte)) {
        return t.success(Buffer.from(data as number[]).toString('hex'));
      }
    }
    return t.failure(u, context, 'hex text or a serialised Buffer {type: "Buffer", data: [bytes]}');
  },
  (rawtx) => rawtx,
);
