import { channel } from 'node:diagnostics_channel';
import type * as E from 'fp-ts/lib/Either.js';
import type { GatewayError, TransportKind } from './errors.js';

// Request lifecycle hooks, published on Node's diagnostics_channel (the mechanism undici and
// Node's own http use): nothing is built or sent unless something subscribed, so an app that
// observes nothing pays one `hasSubscribers` check per request attempt. Events carry no secret:
// no header, no query, no body, and the path with its id-like segments replaced by `{id}`.

/** The channel names, for subscribers that use `node:diagnostics_channel` directly. */
export const PAYGATE_CHANNELS = {
  requestStart: 'paygate:request:start',
  requestEnd: 'paygate:request:end',
  tokenRenewal: 'paygate:token:renewal',
  webhookReceived: 'paygate:webhook:received',
} as const;

/** One attempt of one HTTP request (a retried request has attempts 1, 2, …). */
export interface RequestStartEvent {
  /** Correlates the start and end of one attempt within this process. */
  readonly id: number;
  readonly provider: string;
  /** What the adapter called it (`orders.list`), else `<METHOD> <pathTemplate>`. */
  readonly operation: string;
  readonly method: string;
  /** The path with id-like segments replaced by `{id}` (`/orders/{id}`), never a query string. */
  readonly pathTemplate: string;
  readonly attempt: number;
  /** `performance.now()` when the attempt started. */
  readonly startedAt: number;
}

/** Why an attempt is followed by another one. */
export type RetryReason = TransportKind | 'status_429' | 'status_502' | 'status_503' | 'status_504';

export interface RequestEndEvent extends RequestStartEvent {
  /** The HTTP status, when a response arrived. */
  readonly status?: number;
  /** The network failure, when none did. */
  readonly transportKind?: TransportKind;
  readonly durationMs: number;
  /** Set when the client retries after this attempt, saying why. */
  readonly retryReason?: RetryReason;
}

/** A session renewed by the token manager: a refresh-token grant, or a new login (`obtain`). */
export interface TokenRenewalEvent {
  /** The first segment of the session key (`monerium` of `monerium:<client>:<user>`). */
  readonly provider: string;
  readonly grant: 'refresh' | 'obtain';
  readonly outcome: 'renewed' | 'failed';
  /** The failure's `_tag` and, for an AuthError, its reason. */
  readonly errorTag?: GatewayError['_tag'];
  readonly errorReason?: string;
  readonly durationMs: number;
}

/** A webhook delivery an adapter's handler received. */
export interface WebhookReceivedEvent {
  readonly provider: string;
  /** `accepted` (handed to the app), `duplicate` (already processed), `rejected` (failed verification or decoding). */
  readonly outcome: 'accepted' | 'duplicate' | 'rejected';
  /** The provider's event type or payment status, when known. */
  readonly eventType?: string;
}

/** What `subscribePaygateHooks` calls; every hook is optional. A hook that throws is ignored. */
export interface PaygateHooks {
  onRequestStart?(event: RequestStartEvent): void;
  onRequestEnd?(event: RequestEndEvent): void;
  onTokenRenewal?(event: TokenRenewalEvent): void;
  onWebhookReceived?(event: WebhookReceivedEvent): void;
}

const requestStart = channel(PAYGATE_CHANNELS.requestStart);
const requestEnd = channel(PAYGATE_CHANNELS.requestEnd);
const tokenRenewal = channel(PAYGATE_CHANNELS.tokenRenewal);
const webhookReceived = channel(PAYGATE_CHANNELS.webhookReceived);

const guarded =
  <A>(hook: ((event: A) => void) | undefined) =>
  (message: unknown): void => {
    try {
      hook?.(message as A);
    } catch {
      // An observer must never break a payment.
    }
  };

/**
 * Calls `hooks` for every request attempt, session renewal and webhook delivery of every paygate
 * client in this process. Returns the function that unsubscribes them.
 */
export const subscribePaygateHooks = (hooks: PaygateHooks): (() => void) => {
  const pairs = [
    [requestStart, guarded(hooks.onRequestStart?.bind(hooks))],
    [requestEnd, guarded(hooks.onRequestEnd?.bind(hooks))],
    [tokenRenewal, guarded(hooks.onTokenRenewal?.bind(hooks))],
    [webhookReceived, guarded(hooks.onWebhookReceived?.bind(hooks))],
  ] as const;
  for (const [ch, listener] of pairs) ch.subscribe(listener);
  return () => {
    for (const [ch, listener] of pairs) ch.unsubscribe(listener);
  };
};

const ID_SEGMENT = [
  /^\d+$/, // numeric ids
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, // UUIDs
  /^0x[0-9a-f]+$/i, // blockchain addresses and hashes
  /@/, // e-mail addresses, paymails
  /^(?=.*\d)[A-Za-z0-9_~.%|-]{12,}$/, // long opaque tokens that contain a digit
];

/** `/profiles/5f0c…/balances` → `/profiles/{id}/balances`; the query string is dropped. */
export const pathTemplateOf = (path: string): string =>
  (path.split('?')[0] ?? '')
    .split('/')
    .map((segment) => (ID_SEGMENT.some((pattern) => pattern.test(decodeURIComponent(segment))) ? '{id}' : segment))
    .join('/');

let nextId = 0;

export interface AttemptObservation {
  end(result: { readonly status: number } | { readonly transportKind: TransportKind }, willRetry: boolean): void;
}

/**
 * Publishes the start of a request attempt and returns what publishes its end, or undefined (and
 * builds nothing) when no one listens.
 */
export const observeAttempt = (
  provider: string,
  request: { readonly method: string; readonly path: string; readonly operation?: string; readonly pathTemplate?: string },
  attempt: number,
): AttemptObservation | undefined => {
  if (!requestStart.hasSubscribers && !requestEnd.hasSubscribers) return undefined;
  const pathTemplate = request.pathTemplate ?? pathTemplateOf(request.path);
  nextId += 1;
  const start: RequestStartEvent = {
    id: nextId,
    provider,
    operation: request.operation ?? `${request.method} ${pathTemplate}`,
    method: request.method,
    pathTemplate,
    attempt,
    startedAt: performance.now(),
  };
  if (requestStart.hasSubscribers) requestStart.publish(start);
  return {
    end: (result, willRetry) => {
      if (!requestEnd.hasSubscribers) return;
      const retryReason: RetryReason | undefined = !willRetry
        ? undefined
        : 'status' in result
          ? (`status_${result.status}` as RetryReason)
          : result.transportKind;
      const event: RequestEndEvent = {
        ...start,
        ...result,
        durationMs: performance.now() - start.startedAt,
        ...(retryReason === undefined ? {} : { retryReason }),
      };
      requestEnd.publish(event);
    },
  };
};

/** Runs a session renewal, publishing its outcome when someone listens. */
export const observeTokenRenewal = async <A>(
  key: string,
  grant: TokenRenewalEvent['grant'],
  run: () => Promise<E.Either<GatewayError, A>>,
): Promise<E.Either<GatewayError, A>> => {
  if (!tokenRenewal.hasSubscribers) return run();
  const startedAt = performance.now();
  const result = await run();
  const error = result._tag === 'Left' ? result.left : undefined;
  const event: TokenRenewalEvent = {
    provider: key.split(':')[0] ?? key,
    grant,
    outcome: error === undefined ? 'renewed' : 'failed',
    ...(error === undefined ? {} : { errorTag: error._tag }),
    ...(error?._tag === 'AuthError' ? { errorReason: error.reason } : {}),
    durationMs: performance.now() - startedAt,
  };
  tokenRenewal.publish(event);
  return result;
};

/** For adapters' webhook handlers: publishes one received delivery when someone listens. */
export const publishWebhookReceived = (event: WebhookReceivedEvent): void => {
  if (webhookReceived.hasSubscribers) webhookReceived.publish(event);
};
