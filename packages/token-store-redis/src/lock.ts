import { randomBytes } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { authError, type GatewayError, type StoreLock } from '@paygate/core';
import type { Connection } from './connection.js';

export interface LockSettings {
  /** How long `lock` keeps trying before it gives up with `AuthError { reason: 'lock_timeout' }`. */
  readonly waitMs: number;
  readonly retryMinMs: number;
  readonly retryMaxMs: number;
}

/**
 * Deletes the lock only if it still holds this owner's token. A plain DEL could remove a lock
 * that expired and was taken by another process meanwhile; the check and the delete must be
 * one atomic step, hence a script.
 */
const RELEASE_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

/** Resets the TTL only while the lock still holds this owner's token, for the same reason. */
const EXTEND_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with full jitter, so waiting processes do not retry in lockstep. */
const backoff = (attempt: number, { retryMinMs, retryMaxMs }: LockSettings): number => {
  const ceiling = Math.min(retryMaxMs, retryMinMs * 2 ** Math.min(attempt, 16));
  return retryMinMs + Math.random() * (ceiling - retryMinMs);
};

const lockTimeout = (waitMs: number): GatewayError =>
  authError({
    reason: 'lock_timeout',
    message: `Another instance held this session's refresh lock for more than ${waitMs} ms`,
  });

const ownedLock = (connection: Connection, lockKey: string, token: string): Required<StoreLock> => ({
  release: () => async () => {
    const released = await connection.run((client) => client.eval(RELEASE_IF_OWNER, 1, lockKey, token))();
    return E.isLeft(released) ? released : E.right(undefined);
  },
  extend: (ttlMs) => async () => {
    const px = Math.max(1, Math.ceil(ttlMs));
    const extended = await connection.run((client) => client.eval(EXTEND_IF_OWNER, 1, lockKey, token, String(px)))();
    return E.isLeft(extended) ? extended : E.right(extended.right === 1);
  },
});

/**
 * `SET lockKey <random token> NX PX ttl` until it succeeds or `waitMs` has passed. The TTL is
 * what frees a lock whose owner crashed; the random token is what keeps anyone else from
 * releasing it. A Redis failure ends the wait at once: retrying against a store that is down
 * would only hold the caller longer.
 */
export const acquireLock =
  (connection: Connection, lockKey: string, ttlMs: number, settings: LockSettings): TE.TaskEither<GatewayError, Required<StoreLock>> =>
  async () => {
    const token = randomBytes(16).toString('base64url');
    const px = Math.max(1, Math.ceil(ttlMs));
    const deadline = Date.now() + settings.waitMs;
    for (let attempt = 0; ; attempt++) {
      const set = await connection.run((client) => client.set(lockKey, token, 'PX', px, 'NX'))();
      if (E.isLeft(set)) return set;
      if (set.right === 'OK') return E.right(ownedLock(connection, lockKey, token));
      const left = deadline - Date.now();
      if (left <= 0) return E.left(lockTimeout(settings.waitMs));
      await sleep(Math.min(backoff(attempt, settings), left));
    }
  };
