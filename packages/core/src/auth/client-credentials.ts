import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { type GatewayError, invalidInput } from '../errors.js';
import type { TokenSet } from '../tokens.js';
import type { OAuthClient, OAuthOptions, OAuthServer } from './server.js';
import { checkExtraParams, requestTokens } from './token-request.js';

export interface ClientCredentialsParams {
  readonly scope?: string;
  /** Further token request parameters a provider documents; may not replace grant parameters. */
  readonly extraParams?: Readonly<Record<string, string>>;
}

/**
 * RFC 6749 §4.4: a confidential client obtains a token for itself (Monerium partners, Money Button
 * `application_access:write`). The client authenticates as `client.clientAuth` says: Basic for
 * Money Button, form body for Monerium.
 */
export const clientCredentialsGrant = (
  server: OAuthServer,
  client: OAuthClient,
  params: ClientCredentialsParams = {},
  options?: OAuthOptions,
): TE.TaskEither<GatewayError, TokenSet> => {
  if (typeof client !== 'object' || client === null) return TE.left(invalidInput('client', 'must be an object'));
  if (typeof params !== 'object' || params === null) return TE.left(invalidInput('params', 'must be an object'));
  if (client.clientAuth === 'none') {
    return TE.left(invalidInput('client.clientAuth', 'the client credentials grant needs a confidential client'));
  }
  return pipe(
    TE.fromEither(checkExtraParams(params.extraParams)),
    TE.flatMap((extra) =>
      requestTokens(server, client, options, [], {
        ...extra,
        grant_type: 'client_credentials',
        ...(params.scope === undefined ? {} : { scope: params.scope }),
      }),
    ),
  );
};
