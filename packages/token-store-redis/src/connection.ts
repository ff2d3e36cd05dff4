import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { type Cluster, Redis } from 'ioredis';
import { type GatewayError, invalidInput } from '@paygate/core';
import { describeFailure, storeUnavailable } from './errors.js';

export type RedisClient = Redis | Cluster;

export interface ConnectionSettings {
  readonly connectTimeoutMs: number;
  readonly commandTimeoutMs: number;
}

/** A Redis client with every command bounded in time and every failure typed. */
export interface Connection {
  run<A>(command: (client: RedisClient) => Promise<A>): TE.TaskEither<GatewayError, A>;
  close(): TE.TaskEither<GatewayError, void>;
}

// Reconnect soon after Redis comes back without hammering it while it is down.
const reconnectDelay = (attempt: number): number => Math.min(50 * 2 ** Math.min(attempt, 5), 1000);

/**
 * Options for a client this store creates from a URL. The offline queue is off: a command
 * issued while Redis is away would otherwise wait and run later, after its caller was told it
 * failed (a late SET could overwrite a newer session). `run` waits for the connection itself,
 * bounded by `connectTimeoutMs`, so nothing is queued out of sight. For the same reason
 * commands in flight when a connection drops are failed, not resent.
 */
const ownClient = (url: string, settings: ConnectionSettings): E.Either<GatewayError, Redis> => {
  try {
    return E.right(
      new Redis(url, {
        lazyConnect: true,
        connectTimeout: settings.connectTimeoutMs,
        commandTimeout: settings.commandTimeoutMs,
        enableOfflineQueue: false,
        autoResendUnfulfilledCommands: false,
        maxRetriesPerRequest: 0,
        retryStrategy: reconnectDelay,
      }),
    );
  } catch {
    return E.left(invalidInput('redis', 'is not a valid Redis URL'));
  }
};

const passwordOf = (url: string): ReadonlyArray<string> => {
  try {
    const { password } = new URL(url);
    return password === '' ? [] : [password, decodeURIComponent(password)];
  } catch {
    return [];
  }
};

/** The promise's outcome as an Either, or a Left once `ms` has passed without one. */
const within = <A>(promise: Promise<A>, ms: number): Promise<E.Either<unknown, A>> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => resolve(E.left(new Error(`no answer within ${ms} ms`))), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(E.right(value));
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve(E.left(error));
      },
    );
  });

export const connect = (redis: RedisClient | string, settings: ConnectionSettings): E.Either<GatewayError, Connection> => {
  const owned = typeof redis === 'string';
  const created = owned ? ownClient(redis, settings) : E.right(redis);
  if (E.isLeft(created)) return created;
  const client = created.right;
  const secrets = owned ? passwordOf(redis) : [];
  let lastError: string | undefined;
  let closed = false;
  let readiness: Promise<boolean> | undefined;

  // A client we created is ours to watch: its connection errors surface through `run` as typed
  // errors instead of ioredis's "unhandled error event" output. A passed-in client is left as is.
  if (owned) {
    client.on('error', (error: unknown) => {
      lastError = describeFailure(error);
    });
    client.on('ready', () => {
      lastError = undefined;
    });
  }

  /** One shared wait per outage, so hundreds of callers add two listeners, not hundreds. */
  const whenReady = (): Promise<boolean> => {
    if (client.status === 'ready') return Promise.resolve(true);
    if (client.status === 'end') return Promise.resolve(false);
    if (client.status === 'wait') client.connect().catch(() => undefined);
    readiness ??= new Promise<boolean>((resolve) => {
      const settle = (ready: boolean) => () => {
        client.off('ready', onReady);
        client.off('end', onEnd);
        readiness = undefined;
        resolve(ready);
      };
      const onReady = settle(true);
      const onEnd = settle(false);
      client.once('ready', onReady);
      client.once('end', onEnd);
    });
    return readiness;
  };

  const unavailable = (reason: string) => storeUnavailable(reason, secrets);

  const run =
    <A>(command: (c: RedisClient) => Promise<A>): TE.TaskEither<GatewayError, A> =>
    async () => {
      if (closed) return E.left(unavailable('the store was closed'));
      const ready = await within(whenReady(), settings.connectTimeoutMs);
      if (E.isLeft(ready) || !ready.right) {
        const detail = lastError === undefined ? '' : ` (${lastError})`;
        return E.left(unavailable(`Redis is not reachable${detail}`));
      }
      const result = await within(Promise.resolve().then(() => command(client)), settings.commandTimeoutMs);
      return E.isRight(result) ? result : E.left(unavailable(describeFailure(result.left)));
    };

  const close = (): TE.TaskEither<GatewayError, void> => async () => {
    if (closed) return E.right(undefined);
    closed = true;
    if (!owned || client.status === 'end') return E.right(undefined);
    if (client.status !== 'ready') {
      client.disconnect();
      return E.right(undefined);
    }
    const quit = await within(client.quit(), settings.commandTimeoutMs);
    if (E.isLeft(quit)) client.disconnect();
    return E.right(undefined);
  };

  return E.right({ run, close });
};
