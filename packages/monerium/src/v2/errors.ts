import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts/lib/index.js';
import { authError, type ErrorMapper, type GatewayError, type HttpResponse, providerError } from '@paygate/core';

/**
 * The v2 error object (fact sheet §6): `code` and `status` always, `message` on all but bare
 * 500/503 answers, `errors` (field → message) on validation failures. `details` is read as
 * SDK 4 does; v1.3's `errorId` is kept when present (undocumented for v2).
 */
export const ErrorBodyCodec = t.intersection([
  t.type({ code: t.number, status: t.string }),
  t.partial({
    message: t.string,
    errors: t.record(t.string, t.unknown),
    details: t.unknown,
    errorId: t.string,
  }),
]);
export type ErrorBody = t.TypeOf<typeof ErrorBodyCodec>;

const bodyOf = (response: HttpResponse): ErrorBody | undefined => {
  const decoded = ErrorBodyCodec.decode(response.body);
  return E.isRight(decoded) ? decoded.right : undefined;
};

const detailsOf = (body: ErrorBody): Readonly<Record<string, unknown>> | undefined => {
  const details =
    typeof body.details === 'object' && body.details !== null && !Array.isArray(body.details)
      ? (body.details as Record<string, unknown>)
      : body.details === undefined
        ? {}
        : { details: body.details };
  const merged = { ...details, ...(body.errors === undefined ? {} : { errors: body.errors }) };
  return Object.keys(merged).length === 0 ? undefined : merged;
};

/**
 * The one mapping of v2 error answers (the HTTP client already turned 429/502/503/504 into
 * `TransportError` and RFC 6750 challenges into `AuthError`):
 * - 401 `Not authenticated`: the access token was refused → `AuthError invalid_token`, so the
 *   token manager renews the session and retries once.
 * - 403: v2 answers it both for a user lacking rights and for an app lacking a partner
 *   privilege (Whitelabel endpoints); neither is cured by a new token, so it is a
 *   `ProviderError` 403 with Monerium's message, never a refresh.
 * - 304 (`POST /ibans` when the profile has one) reaches the mapper as a non-2xx; the IBAN
 *   module reads it as an outcome, everything else sees a non-retryable `ProviderError`.
 * - anything else, with the documented body or without (non-JSON bodies occur): `ProviderError`,
 *   retryable only for 5xx.
 */
export const moneriumV2ErrorMapper: ErrorMapper = (response, provider): GatewayError => {
  const body = bodyOf(response);
  const said = body?.message === undefined ? '' : `: ${body.message}`;
  if (response.status === 401) {
    return authError({ reason: 'invalid_token', status: 401, message: `Monerium refused the access token${said}` });
  }
  const details = body === undefined ? undefined : detailsOf(body);
  return providerError({
    provider,
    status: response.status,
    retryable: response.status >= 500,
    message:
      body === undefined
        ? `Monerium answered ${response.status} with an undocumented error body`
        : `Monerium answered ${response.status} ${body.status}${said}`,
    ...(body === undefined ? {} : { code: body.status }),
    ...(details === undefined ? {} : { details }),
    ...(body?.errorId === undefined ? {} : { errorId: body.errorId }),
  });
};
