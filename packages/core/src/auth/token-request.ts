import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { type GatewayError, invalidInput, scrubSecrets } from '../errors.js';
import { createHttpClient } from '../http.js';
import type { TokenSet } from '../tokens.js';
import { mediaTypeOf, tokenEndpointFailure, tokenResponseDecodeError } from './oauth-errors.js';
import { checkOAuthConfig, type OAuthClient, type OAuthOptions, type OAuthServer } from './server.js';
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
export const secretForms = (client: OAuthClient, secrets: ReadonlyArray<string>): ReadonlyArray<string> => {
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

type TokenResponse = Record<string, unknown> & { readonly token_type: string; readonly expires_in?: number };

const bodyProblem = (path: string, problem: string) => E.left({ path, problem });

const stringProblem = (body: Record<string, unknown>, name: string): E.Either<{ path: string; problem: string }, void> | undefined => {
  const value = body[name];
  if (typeof value !== 'string') return bodyProblem(name, 'must be a string');
  if (value.length === 0) return bodyProblem(name, 'must not be empty');
  return undefined;
};

/**
 * RFC 6749 §5.1, checked as oauth4webapi checks it (so the two grants here and the code exchange
 * through openid-client agree): `access_token` and `token_type` non-empty strings, `expires_in` a
 * non-negative number (a numeric string is read as one), `refresh_token` and `id_token` non-empty
 * strings and `scope` a string when present, and a `Bearer` or `DPoP` token type.
 */
const checkTokenResponse = (body: unknown): E.Either<{ path: string; problem: string }, TokenResponse> => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return bodyProblem('', 'must be a JSON object');
  const record = body as Record<string, unknown>;
  const required = stringProblem(record, 'access_token') ?? stringProblem(record, 'token_type');
  if (required !== undefined) return required as E.Left<{ path: string; problem: string }>;
  let expiresIn: number | undefined;
  if (record.expires_in !== undefined) {
    expiresIn = typeof record.expires_in === 'number' ? record.expires_in : Number.parseFloat(record.expires_in as string);
    if (!Number.isFinite(expiresIn)) return bodyProblem('expires_in', 'must be a number');
    if (expiresIn < 0) return bodyProblem('expires_in', 'must be a non-negative number');
  }
  for (const name of ['refresh_token', 'id_token']) {
    const problem = record[name] === undefined ? undefined : stringProblem(record, name);
    if (problem !== undefined) return problem as E.Left<{ path: string; problem: string }>;
  }
  if (record.scope !== undefined && typeof record.scope !== 'string') return bodyProblem('scope', 'must be a string');
  const tokenType = (record.token_type as string).toLowerCase();
  if (tokenType !== 'bearer' && tokenType !== 'dpop') return bodyProblem('token_type', 'must be Bearer or DPoP');
  return E.right({ ...record, token_type: tokenType, ...(expiresIn === undefined ? {} : { expires_in: expiresIn }) });
};

/** How one grant's form is sent: RFC 6749 §2.3.1 client authentication added to its parameters. */
const authenticatedForm = (
  client: OAuthClient,
  params: Readonly<Record<string, string>>,
): { readonly form: Record<string, string>; readonly headers: Record<string, string> } => {
  const secret = client.clientSecret ?? '';
  switch (client.clientAuth) {
    case 'client_secret_basic':
      return {
        form: { ...params },
        headers: { authorization: `Basic ${Buffer.from(`${formUrlEncode(client.clientId)}:${formUrlEncode(secret)}`).toString('base64')}` },
      };
    case 'client_secret_post':
      return { form: { ...params, client_id: client.clientId, client_secret: secret }, headers: {} };
    default:
      return { form: { ...params, client_id: client.clientId }, headers: {} };
  }
};

/**
 * One request to the token endpoint for a grant that needs no browser round trip
 * (`client_credentials`, `refresh_token`): a form POST through core's got-based HTTP client,
 * never retried (a token request is not idempotent: a rotated refresh token is spent by the
 * first attempt), under the options' timeout. Failures are mapped by `tokenEndpointFailure` and
 * the 200 answer becomes a `TokenSet`. `secrets` are the values this request carries (the
 * refresh token); they and the client secret, in every encoding, are scrubbed from every error.
 */
export const requestTokens = (
  server: OAuthServer,
  client: OAuthClient,
  options: OAuthOptions | undefined,
  secrets: ReadonlyArray<string>,
  params: Readonly<Record<string, string>>,
): TE.TaskEither<GatewayError, TokenSet> => {
  const checked = checkOAuthConfig(server, client, options);
  if (E.isLeft(checked)) return TE.left(checked.left);
  const allSecrets = secretForms(client, secrets);
  const context = { provider: server.issuer, secrets: allSecrets };
  const now = options?.now ?? Date.now;
  const { tokenEndpoint, timeoutMs } = checked.right;
  const http = createHttpClient({
    provider: server.issuer,
    baseUrl: '',
    timeoutMs,
    maxRetries: 0,
    mapError: (response) => tokenEndpointFailure(response, context),
  });
  const { form, headers } = authenticatedForm(client, params);
  return async () => {
    const requestedAt = now();
    const sent = await http.send({
      method: 'POST',
      path: tokenEndpoint.href,
      pathTemplate: tokenEndpoint.pathname,
      operation: 'oauth.token',
      form,
      headers,
      secrets: allSecrets,
    })();
    if (E.isLeft(sent)) return E.left(scrubSecrets(sent.left, allSecrets));
    const response = sent.right;
    if (response.status !== 200) return E.left(tokenEndpointFailure(response, context));
    if (!response.isJson) {
      return E.left(
        tokenResponseDecodeError(context, '', mediaTypeOf(response) === 'application/json' ? 'is not valid JSON' : 'must be application/json'),
      );
    }
    const body = checkTokenResponse(response.body);
    if (E.isLeft(body)) return E.left(scrubSecrets(tokenResponseDecodeError(context, body.left.path, body.left.problem), allSecrets));
    return E.mapLeft((error: GatewayError) => scrubSecrets(error, allSecrets))(tokenSetFromResponse(body.right, requestedAt, server.issuer));
  };
};
