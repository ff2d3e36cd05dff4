import type { GatewayError, TokenStore } from '@paygate/core';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';

export interface ScopedTokenStore extends TokenStore {
  /** Deletes every session this scope wrote (sign-out). */
  clear(): TE.TaskEither<GatewayError, void>;
}

/**
 * One browser session's slice of a shared token store: the adapters key sessions by client and
 * provider user (`monerium:<client>:<user>`), so two browsers signed in as the same user would
 * otherwise share, and sign out, one session. Prefixing every key with the browser session's
 * own id keeps them apart.
 */
export const scopedTokenStore = (shared: TokenStore, scope: string): ScopedTokenStore => {
  const written = new Set<string>();
  const scoped = (key: string) => `web-login:${scope}:${key}`;
  const lock = shared.lock?.bind(shared);
  return {
    get: (key) => shared.get(scoped(key)),
    set: (key, tokens, ttlMs) => {
      written.add(key);
      return shared.set(scoped(key), tokens, ttlMs);
    },
    delete: (key) => {
      written.delete(key);
      return shared.delete(scoped(key));
    },
    ...(lock === undefined ? {} : { lock: (key: string, ttlMs: number) => lock(scoped(key), ttlMs) }),
    clear: () =>
      pipe(
        TE.sequenceArray([...written].map((key) => shared.delete(scoped(key)))),
        TE.map(() => written.clear()),
      ),
  };
};
