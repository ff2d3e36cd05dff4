import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import got, { type Got, RequestError } from 'got';
import type * as t from 'io-ts/lib/index.js';
import { decodeWith } from './decode.js';
import {
  authError,
  decodeError,
  type GatewayError,
  providerError,
  scrubSecrets,
  type TransportKind,
  transportError,
} from './errors.js';
import { observeAttempt } from './observability.js';
import { USER_AGENT } from './version.js';

export type HttpMethod = 'GET' | 'HEAD' | 'OPTIONS' | 'DELETE' | 'PUT' | 'POST' | 'PATCH';

export interface HttpRequest {
  readonly method: HttpMethod;
  /** Appended to the client's base URL, e.g. `/orders/123`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly json?: unknown;
  readonly form?: Readonly<Record<string, string>>;
  /** A prepared body (multipart `FormData`, or text with its own content-type header). */
  readonly body?: FormData | string;
  /**
   * Makes a POST/PATCH safe to retry: sent as `Idempotency-Key`. Only pass one when the provider
   * honours it, otherwise a retried payment could be executed twice.
   */
  readonly idempotencyKey?: string;
  readonly timeoutMs?: number;
  /** Values that must never surface in an error (the Authorization header is added automatically). */
  readonly secrets?: ReadonlyArray<string>;
  /** The operation's name in request hooks (`orders.place`); default `<METHOD> <pathTemplate>`. */
  readonly operation?: string;
  /** The path with placeholders for request hooks (`/orders/{id}`); default: id-like segments become `{id}`. */
  readonly pathTemplate?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>;
  /** Parsed JSON, the raw text when it is not JSON, or undefined when empty. */
  readonly body: unknown;
  /** Whether `body` came from a JSON document (false for an empty or non-JSON body). */
  readonly isJson: boolean;
}

/** Turns a provider's non-2xx answer into a GatewayError; each adapter has exactly one. */
export type ErrorMapper = (response: HttpResponse, provider: string) => GatewayError;

export interface HttpClientOptions {
  readonly provider: string;
  readonly baseUrl: string;
  /** Per attempt; default 10 s. */
  readonly timeoutMs?: number;
  /** Your own got instance (proxy, agent, hooks); paygate turns its retries and error throwing off per request. */
  readonly got?: Got;
  /** Default 2 (so at most 3 attempts). */
  readonly maxRetries?: number;
  /** First backoff step; each retry doubles it, full jitter. Default 200 ms. */
  readonly backoffBaseMs?: number;
  /** Upper bound for a computed backoff. Default 2 s. */
  readonly maxBackoffMs?: number;
  /** Upper bound for a server's `Retry-After`; a longer wait is cut to this. Default 10 s. */
  readonly maxRetryAfterMs?: number;
  readonly mapError?: ErrorMapper;
  /** Source of jitter, for tests. */
  readonly random?: () => number;
}

export interface HttpClient {
  readonly provider: string;
  readonly baseUrl: string;
  /** Sends the request (retrying where safe) and decodes a 2xx body with `codec`. */
  request<A>(request: HttpRequest, codec: t.Decoder<unknown, A>): TE.TaskEither<GatewayError, A>;
  /** Like `request` but hands back the raw response of a 2xx (status, headers, parsed body). */
  send(request: HttpRequest): TE.TaskEither<GatewayError, HttpResponse>;
}

const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE', 'PUT']);
const RETRYABLE_STATUS: ReadonlySet<number> = new Set([429, 502, 503, 504]);

const NETWORK_KINDS: Readonly<Record<string, TransportKind>> = {
  ETIMEDOUT: 'timeout',
  ECONNREFUSED: 'connection',
  ENOTFOUND: 'connection',
  EAI_AGAIN: 'connection',
  EHOSTUNREACH: 'connection',
  ENETUNREACH: 'connection',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ERR_CANCELED: 'aborted',
  ABORT_ERR: 'aborted',
};

/**
 * Failures that happen before a connection exists, so no byte of the request can have been
 * written: the host name did not resolve, or the server refused the TCP connection.
 */
const NEVER_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** Node's HTTP parser (llhttp) rejected the response: the request had been written already. */
const isParserError = (code: string): boolean => code.startsWith('HPE_');

const kindOf = (code: string): TransportKind => NETWORK_KINDS[code] ?? (isParserError(code) ? 'protocol' : 'connection');

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date. Returns milliseconds from `now`, or undefined. */
export const parseRetryAfter = (value: string | undefined, now: number): number | undefined => {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
};

const header = (headers: HttpResponse['headers'], name: string): string | undefined => {
  const value = headers[name];
  return typeof value === 'string' ? value : value?.[0];
};

/** RFC 6750 §3: the `error` and `scope` of a Bearer challenge, if the response carries one. */
export const parseBearerChallenge = (
  value: string | undefined,
): { error?: string; scope?: string } | undefined => {
  if (value === undefined || !/^\s*bearer\b/i.test(value)) return undefined;
  const params: Record<string, string> = {};
  for (const match of value.matchAll(/([a-z_]+)\s*=\s*(?:"([^"]*)"|([^\s,]+))/gi)) {
    const key = match[1];
    if (key !== undefined) params[key.toLowerCase()] = match[2] ?? match[3] ?? '';
  }
  return {
    ...(params.error === undefined ? {} : { error: params.error }),
    ...(params.scope === undefined ? {} : { scope: params.scope }),
  };
};

const parseBody = (text: string): { body: unknown; isJson: boolean } => {
  if (text.length === 0) return { body: undefined, isJson: false };
  try {
    return { body: JSON.parse(text), isJson: true };
  } catch {
    return { body: text, isJson: false };
  }
};

const defaultMapError: ErrorMapper = (response, provider) =>
  providerError({
    provider,
    status: response.status,
    retryable: response.status >= 500,
    message: `${provider} answered ${response.status}`,
  });

/** RFC 6750 challenges are the same for every provider, so they are read here, before the adapter's mapper. */
const mapFailure = (response: HttpResponse, provider: string, mapError: ErrorMapper): GatewayError => {
  const challenge = parseBearerChallenge(header(response.headers, 'www-authenticate'));
  if (response.status === 401 && challenge?.error === 'invalid_token') {
    return authError({ reason: 'invalid_token', status: 401, oauthError: 'invalid_token', message: 'The access token was rejected (invalid_token)' });
  }
  if (response.status === 403 && challenge?.error === 'insufficient_scope') {
    return authError({
      reason: 'insufficient_scope',
      status: 403,
      oauthError: 'insufficient_scope',
      ...(challenge.scope === undefined ? {} : { scope: challenge.scope }),
      message: `The access token lacks a scope${challenge.scope === undefined ? '' : ` (needs ${challenge.scope})`}`,
    });
  }
  return mapError(response, provider);
};

const buildUrl = (baseUrl: string, request: HttpRequest): URL => {
  const url = new URL(baseUrl.replace(/\/+$/, '') + request.path);
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
};

/** Decodes a 2xx answer with `codec`; a body that is not JSON (an empty one is `undefined`) is a DecodeError. */
export const decodeResponse =
  <A>(codec: t.Decoder<unknown, A>, provider: string) =>
  (response: HttpResponse): E.Either<GatewayError, A> =>
    !response.isJson && response.body !== undefined
      ? E.left(decodeError({ provider, path: '', errors: ['body is not valid JSON'], message: `${provider} sent a body that is not JSON` }))
      : decodeWith(codec, provider)(response.body);

type Attempt =
  | { readonly _tag: 'response'; readonly response: HttpResponse }
  | { readonly _tag: 'network'; readonly kind: TransportKind; readonly code: string; readonly neverSent: boolean };

/**
 * The HTTP client every adapter uses. Retries only what cannot do harm twice: idempotent methods
 * (or requests carrying an idempotency key), on network failures and 429/502/503/504, at most
 * `maxRetries` times with jittered exponential backoff and the server's `Retry-After`.
 */
export const createHttpClient = (options: HttpClientOptions): HttpClient => {
  const {
    provider,
    baseUrl,
    timeoutMs = 10_000,
    maxRetries = 2,
    backoffBaseMs = 200,
    maxBackoffMs = 2_000,
    maxRetryAfterMs = 10_000,
    mapError = defaultMapError,
    random = Math.random,
  } = options;
  // The options every request shares are merged into the instance once, not on each call.
  const instance = (options.got ?? got).extend({
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    responseType: 'text',
  });

  const attempt = async (request: HttpRequest, url: URL): Promise<Attempt> => {
    const headers: Record<string, string> = {
      'user-agent': USER_AGENT,
      accept: 'application/json',
      ...request.headers,
    };
    if (request.idempotencyKey !== undefined) headers['idempotency-key'] = request.idempotencyKey;
    try {
      const response = await instance(url, {
        method: request.method,
        headers,
        ...(request.json === undefined ? {} : { json: request.json }),
        ...(request.form === undefined ? {} : { form: request.form }),
        ...(request.body === undefined ? {} : { body: request.body }),
        timeout: { request: request.timeoutMs ?? timeoutMs },
      });
      return {
        _tag: 'response',
        response: { status: response.statusCode, headers: response.headers, ...parseBody(response.body) },
      };
    } catch (error) {
      const code = error instanceof RequestError ? (error.code ?? 'UNKNOWN') : 'UNKNOWN';
      return { _tag: 'network', kind: kindOf(code), code, neverSent: NEVER_SENT_CODES.has(code) };
    }
  };

  const backoff = (retry: number, response: HttpResponse | undefined): number => {
    const retryAfter =
      response === undefined ? undefined : parseRetryAfter(header(response.headers, 'retry-after'), Date.now());
    if (retryAfter !== undefined) return Math.min(retryAfter, maxRetryAfterMs);
    return Math.floor(random() * Math.min(maxBackoffMs, backoffBaseMs * 2 ** retry));
  };

  const send =
    (request: HttpRequest): TE.TaskEither<GatewayError, HttpResponse> =>
    async () => {
      const authorization = request.headers?.authorization ?? request.headers?.Authorization;
      const secrets = [
        ...(request.secrets ?? []),
        ...(authorization === undefined ? [] : [authorization, authorization.replace(/^\S+\s+/, '')]),
      ];
      let url: URL;
      try {
        url = buildUrl(baseUrl, request);
      } catch {
        return E.left(transportError({ kind: 'protocol', attempts: 0, neverSent: true, message: `Invalid URL for ${provider}` }));
      }
      const retriable = IDEMPOTENT.has(request.method) || request.idempotencyKey !== undefined;
      let attempts = 0;
      // Whether some attempt may have reached the provider: one that did makes the whole call "maybe sent".
      let maybeSent = false;
      for (;;) {
        attempts += 1;
        const observed = observeAttempt(provider, request, attempts);
        const result = await attempt(request, url);
        const canRetry = retriable && attempts <= maxRetries;
        observed?.end(
          result._tag === 'network' ? { transportKind: result.kind } : { status: result.response.status },
          canRetry && (result._tag === 'network' || RETRYABLE_STATUS.has(result.response.status)),
        );
        maybeSent ||= result._tag === 'response' || !result.neverSent;
        if (result._tag === 'network') {
          if (canRetry) {
            await sleep(backoff(attempts - 1, undefined));
            continue;
          }
          return E.left(
            transportError({
              kind: result.kind,
              attempts,
              ...(maybeSent ? {} : { neverSent: true as const }),
              message: `${request.method} ${provider} failed: ${result.code} after ${attempts} attempt(s)`,
            }),
          );
        }
        const { response } = result;
        if (response.status >= 200 && response.status < 300) return E.right(response);
        if (RETRYABLE_STATUS.has(response.status)) {
          if (canRetry) {
            await sleep(backoff(attempts - 1, response));
            continue;
          }
          return E.left(
            transportError({
              kind: response.status === 429 ? 'rate_limited' : 'unavailable',
              status: response.status,
              attempts,
              message: `${request.method} ${provider} answered ${response.status} after ${attempts} attempt(s)`,
            }),
          );
        }
        return E.left(scrubSecrets(mapFailure(response, provider, mapError), secrets));
      }
    };

  const request =
    <A>(req: HttpRequest, codec: t.Decoder<unknown, A>): TE.TaskEither<GatewayError, A> =>
    async () => {
      const result = await send(req)();
      return E.isLeft(result) ? result : decodeResponse(codec, provider)(result.right);
    };

  return { provider, baseUrl, request, send };
};
