import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { authError, type GatewayError, type TokenSet } from '@paygate/core';

/**
 * An in-process stand-in for a provider with rotating refresh tokens (Monerium's behaviour):
 * each refresh returns a new refresh token and revokes the old one, so a second refresh with
 * the same token fails with invalid_grant. Used where the sandbox is not needed.
 */
export const rotatingProvider = (refreshDelayMs = 20) => {
  let generation = 0;
  let validRefreshToken = 'rt-0';
  let refreshes = 0;
  const expired: TokenSet = {
    accessToken: 'at-0',
    tokenType: 'Bearer',
    refreshToken: validRefreshToken,
    expiresAt: Date.now() - 1_000,
    extra: {},
  };
  const refresh =
    (tokens: TokenSet): TE.TaskEither<GatewayError, TokenSet> =>
    async () => {
      refreshes++;
      await new Promise((resolve) => setTimeout(resolve, refreshDelayMs));
      if (tokens.refreshToken !== validRefreshToken) {
        return E.left(authError({ reason: 'invalid_grant', oauthError: 'invalid_grant', status: 400 }));
      }
      generation++;
      validRefreshToken = `rt-${generation}`;
      return E.right({
        accessToken: `at-${generation}`,
        tokenType: 'Bearer',
        refreshToken: validRefreshToken,
        expiresAt: Date.now() + 3_600_000,
        extra: {},
      });
    };
  /** Accepts only the newest access token, as a resource server would. */
  const call =
    (accessToken: string): TE.TaskEither<GatewayError, string> =>
    async () =>
      accessToken === `at-${generation}`
        ? E.right(`ok:${accessToken}`)
        : E.left(authError({ reason: 'invalid_token', status: 401 }));
  return { expired, refresh, call, refreshes: () => refreshes };
};
