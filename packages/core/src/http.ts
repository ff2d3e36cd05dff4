import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import got, { type Got, type OptionsOfTextResponseBody, RequestError, type Response } from 'got';
import type * as t from 'io-ts/lib/index.js';
import { decodeWith } from './decode.js';
import {
  authError,
  decodeError,
  type GatewayError,
  invalidInput,
  providerError,
  scrubSecrets,
  type TransportKind,
  transportError,
} from './errors.js';
import { checkHttpSettings } from './input.js';
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

/**
 * Turns a provider's non-2xx answer into a GatewayError; each adapter has exactly one. `secrets`
 * are the credentials of the failed request: a mapper that shortens provider text must redact
 * them first (`boundText`), since the client's final scrub cannot find half a secret.
 */
export type ErrorMapper = (response: HttpResponse, provider: string, secrets?: ReadonlyArray<string>) => GatewayError;

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
  if (typeof value !== 'string' || typeof now !== 'number') return undefined;
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
  if (typeof value !== 'string' || !/^\s*bearer\b/i.test(value)) return undefined;
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

/** The response with its body parsed: one object per response. */
const responseOf = (status: number, headers: HttpResponse['headers'], text: string): HttpResponse => {
  if (text.length === 0) return { status, headers, body: undefined, isJson: false };
  try {
    return { status, headers, body: JSON.parse(text), isJson: true };
  } catch {
    return { status, headers, body: text, isJson: false };
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
const mapFailure = (response: HttpResponse, provider: string, mapError: ErrorMapper, secrets: ReadonlyArray<string>): GatewayError => {
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
  return mapError(response, provider, secrets);
};

/** The Authorization header's value and its credentials alone: never in an error. */
const secretsOf = (request: HttpRequest): ReadonlyArray<string> => {
  const authorization = request.headers?.authorization ?? request.headers?.Authorization;
  return [...(request.secrets ?? []), ...(authorization === undefined ? [] : [authorization, authorization.replace(/^\S+\s+/, '')])];
};

/**
 * The request's URL as a string (got parses it once; a `URL` object would be parsed, printed and
 * parsed again). A path starting with `/` after a base that parses cannot make the URL invalid,
 * so only other paths (or a base that does not parse) go through `URL`, which throws for them.
 */
const urlBuilder = (baseUrl: string) => {
  const base = baseUrl.replace(/\/+$/, '');
  const simpleBase = URL.canParse(base) && !/[?#]/.test(base);
  return (request: HttpRequest): string => {
    const { path, query } = request;
    if (!simpleBase || path[0] !== '/' || path.includes('?') || path.includes('#')) {
      const url = new URL(base + path);
      for (const [key, value] of Object.entries(query ?? {})) {
        if (value !== undefined) url.searchParams.set(key, String(value));
      }
      return url.href;
    }
    if (query === undefined) return base + path;
    const params = new URLSearchParams();
    for (const key of Object.keys(query)) {
      const value = query[key];
      if (value !== undefined) params.set(key, String(value));
    }
    const search = params.toString();
    return search.length === 0 ? base + path : `${base}${path}?${search}`;
  };
};

/** Decodes a 2xx answer with `codec`; a body that is not JSON (an empty one is `undefined`) is a DecodeError. */
export const decodeResponse =
  <A>(codec: t.Decoder<unknown, A>, provider: string) =>
  (response: HttpResponse): E.Either<GatewayError, A> =>
    !response.isJson && response.body !== undefined
      ? E.left(decodeError({ provider, path: '', errors: ['body is not valid JSON'], message: `${provider} sent a body that is not JSON` }))
      : decodeWith(codec, provider)(response.body);

interface NetworkFailure {
  readonly _tag: 'network';
  readonly kind: TransportKind;
  readonly code: string;
  readonly neverSent: boolean;
}

/** One attempt's outcome: the response (any status), or the network failure. */
type Attempt = HttpResponse | NetworkFailure;

const isNetworkFailure = (attempt: Attempt): attempt is NetworkFailure => '_tag' in attempt;

/** What a failed attempt threw, as data: got's `RequestError` code, or `UNKNOWN` for anything else. */
const networkFailure = (error: unknown): NetworkFailure => {
  const code = error instanceof RequestError ? (error.code ?? 'UNKNOWN') : 'UNKNOWN';
  return { _tag: 'network', kind: kindOf(code), code, neverSent: NEVER_SENT_CODES.has(code) };
};

/** A response as `responseOf` reads it; a got instance that answers something else is a failed attempt, not a throw. */
const settled = (response: Response<string>): Attempt => {
  try {
    return responseOf(response.statusCode, response.headers, response.body);
  } catch (error) {
    return networkFailure(error);
  }
};

/** An attempt cancelled by its deadline: what got's own `timeout.request` answers (`ETIMEDOUT`). */
const TIMED_OUT: NetworkFailure = { _tag: 'network', kind: 'timeout', code: 'ETIMEDOUT', neverSent: false };

interface Deadline {
  readonly at: number;
  request: { cancel(): void } | undefined;
  expired: boolean;
  previous: Deadline | undefined;
  next: Deadline | undefined;
}

/**
 * Deadlines of in-flight requests that share one timeout, in the order they started (so in the
 * order they expire): one unref'd timer for all of them, armed for the oldest; a request that
 * settles leaves the list at once (nothing of it is kept). An expired request is cancelled
 * (got's `cancel()`), and its attempt reads as a timeout.
 */
const createDeadlines = (timeoutMs: number) => {
  let first: Deadline | undefined;
  let last: Deadline | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const remove = (deadline: Deadline): void => {
    if (deadline.previous === undefined) {
      if (first === deadline) first = deadline.next;
    } else deadline.previous.next = deadline.next;
    if (deadline.next === undefined) {
      if (last === deadline) last = deadline.previous;
    } else deadline.next.previous = deadline.previous;
    deadline.previous = undefined;
    deadline.next = undefined;
    deadline.request = undefined;
  };
  const arm = (delay: number): void => {
    timer = setTimeout(expire, Math.max(1, Math.ceil(delay)));
    timer.unref?.();
  };
  const expire = (): void => {
    timer = undefined;
    const now = performance.now();
    while (first !== undefined && first.at <= now) {
      const deadline = first;
      const request = deadline.request;
      deadline.expired = true;
      remove(deadline);
      request?.cancel();
    }
    if (first !== undefined) arm(first.at - now);
  };
  const add = (request: PromiseLike<unknown> & { cancel?: () => void }): Deadline => {
    const deadline: Deadline = {
      at: performance.now() + timeoutMs,
      request: typeof request.cancel === 'function' ? (request as { cancel(): void }) : undefined,
      expired: false,
      previous: last,
      next: undefined,
    };
    if (last === undefined) first = deadline;
    else last.next = deadline;
    last = deadline;
    if (timer === undefined) arm(timeoutMs);
    return deadline;
  };
  return { add, remove };
};

/** The options checked before anything is built: a NaN timeout would mean no timeout at all. */
const checkHttpClientOptions = (options: unknown): E.Either<GatewayError, void> => {
  if (typeof options !== 'object' || options === null) return E.left(invalidInput('options', 'must be an object'));
  const { provider, baseUrl } = options as Partial<HttpClientOptions>;
  if (typeof provider !== 'string' || provider.length === 0) return E.left(invalidInput('provider', 'must be a non-empty string'));
  if (typeof baseUrl !== 'string') return E.left(invalidInput('baseUrl', 'must be a string'));
  return checkHttpSettings(options, 'options');
};

/** A client built from options that cannot work: every request answers the refusal and sends nothing. */
const refusedHttpClient = (error: GatewayError): HttpClient => ({
  provider: '',
  baseUrl: '',
  request: () => TE.left(error),
  send: () => TE.left(error),
});

/**
 * The HTTP client every adapter uses. Retries only what cannot do harm twice: idempotent methods
 * (or requests carrying an idempotency key), on network failures and 429/502/503/504, at most
 * `maxRetries` times with jittered exponential backoff and the server's `Retry-After`.
 */
export const createHttpClient = (options: HttpClientOptions): HttpClient => {
  const refused = checkHttpClientOptions(options);
  if (E.isLeft(refused)) return refusedHttpClient(refused.left);
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
  // The options every request shares (our User-Agent and Accept, the default timeout) are merged
  // into the instance once, not on each call; a request passes only what is its own. On a user's
  // got instance they extend its defaults, so its hooks, agent and proxy still apply.
  // With our own got, the default timeout is one shared deadline list (`createDeadlines`): got's
  // per-request timeout machinery (a timer, a map and listeners per request) is the largest
  // per-request cost left of ours. A user's instance, whose promises we cannot assume to be
  // cancellable, keeps got's own `timeout.request`.
  const deadlines = options.got === undefined ? createDeadlines(timeoutMs) : undefined;
  const instance = (options.got ?? got).extend({
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    responseType: 'text',
    headers: { 'user-agent': USER_AGENT, accept: 'application/json' },
    ...(deadlines === undefined ? { timeout: { request: timeoutMs } } : {}),
  });
  const urlOf = urlBuilder(baseUrl);

  const attempt = (request: HttpRequest, url: string): PromiseLike<Attempt> => {
    const init: OptionsOfTextResponseBody = { method: request.method };
    if (request.idempotencyKey !== undefined) init.headers = { ...request.headers, 'idempotency-key': request.idempotencyKey };
    else if (request.headers !== undefined) init.headers = request.headers;
    if (request.json !== undefined) init.json = request.json;
    if (request.form !== undefined) init.form = request.form;
    if (request.body !== undefined) init.body = request.body;
    const ownTimeout = request.timeoutMs !== undefined && request.timeoutMs !== timeoutMs;
    if (ownTimeout) init.timeout = { request: request.timeoutMs };
    // got's promise is continued with `then` (a native promise comes back), not awaited: awaiting
    // its non-native promise would cost a thenable job and another promise per attempt.
    try {
      const pending = instance(url, init);
      if (deadlines === undefined || ownTimeout) return pending.then(settled, networkFailure);
      const deadline = deadlines.add(pending);
      return pending.then(
        (response) => {
          deadlines.remove(deadline);
          return settled(response);
        },
        (error: unknown) => {
          deadlines.remove(deadline);
          return deadline.expired ? TIMED_OUT : networkFailure(error);
        },
      );
    } catch (error) {
      return Promise.resolve(networkFailure(error));
    }
  };

  const backoff = (retry: number, response: HttpResponse | undefined): number => {
    const retryAfter =
      response === undefined ? undefined : parseRetryAfter(header(response.headers, 'retry-after'), Date.now());
    if (retryAfter !== undefined) return Math.min(retryAfter, maxRetryAfterMs);
    return Math.floor(random() * Math.min(maxBackoffMs, backoffBaseMs * 2 ** retry));
  };

  /** Sends `request` (retrying where safe) and hands a 2xx response to `onSuccess`. */
  const sendNow = async <A>(
    request: HttpRequest,
    onSuccess: (response: HttpResponse) => E.Either<GatewayError, A>,
  ): Promise<E.Either<GatewayError, A>> => {
    let url: string;
    try {
      url = urlOf(request);
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
      const failed = isNetworkFailure(result);
      observed?.end(
        failed ? { transportKind: result.kind } : { status: result.status },
        canRetry && (failed || RETRYABLE_STATUS.has(result.status)),
      );
      maybeSent ||= !failed || !result.neverSent;
      if (failed) {
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
      const response = result;
      if (response.status >= 200 && response.status < 300) return onSuccess(response);
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
      // Only a failure needs the request's secrets, to scrub them from the error.
      const secrets = secretsOf(request);
      return E.left(scrubSecrets(mapFailure(response, provider, mapError, secrets), secrets));
    }
  };

  const send =
    (request: HttpRequest): TE.TaskEither<GatewayError, HttpResponse> =>
    () =>
      sendNow(request, E.right);

  // The decode runs inside the send loop's own promise: no further async step per request.
  const request =
    <A>(req: HttpRequest, codec: t.Decoder<unknown, A>): TE.TaskEither<GatewayError, A> =>
    () =>
      sendNow(req, decodeResponse(codec, provider));

  return { provider, baseUrl, request, send };
};
