import { authError, boundText, type ErrorMapper, type GatewayError, type HttpResponse, invalidInput, providerError } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts/lib/index.js';

export const PROVIDER = 'moneyns';

/**
 * MoneyNS errors are flat: `{"error": "message"}` (moneyns-public.md §4). The texts of the platform
 * login: 401 "The account is inactive.", 403 "The provided credentials are incorrect.", 423 "The
 * account is locke…" (truncated in the record).
 */
export const MoneyNsErrorBodyCodec = t.type({ error: t.string });
export type MoneyNsErrorBody = t.TypeOf<typeof MoneyNsErrorBodyCodec>;

/**
 * Which kind of request failed. The same status means different things: on a login a 401 says
 * the account is inactive, on a private endpoint it says the bearer token was refused.
 */
export type MoneyNsRequestKind = 'login' | 'api';

/** The older API generation answered `{message, errors}` (moneyns-public.md §4). */
const OlderErrorBodyCodec = t.type({ message: t.string });

/**
 * The provider's text for our error message (`{error}`, or the older generation's `{message}`):
 * the request's secrets are redacted BEFORE the text is bounded (`boundText`), so cutting it
 * short can never leave the first half of a password.
 */
const providerMessage = (body: unknown, secrets: ReadonlyArray<string>): string | undefined => {
  const decoded = MoneyNsErrorBodyCodec.decode(body);
  const older = OlderErrorBodyCodec.decode(body);
  const raw = E.isRight(decoded) ? decoded.right.error : E.isRight(older) ? older.right.message : undefined;
  if (raw === undefined) return undefined;
  const text = boundText(raw, secrets);
  return text.length === 0 ? undefined : text;
};

const withProviderMessage = (summary: string, message: string | undefined): string =>
  message === undefined ? summary : `${summary} (MoneyNS: ${message})`;

const loginRefusals: Readonly<Record<number, { reason: 'inactive' | 'bad_credentials' | 'locked'; summary: string }>> = {
  401: { reason: 'inactive', summary: 'MoneyNS refused the login: the account is inactive' },
  403: { reason: 'bad_credentials', summary: 'MoneyNS refused the login: bad credentials' },
  423: { reason: 'locked', summary: 'MoneyNS refused the login: the account is locked' },
};

/**
 * The one mapping of MoneyNS error answers into GatewayError. Core http has already handled
 * 429/502/503/504 (TransportError) and RFC 6750 challenges, which MoneyNS does not send anyway.
 *
 * - login: 401 inactive, 403 bad credentials, 423 locked (NOTES.md) → AuthError with that reason;
 * - api: 401 → AuthError `invalid_token`, so the session is renewed once and the call retried
 *   (a new login then reports an inactive account as such); 403 → AuthError `forbidden` (the
 *   user may not touch the resource; no renewal); 423 → AuthError `locked`;
 * - anything else → ProviderError carrying the provider's message.
 */
export const mapMoneyNsError =
  (kind: MoneyNsRequestKind): ErrorMapper =>
  (response: HttpResponse, _provider?: string, secrets: ReadonlyArray<string> = []): GatewayError => {
    if (typeof response !== 'object' || response === null) return invalidInput('response', 'must be an HTTP response');
    const message = providerMessage(response.body, secrets);
    const { status } = response;
    if (kind === 'login') {
      const refusal = loginRefusals[status];
      if (refusal !== undefined) {
        return authError({ reason: refusal.reason, status, message: withProviderMessage(refusal.summary, message) });
      }
    } else if (status === 401) {
      return authError({
        reason: 'invalid_token',
        status,
        message: withProviderMessage('MoneyNS refused the session token', message),
      });
    } else if (status === 403) {
      // A resource the session's user may not touch: not a bad token, so no new login helps.
      return authError({ reason: 'forbidden', status, message: withProviderMessage('MoneyNS forbids this request', message) });
    } else if (status === 423) {
      return authError({ reason: 'locked', status, message: withProviderMessage('The MoneyNS account is locked', message) });
    }
    return providerError({
      provider: PROVIDER,
      status,
      retryable: status >= 500,
      message: withProviderMessage(`MoneyNS answered ${status}`, message),
      ...(message === undefined ? {} : { details: { error: message } }),
    });
  };
