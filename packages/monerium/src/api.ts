import type * as TE from 'fp-ts/lib/TaskEither.js';
import type * as t from 'io-ts/lib/index.js';
import type { GatewayError, HttpClient, HttpRequest } from '@paygate/core';
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

/** Ids placed in URL paths go through core's one check (no `.`/`..`, nothing that needs encoding). */
export { pathSegment } from '@paygate/core';
