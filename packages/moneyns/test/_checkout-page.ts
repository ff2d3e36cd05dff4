import { authError, type GatewayError, providerError, transportError } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import got from 'got';

export interface CheckoutPage {
  readonly status: number;
  readonly html: string;
}

/** Opens a checkout URL the way a browser would: one GET, no redirects followed. */
export const openCheckout = async (url: string): Promise<CheckoutPage> => {
  const response = await got(url, { throwHttpErrors: false, followRedirect: false, retry: { limit: 0 }, timeout: { request: 20_000 } });
  return { status: response.statusCode, html: response.body };
};

/**
 * A use of the session against the sandbox: its session probe (`GET /api/v1/_sandbox/session`, a
 * sandbox-only route) checks a bearer token the way a private endpoint would. 401 is mapped the
 * way the client maps a refused bearer token.
 */
export const useSessionOnProbe =
  (baseUrl: string) =>
  (session: { readonly id: string }): TE.TaskEither<GatewayError, CheckoutPage> =>
  async () => {
    let page: CheckoutPage;
    try {
      const response = await got(`${baseUrl}/_sandbox/session`, {
        headers: { authorization: `Bearer ${session.id}` },
        throwHttpErrors: false,
        retry: { limit: 0 },
        timeout: { request: 20_000 },
      });
      page = { status: response.statusCode, html: response.body };
    } catch {
      return E.left(transportError({ kind: 'connection', attempts: 1 }));
    }
    if (page.status === 401) return E.left(authError({ reason: 'invalid_token', status: 401 }));
    if (page.status !== 200) return E.left(providerError({ provider: 'moneyns', status: page.status, retryable: false }));
    return E.right(page);
  };
