import type { GatewayError, HttpClient, HttpRequest, HttpResponse, TokenManager } from '@paygate/core';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type * as t from 'io-ts/lib/index.js';

/** JSON:API 1.0 §5.1 (content negotiation): API v1 answers in this media type. */
export const JSON_API_MEDIA_TYPE = 'application/vnd.api+json';

/** An API call: the request without credentials, sent with the session's bearer token. */
export type AuthorizedRequest = <A>(
  request: Omit<HttpRequest, 'headers'> & { readonly headers?: Readonly<Record<string, string>> },
  codec: t.Decoder<unknown, A>,
) => TE.TaskEither<GatewayError, A>;

/**
 * Every API request goes through the token manager: a valid token first (refreshed ahead of the
 * one-hour expiry), and after a `401 invalid_token` one renewal and one retry (RFC 6750 §3.1).
 */
export const createAuthorizedRequest =
  (http: HttpClient, tokens: TokenManager): AuthorizedRequest =>
  (request, codec) =>
    tokens.withToken((accessToken) =>
      http.request({ ...request, headers: { ...request.headers, authorization: `Bearer ${accessToken}` } }, codec),
    );

/** An API call whose raw 2xx answer is wanted (for `sendPayment`), sent like `AuthorizedRequest`. */
export type AuthorizedSend = (
  request: Omit<HttpRequest, 'headers'> & { readonly headers?: Readonly<Record<string, string>> },
) => TE.TaskEither<GatewayError, HttpResponse>;

export const createAuthorizedSend =
  (http: HttpClient, tokens: TokenManager): AuthorizedSend =>
  (request) =>
    tokens.withToken((accessToken) => http.send({ ...request, headers: { ...request.headers, authorization: `Bearer ${accessToken}` } }));
