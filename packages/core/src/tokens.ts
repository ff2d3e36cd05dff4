import { createHash } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import { decodeInput } from './decode.js';
import type { GatewayError } from './errors.js';

/**
 * A session's tokens as paygate keeps them. `expiresAt` is absolute (ms since epoch) so a
 * stored set stays meaningful after a restart; `extra` keeps whatever else the token endpoint
 * returned (Monerium's `profile` and `userId`, MoneyNS's `userId`).
 */
export const TokenSetCodec = t.intersection([
  t.type({
    accessToken: t.string,
    tokenType: t.string,
    extra: t.record(t.string, t.unknown),
  }),
  t.partial({
    expiresAt: t.number,
    refreshToken: t.string,
    scope: t.string,
  }),
]);

export interface TokenSet {
  readonly accessToken: string;
  readonly tokenType: string;
  readonly extra: Readonly<Record<string, unknown>>;
  readonly expiresAt?: number;
  readonly refreshToken?: string;
  readonly scope?: string;
}

/** A held lock; `release` is a no-op once the lock has expired or been taken by someone else. */
export interface StoreLock {
  release(): TE.TaskEither<GatewayError, void>;
  /**
   * Resets the lock's time to live to `ttlMs` from now if this holder still owns it; answers
   * `false` when the lock was lost (it expired and someone else took it). The TokenManager calls
   * it every third of the TTL while a refresh runs, so a slow token endpoint never outlives the
   * lock. Optional: a lock without it must be given a TTL longer than the whole refresh.
   */
  extend?(ttlMs: number): TE.TaskEither<GatewayError, boolean>;
}

/**
 * Two token sets are the same session state when they carry the same access and refresh token.
 * This is what `compareAndSet` compares: the other fields follow from these two.
 */
export const sameTokenSet = (a: TokenSet | undefined, b: TokenSet | undefined): boolean =>
  a === undefined || b === undefined ? a === b : a.accessToken === b.accessToken && a.refreshToken === b.refreshToken;

const checkTokenSet = decodeInput(TokenSetCodec, 'tokens');

/**
 * A short digest identifying a token set for `compareAndSet` in a store that cannot compare the
 * sets themselves (e.g. an encrypted entry compared inside a Redis script). SHA-256 of the two
 * tokens, base64url: a store may keep it in clear beside the entry without revealing a token.
 * A value that is not a `TokenSet` is `InvalidInput` on `tokens` (or the field inside it, e.g.
 * `tokens.accessToken`), never a digest of `undefined`.
 */
export const tokenSetFingerprint = (tokens: TokenSet): E.Either<GatewayError, string> =>
  E.map((checked: TokenSet) => createHash('sha256').update(`${checked.accessToken}\n${checked.refreshToken ?? ''}`).digest('base64url'))(
    checkTokenSet(tokens),
  );

/**
 * Where sessions live. Every operation can fail (a remote store can be down), so each returns a
 * TaskEither. `lock` is what lets several processes share one session with rotating refresh
 * tokens: a store without it only coordinates callers inside one process.
 */
export interface TokenStore {
  get(key: string): TE.TaskEither<GatewayError, TokenSet | undefined>;
  /** `ttlMs`: how long the entry is worth keeping (the refresh token's lifetime), if known. */
  set(key: string, tokens: TokenSet, ttlMs?: number): TE.TaskEither<GatewayError, void>;
  delete(key: string): TE.TaskEither<GatewayError, void>;
  lock?(key: string, ttlMs: number): TE.TaskEither<GatewayError, StoreLock>;
  /**
   * Fencing: in one atomic step, replaces the stored set with `next` (deletes it when `next` is
   * `undefined`) only if the stored set is still `expected` (`undefined`: no entry), compared as
   * `sameTokenSet` does. Answers whether it wrote. The TokenManager writes refreshed sets and
   * deletes refused ones through it, so a refresh that finishes late never overwrites or deletes
   * a newer session. Optional for stores written before it existed: without it the manager reads,
   * compares and then writes, which is atomic only against callers in the same process.
   */
  compareAndSet?(
    key: string,
    expected: TokenSet | undefined,
    next: TokenSet | undefined,
    ttlMs?: number,
  ): TE.TaskEither<GatewayError, boolean>;
}

/**
 * The default store: a Map in this process. Right for one process; wrong for several instances
 * sharing a session (see @paygate/token-store-redis).
 */
export const createMemoryTokenStore = (): TokenStore => {
  const entries = new Map<string, { tokens: TokenSet; expiresAt: number | undefined }>();
  const read = (key: string): TokenSet | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.tokens;
  };
  const write = (key: string, tokens: TokenSet | undefined, ttlMs: number | undefined): void => {
    if (tokens === undefined) entries.delete(key);
    else entries.set(key, { tokens, expiresAt: ttlMs === undefined ? undefined : Date.now() + ttlMs });
  };
  return {
    get: (key) => TE.fromIO(() => read(key)),
    set: (key, tokens, ttlMs) => TE.fromIO(() => write(key, tokens, ttlMs)),
    delete: (key) => TE.fromIO(() => write(key, undefined, undefined)),
    compareAndSet: (key, expected, next, ttlMs) =>
      TE.fromIO(() => {
        if (!sameTokenSet(read(key), expected)) return false;
        write(key, next, ttlMs);
        return true;
      }),
  };
};

/** Converts an OAuth token response's relative `expires_in` (seconds) to an absolute instant. */
export const expiresAtFrom = (expiresInSeconds: number | undefined, now: number): number | undefined =>
  expiresInSeconds === undefined || !Number.isFinite(expiresInSeconds)
    ? undefined
    : now + expiresInSeconds * 1000;
