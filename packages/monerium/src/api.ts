import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type * as t from 'io-ts/lib/index.js';
import { type GatewayError, type HttpClient, type HttpRequest, type HttpResponse, invalidInput } from '@paygate/core';
import type { Authorizer } from './auth.js';

/** An authenticated Monerium API: every resource module sends its requests through this. */
export interface MoneriumApi {
  request<A>(request: HttpRequest, codec: t.Decoder<unknown, A>): TE.TaskEither<GatewayError, A>;
  /** The raw 2xx answer, for calls that decode it themselves (money-moving ones, see `sendPayment`). */
  send(request: HttpRequest): TE.TaskEither<GatewayError, HttpResponse>;
}

export const createMoneriumApi = (http: HttpClient, authorizer: Authorizer): MoneriumApi => {
  const authorised = (request: HttpRequest, headers: Readonly<Record<string, string>>, secrets: ReadonlyArray<string>): HttpRequest => ({
    ...request,
    headers: { ...request.headers, ...headers },
    secrets: [...(request.secrets ?? []), ...secrets],
  });
  return {
    request: (request, codec) => authorizer.withCredentials(({ headers, secrets }) => http.request(authorised(request, headers, secrets), codec)),
    send: (request) => authorizer.withCredentials(({ headers, secrets }) => http.send(authorised(request, headers, secrets))),
  };
};

/** An id that goes into a URL path (`/orders/{id}`): non-empty, and escaped so it stays one segment. */
export const pathSegment = (value: unknown, field: string): E.Either<GatewayError, string> =>
  typeof value === 'string' && value.trim().length > 0
    ? E.right(encodeURIComponent(value))
    : E.left(invalidInput(field, 'must be a non-empty string'));
