import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { Configuration } from 'openid-client';
import { type GatewayError, invalidInput, scrubSecrets } from '../errors.js';
import type { TokenSet } from '../tokens.js';
import { oauthTask } from './oauth-errors.js';
import { configurationFor, type OAuthClient, type OAuthOptions, type OAuthServer } from './server.js';
import { tokenSetFromResponse } from './token-response.js';

/** Parameters our grants set themselves; `extraParams` may not override them. */
const RESERVED_TOKEN_PARAMS: ReadonlySet<string> = new Set([
  'grant_type',
  'client_id',
  'client_secret',
  'client_assertion',
  'client_assertion_type',
  'code',
  'code_verifier',
  'redirect_uri',
  'refresh_token',
  'scope',
]);

/** Rejects `extraParams` that would silently replace a parameter the grant owns. */
export const checkExtraParams = (
  extraParams: Readonly<Record<string, string>> | undefined,
  reserved: ReadonlySet<string> = RESERVED_TOKEN_PARAMS,
): E.Either<GatewayError, Readonly<Record<string, string>>> => {
  const params = extraParams ?? {};
  for (const [name, value] of Object.entries(params)) {
    if (reserved.has(name)) return E.left(invalidInput('extraParams', `must not set "${name}"; it is set by the grant itself`));
    if (typeof value !== 'string') return E.left(invalidInput('extraParams', `"${name}" must be a string`));
  }
  return E.right(params);
};

/**
 * RFC 6749 Appendix B form encoding as the Basic header carries it (§2.3.1): everything but
 * letters and digits is percent-encoded, a space becomes `+`.
 */
const formUrlEncode = (value: string): string =>
  encodeURIComponent(value)
    .replace(/[-_.!~*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');

/**
 * A secret can come back from a server in any of the encodings it travelled in: as typed, in a
 * form body, in a query, or inside the Basic credentials. All of them are scrubbed.
 */
const secretForms = (client: OAuthClient, secrets: ReadonlyArray<string>): ReadonlyArray<string> => {
  const values = client.clientSecret === undefined ? secrets : [client.clientSecret, ...secrets];
  const forms = values.flatMap((value) => [
    value,
    encodeURIComponent(value),
    new URLSearchParams({ v: value }).toString().slice(2),
    formUrlEncode(value),
  ]);
  if (client.clientSecret !== undefined) {
    forms.push(Buffer.from(`${formUrlEncode(client.clientId)}:${formUrlEncode(client.clientSecret)}`).toString('base64'));
  }
  return [...new Set(forms)];
};

/**
 * One request to the token endpoint: builds the configuration, runs the openid-client grant,
 * maps any failure, and turns the response into a `TokenSet`. `secrets` are the values this
 * request carries (client secret, code, verifier, refresh token); they are scrubbed from every
 * error as a last line of defence.
 */
export const requestTokens = (
  server: OAuthServer,
  client: OAuthClient,
  options: OAuthOptions | undefined,
  secrets: ReadonlyArray<string>,
  grant: (config: Configuration) => Promise<unknown>,
): TE.TaskEither<GatewayError, TokenSet> => {
  const allSecrets = secretForms(client, secrets);
  const context = { provider: server.issuer, secrets: allSecrets };
  const now = options?.now ?? Date.now;
  return pipe(
    TE.fromEither(configurationFor(server, client, options)),
    TE.flatMap((config) => {
      const requestedAt = now();
      return pipe(
        oauthTask(() => grant(config), context),
        TE.flatMap((response) => TE.fromEither(tokenSetFromResponse(response, requestedAt, server.issuer))),
      );
    }),
    TE.mapLeft((error) => scrubSecrets(error, allSecrets)),
  );
};
