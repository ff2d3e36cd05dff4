import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { boundText, type GatewayError, hasMethods, type HttpClient, type HttpRequest, invalidInput } from '@paygate/core';
import { createMoneriumApi, type MoneriumApi } from '../api.js';
import type { Authorizer } from '../auth.js';

/** Fact sheet §1: the header that selects v2; without it older behaviour may apply. */
export const V2_ACCEPT = 'application/vnd.monerium.api-v2+json';

/**
 * The authenticated v2 API: the shared v1.3/v2 request path (Bearer credentials, one renewal
 * and retry on `invalid_token`) with the v2 `Accept` header on every request.
 */
export const createV2Api = (http: HttpClient, authorizer: Authorizer): MoneriumApi => {
  const api = createMoneriumApi(http, authorizer);
  return {
    request: (request, codec) => api.request(v2Request(request), codec),
    send: (request) => api.send(v2Request(request)),
  };
};

const v2Request = (request: HttpRequest): HttpRequest => ({ ...request, headers: { accept: V2_ACCEPT, ...request.headers } });

/** The same for the calls that need no credentials (`/countries`). */
export const createV2PublicApi = (http: HttpClient): MoneriumApi => ({
  request: (request, codec) => http.request(v2Request(request), codec),
  send: (request) => http.send(v2Request(request)),
});

/**
 * The v2 resource functions are exported for callers composing their own client, so they answer
 * a JavaScript caller's mistakes like the client does: a first argument that is not a
 * `MoneriumApi` is `InvalidInput` on `api`. Every other argument and field is checked by the
 * function itself, naming the field, before anything is sent. This wrapper is only the last line
 * under those checks: should a call still throw (synchronously or when the task runs), the answer
 * is `InvalidInput` on `arguments`, never a throw or a rejected promise.
 */
export const onApi = <F extends (api: MoneriumApi, ...rest: never[]) => TE.TaskEither<GatewayError, unknown>>(name: string, run: F): F =>
  ((api: unknown, ...rest: never[]) => {
    if (!hasMethods(api, ['request', 'send'])) return TE.left(invalidInput('api', 'must be a MoneriumApi (createV2Api)'));
    const refused = (cause: unknown) =>
      E.left(invalidInput('arguments', `${name} could not use its arguments: ${boundText(cause instanceof Error ? cause.message : String(cause), [], 200)}`));
    try {
      const task = run(api as MoneriumApi, ...rest);
      return () => Promise.resolve().then(() => task()).catch(refused);
    } catch (cause) {
      return TE.fromEither(refused(cause));
    }
  }) as unknown as F;
