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
 * A use of the session against the sandbox: its checkout page is the one place that checks a
 * session token. 401 is mapped the way the client maps a refused bearer token.
 */
export const useSessionOnCheckoutPage =
  (checkoutUrl: string, platform: string) =>
  (session: { readonly id: string }): TE.TaskEither<GatewayError, CheckoutPage> =>
  async () => {
    const url = new URL(checkoutUrl);
    url.search = new URLSearchParams({ platform, token: session.id, lang: 'en', display: 'light', landing: 'https://shop.example/done' }).toString();
    let page: CheckoutPage;
    try {
      page = await openCheckout(url.href);
    } catch {
      return E.left(transportError({ kind: 'connection', attempts: 1 }));
    }
    if (page.status === 401) return E.left(authError({ reason: 'invalid_token', status: 401 }));
    if (page.status !== 200) return E.left(providerError({ provider: 'moneyns', status: page.status, retryable: false }));
    return E.right(page);
  };
