import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts/lib/index.js';
import type * as StandardWebhooks from 'standardwebhooks';
import type { Webhook } from 'standardwebhooks';
import {
  authError,
  createMemoryDeliveryDedupe,
  DEFAULT_DELIVERY_TTL_MS,
  type DeliveryDedupe,
  decodeWith,
  detach,
  type GatewayError,
  hasMethods,
  invalidInput,
  optionalNumber,
  requireRecord,
} from '@paygate/core';
import { type Iban, IbanCodec } from './ibans.js';
import { type Order, OrderCodec } from './orders.js';
import { type Profile, ProfileCodec } from './profiles.js';
import { checkWebhookSecret } from './webhooks.js';

export const ProfileErrorCodec = t.type({
  id: t.string,
  kind: t.string,
  errors: t.array(t.type({ field: t.string, reason: t.string })),
});
export type ProfileErrorData = t.TypeOf<typeof ProfileErrorCodec>;

interface Envelope<Type extends string, Data> {
  /** The `webhook-id` header: the same for every retry of one delivery. */
  readonly deliveryId: string;
  readonly type: Type;
  readonly timestamp: string;
  readonly data: Data;
}

/** A verified, decoded Monerium delivery (fact sheet §5: `{type, timestamp, data}`). */
export type MoneriumWebhookEvent =
  | Envelope<'order.created' | 'order.updated', Order>
  | Envelope<'profile.updated', Profile>
  | Envelope<'iban.updated', Iban>
  | Envelope<'profile.error', ProfileErrorData>
  /** The handshake Monerium sends when a subscription is created or updated; answered 200. */
  | Envelope<'subscription.created', undefined>
  /** A type this release does not know, kept as sent. */
  | Envelope<'unknown', { readonly type: string; readonly body: unknown }>;

/** Why a delivery was answered with an error, or why the app's handler failed. */
export type WebhookFailure =
  | { readonly kind: 'rejected'; readonly status: 400 | 401 | 405 | 413; readonly error: GatewayError }
  | { readonly kind: 'dedupe_failed'; readonly deliveryId: string; readonly error: GatewayError }
  | { readonly kind: 'handler_failed'; readonly deliveryId: string; readonly cause: unknown };

export interface WebhookReceiverOptions {
  /** The subscription's `whsec_` secret. */
  readonly secret: string;
  /** Shared across instances (`@paygate/token-store-redis`) so a cluster processes each delivery once. Memory by default. */
  readonly dedupe?: DeliveryDedupe;
  /** How long a delivery id is remembered. Default 24 h (Monerium retries for 12 h). */
  readonly dedupeTtlMs?: number;
  /** Largest body accepted. Default 256 KiB. */
  readonly maxBodyBytes?: number;
  readonly onError?: (failure: WebhookFailure) => void;
}

export type WebhookListener = (event: MoneriumWebhookEvent) => void | Promise<void>;

/** A framework-neutral request: the raw body exactly as received and the headers (lower-case names). */
export interface WebhookRequest {
  readonly body: string | Uint8Array;
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>;
}

export interface WebhookAnswer {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
}

export interface WebhookReceiver {
  /** Verifies the signature and decodes the envelope; touches nothing else. */
  verify(request: WebhookRequest): E.Either<GatewayError, MoneriumWebhookEvent>;
  /** Verify → decode → dedupe by `webhook-id` → every listener; the status to answer Monerium with. */
  handle(request: WebhookRequest): Promise<WebhookAnswer>;
  /** A node:http / Express-style request listener (mount it on the subscription's URL). */
  readonly listener: (req: IncomingMessage, res: ServerResponse) => void;
  /** Adds a listener; the returned function removes it. A listener that throws makes the delivery fail (500, redelivered). */
  subscribe(listener: WebhookListener): () => void;
}

const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/** The options a JavaScript caller may get wrong, checked before anything is built. */
const checkReceiverOptions = (options: unknown): E.Either<GatewayError, { readonly ttlMs: number; readonly limit: number }> => {
  const record = requireRecord(options, 'options');
  if (E.isLeft(record)) return record;
  const o = record.right;
  if (o.dedupe !== undefined && !hasMethods(o.dedupe, ['claim', 'release'])) return E.left(invalidInput('dedupe', 'must be a DeliveryDedupe (claim, release)'));
  if (o.onError !== undefined && typeof o.onError !== 'function') return E.left(invalidInput('onError', 'must be a function'));
  const ttlMs = optionalNumber(o.dedupeTtlMs, DEFAULT_DELIVERY_TTL_MS, 'dedupeTtlMs', { min: 1, max: Number.MAX_SAFE_INTEGER });
  if (E.isLeft(ttlMs)) return ttlMs;
  const limit = optionalNumber(o.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, 'maxBodyBytes', { min: 1, max: 64 * 1024 * 1024 });
  if (E.isLeft(limit)) return limit;
  return E.right({ ttlMs: ttlMs.right, limit: limit.right });
};

/** A request handed to `verify`/`handle`: headers an object, the body the raw string or bytes. */
const checkRequest = (request: unknown): E.Either<GatewayError, void> => {
  const record = requireRecord(request, 'request');
  if (E.isLeft(record)) return record;
  const headers = requireRecord(record.right.headers, 'request.headers');
  if (E.isLeft(headers)) return headers;
  const { body } = record.right;
  return typeof body === 'string' || body instanceof Uint8Array ? E.right(undefined) : E.left(invalidInput('request.body', 'must be the raw body (string or bytes)'));
};

const EnvelopeCodec = t.intersection([t.type({ type: t.string }), t.partial({ timestamp: t.string, data: t.unknown })]);

const single = (value: string | ReadonlyArray<string> | undefined): string | undefined => (typeof value === 'string' ? value : value?.[0]);

const decodeData = <A>(codec: t.Decoder<unknown, A>, data: unknown): E.Either<GatewayError, A> =>
  E.mapLeft((error: GatewayError) =>
    error._tag === 'DecodeError' ? { ...error, path: error.path === '' ? 'data' : `data.${error.path}` } : error,
  )(decodeWith(codec, 'monerium')(data));

const decodeEvent = (deliveryId: string, body: unknown): E.Either<GatewayError, MoneriumWebhookEvent> => {
  const envelope = decodeWith(EnvelopeCodec, 'monerium')(body);
  if (E.isLeft(envelope)) return envelope;
  const { type, data } = envelope.right;
  const timestamp = envelope.right.timestamp ?? '';
  switch (type) {
    case 'order.created':
    case 'order.updated':
      return E.map((order: Order): MoneriumWebhookEvent => ({ deliveryId, type, timestamp, data: order }))(decodeData(OrderCodec, data));
    case 'profile.updated':
      return E.map((profile: Profile): MoneriumWebhookEvent => ({ deliveryId, type, timestamp, data: profile }))(decodeData(ProfileCodec, data));
    case 'iban.updated':
      return E.map((iban: Iban): MoneriumWebhookEvent => ({ deliveryId, type, timestamp, data: iban }))(decodeData(IbanCodec, data));
    case 'profile.error':
      return E.map((error: ProfileErrorData): MoneriumWebhookEvent => ({ deliveryId, type, timestamp, data: error }))(
        decodeData(ProfileErrorCodec, data),
      );
    case 'subscription.created':
      return E.right({ deliveryId, type, timestamp, data: undefined });
    default:
      return E.right({ deliveryId, type: 'unknown', timestamp, data: { type, body } });
  }
};

const readBody = (req: IncomingMessage, limit: number): Promise<Buffer | 'too_large' | 'aborted'> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: Buffer | 'too_large' | 'aborted') => {
      if (done) return;
      done = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish('too_large');
      else chunks.push(chunk);
    });
    req.on('end', () => finish(Buffer.concat(chunks)));
    req.on('error', () => finish('aborted'));
    req.on('close', () => finish('aborted'));
  });

/**
 * The Monerium v2 webhook endpoint. Signatures are Standard Webhooks (HMAC-SHA256 over
 * `id.timestamp.body`, `v1,<base64>` entries separated by spaces, 5-minute window, constant-time
 * compare), checked by the `standardwebhooks` package. Answers: 200 once every listener accepted
 * the event (or for a delivery already processed, or for the `subscription.created` handshake);
 * 400 malformed; 401 bad signature or stale timestamp; 405 not POST; 413 too large; 500 when a
 * listener failed or the dedupe store is unreachable — the delivery is then released so
 * Monerium's retry (same `webhook-id`) is processed.
 */
let standardWebhooksModule: typeof StandardWebhooks | undefined;

/**
 * standardwebhooks (with @stablelib/base64 and fast-sha256) is loaded when the first receiver is
 * created, not when `@paygate/monerium` is imported: most processes never receive a webhook.
 */
const standardWebhooks = (): typeof StandardWebhooks => {
  standardWebhooksModule ??= createRequire(import.meta.url)('standardwebhooks') as typeof StandardWebhooks;
  return standardWebhooksModule;
};

export const createWebhookReceiver = (options: WebhookReceiverOptions): E.Either<GatewayError, WebhookReceiver> => {
  const checkedOptions = checkReceiverOptions(options);
  if (E.isLeft(checkedOptions)) return checkedOptions;
  const { ttlMs, limit } = checkedOptions.right;
  const secret = checkWebhookSecret(options.secret);
  if (E.isLeft(secret)) return secret;
  let webhook: Webhook;
  try {
    webhook = new (standardWebhooks().Webhook)(secret.right);
  } catch {
    return E.left(invalidInput('secret', 'is not a valid whsec_ secret'));
  }
  const dedupe = options.dedupe ?? createMemoryDeliveryDedupe();
  const listeners = new Set<WebhookListener>();
  const report = (failure: WebhookFailure) => {
    try {
      options.onError?.(failure);
    } catch {
      // An error callback that throws must not leave Monerium without an answer.
    }
  };

  const verify = (request: WebhookRequest): E.Either<GatewayError, MoneriumWebhookEvent> => {
    const checked = checkRequest(request);
    if (E.isLeft(checked)) return checked;
    const headers = {
      'webhook-id': single(request.headers['webhook-id']),
      'webhook-timestamp': single(request.headers['webhook-timestamp']),
      'webhook-signature': single(request.headers['webhook-signature']),
    };
    const deliveryId = headers['webhook-id'];
    if (deliveryId === undefined || headers['webhook-timestamp'] === undefined || headers['webhook-signature'] === undefined) {
      return E.left(authError({ reason: 'bad_credentials', message: 'The delivery lacks webhook-id, webhook-timestamp or webhook-signature' }));
    }
    const raw = typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString('utf8');
    try {
      webhook.verify(raw, headers as Record<string, string>);
    } catch {
      return E.left(authError({ reason: 'bad_credentials', message: 'The webhook signature or timestamp did not verify' }));
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return E.left(invalidInput('body', 'is not JSON'));
    }
    return decodeEvent(deliveryId, body);
  };

  const handle = async (request: WebhookRequest): Promise<WebhookAnswer> => {
    const verified = verify(request);
    if (E.isLeft(verified)) {
      const status = verified.left._tag === 'AuthError' ? 401 : 400;
      report({ kind: 'rejected', status, error: verified.left });
      return { status, body: { error: verified.left.message } };
    }
    const event = verified.right;
    if (event.type === 'subscription.created') return { status: 200, body: { received: true } };
    const claimed = await dedupe.claim(`monerium:webhook:${event.deliveryId}`, ttlMs)();
    if (E.isLeft(claimed)) {
      // Without the shared record we cannot know whether another instance took it: let Monerium retry.
      report({ kind: 'dedupe_failed', deliveryId: event.deliveryId, error: claimed.left });
      return { status: 500, body: { error: 'The delivery could not be recorded' } };
    }
    if (!claimed.right) return { status: 200, body: { received: true, duplicate: true } };
    try {
      for (const listener of [...listeners]) await listener(event);
    } catch (cause) {
      await dedupe.release(`monerium:webhook:${event.deliveryId}`)();
      report({ kind: 'handler_failed', deliveryId: event.deliveryId, cause });
      return { status: 500, body: { error: 'The event could not be processed' } };
    }
    return { status: 200, body: { received: true } };
  };

  const answer = (res: ServerResponse, result: WebhookAnswer) => {
    if (res.headersSent || res.writableEnded) return;
    res.statusCode = result.status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(result.body));
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    if (!hasMethods(req, ['on']) || !hasMethods(res, ['setHeader', 'end'])) return;
    // Whatever throws in here (a response already torn down) must not become an unhandled rejection.
    detach(async () => {
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        const error = invalidInput('method', 'must be POST');
        report({ kind: 'rejected', status: 405, error });
        answer(res, { status: 405, body: { error: error.message } });
        return;
      }
      // The signature covers the exact bytes: a framework that already parsed JSON must hand over the raw body.
      const preRead = (req as IncomingMessage & { rawBody?: unknown; body?: unknown }).rawBody ?? (req as { body?: unknown }).body;
      let body: string | Uint8Array;
      if (typeof preRead === 'string' || preRead instanceof Uint8Array) body = preRead;
      else if (preRead !== undefined) {
        const error = invalidInput('body', 'was parsed before verification; mount the receiver before any JSON body parser');
        report({ kind: 'rejected', status: 400, error });
        answer(res, { status: 400, body: { error: error.message } });
        return;
      } else {
        const read = await readBody(req, limit);
        if (read === 'aborted') return;
        if (read === 'too_large') {
          const error = invalidInput('body', `is larger than ${limit} bytes`);
          report({ kind: 'rejected', status: 413, error });
          res.setHeader('connection', 'close');
          answer(res, { status: 413, body: { error: error.message } });
          return;
        }
        body = read;
      }
      answer(res, await handle({ body, headers: req.headers }));
    }, (cause) => report({ kind: 'handler_failed', deliveryId: '', cause }));
  };

  return E.right({
    verify,
    handle,
    listener,
    subscribe: (l) => {
      if (typeof l !== 'function') return () => undefined;
      listeners.add(l);
      return () => {
        listeners.delete(l);
      };
    },
  });
};
