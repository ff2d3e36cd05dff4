import type { IncomingMessage, ServerResponse } from 'node:http';
import { type GatewayError, invalidInput, publishWebhookReceived } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import { createDeliveryDedupe, DEFAULT_DEDUPE_CAPACITY } from './delivery-dedupe.js';
import { type MoneyButtonPaymentEvent, parseWebhook } from './webhook.js';

/** Why a delivery was not handed to `onEvent`, or why `onEvent` failed. */
export type WebhookFailure =
  /** Refused before `onEvent`: bad JSON or payment (400), wrong secret (401), not a POST (405), too large (413). */
  | { readonly kind: 'rejected'; readonly status: 400 | 401 | 405 | 413; readonly error: GatewayError }
  /** `onEvent` threw or rejected; answered 500 so Money Button delivers it again. */
  | { readonly kind: 'handler_failed'; readonly paymentId: string; readonly cause: unknown };

export interface WebhookHandlerOptions {
  readonly onError?: (failure: WebhookFailure) => void;
  /** Largest body accepted, in bytes. Default 64 KiB (a payment notification is a few KiB). */
  readonly maxBodyBytes?: number;
  /** How many (payment id, status) pairs are remembered to drop duplicate deliveries. Default 10 000. */
  readonly dedupeCapacity?: number;
}

/** Works as a node:http request listener and as an Express/Connect-style handler. */
export type WebhookRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

type BodyRead = { readonly kind: 'body'; readonly body: unknown } | { readonly kind: 'too_large' } | { readonly kind: 'aborted' };

/**
 * The body as a framework may already have read it (`req.body` from a JSON or raw body parser),
 * otherwise read from the stream up to `limit` bytes.
 */
const readBody = (req: IncomingMessage, limit: number): Promise<BodyRead> => {
  const preParsed = (req as IncomingMessage & { body?: unknown }).body;
  if (preParsed !== undefined) return Promise.resolve({ kind: 'body', body: preParsed });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'too_large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyRead) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        finish({ kind: 'too_large' });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => finish({ kind: 'body', body: Buffer.concat(chunks) }));
    req.on('error', () => finish({ kind: 'aborted' }));
    req.on('close', () => finish({ kind: 'aborted' }));
  });
};

const answer = (res: ServerResponse, status: number, body: Record<string, unknown>, close = false): void => {
  if (res.headersSent || res.writableEnded) return;
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  if (close) res.setHeader('connection', 'close');
  res.end(JSON.stringify(body));
};

const statusOf = (error: GatewayError): 400 | 401 => (error._tag === 'AuthError' ? 401 : 400);

/**
 * An HTTP endpoint for Money Button webhooks. Answers 200 once `onEvent` has accepted an event
 * (or for a duplicate of one already accepted), 400 for a malformed body, 401 for a wrong secret,
 * 405 for anything but POST, 413 for a body over the limit, and 500 when `onEvent` fails (the
 * delivery is then forgotten, so a redelivery is processed again). Answers never echo the body,
 * and error messages never contain a secret.
 */
export const webhookHandler = (
  secret: string,
  onEvent: (event: MoneyButtonPaymentEvent) => void | Promise<void>,
  options: WebhookHandlerOptions = {},
): WebhookRequestHandler => {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const dedupe = createDeliveryDedupe(options.dedupeCapacity ?? DEFAULT_DEDUPE_CAPACITY);
  const report = (failure: WebhookFailure) => {
    if (failure.kind === 'rejected') publishWebhookReceived({ provider: 'moneybutton', outcome: 'rejected' });
    try {
      options.onError?.(failure);
    } catch {
      // A failing error callback must not turn into an unanswered request.
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      const error = invalidInput('method', 'must be POST', 'Webhooks are delivered with POST');
      answer(res, 405, { error: error.message });
      report({ kind: 'rejected', status: 405, error });
      return;
    }
    const read = await readBody(req, limit);
    if (read.kind === 'aborted') return;
    if (read.kind === 'too_large') {
      const error = invalidInput('body', `is larger than ${limit} bytes`);
      answer(res, 413, { error: error.message }, true);
      report({ kind: 'rejected', status: 413, error });
      return;
    }
    const parsed = parseWebhook(read.body, secret);
    if (E.isLeft(parsed)) {
      const status = statusOf(parsed.left);
      answer(res, status, { error: parsed.left.message });
      report({ kind: 'rejected', status, error: parsed.left });
      return;
    }
    const event = parsed.right;
    const key = `${event.paymentId}\u0000${event.payment.raw.status}`;
    const observed = { provider: 'moneybutton', eventType: event.payment.raw.status } as const;
    if (!dedupe.claim(key)) {
      publishWebhookReceived({ ...observed, outcome: 'duplicate' });
      answer(res, 200, { received: true, duplicate: true });
      return;
    }
    publishWebhookReceived({ ...observed, outcome: 'accepted' });
    try {
      await onEvent(event);
    } catch (cause) {
      dedupe.release(key);
      answer(res, 500, { error: 'The event could not be processed' });
      report({ kind: 'handler_failed', paymentId: event.paymentId, cause });
      return;
    }
    answer(res, 200, { received: true });
  };

  return (req, res) => {
    void handle(req, res);
  };
};
