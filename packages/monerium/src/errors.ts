import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts/lib/index.js';
import { authError, type ErrorMapper, type GatewayError, type HttpResponse, invalidInput, providerError } from '@paygate/core';

export const PROVIDER = 'monerium';

/**
 * The one error shape of the Monerium API (v1.3 reference, "Errors"): `code`, `status` and
 * `message` always, `errors` (per-field validation messages) and `details` where relevant,
 * `errorId` for internal server errors.
 */
export const MoneriumErrorBodyCodec = t.intersection([
  t.type({ code: t.number, status: t.string, message: t.string }),
  t.partial({
    errors: t.record(t.string, t.string),
    details: t.record(t.string, t.unknown),
    errorId: t.string,
  }),
]);
export type MoneriumErrorBody = t.TypeOf<typeof MoneriumErrorBodyCodec>;

/** How the failed request authenticated: it decides what a bare 401 means. */
export type CredentialKind = 'bearer' | 'basic';

const documentedBody = (response: HttpResponse): MoneriumErrorBody | undefined => {
  const decoded = MoneriumErrorBodyCodec.decode(response.body);
  return E.isRight(decoded) ? decoded.right : undefined;
};

/**
 * `details` of a ProviderError: the documented `details` members (e.g. `{ id, resource }` of a
 * 404) plus the per-field validation messages under `errors`.
 */
const detailsOf = (body: MoneriumErrorBody): Readonly<Record<string, unknown>> | undefined => {
  if (body.errors === undefined && body.details === undefined) return undefined;
  return { ...body.details, ...(body.errors === undefined ? {} : { errors: body.errors }) };
};

/**
 * Maps every non-2xx Monerium answer the core HTTP client does not handle itself (it reads RFC
 * 6750 challenges and turns 429/502/503/504 into TransportError) into a GatewayError:
 * - 401: the credentials were refused. For a Bearer token that is `invalid_token` (the token
 *   manager renews the session and retries once); for Basic it is `bad_credentials`, as is the
 *   reference's example 400 `Incorrect username or password`.
 * - 403: the reference says "the user has been correctly authenticated but lacks permission to
 *   access a resource" ("User … is forbidden"): AuthError `forbidden` with status 403, never
 *   answered by refreshing. `insufficient_scope` only comes from an RFC 6750 challenge that says
 *   so, which core http reads before this mapper.
 * - anything else: a ProviderError carrying the documented fields; 5xx is retryable — except
 *   for a request that moves money or changes state, where core's `sendPayment` reconciles and
 *   sets `retryable: false` with a `paymentOutcome` (a 5xx may come after the order was stored).
 */
export const moneriumErrorMapper =
  (credentials: CredentialKind): ErrorMapper =>
  (response, provider): GatewayError => {
    if (typeof response !== 'object' || response === null) return invalidInput('response', 'must be an HTTP response');
    const body = documentedBody(response);
    const said = body === undefined ? '' : `: ${body.message}`;
    if (response.status === 401) {
      return credentials === 'basic'
        ? authError({ reason: 'bad_credentials', status: 401, message: `Monerium refused the email and password${said}` })
        : authError({ reason: 'invalid_token', status: 401, message: `Monerium refused the access token${said}` });
    }
    // The reference's own example of a 400 is a refused password (`Incorrect username or password`).
    if (credentials === 'basic' && response.status === 400 && body !== undefined && /incorrect username or password/i.test(body.message)) {
      return authError({ reason: 'bad_credentials', status: 400, message: `Monerium refused the email and password${said}` });
    }
    if (response.status === 403) {
      return authError({ reason: 'forbidden', status: 403, message: `Monerium denied access${said}` });
    }
    if (body === undefined) {
      return providerError({
        provider,
        status: response.status,
        retryable: response.status >= 500,
        message: `Monerium answered ${response.status} with an undocumented error body`,
      });
    }
    const details = detailsOf(body);
    return providerError({
      provider,
      status: response.status,
      code: body.status,
      retryable: response.status >= 500,
      message: `Monerium answered ${response.status} ${body.status}${said}`,
      ...(details === undefined ? {} : { details }),
      ...(body.errorId === undefined ? {} : { errorId: body.errorId }),
    });
  };
