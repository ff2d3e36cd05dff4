import { createRequire } from 'node:module';
import * as E from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import {
  authError,
  decodeError,
  detach,
  decodeWith,
  type GatewayError,
  invalidInput,
  isAuthError,
  MAX_TIMER_MS,
  optionalNumber,
  optionalRecord,
  pathSegment,
  type Payment,
  type PaymentEvent,
  providerError,
  type Subscription,
  transportError,
  USER_AGENT,
  type WatchOptions,
} from '@paygate/core';
import type { RawData, default as WebSocket } from 'ws';
import type { MoneriumApi } from './api.js';
import type { Authorizer, SocketCredentials } from './auth.js';
import { PROVIDER } from './errors.js';
import { newestOrders, type Order, OrderCodec, type OrderState, OrderStateCodec } from './orders.js';

/** The websocket's documented filters. */
export interface WatchOrdersFilters {
  /** Only orders of this profile. */
  readonly profile?: string;
  /** Only orders as they enter this state. */
  readonly state?: OrderState;
}

/** `open`: connected and caught up with what happened before; `closed`: unsubscribed or ended by a fatal error. */
export type OrderSocketState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface WatchOrdersOptions {
  /** Problems the subscription recovers from (drops, refused upgrades, bad messages) and the fatal one that ends it. */
  readonly onError?: (error: GatewayError) => void;
  readonly onStateChange?: (state: OrderSocketState) => void;
  /**
   * How often the client pings the server and checks liveness. A socket that brought no message,
   * ping or pong for two intervals is considered dead and replaced. Default 30 000 ms.
   */
  readonly heartbeatIntervalMs?: number;
  /**
   * Reconnection backoff: the n-th consecutive attempt waits between half and all of
   * `initialDelayMs * 2^n`, capped at `maxDelayMs`, so the gaps grow. The count starts again only
   * once a socket has stayed open (and caught up) for `stableAfterMs`: a server that accepts and
   * drops every socket at once is not hammered. Defaults 500 / 30 000 / 30 000 ms.
   */
  readonly reconnect?: { readonly initialDelayMs?: number; readonly maxDelayMs?: number; readonly stableAfterMs?: number };
  /**
   * Fetch `GET /orders` (same filters) before the first connection and after every (re)connection
   * and emit the state changes the socket did not deliver. Default true.
   */
  readonly catchUp?: boolean;
  /**
   * Orders read by each catch-up: one page of the newest ones (`limit`), so a reconnection costs
   * one bounded request. A transition of an order older than that page, made while disconnected,
   * is not reported (`allOrders` reads everything). 1 to 1000, default 100.
   */
  readonly catchUpLimit?: number;
  /**
   * How many orders' states are remembered for de-duplication (least recently changed forgotten
   * first). A forgotten order is not reported again by a catch-up unless it changed after the
   * feed lost its connection. Default 10 000.
   */
  readonly maxTrackedOrders?: number;
}

export interface OrderSubscription extends Subscription {
  readonly state: () => OrderSocketState;
}

interface SocketDeps {
  /** `ws(s)://host`; the feed is at `/orders` below it. */
  readonly wsUrl: string;
  readonly authorizer: Authorizer;
  readonly handshakeTimeoutMs: number;
  readonly random?: () => number;
}

export interface OrderSocketDeps extends SocketDeps {
  readonly api: MoneriumApi;
}

/**
 * What an API version's order feed is made of: its order shape and how to read one, the catch-up
 * fetch, and the headers of the upgrade. The socket's behaviour is the same for every version.
 */
export interface OrderFeed<O> {
  readonly decode: (message: unknown) => E.Either<GatewayError, O>;
  readonly idOf: (order: O) => string;
  readonly stateOf: (order: O) => OrderState;
  /** The provider's timestamps of the order's changes; any may be absent. */
  readonly changesOf: (order: O) => ReadonlyArray<string | undefined>;
  /** At most `limit` of the newest orders matching the filters, newest first. */
  readonly newest: (filters: WatchOrdersFilters, limit: number) => TaskEither<GatewayError, ReadonlyArray<O>>;
  /** Upgrade headers besides User-Agent and credentials. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface OrderFeedDeps<O> extends SocketDeps {
  readonly feed: OrderFeed<O>;
}

/** Incoming messages larger than this close the socket (1009): an order is a few kilobytes. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/** A state's place in the documented lifecycle; an order never moves back. */
const RANK: Readonly<Record<OrderState, number>> = { placed: 0, pending: 1, processed: 2, rejected: 2 };

/** Provider and local clocks may disagree this much when deciding whether an order changed while offline. */
const CLOCK_SKEW_MS = 60_000;

/** When the order last changed, by the provider's own timestamps (0 when none parses). */
const lastChangeOf = (changes: ReadonlyArray<string | undefined>): number =>
  Math.max(
    0,
    ...changes
      .map((at) => (at === undefined ? Number.NaN : Date.parse(at)))
      .filter((ms) => !Number.isNaN(ms)),
  );

/** Session problems a new connection attempt cannot fix: the subscription ends with them. */
const FATAL_AUTH: ReadonlySet<string> = new Set([
  'no_session',
  'refresh_failed',
  'session_expired',
  'invalid_client',
  'invalid_grant',
  'bad_credentials',
  'insufficient_scope',
  'forbidden',
]);

const isFatal = (error: GatewayError): boolean =>
  error._tag === 'InvalidInput' || (isAuthError(error) && FATAL_AUTH.has(error.reason));

const checkFilters = (filters: WatchOrdersFilters): E.Either<GatewayError, { profile?: string; state?: OrderState }> => {
  if (typeof filters !== 'object' || filters === null) return E.left(invalidInput('filters', 'must be an object'));
  const query: { profile?: string; state?: OrderState } = {};
  if (filters.profile !== undefined) {
    // A profile id (a UUID): the one id check, as for the catch-up's order list that sends it too.
    const profile = pathSegment(filters.profile, 'profile');
    if (E.isLeft(profile)) return profile;
    query.profile = profile.right;
  }
  if (filters.state !== undefined) {
    if (!OrderStateCodec.is(filters.state)) return E.left(invalidInput('state', 'must be one of placed, pending, processed, rejected'));
    query.state = filters.state;
  }
  return E.right(query);
};

const positive = (value: number | undefined, fallback: number, field: string): E.Either<GatewayError, number> =>
  optionalNumber(value, fallback, field, { min: 1, max: MAX_TIMER_MS });

/** The status of a refused upgrade, as an error and whether trying again could help. */
const refusal = (status: number, credentials: SocketCredentials | undefined): { error: GatewayError; fatal: boolean } => {
  if (status === 401) {
    return credentials?.kind === 'basic'
      ? { error: authError({ reason: 'bad_credentials', status, message: 'Monerium refused the websocket credentials' }), fatal: true }
      : { error: authError({ reason: 'invalid_token', status, message: 'Monerium refused the websocket access token' }), fatal: false };
  }
  if (status === 403) {
    // No RFC 6750 challenge is read on an upgrade: a 403 is a resource the principal may not touch.
    return { error: authError({ reason: 'forbidden', status, message: 'Monerium denied the order notifications' }), fatal: true };
  }
  if (status === 429 || status >= 500) {
    return {
      error: transportError({
        kind: status === 429 ? 'rate_limited' : 'unavailable',
        status,
        attempts: 1,
        message: `Monerium refused the websocket upgrade with ${status}`,
      }),
      fatal: false,
    };
  }
  return {
    error: providerError({ provider: PROVIDER, status, retryable: false, message: `Monerium refused the websocket upgrade with ${status}` }),
    fatal: true,
  };
};

/**
 * `ws` (14 CommonJS modules) is loaded when the first order socket opens, not when
 * `@paygate/monerium` is imported: only `watchOrders` needs it.
 */
let wsClass: typeof WebSocket | undefined;
const loadWebSocket = (): typeof WebSocket => {
  wsClass ??= createRequire(import.meta.url)('ws') as typeof WebSocket;
  return wsClass;
};

/** A message's text: a single frame arrives as a `Buffer`, decoded in place (no copy). */
export const textOf = (data: RawData): string =>
  Buffer.isBuffer(data)
    ? data.toString('utf8')
    : Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.from(data).toString('utf8');

/** The v1.3 order feed: `meta.state`, one page of `GET /orders?limit=` for catch-up. */
const v13Feed = (api: MoneriumApi): OrderFeed<Order> => {
  const decode = decodeWith(OrderCodec, PROVIDER);
  return {
    decode,
    idOf: (order) => order.id,
    stateOf: (order) => order.meta.state,
    changesOf: ({ meta }) => [meta.placedAt, meta.approvedAt, meta.processedAt, meta.rejectedAt],
    newest: (filters, limit) => newestOrders(api, filters, limit),
  };
};

/**
 * Order notifications over `wss://…/orders` (v1.3 reference, "Order notifications") that survive
 * what the official SDK's socket does not: a fresh access token on every connection, client pings
 * and a liveness check, reconnection with jittered exponential backoff that starts again only
 * after a socket stayed up, a bounded catch-up fetch after each reconnection so no recent
 * transition is lost, and a 1 MiB cap on incoming messages. The socket emits each order
 * up to three times and catch-up may see it again: the handler gets each (order id, state) once.
 * When several transitions happened while disconnected, catch-up can only report the latest.
 */
export const watchOrders = (
  deps: OrderSocketDeps,
  filters: WatchOrdersFilters,
  handler: (order: Order) => void,
  options: WatchOrdersOptions = {},
): E.Either<GatewayError, OrderSubscription> => watchOrderFeed({ ...deps, feed: v13Feed(deps.api) }, filters, handler, options);

/** `watchOrders` for any API version's order feed (see `OrderFeed`). */
export const watchOrderFeed = <O>(
  deps: OrderFeedDeps<O>,
  filters: WatchOrdersFilters,
  handler: (order: O) => void,
  options: WatchOrdersOptions = {},
): E.Either<GatewayError, OrderSubscription> => {
  const { feed } = deps;
  const query = checkFilters(filters);
  if (E.isLeft(query)) return query;
  if (typeof handler !== 'function') return E.left(invalidInput('handler', 'must be a function'));
  if (typeof options !== 'object' || options === null) return E.left(invalidInput('options', 'must be an object'));
  const reconnectOptions = optionalRecord(options.reconnect, 'reconnect');
  if (E.isLeft(reconnectOptions)) return reconnectOptions;
  const heartbeat = positive(options.heartbeatIntervalMs, 30_000, 'heartbeatIntervalMs');
  if (E.isLeft(heartbeat)) return heartbeat;
  const initialDelay = positive(options.reconnect?.initialDelayMs, 500, 'reconnect.initialDelayMs');
  if (E.isLeft(initialDelay)) return initialDelay;
  const maxDelay = positive(options.reconnect?.maxDelayMs, 30_000, 'reconnect.maxDelayMs');
  if (E.isLeft(maxDelay)) return maxDelay;
  const stableAfter = positive(options.reconnect?.stableAfterMs, 30_000, 'reconnect.stableAfterMs');
  if (E.isLeft(stableAfter)) return stableAfter;
  const catchUpLimit = options.catchUpLimit ?? 100;
  if (!Number.isInteger(catchUpLimit) || catchUpLimit < 1 || catchUpLimit > 1000) {
    return E.left(invalidInput('catchUpLimit', 'must be a whole number from 1 to 1000'));
  }

  const maxTracked = optionalNumber(options.maxTrackedOrders, 10_000, 'maxTrackedOrders', { min: 1, max: 10_000_000 });
  if (E.isLeft(maxTracked)) return maxTracked;
  const random = deps.random ?? Math.random;
  const catchUp = options.catchUp ?? true;

  let state: OrderSocketState = 'connecting';
  let stopped = false;
  let socket: WebSocket | undefined;
  let failures = 0;
  let opened = false;
  let baselineTaken = !catchUp;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let livenessTimer: NodeJS.Timeout | undefined;
  let stableTimer: NodeJS.Timeout | undefined;
  let lastSeen = 0;
  let closing: Promise<void> | undefined;
  let renewedForSocket = false;
  const inFlight = new Set<Promise<unknown>>();
  /**
   * Latest known state of each order, and the states already handed to the handler, least
   * recently changed first (a Map keeps insertion order), capped at `maxTracked`.
   */
  const orders = new Map<string, { state: OrderState; delivered: Set<OrderState> }>();
  /** Local time up to which the feed saw everything: the baseline fetch, then each disconnect. */
  let coveredUntil = Date.now();

  const setState = (next: OrderSocketState) => {
    if (state === next) return;
    state = next;
    options.onStateChange?.(next);
  };
  const report = (error: GatewayError) => options.onError?.(error);

  const track = <A>(promise: Promise<A>): Promise<A> => {
    inFlight.add(promise);
    const forget = () => inFlight.delete(promise);
    // then(f, f), not finally: a derived promise that re-rejects would be an unhandled rejection.
    promise.then(forget, forget);
    return promise;
  };

  const remember = (order: O) => {
    const id = feed.idOf(order);
    const current = feed.stateOf(order);
    const entry = orders.get(id);
    if (entry === undefined) {
      orders.set(id, { state: current, delivered: new Set() });
      if (orders.size > maxTracked.right) {
        const oldest = orders.keys().next();
        if (oldest.done !== true) orders.delete(oldest.value);
      }
    } else if (RANK[current] > RANK[entry.state]) {
      entry.state = current;
      orders.delete(id);
      orders.set(id, entry);
    }
  };

  const deliver = (order: O) => {
    if (stopped) return;
    const id = feed.idOf(order);
    const current = feed.stateOf(order);
    const known = orders.get(id);
    // A socket message overtaken by a catch-up that already saw a later state is stale.
    if (known !== undefined && RANK[current] < RANK[known.state]) return;
    remember(order);
    const entry = orders.get(id);
    if (entry === undefined || entry.delivered.has(current)) return;
    entry.delivered.add(current);
    try {
      handler(order);
    } catch (error) {
      // The handler's exception is the application's: rethrown outside the socket's event loop.
      queueMicrotask(() => {
        throw error;
      });
    }
  };

  /**
   * Emits what changed since we last knew: new orders, and orders further along their lifecycle.
   * An order we do not track (never seen, or forgotten past the cap) that last changed before the
   * feed lost sight is history, not news.
   */
  const reconcile = (fetched: ReadonlyArray<O>, since: number) => {
    // Oldest first, so the handler sees orders in the order they were placed.
    for (const order of [...fetched].reverse()) {
      const entry = orders.get(feed.idOf(order));
      if (entry === undefined ? lastChangeOf(feed.changesOf(order)) >= since - CLOCK_SKEW_MS : RANK[feed.stateOf(order)] > RANK[entry.state]) {
        deliver(order);
      }
    }
  };

  const fetchOrders = () => track(feed.newest(query.right, catchUpLimit)());

  const stopWith = (error: GatewayError) => {
    // Stop first (unsubscribe sets `stopped` synchronously), then report: an onError that throws
    // must not leave the subscription running.
    unsubscribe().catch(() => undefined);
    report(error);
  };

  /**
   * Background work (connecting, catching up, renewing a refused token) is never awaited by the
   * caller; anything it throws (a socket that cannot be built, an application callback that
   * throws) ends the subscription with a reported error instead of an unhandled rejection.
   */
  const inBackground = (work: () => unknown) =>
    detach(work, () => {
      if (stopped) return;
      stopWith(transportError({ kind: 'protocol', attempts: 1, message: 'The order subscription failed unexpectedly and was stopped' }));
    });

  const scheduleReconnect = () => {
    if (stopped) return;
    setState(opened ? 'reconnecting' : 'connecting');
    const ceiling = Math.min(maxDelay.right, initialDelay.right * 2 ** failures);
    failures += 1;
    // "Equal jitter": at least half the ceiling, so consecutive gaps grow while still spreading clients.
    reconnectTimer = setTimeout(
      () => {
        reconnectTimer = undefined;
        inBackground(connect);
      },
      Math.floor(ceiling / 2 + (random() * ceiling) / 2),
    );
  };

  /** Checks liveness and pings the server, which answers with a pong (RFC 6455 §5.5.2). */
  const startLiveness = (ws: WebSocket) => {
    lastSeen = Date.now();
    livenessTimer = setInterval(() => {
      if (Date.now() - lastSeen > 2 * heartbeat.right) {
        report(transportError({ kind: 'timeout', attempts: 1, message: 'The order socket went silent; reconnecting' }));
        ws.terminate();
        return;
      }
      if (ws.readyState === ws.OPEN) ws.ping();
    }, heartbeat.right);
  };

  const stopLiveness = () => {
    if (livenessTimer !== undefined) clearInterval(livenessTimer);
    livenessTimer = undefined;
    if (stableTimer !== undefined) clearTimeout(stableTimer);
    stableTimer = undefined;
  };

  /**
   * The socket is up; it counts as `open` once what happened while it was down has been fetched.
   * A catch-up that fails replaces the socket, so the next connection catches up again.
   */
  const onOpen = async (ws: WebSocket) => {
    opened = true;
    if (catchUp) {
      const since = coveredUntil;
      const fetched = await fetchOrders();
      if (stopped || socket !== ws) return;
      if (E.isLeft(fetched)) {
        if (isFatal(fetched.left)) return stopWith(fetched.left);
        report(fetched.left);
        ws.terminate();
        return;
      }
      reconcile(fetched.right, since);
    }
    renewedForSocket = false;
    setState('open');
    // Only a socket that stays up counts as recovery; one dropped at once keeps the backoff growing.
    stableTimer = setTimeout(() => {
      stableTimer = undefined;
      failures = 0;
    }, stableAfter.right);
  };

  const onMessage = (data: RawData) => {
    lastSeen = Date.now();
    let parsed: unknown;
    try {
      parsed = JSON.parse(textOf(data));
    } catch {
      report(decodeError({ provider: PROVIDER, path: '', errors: ['message is not valid JSON'], message: 'Monerium sent a websocket message that is not JSON' }));
      return;
    }
    const order = feed.decode(parsed);
    if (E.isLeft(order)) report(order.left);
    else deliver(order.right);
  };

  const open = (credentials: SocketCredentials) => {
    const url = new URL(`${deps.wsUrl.replace(/\/+$/, '')}/orders`);
    for (const [key, value] of Object.entries(query.right)) url.searchParams.set(key, value);
    // Browsers cannot set headers on a websocket, so Monerium takes the token as a query parameter.
    if (credentials.kind === 'bearer') url.searchParams.set('access_token', credentials.accessToken);
    const ws = new (loadWebSocket())(url, {
      headers: { ...feed.headers, 'user-agent': USER_AGENT, ...(credentials.kind === 'basic' ? { authorization: credentials.authorization } : {}) },
      handshakeTimeout: deps.handshakeTimeoutMs,
      followRedirects: false,
      maxPayload: MAX_MESSAGE_BYTES,
    });
    socket = ws;
    let refusedStatus: number | undefined;
    ws.on('unexpected-response', (_request, response) => {
      refusedStatus = response.statusCode;
      response.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      startLiveness(ws);
      inBackground(() => onOpen(ws));
    });
    ws.on('message', onMessage);
    const alive = () => {
      lastSeen = Date.now();
    };
    ws.on('ping', alive);
    ws.on('pong', alive);
    let tooLarge = false;
    // Errors always end in 'close', where the decision is taken; the listener keeps them from being thrown.
    ws.on('error', (error: Error & { code?: string }) => {
      tooLarge ||= error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
    });
    ws.on('close', () => {
      stopLiveness();
      if (state === 'open') coveredUntil = Date.now();
      if (socket === ws) socket = undefined;
      if (stopped) return;
      if (refusedStatus !== undefined) {
        const { error, fatal } = refusal(refusedStatus, credentials);
        if (fatal) return stopWith(error);
        if (refusedStatus === 401) {
          // A token renewed for this very purpose and refused again will not get better by renewing.
          if (renewedForSocket) return stopWith(error);
          renewedForSocket = true;
          inBackground(async () => {
            const renewed = await track(deps.authorizer.socketRefused(credentials)());
            if (stopped) return;
            if (E.isLeft(renewed) && isFatal(renewed.left)) return stopWith(renewed.left);
            if (E.isLeft(renewed)) report(renewed.left);
            scheduleReconnect();
          });
          return;
        }
        report(error);
        return scheduleReconnect();
      }
      report(
        tooLarge
          ? transportError({ kind: 'protocol', attempts: 1, message: `Monerium sent a websocket message over ${MAX_MESSAGE_BYTES} bytes; reconnecting` })
          : transportError({ kind: 'reset', attempts: 1, message: 'The order socket closed; reconnecting' }),
      );
      scheduleReconnect();
    });
  };

  const connect = async () => {
    if (stopped) return;
    if (!baselineTaken) {
      // What exists before the first connection is history, not news: it only seeds the states.
      coveredUntil = Date.now();
      const baseline = await fetchOrders();
      if (stopped) return;
      if (E.isLeft(baseline)) {
        if (isFatal(baseline.left)) return stopWith(baseline.left);
        report(baseline.left);
        return scheduleReconnect();
      }
      for (const order of baseline.right) remember(order);
      baselineTaken = true;
    }
    const credentials = await track(deps.authorizer.socketCredentials()());
    if (stopped) return;
    if (E.isLeft(credentials)) {
      if (isFatal(credentials.left)) return stopWith(credentials.left);
      report(credentials.left);
      return scheduleReconnect();
    }
    open(credentials.right);
  };

  const closeSocket = (ws: WebSocket) =>
    new Promise<void>((resolve) => {
      if (ws.readyState === ws.CLOSED) return resolve();
      const force = setTimeout(() => ws.terminate(), 1_000);
      ws.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      if (ws.readyState === ws.OPEN) ws.close(1000);
      else ws.terminate();
    });

  const unsubscribe = (): Promise<void> => {
    closing ??= (async () => {
      stopped = true;
      if (reconnectTimer !== undefined) clearTimeout(reconnectTimer);
      reconnectTimer = undefined;
      stopLiveness();
      if (socket !== undefined) await closeSocket(socket);
      await Promise.allSettled([...inFlight]);
      setState('closed');
    })();
    return closing;
  };

  inBackground(connect);
  return E.right({ unsubscribe, state: () => state });
};

/**
 * `PaymentsGateway.watch` over an order feed (v1.3 or v2): each order handed on as a payment
 * event, `onLive` each time the feed is open and caught up.
 */
export const watchPayments = <O, R>(
  subscribe: (filters: WatchOrdersFilters, handler: (order: O) => void, options: WatchOrdersOptions) => E.Either<GatewayError, OrderSubscription>,
  profile: string | undefined,
  toPayment: (order: O) => Payment<R>,
  handler: (event: PaymentEvent<R>) => void,
  options: WatchOptions = {},
): E.Either<GatewayError, Subscription> =>
  subscribe(
    profile === undefined ? {} : { profile },
    (order) => {
      const payment = toPayment(order);
      handler({ paymentId: payment.id, status: payment.status, payment });
    },
    {
      ...(options.onError === undefined ? {} : { onError: options.onError }),
      ...(options.onLive === undefined ? {} : { onStateChange: (state) => (state === 'open' ? options.onLive?.() : undefined) }),
    },
  );
