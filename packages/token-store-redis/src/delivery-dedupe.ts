import { sequenceS } from 'fp-ts/lib/Apply.js';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { Cluster, Redis } from 'ioredis';
import { checkClaim, DEFAULT_DELIVERY_TTL_MS, type DeliveryDedupe, type GatewayError, invalidInput, MAX_TIMER_MS, optionalNumber } from '@paygate/core';
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
  if (typeof options !== 'object' || options === null) return E.left(invalidInput('options', 'must be an object'));
  const client = options.redis as unknown;
  const isClient = typeof client === 'object' && client !== null && typeof (client as { on?: unknown }).on === 'function';
  if (typeof client !== 'string' && !isClient) return E.left(invalidInput('redis', 'must be a redis:// or rediss:// URL or an ioredis client'));
  const prefix = options.keyPrefix ?? 'paygate:delivery:';
  if (typeof prefix !== 'string') return E.left(invalidInput('keyPrefix', 'must be a string'));
  const settings = sequenceS(E.Apply)({
    defaultTtl: optionalNumber(options.ttlMs, DEFAULT_DELIVERY_TTL_MS, 'ttlMs', { min: 1, max: Number.MAX_SAFE_INTEGER }),
    commandTimeoutMs: optionalNumber(options.commandTimeoutMs, 1_000, 'commandTimeoutMs', { min: 1, max: MAX_TIMER_MS, integer: false }),
    connectTimeoutMs: optionalNumber(options.connectTimeoutMs, 2_000, 'connectTimeoutMs', { min: 1, max: MAX_TIMER_MS, integer: false }),
  });
  if (E.isLeft(settings)) return settings;
  const { defaultTtl, commandTimeoutMs, connectTimeoutMs } = settings.right;
  return pipe(
    connect(options.redis, { commandTimeoutMs, connectTimeoutMs }),
    E.map((connection) => ({
      claim: (key: string, ttlMs?: number) => {
        const ttl = checkClaim(key, ttlMs);
        if (E.isLeft(ttl)) return TE.fromEither(ttl);
        return pipe(
          connection.run((redis) => redis.set(`${prefix}${key}`, '1', 'PX', ttl.right ?? defaultTtl, 'NX')),
          TE.map((reply) => reply === 'OK'),
        );
      },
      release: (key: string) => {
        const checked = checkClaim(key, undefined);
        if (E.isLeft(checked)) return TE.fromEither(checked);
        return pipe(
          connection.run((redis) => redis.del(`${prefix}${key}`)),
          TE.map(() => undefined),
        );
      },
      close: () => connection.close(),
    })),
  );
};
