import {
  type AuthReason,
  authError,
  boundText,
  decodeError,
  type GatewayError,
  providerError,
  scrubSecrets,
  transportError,
} from '../errors.js';
import type { HttpResponse } from '../http.js';

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

/** `error_description` is server text: redacted, made printable and bounded by `boundText`. */
const describe = (description: unknown, secrets: ReadonlyArray<string>): string => {
  if (typeof description !== 'string' || description.length === 0) return '';
  const bounded = boundText(description, secrets);
  return bounded.length === 0 ? '' : ` (${bounded})`;
};

/** RFC 6749 §5.2: an OAuth error code is a plain ASCII token; anything else is not echoed. */
export const oauthCode = (value: unknown): string | undefined =>
  typeof value === 'string' && /^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,64}$/.test(value) ? value : undefined;

export const oauthAuthError = (
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

export const readTokenError = (body: unknown): TokenErrorInBody => {
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
export const unexpectedStatus = (status: number, context: OAuthFailureContext, body: unknown): GatewayError => {
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

export const tokenResponseDecodeError = (context: OAuthFailureContext, path: string, problem: string): GatewayError =>
  decodeError({
    provider: context.provider,
    path,
    errors: [`${path || '(root)'}: ${problem}`],
    message: `The token response is not valid: ${path || '(root)'} ${problem}`,
  });

const TOKEN = "[A-Za-z0-9!#$%&'*+.^_`|~-]+";

/** One auth-scheme or one auth-param (`name=token` or `name="quoted"`) of a challenge list. */
const CHALLENGE_PART = new RegExp(`(${TOKEN})(?:\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^\\s,]*)))?`, 'g');

/**
 * RFC 9110 §11.6.1: the challenges of a `WWW-Authenticate` header, each as its auth-params
 * (names lower-cased). `undefined` when the header does not start with an auth-scheme.
 */
const challengesOf = (header: string): ReadonlyArray<Readonly<Record<string, string>>> | undefined => {
  if (!new RegExp(`^\\s*${TOKEN}(?:\\s|,|$)`).test(header)) return undefined;
  const challenges: Record<string, string>[] = [];
  for (const part of header.matchAll(CHALLENGE_PART)) {
    const [whole, name = '', quoted, plain] = part;
    if (!whole.includes('=')) challenges.push({});
    else {
      const current = challenges.at(-1);
      if (current !== undefined) current[name.toLowerCase()] = quoted === undefined ? (plain ?? '') : quoted.replace(/\\(.)/g, '$1');
    }
  }
  return challenges;
};

/** A header's single value (the first, if the server repeated it). */
const headerOf = (response: HttpResponse, name: string): string | undefined => {
  const value = response.headers[name];
  return typeof value === 'string' ? value : value?.[0];
};

/** The media type of a response, without parameters (`application/json; charset=utf-8` → `application/json`). */
export const mediaTypeOf = (response: HttpResponse): string | undefined => headerOf(response, 'content-type')?.split(';')[0];

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/**
 * Any token endpoint answer other than `200`, in the order a careful client reads it: a
 * `WWW-Authenticate` challenge (RFC 6749 §5.2, a client that authenticated with a header gets one
 * with `401`), then an RFC 6749 §5.2 error body on a 4xx, then the provider's own error shape
 * (Monerium `{code, status, message, details: {error}}`, JSON:API `{errors: […]}`), then the
 * status alone. A 2xx other than 200 is not a token response.
 */
export const tokenEndpointFailure = (response: HttpResponse, context: OAuthFailureContext): GatewayError => {
  const { status } = response;
  const body = response.isJson ? response.body : undefined;
  const mapped = ((): GatewayError => {
    const header = headerOf(response, 'www-authenticate');
    const challenges = header === undefined ? undefined : challengesOf(header);
    if (challenges !== undefined) {
      const challenge = challenges.find((c) => c.error !== undefined);
      const inBody = challenge === undefined ? readTokenError(body) : {};
      return oauthAuthError(
        oauthCode(challenge?.error) ?? inBody.code,
        challenge?.error_description ?? inBody.description,
        status,
        'The token endpoint refused the request',
        context.secrets,
      );
    }
    if (status >= 400 && status < 500 && mediaTypeOf(response) === 'application/json' && isRecord(body) && isNonEmptyString(body.error)) {
      return oauthAuthError(oauthCode(body.error), body.error_description, status, 'The token endpoint refused the request', context.secrets);
    }
    if (status >= 200 && status < 300) return tokenResponseDecodeError(context, '', `came with HTTP ${status} instead of 200`);
    return unexpectedStatus(status, context, body);
  })();
  return scrubSecrets(mapped, context.secrets);
};
