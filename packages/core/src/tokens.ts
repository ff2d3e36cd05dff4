import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
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
}

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
}

/**
 * The default store: a Map in this process. Right for one process; wrong for several instances
 * sharing a session (see @paygate/token-store-redis).
 */
export const createMemoryTokenStore = (): TokenStore => {
  const entries = new Map<string, { tokens: TokenSet; expiresAt: number | undefined }>();
  return {
    get: (key) =>
      TE.fromIO(() => {
        const entry = entries.get(key);
        if (entry === undefined) return undefined;
        if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
          entries.delete(key);
          return undefined;
        }
        return entry.tokens;
      }),
    set: (key, tokens, ttlMs) =>
      TE.fromIO(() => {
        entries.set(key, { tokens, expiresAt: ttlMs === undefined ? undefined : Date.now() + ttlMs });
      }),
    delete: (key) =>
      TE.fromIO(() => {
        entries.delete(key);
      }),
  };
};

/** Converts an OAuth token response's relative `expires_in` (seconds) to an absolute instant. */
export const expiresAtFrom = (expiresInSeconds: number | undefined, now: number): number | undefined =>
  expiresInSeconds === undefined || !Number.isFinite(expiresInSeconds)
    ? undefined
    : now + expiresInSeconds * 1000;
