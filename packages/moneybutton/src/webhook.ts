import { createHash, timingSafeEqual } from 'node:crypto';
import { authError, decodeWith, type GatewayError, invalidInput, type PaymentEvent } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import { PROVIDER } from './errors.js';
import { type MoneyButtonPayment, gatewayPayment } from './payment.js';
import { fromPaymentJson, WebhookPaymentCodec } from './codecs/payment-json.js';

/**
 * Money Button webhooks are `POST {secret, payment}`: the app's webhook secret travels inside the
 * JSON body (moneybutton-public.md §6). A body is trusted only after its secret matched; until
 * then nothing about the payment is looked at. The payment is decoded as the record describes it
 * field by field, with both output shapes (`outputs`, `paymentOutputs`), satoshis as number or
 * string, `ntxid` from older deliveries, and any member it does not name kept in `fields`: a real
 * delivery is never refused for its shape.
 */

export type MoneyButtonPaymentEvent = PaymentEvent<MoneyButtonPayment>;

/**
 * Compares SHA-256 digests rather than the strings: `timingSafeEqual` needs equal lengths, and
 * comparing lengths first would leak the secret's length through timing.
 */
export const secretMatches = (given: string, expected: string): boolean => {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
};

const parseJson = (body: string | Buffer): E.Either<GatewayError, unknown> => {
  try {
    return E.right(JSON.parse(typeof body === 'string' ? body : body.toString('utf8')));
  } catch {
    return E.left(invalidInput('body', 'is not valid JSON'));
  }
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks and decodes one webhook delivery. `body` is the raw request body (string or Buffer) or
 * an already parsed object (a framework's JSON body parser ran first). `receivedAt` stands in for
 * the payment's `createdAt` in the gateway view when the delivery carries no date (the documented
 * payload has none).
 *
 * Only two things are refused:
 * - `AuthError` (reason `bad_credentials`, status 401): the `secret` is missing or wrong;
 * - `InvalidInput` (field `body` or `payment…`): the body is not a JSON object holding a payment,
 *   that is an object with an `id`, a `status`, an `amount` and a `currency`.
 * Every other member is optional and unknown members are kept. No error carries a secret.
 */
export const parseWebhook = (
  body: string | Buffer | unknown,
  expectedSecret: string,
  receivedAt: Date = new Date(),
): E.Either<GatewayError, MoneyButtonPaymentEvent> => {
  if (typeof expectedSecret !== 'string' || expectedSecret.length === 0) {
    return E.left(invalidInput('expectedSecret', 'must be the app webhook secret (a non-empty string)'));
  }
  const parsed = typeof body === 'string' || Buffer.isBuffer(body) ? parseJson(body) : E.right<GatewayError, unknown>(body);
  if (E.isLeft(parsed)) return parsed;
  const document = parsed.right;
  if (!isRecord(document)) return E.left(invalidInput('body', 'must be a JSON object {secret, payment}'));
  if (typeof document.secret !== 'string' || !secretMatches(document.secret, expectedSecret)) {
    return E.left(
      authError({ reason: 'bad_credentials', status: 401, message: 'The webhook secret is missing or does not match this app' }),
    );
  }
  if (!isRecord(document.payment)) return E.left(invalidInput('payment', 'must be a JSON object'));
  const payment = decodeWith(WebhookPaymentCodec, PROVIDER)(document.payment);
  if (E.isLeft(payment)) {
    const error = payment.left;
    const field = error._tag === 'DecodeError' && error.path !== '' ? `payment.${error.path}` : 'payment';
    const reason = error._tag === 'DecodeError' ? (error.errors[0] ?? 'does not match') : error.message;
    return E.left(invalidInput(field, reason, `Invalid webhook payment at ${field}: ${reason}`));
  }
  const decoded = gatewayPayment(fromPaymentJson(payment.right, document.payment), receivedAt.toISOString());
  return E.right({ paymentId: decoded.id, status: decoded.status, payment: decoded });
};
