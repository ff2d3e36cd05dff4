import * as TE from 'fp-ts/lib/TaskEither.js';
import { type GatewayError, invalidInput } from '../errors.js';
import type { TokenSet } from '../tokens.js';
import type { OAuthClient, OAuthOptions, OAuthServer } from './server.js';
import { requestTokens } from './token-request.js';

export interface RefreshParams {
  /** RFC 6749 §6: a narrower scope than the original grant, if wanted. */
  readonly scope?: string;
}

/**
 * RFC 6749 §6. Servers that rotate refresh tokens (Monerium, oidc-provider) send a new one and
 * revoke the old one, so the result must replace the stored set; servers that do not rotate
 * (Money Button's documented refresh response has no `refresh_token`) leave the old one valid, and
 * the result carries it on.
 */
export const refreshTokenGrant = (
  server: OAuthServer,
  client: OAuthClient,
  refreshToken: string,
  params: RefreshParams = {},
  options?: OAuthOptions,
): TE.TaskEither<GatewayError, TokenSet> => {
  if (typeof refreshToken !== 'string' || refreshToken.length === 0) {
    return TE.left(invalidInput('refreshToken', 'must be a non-empty string'));
  }
  if (typeof params !== 'object' || params === null) return TE.left(invalidInput('params', 'must be an object'));
  return TE.map((tokens: TokenSet): TokenSet => (tokens.refreshToken === undefined ? { ...tokens, refreshToken } : tokens))(
    requestTokens(server, client, options, [refreshToken], {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      ...(params.scope === undefined ? {} : { scope: params.scope }),
    }),
  );
};
