import { randomBytes } from 'node:crypto';
import type { PendingAuthorization, TokenStore } from '@paygate/core';
import { type ScopedTokenStore, scopedTokenStore } from './scoped-token-store.js';
import type { ProviderConnection, ProviderId } from './sign-in-provider.js';

/** A sign-in between the redirect to the provider and its callback; the verifier stays here. */
export interface PendingSignIn {
  readonly provider: ProviderId;
  readonly authorization: PendingAuthorization;
  readonly connection: ProviderConnection;
}

export interface SignedIn {
  readonly provider: ProviderId;
  readonly connection: ProviderConnection;
}

/** Everything the server keeps for one browser; the browser holds only the random id. */
export interface BrowserSession {
  /** This session's slice of the token store, under an id the browser never sees. */
  readonly tokens: ScopedTokenStore;
  pending: PendingSignIn | undefined;
  signedIn: SignedIn | undefined;
  expiresAt: number;
}

export interface SessionStore {
  /** The live session behind a cookie value; each use extends its idle timeout. An expired one is dropped with its tokens. */
  find(id: string): Promise<BrowserSession | undefined>;
  /**
   * A new session, or undefined when the store is full of signed-in sessions (the caller answers
   * 503). At the cap the least recently used session that is not signed in is evicted first.
   */
  create(): { readonly id: string; readonly session: BrowserSession } | undefined;
  /** Marks a session signed in: from now on it keeps the (longer) idle timeout. */
  signIn(id: string): void;
  /** How many sessions are held (for tests and metrics). */
  size(): number;
  /** Moves a session to a fresh id, so an id known before sign-in is worth nothing after it (session fixation). */
  rotate(id: string): string | undefined;
  /** Forgets the session and deletes its tokens. */
  destroy(id: string): Promise<void>;
}

export interface SessionStoreOptions {
  readonly tokenStore: TokenStore;
  /** How long a signed-in session lives unused. Default 30 minutes. */
  readonly idleTimeoutMs?: number;
  /**
   * How long a session that is not signed in (a sign-in in progress, or none) lives unused.
   * Default 10 minutes: anyone can create one with a POST, so it must not be kept long.
   */
  readonly pendingTimeoutMs?: number;
  /** Most sessions held at once. Default 10 000. */
  readonly maxSessions?: number;
  readonly now?: () => number;
}

export const DEFAULT_MAX_SESSIONS = 10_000;
const SWEEP_INTERVAL_MS = 60_000;

/** 256 bits from the CSPRNG, base64url: unguessable and cookie-safe. */
const newId = (): string => randomBytes(32).toString('base64url');

export const createSessionStore = (options: SessionStoreOptions): SessionStore => {
  const idleTimeoutMs = options.idleTimeoutMs ?? 30 * 60_000;
  const pendingTimeoutMs = Math.min(options.pendingTimeoutMs ?? 10 * 60_000, idleTimeoutMs);
  const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
  const now = options.now ?? Date.now;
  // Insertion order is use order (a used session is moved to the end): the first entries are the
  // least recently used, which is where eviction looks.
  const sessions = new Map<string, BrowserSession>();
  let lastSweep = Number.NEGATIVE_INFINITY;

  const lifetimeOf = (session: BrowserSession): number => (session.signedIn === undefined ? pendingTimeoutMs : idleTimeoutMs);

  const drop = async (id: string, session: BrowserSession): Promise<void> => {
    sessions.delete(id);
    await session.tokens.clear()();
  };

  /** Dropping is best effort: a failing token store must not fail the request that swept. */
  const dropInBackground = (id: string, session: BrowserSession): void => {
    drop(id, session).catch(() => undefined);
  };

  /** At most once a minute, so a flood of creates costs O(1) each, not a scan each. */
  const sweep = (): void => {
    const at = now();
    if (at - lastSweep < SWEEP_INTERVAL_MS) return;
    lastSweep = at;
    for (const [id, session] of sessions) if (session.expiresAt <= at) dropInBackground(id, session);
  };

  /** Frees one place: the least recently used session that is not signed in. */
  const evictOne = (): boolean => {
    for (const [id, session] of sessions) {
      if (session.signedIn === undefined) {
        dropInBackground(id, session);
        return true;
      }
    }
    return false;
  };

  return {
    find: async (id) => {
      const session = sessions.get(id);
      if (session === undefined) return undefined;
      if (session.expiresAt <= now()) {
        await drop(id, session);
        return undefined;
      }
      session.expiresAt = now() + lifetimeOf(session);
      sessions.delete(id);
      sessions.set(id, session);
      return session;
    },
    create: () => {
      sweep();
      if (sessions.size >= maxSessions && !evictOne()) return undefined;
      const id = newId();
      const session: BrowserSession = {
        tokens: scopedTokenStore(options.tokenStore, newId()),
        pending: undefined,
        signedIn: undefined,
        expiresAt: now() + pendingTimeoutMs,
      };
      sessions.set(id, session);
      return { id, session };
    },
    signIn: (id) => {
      const session = sessions.get(id);
      if (session !== undefined) session.expiresAt = now() + idleTimeoutMs;
    },
    rotate: (id) => {
      const session = sessions.get(id);
      if (session === undefined) return undefined;
      const next = newId();
      sessions.delete(id);
      sessions.set(next, session);
      return next;
    },
    destroy: async (id) => {
      const session = sessions.get(id);
      if (session !== undefined) await drop(id, session);
    },
    size: () => sessions.size,
  };
};
