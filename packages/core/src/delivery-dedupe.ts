import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { GatewayError } from './errors.js';

/**
 * Remembers which webhook deliveries were already taken, so a delivery the provider sends again
 * (it retries until it sees a 2xx, with the same delivery id) reaches the application once —
 * across every instance behind a load balancer when the implementation is shared (Redis).
 *
 * `claim` is atomic: of several instances claiming the same key at once exactly one gets `true`.
 * A claim expires after `ttlMs` so the store stays bounded; choose a TTL longer than the
 * provider's retry schedule (Monerium: 12 hours).
 */
export interface DeliveryDedupe {
  /** `true` the first time `key` is claimed (and marks it taken), `false` while it is remembered. */
  claim(key: string, ttlMs?: number): TE.TaskEither<GatewayError, boolean>;
  /** Forgets `key`, so a delivery whose handling failed is processed again when redelivered. */
  release(key: string): TE.TaskEither<GatewayError, void>;
}

/** 24 hours: longer than Monerium's and Money Button's documented retry windows. */
export const DEFAULT_DELIVERY_TTL_MS = 24 * 60 * 60 * 1000;

export interface MemoryDeliveryDedupeOptions {
  /** Most keys kept; the oldest claim is forgotten first. Default 10 000. */
  readonly capacity?: number;
  /** Default TTL of a claim. Default 24 h. */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

/** One process's `DeliveryDedupe`: bounded in size and in time. Use a shared one for a cluster. */
export const createMemoryDeliveryDedupe = (options: MemoryDeliveryDedupeOptions = {}): DeliveryDedupe => {
  const capacity = options.capacity ?? 10_000;
  const defaultTtl = options.ttlMs ?? DEFAULT_DELIVERY_TTL_MS;
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: the first entry is always the oldest claim.
  const claims = new Map<string, number>();
  return {
    claim: (key, ttlMs) => () => {
      const at = now();
      const expiresAt = claims.get(key);
      if (expiresAt !== undefined && expiresAt > at) return Promise.resolve(E.right(false));
      claims.delete(key);
      claims.set(key, at + (ttlMs ?? defaultTtl));
      while (claims.size > capacity) {
        const oldest = claims.keys().next();
        if (oldest.done === true) break;
        claims.delete(oldest.value);
      }
      return Promise.resolve(E.right(true));
    },
    release: (key) => () => {
      claims.delete(key);
      return Promise.resolve(E.right(undefined));
    },
  };
};
