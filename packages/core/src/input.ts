import * as E from 'fp-ts/lib/Either.js';
import { type GatewayError, invalidInput } from './errors.js';

/**
 * Runtime checks for arguments. The types say what a TypeScript caller may pass; JavaScript
 * callers (and `JSON.parse` output) can pass anything, so every public entry point checks what it
 * reads before reading it and answers `InvalidInput` naming the field instead of throwing.
 */

/** A plain object (not null, not an array). */
export const requireRecord = (value: unknown, field: string): E.Either<GatewayError, Readonly<Record<string, unknown>>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? E.right(value as Readonly<Record<string, unknown>>)
    : E.left(invalidInput(field, 'must be an object'));

/** `undefined`, or a plain object. */
export const optionalRecord = (value: unknown, field: string): E.Either<GatewayError, Readonly<Record<string, unknown>> | undefined> =>
  value === undefined ? E.right(undefined) : requireRecord(value, field);

/** A non-empty string (whitespace-only counts as empty). */
export const requireString = (value: unknown, field: string): E.Either<GatewayError, string> =>
  typeof value === 'string' && value.trim().length > 0 ? E.right(value) : E.left(invalidInput(field, 'must be a non-empty string'));

/** A `Date` that holds a time (`new Date('x')` holds none: its `getTime()` is NaN). */
export const requireDate = (value: unknown, field: string): E.Either<GatewayError, Date> =>
  value instanceof Date && Number.isFinite(value.getTime()) ? E.right(value) : E.left(invalidInput(field, 'must be a valid Date'));

/** A function (a handler, a clock). */
export const requireFunction = <F extends (...args: never[]) => unknown>(value: unknown, field: string): E.Either<GatewayError, F> =>
  typeof value === 'function' ? E.right(value as F) : E.left(invalidInput(field, 'must be a function'));

export interface NumberRange {
  /** Smallest accepted value (inclusive). */
  readonly min: number;
  /** Largest accepted value (inclusive); default `Number.MAX_SAFE_INTEGER`. */
  readonly max?: number;
  /** Whether fractions are refused; default true (counts, sizes, milliseconds). */
  readonly integer?: boolean;
}

/**
 * A numeric option: a finite number in `[min, max]` (an integer unless `integer: false`).
 * `NaN` — what `Number(process.env.UNSET)` gives — is refused rather than silently disabling a
 * limit, and so are ±Infinity and numbers beyond the range.
 */
export const finiteNumber = (value: unknown, field: string, range: NumberRange): E.Either<GatewayError, number> => {
  if (typeof range !== 'object' || range === null || typeof range.min !== 'number') return E.left(invalidInput('range', 'must be { min, max?, integer? }'));
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  const integer = range.integer ?? true;
  if (typeof value !== 'number' || !Number.isFinite(value)) return E.left(invalidInput(field, 'must be a finite number'));
  if (integer && !Number.isInteger(value)) return E.left(invalidInput(field, 'must be a whole number'));
  if (value < range.min || value > max) return E.left(invalidInput(field, `must be between ${range.min} and ${max}`));
  return E.right(value);
};

/** A numeric option that may be left out: `undefined` gives `fallback`, anything else is checked. */
export const optionalNumber = (value: unknown, fallback: number, field: string, range: NumberRange): E.Either<GatewayError, number> =>
  value === undefined ? E.right(fallback) : finiteNumber(value, field, range);

/** The largest delay `setTimeout` honours (2^31 − 1 ms); anything larger fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Checks the numeric HTTP settings every adapter passes through to `createHttpClient`
 * (`timeoutMs`, `maxRetries`, `backoffBaseMs`, `maxBackoffMs`, `maxRetryAfterMs`): a NaN timeout
 * would mean no timeout at all, a NaN retry count unbounded retries. `field` prefixes the field
 * name in the error (`http.timeoutMs`).
 */
export const checkHttpSettings = (value: unknown, field = 'http'): E.Either<GatewayError, void> => {
  if (value === undefined) return E.right(undefined);
  const settings = requireRecord(value, field);
  if (E.isLeft(settings)) return settings;
  const checks: ReadonlyArray<readonly [string, NumberRange]> = [
    ['timeoutMs', { min: 1, max: MAX_TIMER_MS }],
    ['maxRetries', { min: 0, max: 10 }],
    ['backoffBaseMs', { min: 0, max: MAX_TIMER_MS }],
    ['maxBackoffMs', { min: 0, max: MAX_TIMER_MS }],
    ['maxRetryAfterMs', { min: 0, max: MAX_TIMER_MS }],
  ];
  for (const [name, range] of checks) {
    const checked = optionalNumber(settings.right[name], 0, `${field}.${name}`, range);
    if (E.isLeft(checked)) return checked;
  }
  for (const name of ['got', 'random', 'mapError'] as const) {
    const fn = settings.right[name];
    if (fn !== undefined && typeof fn !== 'function') return E.left(invalidInput(`${field}.${name}`, 'must be a function'));
  }
  return E.right(undefined);
};
