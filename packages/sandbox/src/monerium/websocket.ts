import { WebSocket } from 'ws';
import type { WebSocketUpgrade } from '../context.js';
import { authenticate, type Caller, canRead, type Directory, requireProfile, requireScope } from './caller.js';
import { endpointNotFound, MoneriumHttpError, validationError } from './errors.js';
import type { Ledger } from './ledger.js';
import { type MoneriumOrder, ORDER_STATES, type OrderState } from './model.js';
import type { OrderBook } from './order-book.js';
import type { Sessions } from './sessions.js';

interface Subscriber {
  readonly socket: WebSocket;
  readonly visible: (profile: string) => boolean;
  readonly state: string | undefined;
  readonly profile: string | undefined;
  alive: boolean;
}

/** Who may listen and to what: the answer to an upgrade the feed accepts. */
export interface FeedAdmission {
  readonly visible: (profile: string) => boolean;
  readonly state: string | undefined;
  readonly profile: string | undefined;
}

/** What a feed publishes and how it admits listeners; one per API version. */
export interface OrderFeedSource<O> {
  subscribe(listener: (order: O) => void): () => void;
  /** Checks the path, the token and the filters; throws a MoneriumHttpError to refuse. */
  admit(upgrade: WebSocketUpgrade): FeedAdmission;
  profileOf(order: O): string;
  stateOf(order: O): string;
}

export interface OrderFeedOptions {
  readonly book: OrderBook;
  readonly ledger: Ledger;
  readonly sessions: Sessions;
  readonly directory: Directory;
  /** How often the server pings; a client that has not ponged since the last ping is dropped. */
  readonly pingIntervalMs: number;
}

const json = { 'content-type': 'application/json; charset=utf-8' };

/** The v1.3 feed: `/orders` and `/profiles/{id}/orders`, Basic or Bearer (or `access_token`), scope `orders:read`. */
export const v13FeedSource = (options: OrderFeedOptions): OrderFeedSource<MoneriumOrder> => ({
  subscribe: (listener) => options.book.subscribe(listener),
  profileOf: (order) => order.profile,
  stateOf: (order) => order.meta.state,
  admit(upgrade) {
    const match = upgrade.path === '/orders' ? [] : /^\/profiles\/([^/]+)\/orders$/.exec(upgrade.path);
    if (match === null) throw new MoneriumHttpError(endpointNotFound(upgrade.path));
    const pathProfile = match[1];
    const { directory, sessions, ledger } = options;
    const caller: Caller = authenticate(upgrade.request.headers, upgrade.query.get('access_token') ?? undefined, upgrade.clock.now(), directory, sessions);
    requireScope(caller, 'orders:read');
    if (pathProfile !== undefined) requireProfile(caller, ledger, decodeURIComponent(pathProfile), 'read');
    const stateText = upgrade.query.get('state');
    const state: OrderState | undefined = stateText === null ? undefined : ORDER_STATES.find((s) => s === stateText);
    if (stateText !== null && state === undefined) throw validationError({ state: `Must be one of ${ORDER_STATES.join(', ')}` });
    const profile = pathProfile === undefined ? (upgrade.query.get('profile') ?? undefined) : decodeURIComponent(pathProfile);
    return { visible: canRead(caller), state, profile };
  },
});

/**
 * An order websocket: every transition of every order the caller may read, optionally filtered
 * by `state` and `profile`, and PING control frames.
 */
export class OrderFeed<O = MoneriumOrder> {
  private readonly subscribers = new Set<Subscriber>();
  private readonly unsubscribe: () => void;
  private pinger: NodeJS.Timeout | undefined;

  constructor(
    private readonly source: OrderFeedSource<O>,
    private readonly pingIntervalMs: number,
  ) {
    this.unsubscribe = source.subscribe((order) => this.publish(order));
  }

  upgrade(upgrade: WebSocketUpgrade): void {
    let admission: FeedAdmission;
    try {
      admission = this.source.admit(upgrade);
    } catch (error) {
      if (error instanceof MoneriumHttpError) {
        upgrade.reject(error.body.code, { ...json, ...error.headers }, JSON.stringify(error.body));
        return;
      }
      upgrade.reject(400, json, JSON.stringify({ code: 400, status: 'Bad Request', message: 'Malformed request' }));
      return;
    }
    upgrade.accept().then(
      (socket) => this.add({ socket, ...admission, alive: true }),
      () => undefined,
    );
  }

  close(): void {
    this.unsubscribe();
    this.stopPinging();
    for (const subscriber of this.subscribers) subscriber.socket.terminate();
    this.subscribers.clear();
  }

  private add(subscriber: Subscriber): void {
    const { socket } = subscriber;
    this.subscribers.add(subscriber);
    socket.on('pong', () => {
      subscriber.alive = true;
    });
    // The feed only talks; what a client sends (besides pongs) is ignored.
    socket.on('error', () => socket.terminate());
    socket.on('close', () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0) this.stopPinging();
    });
    this.startPinging();
  }

  private publish(order: O): void {
    const text = JSON.stringify(order);
    const profile = this.source.profileOf(order);
    const state = this.source.stateOf(order);
    for (const s of this.subscribers) {
      if (s.socket.readyState !== WebSocket.OPEN || !s.visible(profile)) continue;
      if (s.state !== undefined && state !== s.state) continue;
      if (s.profile !== undefined && profile !== s.profile) continue;
      s.socket.send(text);
    }
  }

  /** The timer only runs while someone listens, so an idle sandbox holds no timer. */
  private startPinging(): void {
    if (this.pinger !== undefined) return;
    this.pinger = setInterval(() => {
      for (const s of this.subscribers) {
        if (!s.alive) {
          s.socket.terminate();
          continue;
        }
        s.alive = false;
        s.socket.ping();
      }
    }, this.pingIntervalMs);
    this.pinger.unref();
  }

  private stopPinging(): void {
    clearInterval(this.pinger);
    this.pinger = undefined;
  }
}
