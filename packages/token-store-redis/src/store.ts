import { sequenceS } from 'fp-ts/lib/Apply.js';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { Cluster, Redis } from 'ioredis';
import { type GatewayError, invalidInput, MAX_TIMER_MS, optionalNumber, type StoreLock, type TokenSet, type TokenStore, tokenSetFingerprint } from '@paygate/core';
import { connect } from './connection.js';
import { createKeyRing, type EncryptionKey, type EncryptionKeys, type KeyRing } from './encryption.js';
import { decodeEntry, encodeEntry } from './entry.js';
import { acquireLock } from './lock.js';

export interface RedisTokenStoreOptions {
  /**
   * A client you own (`new Redis(…)` or `new Cluster(…)`; `close()` leaves it open) or a
   * `redis://` / `rediss://` URL (the store creates the client and `close()` quits it).
   */
  readonly redis: Redis | Cluster | string;
  /** Prepended to every key: sessions at `<prefix><key>`, locks at `<prefix>lock:<key>`. Default `paygate:`. */
  readonly keyPrefix?: string;
  /** Encrypts entries at rest with AES-256-GCM. Give `{ current, previous }` to rotate keys. */
  readonly encryptionKey?: EncryptionKey | EncryptionKeys;
  readonly lock?: {
    /** How long `lock` waits for another holder before `AuthError { reason: 'lock_timeout' }`. Default 15 000. */
    readonly waitMs?: number;
    /** Backoff between attempts, jittered between these bounds. Defaults 20 and 250. */
    readonly retryMinMs?: number;
    readonly retryMaxMs?: number;
  };
  /** Longest wait for one Redis command's answer. Default 1 000. */
  readonly commandTimeoutMs?: number;
  /** Longest wait for a (re)connection before a call fails. Default 2 000. */
  readonly connectTimeoutMs?: number;
}

export interface RedisTokenStore extends TokenStore {
  /** A lock that `extend` keeps alive while its holder works. */
  lock(key: string, ttlMs: number): TE.TaskEither<GatewayError, Required<StoreLock>>;
  /** One Lua script: compares the stored entry's fingerprint, then writes or deletes. */
  compareAndSet(key: string, expected: TokenSet | undefined, next: TokenSet | undefined, ttlMs?: number): TE.TaskEither<GatewayError, boolean>;
  /** Quits the connection if the store created it from a URL; a passed-in client stays open. */
  close(): TE.TaskEither<GatewayError, void>;
}

export const DEFAULTS = {
  keyPrefix: 'paygate:',
  lockWaitMs: 15_000,
  lockRetryMinMs: 20,
  lockRetryMaxMs: 250,
  commandTimeoutMs: 1_000,
  connectTimeoutMs: 2_000,
} as const;

/** A timer longer than 2^31 − 1 ms fires at once, so the range ends there (core `optionalNumber`). */
const duration = (field: string, value: number | undefined, fallback: number, min: number): E.Either<GatewayError, number> =>
  optionalNumber(value, fallback, field, { min, max: MAX_TIMER_MS, integer: false });

/** `undefined` or `Infinity`: no expiry. `NaN` is a caller's bug, not a lifetime. */
const ttlOf = (ttlMs: number | undefined): E.Either<GatewayError, number | undefined> =>
  ttlMs === undefined || ttlMs === Number.POSITIVE_INFINITY
    ? E.right(undefined)
    : Number.isNaN(ttlMs)
      ? E.left(invalidInput('ttlMs', 'must be a number of milliseconds'))
      : E.right(Math.ceil(ttlMs));

/**
 * `compareAndSet` in one step: the stored entry's `fp` must equal ARGV[1] (empty: no entry
 * expected), then ARGV[2] is written with PX ARGV[3] (empty: no expiry), or the entry deleted
 * when ARGV[2] is empty. An entry without `fp` (written before fingerprints, or not ours) cannot
 * be compared and counts as a match, as a plain SET would have treated it.
 */
const COMPARE_AND_SET = `
local current = redis.call('get', KEYS[1])
if current then
  if ARGV[1] == '' then return 0 end
  local ok, entry = pcall(cjson.decode, current)
  local fp = nil
  if ok and type(entry) == 'table' then fp = entry['fp'] end
  if type(fp) == 'string' and fp ~= ARGV[1] then return 0 end
elseif ARGV[1] ~= '' then
  return 0
end
if ARGV[2] == '' then
  redis.call('del', KEYS[1])
elseif ARGV[3] == '' then
  redis.call('set', KEYS[1], ARGV[2])
else
  redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return 1`;

const LOCK_NAMESPACE = 'lock:';

/** Session keys share the prefix with locks (`<prefix>lock:<key>`), so one must not look like a lock. */
const checkKey = (key: string): E.Either<GatewayError, string> =>
  typeof key !== 'string' || key.length === 0
    ? E.left(invalidInput('key', 'must be a non-empty string'))
    : key.startsWith(LOCK_NAMESPACE)
    ? E.left(invalidInput('key', `must not start with '${LOCK_NAMESPACE}' (that namespace holds the refresh locks)`))
    : E.right(key);

/**
 * A TokenStore on Redis for apps running several instances: one session shared by all of them
 * and a lock so that only one instance at a time refreshes it (rotating refresh tokens are
 * lost when two refreshes race). Bad options are an `InvalidInput`, never a throw.
 */
export const buildRedisTokenStore = (options: RedisTokenStoreOptions): E.Either<GatewayError, RedisTokenStore> => {
  if (typeof options !== 'object' || options === null) return E.left(invalidInput('options', 'must be an object'));
  if (options.lock !== undefined && (typeof options.lock !== 'object' || options.lock === null)) {
    return E.left(invalidInput('lock', 'must be an object'));
  }
  const { redis, keyPrefix = DEFAULTS.keyPrefix, encryptionKey, lock = {} } = options;
  const client = redis as unknown;
  const isClient = typeof client === 'object' && client !== null && typeof (client as { on?: unknown }).on === 'function';
  if (typeof client !== 'string' && !isClient) return E.left(invalidInput('redis', 'must be a redis:// or rediss:// URL or an ioredis client'));
  const settings = sequenceS(E.Apply)({
    commandTimeoutMs: duration('commandTimeoutMs', options.commandTimeoutMs, DEFAULTS.commandTimeoutMs, 1),
    connectTimeoutMs: duration('connectTimeoutMs', options.connectTimeoutMs, DEFAULTS.connectTimeoutMs, 1),
    waitMs: duration('lock.waitMs', lock.waitMs, DEFAULTS.lockWaitMs, 0),
    retryMinMs: duration('lock.retryMinMs', lock.retryMinMs, DEFAULTS.lockRetryMinMs, 1),
    retryMaxMs: duration('lock.retryMaxMs', lock.retryMaxMs, DEFAULTS.lockRetryMaxMs, 1),
  });
  if (E.isLeft(settings)) return settings;
  const { commandTimeoutMs, connectTimeoutMs, waitMs, retryMinMs, retryMaxMs } = settings.right;
  if (retryMaxMs < retryMinMs) return E.left(invalidInput('lock.retryMaxMs', 'must not be less than lock.retryMinMs'));
  if (typeof keyPrefix !== 'string') return E.left(invalidInput('keyPrefix', 'must be a string'));

  let ring: KeyRing | undefined;
  if (encryptionKey !== undefined) {
    const parsed = createKeyRing(encryptionKey);
    if (E.isLeft(parsed)) return parsed;
    ring = parsed.right;
  }

  const connected = connect(redis, { commandTimeoutMs, connectTimeoutMs });
  if (E.isLeft(connected)) return connected;
  const connection = connected.right;
  const entryKey = (key: string) => `${keyPrefix}${key}`;
  const lockKey = (key: string) => `${keyPrefix}${LOCK_NAMESPACE}${key}`;

  const get = (key: string): TE.TaskEither<GatewayError, TokenSet | undefined> =>
    pipe(
      TE.fromEither(checkKey(key)),
      TE.flatMap(() => connection.run((client) => client.get(entryKey(key)))),
      TE.flatMapEither((stored) => (stored === null ? E.right(undefined) : decodeEntry(ring, key, stored))),
    );

  const set = (key: string, tokens: TokenSet, ttlMs?: number): TE.TaskEither<GatewayError, void> => {
    const checked = checkKey(key);
    if (E.isLeft(checked)) return TE.left(checked.left);
    const ttl = ttlOf(ttlMs);
    if (E.isLeft(ttl)) return TE.left(ttl.left);
    const px = ttl.right;
    // A lifetime already over means the entry is worthless: drop it rather than store it.
    if (px !== undefined && px <= 0) return del(key);
    const encoded = encodeEntry(ring, key, tokens);
    if (E.isLeft(encoded)) return TE.left(encoded.left);
    const value = encoded.right;
    return TE.map(() => undefined)(
      connection.run((client) =>
        px === undefined ? client.set(entryKey(key), value) : client.set(entryKey(key), value, 'PX', px),
      ),
    );
  };

  const del = (key: string): TE.TaskEither<GatewayError, void> =>
    pipe(
      TE.fromEither(checkKey(key)),
      TE.flatMap(() => connection.run((client) => client.del(entryKey(key)))),
      TE.map(() => undefined),
    );

  const compareAndSet = (
    key: string,
    expected: TokenSet | undefined,
    next: TokenSet | undefined,
    ttlMs?: number,
  ): TE.TaskEither<GatewayError, boolean> => {
    const checked = checkKey(key);
    if (E.isLeft(checked)) return TE.left(checked.left);
    const ttl = ttlOf(ttlMs);
    if (E.isLeft(ttl)) return TE.left(ttl.left);
    const px = ttl.right;
    // As in `set`: a lifetime already over deletes the entry.
    const value =
      next === undefined || (px !== undefined && px <= 0) ? E.right('') : E.mapLeft(() => invalidInput('next', 'must be a TokenSet'))(encodeEntry(ring, key, next));
    if (E.isLeft(value)) return TE.left(value.left);
    const fingerprint = expected === undefined ? E.right('') : E.mapLeft(() => invalidInput('expected', 'must be a TokenSet'))(tokenSetFingerprint(expected));
    if (E.isLeft(fingerprint)) return TE.left(fingerprint.left);
    const args = [fingerprint.right, value.right, px === undefined ? '' : String(px)];
    return TE.map((swapped) => swapped === 1)(
      connection.run((client) => client.eval(COMPARE_AND_SET, 1, entryKey(key), ...args)),
    );
  };

  const lockSession = (key: string, ttlMs: number): TE.TaskEither<GatewayError, Required<StoreLock>> =>
    Number.isFinite(ttlMs) && ttlMs > 0
      ? acquireLock(connection, lockKey(key), ttlMs, { waitMs, retryMinMs, retryMaxMs })
      : TE.left(invalidInput('ttlMs', 'a lock needs a finite, positive time to live'));

  return E.right({ get, set, delete: del, compareAndSet, lock: lockSession, close: connection.close });
};

/** A store whose options were refused: every call answers with that refusal and touches nothing. */
const refusedStore = (error: GatewayError): RedisTokenStore => ({
  get: () => TE.left(error),
  set: () => TE.left(error),
  delete: () => TE.left(error),
  compareAndSet: () => TE.left(error),
  lock: () => TE.left(error),
  close: () => TE.right(undefined),
});

/**
 * Like `buildRedisTokenStore`, for wiring a store straight into a client's settings: bad
 * options come back as the `InvalidInput` of every call instead of up front.
 */
export const createRedisTokenStore = (options: RedisTokenStoreOptions): RedisTokenStore =>
  E.getOrElse(refusedStore)(buildRedisTokenStore(options));
