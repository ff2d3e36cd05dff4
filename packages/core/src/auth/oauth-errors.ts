import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import {
  AuthorizationResponseError,
  ClientError,
  ResponseBodyError,
  WWWAuthenticateChallengeError,
} from 'openid-client';
import {
  type AuthReason,
  authError,
  decodeError,
  type GatewayError,
  invalidInput,
  providerError,
  scrubSecrets,
  scrubText,
  type TransportKind,
  transportError,
} from '../errors.js';

/**
 * The one place where failures of openid-client / oauth4webapi, of fetch, and of authorization
 * responses become `GatewayError`s. Nothing here copies an exception's `cause`, a response body
 * or a request parameter into the result: the errors carry the server's OAuth error code, its
 * status and a bounded, scrubbed `error_description`, never a token, code, verifier or secret.
 */
export interface OAuthFailureContext {
  /** Names the server in `DecodeError`/`ProviderError` (the issuer). */
  readonly provider: string;
  /** Values of the request that must never show up in an error (client secret, code, tokens…). */
  readonly secrets: ReadonlyArray<string>;
}

/** RFC 6749 §4.1.2.1 / §5.2 and RFC 6750 §3.1 codes that have their own `AuthReason`. */
const REASONS: Readonly<Record<string, AuthReason>> = {
  invalid_grant: 'invalid_grant',
  invalid_client: 'invalid_client',
  access_denied: 'access_denied',
  invalid_token: 'invalid_token',
  insufficient_scope: 'insufficient_scope',
};

export const authReasonFor = (oauthError: string): AuthReason => REASONS[oauthError] ?? 'authorization_error';

const MAX_DESCRIPTION = 200;

/**
 * `error_description` is server text: secrets it echoes are redacted first (so that cutting it
 * short can never leave half a secret behind), then it is made printable and bounded.
 */
const describe = (description: unknown, secrets: ReadonlyArray<string>): string => {
  if (typeof description !== 'string' || description.length === 0) return '';
  const redacted = scrubText(description, secrets);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const printable = redacted.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  const bounded = printable.length > MAX_DESCRIPTION ? `${printable.slice(0, MAX_DESCRIPTION)}…` : printable;
  return bounded.length === 0 ? '' : ` (${bounded})`;
};

/** RFC 6749 §5.2: an OAuth error code is a plain ASCII token; anything else is not echoed. */
const oauthCode = (value: unknown): string | undefined =>
  typeof value === 'string' && /^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,64}$/.test(value) ? value : undefined;

const oauthAuthError = (
  code: string | undefined,
  description: unknown,
  status: number | undefined,
  origin: string,
  secrets: ReadonlyArray<string>,
): GatewayError => {
  const reason: AuthReason = code === undefined ? (status === 401 ? 'invalid_client' : 'authorization_error') : authReasonFor(code);
  return authError({
    reason,
    ...(code === undefined ? {} : { oauthError: code }),
    ...(status === undefined ? {} : { status }),
    message: `${origin}: ${code ?? `HTTP ${status ?? '?'}`}${describe(description, secrets)}`,
  });
};

/**
 * An authorization response that carries `error` (RFC 6749 §4.1.2.1), e.g. the user pressed
 * "deny" (`access_denied`).
 */
export const authorizationResponseFailure = (
  params: URLSearchParams,
  context: OAuthFailureContext,
): GatewayError =>
  scrubSecrets(
    oauthAuthError(
      oauthCode(params.get('error')) ?? 'invalid_request',
      params.get('error_description'),
      undefined,
      'The authorization server returned an error to the redirect URI',
      context.secrets,
    ),
    context.secrets,
  );

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

/**
 * An OAuth error a token endpoint reported in its own error shape instead of RFC 6749 §5.2's
 * `{error, error_description}`.
 */
interface TokenErrorInBody {
  /** The OAuth error code, when the body names one. */
  readonly code?: string;
  /** The server's own words about the failure. */
  readonly description?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const textOf = (value: unknown): string | undefined => (typeof value === 'string' && value.trim().length > 0 ? value : undefined);

/** What an `error` member holds when it is an OAuth code: a snake_case token (free text is not a code). */
const codeToken = (value: unknown): string | undefined =>
  typeof value === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(value) ? value : undefined;

/** RFC 6749 §4.1.2.1 and §5.2 and RFC 6750 §3.1 codes. */
const REGISTERED_CODES: ReadonlySet<string> = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'access_denied',
  'unsupported_response_type',
  'server_error',
  'temporarily_unavailable',
  'invalid_token',
  'insufficient_scope',
]);

const registered = (value: unknown): string | undefined => {
  const code = codeToken(value);
  return code !== undefined && REGISTERED_CODES.has(code) ? code : undefined;
};

/**
 * A registered code spelled out as the text's first words, as common OAuth server libraries
 * phrase their messages (`Invalid grant: refresh token is invalid`, `Unauthorized client: …`).
 */
const codeSpelledIn = (text: string | undefined): string | undefined => {
  const lead = text === undefined ? undefined : /^\s*([A-Za-z]+(?: [A-Za-z]+){0,3})\s*(?::|\.|$)/.exec(text)?.[1];
  return lead === undefined ? undefined : registered(lead.toLowerCase().replace(/ /g, '_'));
};

/** The first object with an OAuth-code `error` member, breadth first, a few levels deep (`details.error`, …). */
const errorMemberIn = (body: unknown): Record<string, unknown> | undefined => {
  let level: ReadonlyArray<unknown> = [body];
  for (let depth = 0; depth < 4 && level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const value of level) {
      if (Array.isArray(value)) next.push(...value.slice(0, 20));
      else if (isRecord(value)) {
        if (codeToken(value.error) !== undefined) return value;
        next.push(...Object.values(value).slice(0, 50));
      }
    }
    level = next;
  }
  return undefined;
};

/**
 * JSON:API error documents (`{errors: [{id, status, code, title, detail}]}`, Money Button): the
 * code from an error object's `code` or `error` member, else from its detail or title when they
 * spell one; the detail (or title) is the description.
 */
const jsonApiTokenError = (body: unknown): TokenErrorInBody | undefined => {
  if (!isRecord(body) || !Array.isArray(body.errors)) return undefined;
  const objects = body.errors.filter(isRecord);
  if (objects.length === 0) return undefined;
  const said = (object: Record<string, unknown>) => textOf(object.detail) ?? textOf(object.title);
  for (const object of objects) {
    const code =
      registered(object.code) ?? codeToken(object.error) ?? codeSpelledIn(textOf(object.detail)) ?? codeSpelledIn(textOf(object.title));
    const description = said(object);
    if (code !== undefined) return description === undefined ? { code } : { code, description };
  }
  const description = objects.map(said).find((text) => text !== undefined);
  return description === undefined ? {} : { description };
};

/**
 * Any other JSON error object, e.g. Monerium's one error shape `{code, status, message, errors,
 * details}`: the code from an `error` member wherever the server put it (`details.error`,
 * top level, …) or from the message when it spells one; the description is the `error_description`
 * beside that member, else the body's `message`.
 */
const errorMemberTokenError = (body: unknown): TokenErrorInBody | undefined => {
  if (!isRecord(body)) return undefined;
  const holder = errorMemberIn(body);
  const message = textOf(body.message);
  const code = holder === undefined ? codeSpelledIn(message) : codeToken(holder.error);
  const description = textOf(holder?.error_description) ?? textOf(holder?.message) ?? message;
  return { ...(code === undefined ? {} : { code }), ...(description === undefined ? {} : { description }) };
};

/** Tried in order; the first that recognises the body decides. */
const TOKEN_ERROR_READERS: ReadonlyArray<(body: unknown) => TokenErrorInBody | undefined> = [jsonApiTokenError, errorMemberTokenError];

const readTokenError = (body: unknown): TokenErrorInBody => {
  for (const read of TOKEN_ERROR_READERS) {
    const found = read(body);
    if (found !== undefined) return found;
  }
  return {};
};

/**
 * A non-200 answer that was not an RFC 6749 error body: a provider's own error shape (read for an
 * OAuth code and the server's message), an HTML error page, a gateway timeout, …
 */
const unexpectedStatus = (status: number, context: OAuthFailureContext, body: unknown): GatewayError => {
  if (status === 429) return transportError({ kind: 'rate_limited', attempts: 1, status });
  if (status === 502 || status === 503 || status === 504) {
    return transportError({ kind: 'unavailable', attempts: 1, status });
  }
  const { code, description } = readTokenError(body);
  if (code !== undefined && status >= 400 && status < 500) {
    return oauthAuthError(code, description, status, 'The token endpoint refused the request', context.secrets);
  }
  if (status === 401) return oauthAuthError(undefined, description, status, 'The token endpoint refused the client', context.secrets);
  return providerError({
    provider: context.provider,
    status,
    retryable: status >= 500,
    message: `The token endpoint answered HTTP ${status} without an OAuth error code${describe(description, context.secrets)}`,
  });
};

const tokenResponseDecodeError = (context: OAuthFailureContext, path: string, problem: string): GatewayError =>
  decodeError({
    provider: context.provider,
    path,
    errors: [`${path || '(root)'}: ${problem}`],
    message: `The token response is not valid: ${path || '(root)'} ${problem}`,
  });

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
export const oauthTask =
  <A>(run: () => Promise<A>, context: OAuthFailureContext): TE.TaskEither<GatewayError, A> =>
  async () => {
    try {
      return E.right(await run());
    } catch (error) {
      return E.left(oauthFailure(error, context, await unrecognisedErrorBody(error)));
    }
  };
