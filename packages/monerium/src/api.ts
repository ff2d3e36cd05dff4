import type * as TE from 'fp-ts/lib/TaskEither.js';
import type * as t from 'io-ts/lib/index.js';
import type { GatewayError, HttpClient, HttpRequest, HttpResponse } from '@paygate/core';
import type { Authorizer } from './auth.js';

/** An authenticated Monerium API: every resource module sends its requests through this. */
export interface MoneriumApi {
  request<A>(request: HttpRequest, codec: t.Decoder<unknown, A>): TE.TaskEither<GatewayError, A>;
  /** The raw 2xx answer, for calls that decode it themselves (money-moving ones, see `sendPayment`). */
  send(request: HttpRequest): TE.TaskEither<GatewayError, HttpResponse>;
}

/** Every field of `HttpRequest`, present (possibly `undefined`): the compiler names any new field `authorised` must copy. */
type EveryField = { readonly [K in keyof Required<HttpRequest>]: HttpRequest[K] | undefined };

/**
 * The request with the credentials' headers and secrets. Every field is written in one order, so
 * every authorised request has the same shape whatever the resource function built (the HTTP
 * client's property reads stay monomorphic; a spread would give each call site its own shape).
 * The credentials' own header object and secrets list are used as they are when the request
 * brings none (the common case): nothing mutates them.
 */
const authorised = (request: HttpRequest, headers: Readonly<Record<string, string>>, secrets: ReadonlyArray<string>): HttpRequest => {
  const every: EveryField = {
    method: request.method,
    path: request.path,
    query: request.query,
    headers: request.headers === undefined ? headers : { ...request.headers, ...headers },
    json: request.json,
    form: request.form,
    body: request.body,
    idempotencyKey: request.idempotencyKey,
    timeoutMs: request.timeoutMs,
    secrets: request.secrets === undefined ? secrets : [...request.secrets, ...secrets],
    operation: request.operation,
    pathTemplate: request.pathTemplate,
  };
  return every as HttpRequest;
};

export const createMoneriumApi = (http: HttpClient, authorizer: Authorizer): MoneriumApi => {
  return {
    request: (request, codec) => authorizer.withCredentials(({ headers, secrets }) => http.request(authorised(request, headers, secrets), codec)),
    send: (request) => authorizer.withCredentials(({ headers, secrets }) => http.send(authorised(request, headers, secrets))),
  };
};

/** Ids placed in URL paths go through core's one check (no `.`/`..`, nothing that needs encoding). */
export { pathSegment } from '@paygate/core';
