import { performance } from 'node:perf_hooks';
import * as E from 'fp-ts/lib/Either.js';
import type { MoneriumClient, WatchOrdersFilters, WatchOrdersOptions } from '@paygate/monerium';
import WebSocket from 'ws';

/** The two ways of listening to the order websocket that the benchmarks compare. */
export interface FeedHandlers {
  /** The memo of each order as it reaches the application. */
  readonly onMemo: (memo: string) => void;
  /** After a drop: milliseconds from noticing it to being usable again. */
  readonly onReconnected?: (ms: number) => void;
}

export interface Feed {
  close(): Promise<void>;
}

const queryOf = (filters: WatchOrdersFilters): string =>
  new URLSearchParams(Object.entries(filters).filter((entry): entry is [string, string] => typeof entry[1] === 'string')).toString();

/**
 * What a hand-written client does: one `ws` socket with the token in the query, `JSON.parse` of
 * each message, and on a drop an immediate new connection (no backoff, no catch-up, no decoding).
 */
export const openRawFeed = (wsUrl: string, accessToken: string, filters: WatchOrdersFilters, handlers: FeedHandlers): Promise<Feed> => {
  const url = `${wsUrl}/orders?${queryOf(filters)}&access_token=${encodeURIComponent(accessToken)}`;
  let closed = false;
  let socket: WebSocket;
  const connect = (droppedAt: number | undefined, opened: () => void, failed: (error: Error) => void) => {
    const ws = new WebSocket(url);
    socket = ws;
    ws.on('message', (data) => {
      const order = JSON.parse(String(data)) as { memo?: unknown };
      handlers.onMemo(typeof order.memo === 'string' ? order.memo : '');
    });
    ws.once('open', () => {
      if (droppedAt !== undefined) handlers.onReconnected?.(performance.now() - droppedAt);
      opened();
    });
    ws.on('error', failed);
    ws.once('close', () => {
      if (!closed) connect(performance.now(), () => undefined, () => undefined);
    });
  };
  return new Promise((resolve, reject) => {
    connect(
      undefined,
      () =>
        resolve({
          close: () =>
            new Promise<void>((done) => {
              closed = true;
              if (socket.readyState === WebSocket.CLOSED) return done();
              socket.once('close', () => done());
              socket.terminate();
            }),
        }),
      reject,
    );
  });
};

/** `client.watchOrders`: decoded orders, deduplicated, reconnecting with backoff and catching up. */
export const openPaygateFeed = (
  client: MoneriumClient,
  filters: WatchOrdersFilters,
  handlers: FeedHandlers,
  options: Pick<WatchOrdersOptions, 'reconnect' | 'catchUp'> = {},
): Promise<Feed> =>
  new Promise((resolve, reject) => {
    let droppedAt: number | undefined;
    let ready = false;
    const subscription = client.watchOrders(filters, (order) => handlers.onMemo(order.memo ?? ''), {
      ...options,
      onStateChange: (state) => {
        if (state === 'reconnecting') droppedAt = performance.now();
        if (state !== 'open') return;
        if (droppedAt !== undefined) handlers.onReconnected?.(performance.now() - droppedAt);
        droppedAt = undefined;
        if (!ready) {
          ready = true;
          resolve({ close: () => (E.isRight(subscription) ? subscription.right.unsubscribe() : Promise.resolve()) });
        }
      },
      onError: (error) => {
        if (!ready && error._tag !== 'TransportError') reject(new Error(`${error._tag}: ${error.message}`));
      },
    });
    if (E.isLeft(subscription)) reject(new Error(`${subscription.left._tag}: ${subscription.left.message}`));
  });
