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

export const createMoneriumApi = (http: HttpClient, authorizer: Authorizer): MoneriumApi => {
  // The credentials' own header object and secrets list are used as they are when the request
  // brings none (the common case): nothing mutates them.
  const authorised = (request: HttpRequest, headers: Readonly<Record<string, string>>, secrets: ReadonlyArray<string>): HttpRequest => ({
    ...request,
    headers: request.headers === undefined ? headers : { ...request.headers, ...headers },
    secrets: request.secrets === undefined ? secrets : [...request.secrets, ...secrets],
  });
  return {
    request: (request, codec) => authorizer.withCredentials(({ headers, secrets }) => http.request(authorised(request, headers, secrets), codec)),
    send: (request) => authorizer.withCredentials(({ headers, secrets }) => http.send(authorised(request, headers, secrets))),
  };
};

/** Ids placed in URL paths go through core's one check (no `.`/`..`, nothing that needs encoding). */
export { pathSegment } from '@paygate/core';
