import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { Cluster, Redis } from 'ioredis';
import { DEFAULT_DELIVERY_TTL_MS, type DeliveryDedupe, type GatewayError, invalidInput } from '@paygate/core';
import { connect } from './connection.js';

export interface RedisDeliveryDedupeOptions {
  /** A client you own (left open by `close()`) or a `redis://` / `rediss://` URL. */
  readonly redis: Redis | Cluster | string;
  /** Prepended to every key. Default `paygate:delivery:`. */
  readonly keyPrefix?: string;
  /** Default TTL of a claim. Default 24 h (longer than Monerium's 12 h of retries). */
  readonly ttlMs?: number;
  /** Longest wait for one command's answer. Default 1 000. */
  readonly commandTimeoutMs?: number;
  /** Longest wait for a (re)connection. Default 2 000. */
  readonly connectTimeoutMs?: number;
}

export interface RedisDeliveryDedupe extends DeliveryDedupe {
  /** Quits the connection if the dedupe created it from a URL. */
  close(): TE.TaskEither<GatewayError, void>;
}

/**
 * A `DeliveryDedupe` shared by every instance behind a load balancer: `claim` is one
 * `SET key 1 NX PX ttl`, atomic in Redis, so of several instances receiving the same webhook
 * delivery exactly one gets `true`. `release` deletes the key so the provider's retry is
 * processed. A Redis failure is a `TransportError` of kind `store` (the receiver then answers
 * 500 and the provider retries), never a silent "not seen".
 */
export const createRedisDeliveryDedupe = (options: RedisDeliveryDedupeOptions): E.Either<GatewayError, RedisDeliveryDedupe> => {
  const defaultTtl = options.ttlMs ?? DEFAULT_DELIVERY_TTL_MS;
  if (!Number.isInteger(defaultTtl) || defaultTtl < 1) return E.left(invalidInput('ttlMs', 'must be a positive whole number of milliseconds'));
  const prefix = options.keyPrefix ?? 'paygate:delivery:';
  return pipe(
    connect(options.redis, { commandTimeoutMs: options.commandTimeoutMs ?? 1_000, connectTimeoutMs: options.connectTimeoutMs ?? 2_000 }),
    E.map((connection) => ({
      claim: (key: string, ttlMs?: number) => {
        const ttl = ttlMs ?? defaultTtl;
        if (!Number.isInteger(ttl) || ttl < 1) return TE.left(invalidInput('ttlMs', 'must be a positive whole number of milliseconds'));
        return pipe(
          connection.run((client) => client.set(`${prefix}${key}`, '1', 'PX', ttl, 'NX')),
          TE.map((reply) => reply === 'OK'),
        );
      },
      release: (key: string) =>
        pipe(
          connection.run((client) => client.del(`${prefix}${key}`)),
          TE.map(() => undefined),
        ),
      close: () => connection.close(),
    })),
  );
};
