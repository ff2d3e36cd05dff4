import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts/lib/index.js';
import { type GatewayError, invalidInput } from '@paygate/core';
import { checkAddress } from '../address.js';

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

type Query = Record<string, string>;

/** Adds optional string filters to a query, refusing empty strings before anything is sent. */
export const stringFilters = <K extends string>(
  filters: Partial<Record<K, unknown>>,
  names: ReadonlyArray<K>,
): E.Either<GatewayError, Query> => {
  const query: Query = {};
  for (const name of names) {
    const value = filters[name];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.trim().length === 0) return E.left(invalidInput(name, 'must be a non-empty string'));
    query[name] = value;
  }
  return E.right(query);
};

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
