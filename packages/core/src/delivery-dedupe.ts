import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { type GatewayError, invalidInput } from './errors.js';
import { optionalNumber } from './input.js';

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

/** A dedupe built from options that cannot work: every call answers the refusal. */
const refusedDedupe = (error: GatewayError): DeliveryDedupe => ({ claim: () => TE.left(error), release: () => TE.left(error) });

const checkMemoryOptions = (options: unknown) => {
  if (typeof options !== 'object' || options === null) return E.left(invalidInput('options', 'must be an object'));
  const o = options as Partial<Record<keyof MemoryDeliveryDedupeOptions, unknown>>;
  if (o.now !== undefined && typeof o.now !== 'function') return E.left(invalidInput('now', 'must be a function'));
  const capacity = optionalNumber(o.capacity, 10_000, 'capacity', { min: 1, max: 10_000_000 });
  if (E.isLeft(capacity)) return capacity;
  const defaultTtl = optionalNumber(o.ttlMs, DEFAULT_DELIVERY_TTL_MS, 'ttlMs', { min: 1, max: Number.MAX_SAFE_INTEGER });
  if (E.isLeft(defaultTtl)) return defaultTtl;
  return E.right({ capacity: capacity.right, defaultTtl: defaultTtl.right, now: (o.now as (() => number) | undefined) ?? Date.now });
};

/** A claim's key is a non-empty string and its TTL, when given, a positive whole number of ms. */
export const checkClaim = (key: unknown, ttlMs: unknown): E.Either<GatewayError, number | undefined> => {
  if (typeof key !== 'string' || key.length === 0) return E.left(invalidInput('key', 'must be a non-empty string'));
  return ttlMs === undefined ? E.right(undefined) : optionalNumber(ttlMs, 0, 'ttlMs', { min: 1, max: Number.MAX_SAFE_INTEGER });
};

/** One process's `DeliveryDedupe`: bounded in size and in time. Use a shared one for a cluster. */
export const createMemoryDeliveryDedupe = (options: MemoryDeliveryDedupeOptions = {}): DeliveryDedupe => {
  const checked = checkMemoryOptions(options);
  if (E.isLeft(checked)) return refusedDedupe(checked.left);
  const { capacity, defaultTtl, now } = checked.right;
  // A Map iterates in insertion order: the first entry is always the oldest claim.
  const claims = new Map<string, number>();
  return {
    claim: (key, ttlMs) => () => {
      const args = checkClaim(key, ttlMs);
      if (E.isLeft(args)) return Promise.resolve(args);
      const at = Number(now());
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
      if (typeof key !== 'string') return Promise.resolve(E.left(invalidInput('key', 'must be a string')));
      claims.delete(key);
      return Promise.resolve(E.right(undefined));
    },
  };
};
