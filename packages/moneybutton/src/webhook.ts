import { createHash, timingSafeEqual } from 'node:crypto';
import { authError, decodeWith, type GatewayError, invalidInput, type PaymentEvent } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import { PROVIDER } from './errors.js';
import { type MoneyButtonPayment, toGatewayPayment } from './payment.js';
import { fromPaymentJson, PaymentJsonCodec } from './payments-v2.js';

/**
 * Money Button webhooks are `POST {secret, payment}`: the app's webhook secret travels inside the
 * JSON body (NOTES.md), and `payment` is the payment as API v2 shows it. A body is trusted only
 * after its secret matched; until then nothing about the payment is looked at.
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
 * an already parsed object (a framework's JSON body parser ran first).
 *
 * Errors: `InvalidInput` (field `body`) for a body that is not a JSON object or has no `secret`;
 * `AuthError` (reason `bad_credentials`, status 401) for a wrong secret; `InvalidInput` naming the
 * field (e.g. `payment.status` for a status Money Button does not document) for a bad payment.
 * No error carries the expected or the received secret.
 */
export const parseWebhook = (
  body: string | Buffer | unknown,
  expectedSecret: string,
): E.Either<GatewayError, MoneyButtonPaymentEvent> => {
  if (typeof expectedSecret !== 'string' || expectedSecret.length === 0) {
    return E.left(invalidInput('expectedSecret', 'must be the app webhook secret (a non-empty string)'));
  }
  const parsed = typeof body === 'string' || Buffer.isBuffer(body) ? parseJson(body) : E.right<GatewayError, unknown>(body);
  if (E.isLeft(parsed)) return parsed;
  const document = parsed.right;
  if (!isRecord(document)) return E.left(invalidInput('body', 'must be a JSON object {secret, payment}'));
  if (typeof document.secret !== 'string') return E.left(invalidInput('body', 'has no webhook secret'));
  if (!secretMatches(document.secret, expectedSecret)) {
    return E.left(
      authError({ reason: 'bad_credentials', status: 401, message: 'The webhook secret does not match this app' }),
    );
  }
  const payment = decodeWith(PaymentJsonCodec, PROVIDER)(document.payment);
  if (E.isLeft(payment)) {
    const error = payment.left;
    const field = error._tag === 'DecodeError' && error.path !== '' ? `payment.${error.path}` : 'payment';
    const reason = error._tag === 'DecodeError' ? (error.errors[0] ?? 'does not match') : error.message;
    return E.left(invalidInput(field, reason, `Invalid webhook payment at ${field}: ${reason}`));
  }
  const decoded = toGatewayPayment(fromPaymentJson(payment.right));
  return E.right({ paymentId: decoded.id, status: decoded.status, payment: decoded });
};
