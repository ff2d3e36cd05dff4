import type { GatewayError } from '@paygate/core';
import { type CheckoutLang, createMoneyNsClient } from '@paygate/moneyns';
import type * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { JobSettings } from './settings.js';

/** Where the job runs and, when the target allows it, how the platform's public key gets registered. */
export interface JobTarget {
  readonly settings: JobSettings;
  /** Only a sandbox offers this; with MoneyNS the public key is handed over out of band. */
  readonly register?: (publicKeyPem: string) => E.Either<GatewayError, void>;
}

export interface Checkout {
  /** The MoneyNS user the platform logged in as. */
  readonly userId: string;
  /** Opens the hosted checkout; its `token` is a checkout JWT the platform key signed. */
  readonly checkoutUrl: string;
}

/**
 * Logs in to MoneyNS as the platform (an RS512 JWT signed with `privateKeyPem`, naming
 * `settings.email`) and builds a checkout URL whose token the same key signs: the user
 * (`link.id` = the email), a purchase of `settings.amount` `settings.symbol`, and
 * `settings.landing` as the page's `redirect_url`.
 */
export const logInAndOpenCheckout = (settings: JobSettings, privateKeyPem: string): TE.TaskEither<GatewayError, Checkout> =>
  pipe(
    TE.fromEither(
      createMoneyNsClient({
        auth: { platform: settings.platform, privateKeyPem, subject: { email: settings.email } },
        ...(settings.baseUrl === undefined ? {} : { baseUrl: settings.baseUrl }),
        ...(settings.checkoutUrl === undefined ? {} : { checkoutUrl: settings.checkoutUrl }),
      }),
    ),
    // checkoutUrl sends nothing (it signs a token), so a bad CHECKOUT_LANG costs no login.
    TE.flatMap((client) =>
      pipe(
        client.checkoutUrl({
          lang: settings.lang as CheckoutLang,
          display: settings.display,
          token: {
            kind: 'purchase',
            link: { id: settings.email, email: settings.email },
            payment: { operation: 'buy_with_fiat', symbol: settings.symbol, amount: settings.amount },
            redirect_url: settings.landing,
          },
        }),
        TE.flatMap((checkoutUrl) =>
          pipe(
            client.userId(),
            TE.map((userId) => ({ userId, checkoutUrl })),
          ),
        ),
      ),
    ),
  );
