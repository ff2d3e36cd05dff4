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
  create(): { readonly id: string; readonly session: BrowserSession };
  /** Moves a session to a fresh id, so an id known before sign-in is worth nothing after it (session fixation). */
  rotate(id: string): string | undefined;
  /** Forgets the session and deletes its tokens. */
  destroy(id: string): Promise<void>;
}

export interface SessionStoreOptions {
  readonly tokenStore: TokenStore;
  /** Default 30 minutes. */
  readonly idleTimeoutMs?: number;
  readonly now?: () => number;
}

/** 256 bits from the CSPRNG, base64url: unguessable and cookie-safe. */
const newId = (): string => randomBytes(32).toString('base64url');

export const createSessionStore = (options: SessionStoreOptions): SessionStore => {
  const idleTimeoutMs = options.idleTimeoutMs ?? 30 * 60_000;
  const now = options.now ?? Date.now;
  const sessions = new Map<string, BrowserSession>();

  const drop = async (id: string, session: BrowserSession): Promise<void> => {
    sessions.delete(id);
    await session.tokens.clear()();
  };

  const sweep = (): void => {
    const at = now();
    for (const [id, session] of sessions) if (session.expiresAt <= at) void drop(id, session);
  };

  return {
    find: async (id) => {
      const session = sessions.get(id);
      if (session === undefined) return undefined;
      if (session.expiresAt <= now()) {
        await drop(id, session);
        return undefined;
      }
      session.expiresAt = now() + idleTimeoutMs;
      return session;
    },
    create: () => {
      sweep();
      const id = newId();
      const session: BrowserSession = {
        tokens: scopedTokenStore(options.tokenStore, newId()),
        pending: undefined,
        signedIn: undefined,
        expiresAt: now() + idleTimeoutMs,
      };
      sessions.set(id, session);
      return { id, session };
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
  };
};
