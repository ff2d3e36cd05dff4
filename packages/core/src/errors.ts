/**
 * The one error type of paygate. Errors are plain, serialisable data (no classes, no stack,
 * no `cause` holding a raw response), so `JSON.stringify` and `util.inspect` show exactly the
 * fields below and nothing a provider or a request carried.
 */

export type AuthReason =
  | 'invalid_grant'
  | 'invalid_client'
  | 'invalid_token'
  | 'insufficient_scope'
  /** The principal may not touch this resource (a 403 that is not an RFC 6750 scope challenge). */
  | 'forbidden'
  | 'access_denied'
  | 'state_mismatch'
  | 'issuer_mismatch'
  | 'authorization_error'
  | 'refresh_failed'
  | 'session_expired'
  | 'no_session'
  | 'bad_credentials'
  | 'inactive'
  | 'locked'
  | 'lock_timeout';

export type TransportKind =
  | 'timeout'
  | 'connection'
  | 'reset'
  | 'aborted'
  | 'unavailable'
  | 'rate_limited'
  | 'protocol'
  | 'store';

/**
 * What is known about the money of a request that failed (never guessed): `placed` — the provider
 * created the payment; `not_placed` — it provably did not (the request never left, or the
 * provider refused it); `unknown` — it may have, check before trying again.
 */
export type PaymentOutcome = 'placed' | 'not_placed' | 'unknown';

/** Carried by the errors of money-moving requests (see `withPaymentOutcome`). */
export interface PaymentOutcomeFields {
  /** Set when the failed request would have moved money. */
  readonly paymentOutcome?: PaymentOutcome;
  /** The provider's id of the payment, when it is known to exist. */
  readonly paymentId?: string;
}

export interface InvalidInput {
  readonly _tag: 'InvalidInput';
  readonly message: string;
  readonly field: string;
  readonly reason: string;
}

export interface AuthError extends PaymentOutcomeFields {
  readonly _tag: 'AuthError';
  readonly message: string;
  readonly reason: AuthReason;
  readonly oauthError?: string;
  readonly status?: number;
  /** For `insufficient_scope`: the scope the server asked for, when it said. */
  readonly scope?: string;
}

export interface ProviderError extends PaymentOutcomeFields {
  readonly _tag: 'ProviderError';
  readonly message: string;
  readonly provider: string;
  readonly status: number;
  readonly code?: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly errorId?: string;
  readonly retryable: boolean;
}

export interface DecodeError extends PaymentOutcomeFields {
  readonly _tag: 'DecodeError';
  readonly message: string;
  readonly provider: string;
  /** Dotted path of the first failing value, e.g. `orders.3.meta.state`; empty for the whole body. */
  readonly path: string;
  readonly errors: ReadonlyArray<string>;
}

export interface TransportError extends PaymentOutcomeFields {
  readonly _tag: 'TransportError';
  readonly message: string;
  readonly kind: TransportKind;
  readonly attempts: number;
  /** The last HTTP status seen, for `unavailable` and `rate_limited`. */
  readonly status?: number;
  /**
   * `true` only when the request provably never reached the provider: the connection was refused
   * or the host name did not resolve, before a byte of the request was written (on every
   * attempt). Absent means it may have arrived — a timeout, a reset, a response the HTTP parser
   * rejected, a 5xx from a gateway.
   */
  readonly neverSent?: true;
}

export interface Unsupported {
  readonly _tag: 'Unsupported';
  readonly message: string;
  readonly provider: string;
  readonly capability: string;
}

export type GatewayError =
  | InvalidInput
  | AuthError
  | ProviderError
  | DecodeError
  | TransportError
  | Unsupported;

export type GatewayErrorTag = GatewayError['_tag'];

type Fields<E extends GatewayError> = Omit<E, '_tag' | 'message'> & { readonly message?: string };

/** Constructors take what a JavaScript caller passes: a non-object is read as no fields. */
const fieldsOf = <F>(fields: F): F => (typeof fields === 'object' && fields !== null ? fields : ({} as F));
const textOr = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);

export const invalidInput = (field: string, reason: string, message?: string): GatewayError => {
  const name = textOr(field, '(unknown)');
  const why = textOr(reason, 'invalid');
  return { _tag: 'InvalidInput', message: textOr(message, `Invalid ${name}: ${why}`), field: name, reason: why };
};

export const authError = (given: Fields<AuthError>): GatewayError => {
  const fields = fieldsOf(given);
  return {
    _tag: 'AuthError',
    ...fields,
    message: textOr(fields.message, `Authentication failed: ${fields.reason}`),
  };
};

export const providerError = (given: Fields<ProviderError>): GatewayError => {
  const fields = fieldsOf(given);
  return {
    _tag: 'ProviderError',
    ...fields,
    message: textOr(fields.message, `${fields.provider} answered ${fields.status}`),
  };
};

export const decodeError = (given: Fields<DecodeError>): GatewayError => {
  const fields = fieldsOf(given);
  return {
    _tag: 'DecodeError',
    ...fields,
    message: textOr(fields.message, `${fields.provider} response did not match the expected shape at ${fields.path || '(root)'}`),
  };
};

export const transportError = (given: Fields<TransportError>): GatewayError => {
  const fields = fieldsOf(given);
  return {
    _tag: 'TransportError',
    ...fields,
    message: textOr(fields.message, `Request failed (${fields.kind}) after ${fields.attempts} attempt(s)`),
  };
};

export const unsupported = (provider: string, capability: string): GatewayError => ({
  _tag: 'Unsupported',
  message: `${provider} does not support ${capability}`,
  provider,
  capability,
});

const hasTag =
  <T extends GatewayErrorTag>(tag: T) =>
  (u: unknown): u is Extract<GatewayError, { _tag: T }> =>
    typeof u === 'object' && u !== null && (u as { _tag?: unknown })._tag === tag;

export const isInvalidInput = hasTag('InvalidInput');
export const isAuthError = hasTag('AuthError');
export const isProviderError = hasTag('ProviderError');
export const isDecodeError = hasTag('DecodeError');
export const isTransportError = hasTag('TransportError');
export const isUnsupported = hasTag('Unsupported');

const TAGS: ReadonlySet<string> = new Set<GatewayErrorTag>([
  'InvalidInput',
  'AuthError',
  'ProviderError',
  'DecodeError',
  'TransportError',
  'Unsupported',
]);

export const isGatewayError = (u: unknown): u is GatewayError =>
  typeof u === 'object' &&
  u !== null &&
  TAGS.has(String((u as { _tag?: unknown })._tag)) &&
  typeof (u as { message?: unknown }).message === 'string';

export type GatewayErrorCases<R> = {
  readonly [K in GatewayErrorTag]: (error: Extract<GatewayError, { _tag: K }>) => R;
};

const caseFor = <R>(cases: GatewayErrorCases<R>, tag: GatewayErrorTag): ((e: GatewayError) => R) | undefined => {
  const handler = typeof cases === 'object' && cases !== null ? cases[tag] : undefined;
  return typeof handler === 'function' ? (handler as (e: GatewayError) => R) : undefined;
};

/**
 * Exhaustive case analysis: the compiler insists on a branch per `_tag`.
 *
 * Total for JavaScript callers: a value that is not a GatewayError (`isGatewayError`) is treated
 * as an `InvalidInput` naming `error` and goes to the `InvalidInput` branch. When `cases` has no
 * function for the branch (not an object of six functions), no `R` can be made: the result is
 * then that `InvalidInput` GatewayError itself (naming `cases.<tag>`), returned, never thrown.
 */
export const match =
  <R>(cases: GatewayErrorCases<R>) =>
  (error: GatewayError): R => {
    const subject = isGatewayError(error) ? error : invalidInput('error', 'must be a GatewayError');
    const handler = caseFor(cases, subject._tag);
    // call(cases, …): a handler that is a method of a class instance keeps its `this`.
    return handler === undefined ? (invalidInput(`cases.${subject._tag}`, 'must be a function') as R) : handler.call(cases, subject);
  };

const REDACTED = '[redacted]';

/** Secrets shorter than 4 characters are ignored: replacing them would shred ordinary text. */
const meaningfulSecrets = (secrets: ReadonlyArray<string>): ReadonlyArray<string> =>
  Array.isArray(secrets) ? secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4) : [];

const replaceSecrets = (text: string, secrets: ReadonlyArray<string>): string => {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  return out;
};

/** Replaces every occurrence of the given secret values in a piece of text with `[redacted]`. */
export const scrubText = (text: string, secrets: ReadonlyArray<string>): string =>
  typeof text === 'string' ? replaceSecrets(text, meaningfulSecrets(secrets)) : '';

/** Provider text that ends up in an error is bounded; this many characters are kept. */
export const MAX_PROVIDER_TEXT = 200;

/**
 * Makes provider text safe to put in an error: secrets are redacted FIRST (so cutting the text
 * short can never leave the first half of a secret behind), then control characters become
 * spaces, then the text is cut to `max` characters with an ellipsis.
 */
export const boundText = (text: string, secrets: ReadonlyArray<string>, max = MAX_PROVIDER_TEXT): string => {
  const redacted = scrubText(text, secrets);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const printable = redacted.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return printable.length > max ? `${printable.slice(0, max)}…` : printable;
};

/**
 * Copies a value with every string (object keys included) scrubbed. Iterative rather than
 * recursive, so no depth limit and no stack overflow on a deeply nested body; a value met again
 * (a cycle, or a shared sub-object) is replaced by its already-scrubbed copy. Property getters
 * are never invoked: only own enumerable data properties are read.
 */
const scrubValue = (root: unknown, secrets: ReadonlyArray<string>): unknown => {
  const copies = new Map<object, unknown>();
  const scrubLeaf = (value: unknown): unknown => (typeof value === 'string' ? replaceSecrets(value, secrets) : value);
  if (typeof root !== 'object' || root === null) return scrubLeaf(root);
  const pending: Array<{ readonly source: object; readonly target: Record<string, unknown> | unknown[] }> = [];
  const copyOf = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return scrubLeaf(value);
    const seen = copies.get(value);
    if (seen !== undefined) return seen;
    const target: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
    copies.set(value, target);
    pending.push({ source: value, target });
    return target;
  };
  const top = copyOf(root);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { source, target } = next;
    for (const key of Object.keys(source)) {
      const descriptor = Object.getOwnPropertyDescriptor(source, key);
      const value = descriptor !== undefined && 'value' in descriptor ? descriptor.value : undefined;
      const cleanKey = Array.isArray(target) ? key : replaceSecrets(key, secrets);
      // defineProperty, not assignment: a key such as `__proto__` stays an own data property.
      Object.defineProperty(target, cleanKey, { value: copyOf(value), enumerable: true, writable: true, configurable: true });
    }
  }
  return top;
};

/**
 * Replaces every occurrence of the given secret values in an error's strings (message, details,
 * nested provider bodies, and object keys), at any depth and safely for cyclic values. The HTTP
 * client calls it with the credentials of the request that failed, so a provider echoing a token
 * or password back in its error body cannot leak it. Secrets shorter than 4 characters are
 * ignored: replacing them would shred ordinary text.
 */
export const scrubSecrets = <E extends GatewayError>(error: E, secrets: ReadonlyArray<string>): E => {
  const meaningful = meaningfulSecrets(secrets);
  if (meaningful.length === 0) return error;
  return scrubValue(error, meaningful) as E;
};
