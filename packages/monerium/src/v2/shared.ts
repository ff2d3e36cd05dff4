import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts/lib/index.js';
import { type GatewayError, invalidInput, pathSegment, requireRecord } from '@paygate/core';
import { checkAddress } from '../address.js';
import { type Chain, type ChainEnvironment, chainFor } from './chains.js';

/**
 * A decimal amount. v2 sends decimal strings (`"12.34"`); a JSON number is accepted too and
 * kept as its decimal string, so a provider change of type does not fail a whole list.
 */
export const DecimalCodec = new t.Type<string, string, unknown>(
  'Decimal',
  (u): u is string => typeof u === 'string',
  (u, c) =>
    typeof u === 'string' && /^-?\d+(\.\d+)?$/.test(u)
      ? t.success(u)
      : typeof u === 'number' && Number.isFinite(u)
        ? t.success(String(u))
        : t.failure(u, c),
  (a) => a,
);

/** A whole number that may arrive as a JSON number or a string (`decimals` is typed string in the OpenAPI file). */
export const IntegerishCodec = new t.Type<number, number, unknown>(
  'Integerish',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    const n = typeof u === 'string' && /^\d+$/.test(u) ? Number(u) : u;
    return typeof n === 'number' && Number.isInteger(n) ? t.success(n) : t.failure(u, c);
  },
  (a) => a,
);

/** v2 currencies, lower-case (fact sheet §1). */
export const V2CurrencyCodec = t.keyof({ eur: null, usd: null, gbp: null, isk: null });
export type V2Currency = t.TypeOf<typeof V2CurrencyCodec>;

/**
 * Per-field argument checks of the v2 resource functions. Each names the exact field it refuses
 * (`filters` → `profile`, `input` → `counterpart.iban`), so a JavaScript caller learns which value
 * was wrong, and each runs before anything is signed or sent.
 */

/** The `environment` argument: which chain names to send. */
export const checkEnvironment = (value: unknown): E.Either<GatewayError, ChainEnvironment> =>
  value === 'production' || value === 'sandbox' ? E.right(value) : E.left(invalidInput('environment', "must be 'production' or 'sandbox'"));

/** An optional filters (or options) object: left out means none; anything else must be a plain object. */
export const filtersOf = (value: unknown, field = 'filters'): E.Either<GatewayError, Readonly<Record<string, unknown>>> =>
  value === undefined ? E.right({}) : requireRecord(value, field);

/**
 * An optional id sent in a query or a body (`profile`, `txHash`): v2 ids are UUIDs and hex
 * hashes, so they get the same check as ids placed in a path (core `pathSegment`: no `.`/`..`,
 * unreserved characters only, bounded length).
 */
export const optionalId = (value: unknown, field: string): E.Either<GatewayError, string | undefined> =>
  value === undefined ? E.right(undefined) : pathSegment(value, field);

/** An optional chain filter or field: either name accepted, the environment's sent (`chainFor`). */
export const optionalChain = (value: unknown, environment: ChainEnvironment, field = 'chain'): E.Either<GatewayError, Chain | undefined> =>
  value === undefined ? E.right(undefined) : chainFor(value, environment, field);

/** Free text of `min`–`max` characters once trimmed (a memo, a name); returned as given. */
export const boundedText = (value: unknown, field: string, min: number, max: number): E.Either<GatewayError, string> =>
  typeof value === 'string' && value.trim().length >= min && value.trim().length <= max
    ? E.right(value)
    : E.left(invalidInput(field, `must be a string of ${min} to ${max} characters`));

/** The same, left out allowed. */
export const optionalText = (value: unknown, field: string, min: number, max: number): E.Either<GatewayError, string | undefined> =>
  value === undefined ? E.right(undefined) : boundedText(value, field, min, max);

/** A filter that must be one of the documented values. */
export const enumFilter = (value: unknown, name: string, allowed: ReadonlyArray<string>): E.Either<GatewayError, string | undefined> =>
  value === undefined
    ? E.right(undefined)
    : typeof value === 'string' && allowed.includes(value)
      ? E.right(value)
      : E.left(invalidInput(name, `must be one of ${allowed.join(', ')}`));

/** An EVM address filter or body field (`^0x[0-9a-fA-F]{40}$`, fact sheet §3). */
export const optionalAddress = (value: unknown, field: string): E.Either<GatewayError, string | undefined> =>
  value === undefined ? E.right(undefined) : checkAddress(value, field);

/** Collects the Rights of several checks into one object, or the first Left. */
export const allOf = <R extends Record<string, E.Either<GatewayError, unknown>>>(
  checks: R,
): E.Either<GatewayError, { [K in keyof R]: R[K] extends E.Either<GatewayError, infer A> ? A : never }> => {
  const out: Record<string, unknown> = {};
  for (const [key, check] of Object.entries(checks)) {
    if (E.isLeft(check)) return check;
    out[key] = check.right;
  }
  return E.right(out as { [K in keyof R]: R[K] extends E.Either<GatewayError, infer A> ? A : never });
};

/** Drops `undefined` members so a body or query carries only what the caller set. */
export const defined = <A extends Record<string, unknown>>(value: A): { [K in keyof A]: Exclude<A[K], undefined> } =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof A]: Exclude<A[K], undefined> };
