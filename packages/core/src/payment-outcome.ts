/**
 * Money moves once. A request that may move money (a payout, an asset mint) is sent exactly once,
 * and every failure of it says what is known about the money: `placed`, `not_placed` or
 * `unknown`. Only `not_placed` makes a retry safe; `placed` and `unknown` never invite one.
 *
 * Adapters use `sendPayment` for each money-moving call; `paymentOutcomeOf` and
 * `withPaymentOutcome` are the two steps it is made of, for calls that need their own flow.
 */
import * as E from 'fp-ts/lib/Either.js';
import type * as T from 'fp-ts/lib/Task.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type * as t from 'io-ts/lib/index.js';
import { type GatewayError, invalidInput, isGatewayError, type PaymentOutcome, type PaymentOutcomeFields } from './errors.js';
import { decodeResponse, type HttpResponse } from './http.js';

const idText = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;

const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;

/**
 * Reads a payment id from a body that failed its codec, without trusting anything else in it:
 * the top-level `id` (Monerium), else `data.id` (JSON:API, Money Button); a string or a number.
 */
export const lenientPaymentId = (body: unknown): string | undefined => idText(field(body, 'id')) ?? idText(field(field(body, 'data'), 'id'));

const OUTCOMES: ReadonlySet<PaymentOutcome> = new Set<PaymentOutcome>(['placed', 'not_placed', 'unknown']);

/**
 * What the failure of a money-moving request proves by itself, before any lookup:
 * - `not_placed`: nothing was sent (`InvalidInput`, `Unsupported`, a `TransportError` with
 *   `neverSent`, or of kind `store`: the token store failed before the request), or the provider
 *   refused it (`AuthError`; a 4xx `ProviderError` other than 408 Request Timeout and 409
 *   Conflict; a 429).
 * - `unknown`: everything else — a timeout, a reset, a response the parser rejected, any 5xx or
 *   gateway error, a `DecodeError` of something around the request (a token response). Reconcile
 *   (look the payment up) before saying more.
 * An outcome the error already carries is kept.
 *
 * Total for JavaScript callers: a value that is not a GatewayError (`isGatewayError`) answers
 * `unknown`. Nothing proves that such a failure did not move money, so the one answer that never
 * invites a second payment is the safe one; a carried `paymentOutcome` that is not one of the
 * three values is ignored the same way.
 */
export const paymentOutcomeOf = (error: GatewayError): PaymentOutcome => {
  if (!isGatewayError(error)) return 'unknown';
  const { paymentOutcome } = error as PaymentOutcomeFields;
  const carried = paymentOutcome !== undefined && OUTCOMES.has(paymentOutcome) ? paymentOutcome : undefined;
  switch (error._tag) {
    case 'InvalidInput':
    case 'Unsupported':
      return 'not_placed';
    case 'AuthError':
      return carried ?? 'not_placed';
    case 'ProviderError':
      return (
        carried ?? (error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 409 ? 'not_placed' : 'unknown')
      );
    case 'DecodeError':
      return carried ?? 'unknown';
    case 'TransportError':
      return (
        carried ??
        (error.neverSent === true || error.kind === 'store' || error.kind === 'rate_limited' ? 'not_placed' : 'unknown')
      );
  }
};

const SAYS: Readonly<Record<PaymentOutcome, string>> = {
  placed: 'the payment was placed: do not send it again',
  not_placed: 'the payment was not placed',
  unknown: 'whether the payment was placed is unknown: look it up before trying again',
};

/**
 * Attaches `paymentOutcome` (and the payment id, when known) to the error of a money-moving
 * request and appends what it means to the message. A `ProviderError` becomes
 * `retryable: false`: the provider has seen that request, so only a lookup, never a blind resend,
 * is safe. `InvalidInput` and `Unsupported` are returned unchanged (nothing was sent).
 *
 * Total for JavaScript callers: a value that is not a GatewayError (`isGatewayError`) gives an
 * `InvalidInput` naming `error` (there is no error to annotate); an `outcome` that is not one of
 * the three values is taken as `unknown` (the original error is kept, and nothing claims the
 * money did not move); a `paymentId` that is not a string is left out.
 */
export const withPaymentOutcome = (error: GatewayError, given: PaymentOutcome, paymentId?: string): GatewayError => {
  if (!isGatewayError(error)) return invalidInput('error', 'must be a GatewayError');
  if (error._tag === 'InvalidInput' || error._tag === 'Unsupported') return error;
  const outcome: PaymentOutcome = OUTCOMES.has(given) ? given : 'unknown';
  const id = typeof paymentId === 'string' ? paymentId : typeof error.paymentId === 'string' ? error.paymentId : undefined;
  const said = Object.values(SAYS).find((text) => error.message.endsWith(`; ${text}`));
  const base = said === undefined ? error.message : error.message.slice(0, -(said.length + 2));
  const message = `${base}; ${SAYS[outcome]}`;
  const fields = { paymentOutcome: outcome, ...(id === undefined ? {} : { paymentId: id }), message };
  return error._tag === 'ProviderError' ? { ...error, ...fields, retryable: false } : { ...error, ...fields };
};

/** A money-moving request for `sendPayment`. */
export interface PaymentCall<A> {
  readonly provider: string;
  /** Sends the request once (no retry without an idempotency key) and yields the raw 2xx answer. */
  readonly send: TE.TaskEither<GatewayError, HttpResponse>;
  /** The 2xx body's shape. */
  readonly codec: t.Decoder<unknown, A>;
  /** Reads the payment id from a body the codec refused; default `lenientPaymentId`. */
  readonly idOf?: (body: unknown) => string | undefined;
  /**
   * Called once when the failure leaves the outcome `unknown`: looks the payment up and yields it
   * only when it is certainly this request's (never a look-alike), else undefined. Without it,
   * such a failure ends `unknown`.
   */
  readonly reconcile?: (error: GatewayError) => T.Task<A | undefined>;
}

/** Refuses, before anything is sent, a call that is not one. */
const checkCall = (call: unknown): E.Either<GatewayError, void> => {
  if (typeof call !== 'object' || call === null) return E.left(invalidInput('call', 'must be { provider, send, codec, … }'));
  const c = call as Partial<Record<keyof PaymentCall<unknown>, unknown>>;
  if (typeof c.provider !== 'string') return E.left(invalidInput('provider', 'must be a string'));
  if (typeof c.send !== 'function') return E.left(invalidInput('send', 'must be a TaskEither'));
  const codec = c.codec as { decode?: unknown } | null | undefined;
  if (typeof codec !== 'object' || codec === null || typeof codec.decode !== 'function') return E.left(invalidInput('codec', 'must be an io-ts decoder'));
  for (const name of ['idOf', 'reconcile'] as const) {
    if (c[name] !== undefined && typeof c[name] !== 'function') return E.left(invalidInput(name, 'must be a function'));
  }
  return E.right(undefined);
};

/**
 * Runs a money-moving request so that no answer invites a second payment:
 * - 2xx that decodes → `Right`;
 * - 2xx that does not decode → `DecodeError` with `paymentOutcome: 'placed'` and the id read
 *   leniently (the payment exists);
 * - failure → `paymentOutcomeOf`; when `unknown`, `reconcile` may find the payment (→ `Right`),
 *   otherwise the error carries `unknown`. Never `not_placed` without proof (see `paymentOutcomeOf`).
 */
export const sendPayment =
  <A>(call: PaymentCall<A>): TE.TaskEither<GatewayError, A> =>
  async () => {
    const checked = checkCall(call);
    if (E.isLeft(checked)) return checked;
    const sent = await call.send();
    if (E.isRight(sent)) {
      const decoded = decodeResponse(call.codec, call.provider)(sent.right);
      if (E.isRight(decoded)) return decoded;
      const { body, isJson } = sent.right;
      return E.left(withPaymentOutcome(decoded.left, 'placed', isJson ? (call.idOf ?? lenientPaymentId)(body) : undefined));
    }
    const error = sent.left;
    const outcome = paymentOutcomeOf(error);
    if (outcome === 'unknown' && call.reconcile !== undefined) {
      const found = await call.reconcile(error)();
      if (found !== undefined) return E.right(found);
    }
    return E.left(withPaymentOutcome(error, outcome));
  };
