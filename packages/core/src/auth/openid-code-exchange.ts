/**
 * The authorization-code exchange through openid-client, and the mapping of what openid-client,
 * oauth4webapi and fetch throw into `GatewayError`s. This module is loaded on first use only
 * (`authorization-code.ts` imports it dynamically), so an application that never finishes an
 * authorization-code flow (client credentials, a stored session) never loads openid-client,
 * oauth4webapi, jose or Node's fetch (undici). The two simple grants do not come here:
 * `token-request.ts` sends them through core's got-based HTTP client.
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import {
  AuthorizationResponseError,
  allowInsecureRequests,
  ClientError,
  ClientSecretBasic,
  ClientSecretPost,
  type ClientAuth as OpenIdClientAuth,
  Configuration,
  type CustomFetch,
  customFetch,
  genericGrantRequest,
  None,
  ResponseBodyError,
  WWWAuthenticateChallengeError,
} from 'openid-client';
import { authError, type GatewayError, invalidInput, scrubSecrets, type TransportKind, transportError } from '../errors.js';
import type { TokenSet } from '../tokens.js';
import { USER_AGENT } from '../version.js';
import {
  type OAuthFailureContext,
  oauthAuthError,
  oauthCode,
  readTokenError,
  tokenResponseDecodeError,
  unexpectedStatus,
} from './oauth-errors.js';
import type { CheckedOAuthConfig, OAuthClient } from './server.js';
import { tokenSetFromResponse } from './token-response.js';

/**
 * Every request openid-client sends goes through this fetch: it names paygate in `User-Agent`
 * and enforces the timeout itself, because openid-client's own `timeout` counts whole seconds.
 */
const fetchWith =
  (timeoutMs: number): CustomFetch =>
  (url, init) => {
    const headers = new Headers(init.headers);
    headers.set('user-agent', USER_AGENT);
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init.signal === undefined ? deadline : AbortSignal.any([init.signal, deadline]);
    // Token requests are form bodies (a string or URLSearchParams), never streams.
    const body = init.body ?? null;
    return fetch(url, { method: init.method, headers, body: body as NonNullable<RequestInit['body']> | null, redirect: init.redirect, signal });
  };

const clientAuthentication = (client: OAuthClient): OpenIdClientAuth => {
  const secret = client.clientSecret ?? '';
  switch (client.clientAuth) {
    case 'client_secret_basic':
      return ClientSecretBasic(secret);
    case 'client_secret_post':
      return ClientSecretPost(secret);
    default:
      return None();
  }
};

/** The openid-client `Configuration` for a checked server and client; no network request. */
const configurationFor = (checked: CheckedOAuthConfig): E.Either<GatewayError, Configuration> => {
  const { server, client, authorizationEndpoint, tokenEndpoint } = checked;
  let config: Configuration;
  try {
    config = new Configuration(
      { issuer: server.issuer, authorization_endpoint: authorizationEndpoint.href, token_endpoint: tokenEndpoint.href },
      client.clientId,
      {},
      clientAuthentication(client),
    );
  } catch {
    return E.left(invalidInput('client', 'openid-client refused the client configuration'));
  }
  config.timeout = undefined;
  config[customFetch] = fetchWith(checked.timeoutMs);
  if ([authorizationEndpoint, tokenEndpoint].some((url) => url.protocol === 'http:')) allowInsecureRequests(config);
  return E.right(config);
};

const NETWORK_CODES: Readonly<Record<string, TransportKind>> = {
  ECONNREFUSED: 'connection',
  ENOTFOUND: 'connection',
  EAI_AGAIN: 'connection',
  EHOSTUNREACH: 'connection',
  ENETUNREACH: 'connection',
  UND_ERR_CONNECT: 'connection',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
};

const causes = function* (error: unknown): Generator<unknown> {
  let current = error;
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth++) {
    yield current;
    current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
};

const fieldOf = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;

/**
 * fetch reports network failures as `TypeError('fetch failed')` with the socket error as `cause`;
 * openid-client wraps our deadline's `TimeoutError` in a `ClientError`. Both are found by walking
 * the cause chain.
 */
const networkKind = (error: unknown): TransportKind | undefined => {
  let fetchFailed = false;
  for (const cause of causes(error)) {
    const name = fieldOf(cause, 'name');
    if (name === 'TimeoutError') return 'timeout';
    if (name === 'AbortError') return 'aborted';
    const code = fieldOf(cause, 'code');
    if (typeof code === 'string') {
      if (code === 'OAUTH_TIMEOUT') return 'timeout';
      if (code === 'OAUTH_ABORT') return 'aborted';
      const kind = NETWORK_CODES[code];
      if (kind !== undefined) return kind;
    }
    if (cause instanceof TypeError && cause.message === 'fetch failed') fetchFailed = true;
  }
  return fetchFailed ? 'connection' : undefined;
};

const TRANSPORT_MESSAGES: Readonly<Partial<Record<TransportKind, string>>> = {
  timeout: 'The token request timed out',
  connection: 'Could not connect to the token endpoint',
  reset: 'The connection to the token endpoint was reset',
  aborted: 'The token request was aborted',
};

/** oauth4webapi phrases response problems as `"response" body "<name>" property must be …`. */
const invalidResponseDetail = (error: unknown): { path: string; problem: string } => {
  for (const cause of causes(error)) {
    const message = fieldOf(cause, 'message');
    if (typeof message !== 'string') continue;
    const property = /"response" body "([A-Za-z0-9_]+)" property (.+)$/.exec(message);
    if (property?.[1] !== undefined && property[2] !== undefined) return { path: property[1], problem: property[2] };
    if (message.includes('top level object')) return { path: '', problem: 'must be a JSON object' };
    if (message.includes('`token_type`')) return { path: 'token_type', problem: 'must be Bearer or DPoP' };
  }
  return { path: '', problem: 'is not a valid token response' };
};

const fromClientError = (error: ClientError, context: OAuthFailureContext, body: unknown): GatewayError => {
  switch (error.code) {
    case 'OAUTH_RESPONSE_IS_NOT_CONFORM':
    case 'OAUTH_RESPONSE_IS_NOT_JSON': {
      const response = error.cause;
      const status = response instanceof Response ? response.status : undefined;
      if (status !== undefined && (status < 200 || status > 299)) return unexpectedStatus(status, context, body);
      return error.code === 'OAUTH_RESPONSE_IS_NOT_JSON'
        ? tokenResponseDecodeError(context, '', 'must be application/json')
        : tokenResponseDecodeError(context, '', `came with HTTP ${status ?? '?'} instead of 200`);
    }
    case 'OAUTH_PARSE_ERROR':
      return tokenResponseDecodeError(context, '', 'is not valid JSON');
    case 'OAUTH_INVALID_RESPONSE':
    case 'OAUTH_UNSUPPORTED_OPERATION': {
      const { path, problem } = invalidResponseDetail(error);
      return tokenResponseDecodeError(context, path, problem);
    }
    case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED':
    case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
    case 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED':
      return authError({
        reason: 'authorization_error',
        message: 'The ID token in the token response failed validation',
      });
    case 'OAUTH_HTTP_REQUEST_FORBIDDEN':
    case 'OAUTH_REQUEST_PROTOCOL_FORBIDDEN':
      return invalidInput('server.tokenEndpoint', 'must use https (plain http is allowed only for loopback hosts)');
    default:
      return transportError({
        kind: 'protocol',
        attempts: 1,
        message: `The token request failed unexpectedly (${oauthCode(error.code) ?? 'no code'})`,
      });
  }
};

/**
 * Maps anything a token request can throw. Order matters: OAuth error bodies first (they are the
 * server's considered answer), then network failures, then malformed responses. `body` is the
 * parsed body of an error answer openid-client did not recognise as RFC 6749 (see `oauthTask`).
 */
export const oauthFailure = (error: unknown, context: OAuthFailureContext, body?: unknown): GatewayError => {
  const mapped = ((): GatewayError => {
    if (error instanceof ResponseBodyError) {
      return oauthAuthError(
        oauthCode(error.error),
        error.error_description,
        error.status,
        'The token endpoint refused the request',
        context.secrets,
      );
    }
    if (error instanceof WWWAuthenticateChallengeError) {
      // RFC 6749 §5.2: a client that authenticated with a header gets 401 + WWW-Authenticate.
      // A bare `Basic realm=…` challenge names no error: the body may, in the provider's shape.
      const challenge = error.cause.find((c) => c.parameters.error !== undefined);
      const inBody = challenge === undefined ? readTokenError(body) : {};
      return oauthAuthError(
        oauthCode(challenge?.parameters.error) ?? inBody.code,
        challenge?.parameters.error_description ?? inBody.description,
        error.status,
        'The token endpoint refused the request',
        context.secrets,
      );
    }
    if (error instanceof AuthorizationResponseError) {
      return oauthAuthError(
        oauthCode(error.error),
        error.error_description,
        undefined,
        'The authorization server returned an error',
        context.secrets,
      );
    }
    const kind = networkKind(error);
    if (kind !== undefined) {
      return transportError({ kind, attempts: 1, message: TRANSPORT_MESSAGES[kind] ?? `Token request failed (${kind})` });
    }
    if (error instanceof ClientError) return fromClientError(error, context, body);
    const code = fieldOf(error, 'code');
    if (error instanceof TypeError && (code === 'ERR_INVALID_ARG_TYPE' || code === 'ERR_INVALID_ARG_VALUE')) {
      return invalidInput('request', 'openid-client refused an argument of the token request');
    }
    return transportError({ kind: 'protocol', attempts: 1, message: 'The token request failed unexpectedly' });
  })();
  return scrubSecrets(mapped, context.secrets);
};

/** Error bodies longer than this are not read: a token endpoint's error is a few hundred bytes. */
const MAX_ERROR_BODY = 64 * 1024;

/**
 * The JSON body of an error answer that openid-client refused as "not an OAuth error" (it read
 * a clone, so the body is still there) or did not read (a 401 with a challenge), to look for the
 * provider's own error shape. Reading it stays under the request's deadline (the fetch's abort
 * signal).
 */
const unrecognisedErrorBody = async (error: unknown): Promise<unknown> => {
  const response =
    error instanceof WWWAuthenticateChallengeError
      ? error.response
      : error instanceof ClientError && (error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || error.code === 'OAUTH_RESPONSE_IS_NOT_JSON')
        ? error.cause
        : undefined;
  if (!(response instanceof Response) || response.ok || response.bodyUsed) return undefined;
  try {
    const text = await response.text();
    return text.length > MAX_ERROR_BODY ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
};

/** Runs one openid-client call; whatever it throws comes back as a scrubbed `GatewayError`. */
const oauthTask =
  <A>(run: () => Promise<A>, context: OAuthFailureContext): TE.TaskEither<GatewayError, A> =>
  async () => {
    try {
      return E.right(await run());
    } catch (error) {
      return E.left(oauthFailure(error, context, await unrecognisedErrorBody(error)));
    }
  };

/** What `finishAuthorization` redeems: the code from the callback and the PKCE verifier. */
export interface CodeExchange {
  readonly code: string;
  readonly redirectUri: string;
  readonly codeVerifier: string;
}

/**
 * RFC 6749 §4.1.3 with RFC 7636: redeems the code through openid-client. `secrets` (the code, the
 * verifier and the client secret, in every encoding) are scrubbed from every error.
 */
export const exchangeCode = (
  checked: CheckedOAuthConfig,
  exchange: CodeExchange,
  secrets: ReadonlyArray<string>,
  now: () => number,
): TE.TaskEither<GatewayError, TokenSet> => {
  const provider = checked.server.issuer;
  const context = { provider, secrets };
  return pipe(
    TE.fromEither(configurationFor(checked)),
    TE.flatMap((config) => {
      const requestedAt = now();
      return pipe(
        oauthTask(
          () =>
            genericGrantRequest(config, 'authorization_code', {
              code: exchange.code,
              redirect_uri: exchange.redirectUri,
              code_verifier: exchange.codeVerifier,
            }),
          context,
        ),
        TE.flatMap((response) => TE.fromEither(tokenSetFromResponse(response, requestedAt, provider))),
      );
    }),
    TE.mapLeft((error) => scrubSecrets(error, secrets)),
  );
};
