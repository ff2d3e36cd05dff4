import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type * as t from 'io-ts/lib/index.js';
import { type GatewayError, type HttpClient, type HttpRequest, invalidInput } from '@paygate/core';
import type { Authorizer } from './auth.js';

/** An authenticated Monerium API: every resource module sends its requests through this. */
export interface MoneriumApi {
  request<A>(request: HttpRequest, codec: t.Decoder<unknown, A>): TE.TaskEither<GatewayError, A>;
}

export const createMoneriumApi = (http: HttpClient, authorizer: Authorizer): MoneriumApi => ({
  request: (request, codec) =>
    authorizer.withCredentials(({ headers, secrets }) =>
      http.request(
        { ...request, headers: { ...request.headers, ...headers }, secrets: [...(request.secrets ?? []), ...secrets] },
        codec,
      ),
    ),
});

/** An id that goes into a URL path (`/orders/{id}`): non-empty, and escaped so it stays one segment. */
export const pathSegment = (value: unknown, field: string): E.Either<GatewayError, string> =>
  typeof value === 'string' && value.trim().length > 0
    ? E.right(encodeURIComponent(value))
    : E.left(invalidInput(field, 'must be a non-empty string'));
