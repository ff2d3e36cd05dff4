import type { GatewayError } from '@paygate/core';
import { createMoneyNsClient } from '@paygate/moneyns';
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
  /** Opens the hosted checkout for this session; it carries the session token. */
  readonly checkoutUrl: string;
}

/**
 * Logs in to MoneyNS as the platform (an RS512 JWT signed with `privateKeyPem`, naming
 * `settings.email`) and builds the checkout URL of that session, with one login.
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
    // checkoutUrl checks its options before it logs in, so a bad CHECKOUT_LANG costs no login;
    // the session it made is then reused for the user id.
    TE.flatMap((client) =>
      pipe(
        client.checkoutUrl({ lang: settings.lang, display: settings.display, landing: settings.landing }),
        TE.flatMap((checkoutUrl) =>
          pipe(
            client.userId(),
            TE.map((userId) => ({ userId, checkoutUrl })),
          ),
        ),
      ),
    ),
  );
