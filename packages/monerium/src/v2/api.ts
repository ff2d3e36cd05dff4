import type { HttpClient, HttpRequest } from '@paygate/core';
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
