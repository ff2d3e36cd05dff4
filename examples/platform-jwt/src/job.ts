import { type GatewayError, invalidInput } from '@paygate/core';
import { createMoneyNsClient } from '@paygate/moneyns';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { loadOrCreatePlatformKey, type PlatformKey } from './platform-key.js';
import type { JobSettings } from './settings.js';

export type JobOutcome =
  /** Logged in; the URL opens the hosted checkout for this session. */
  | { readonly _tag: 'CheckoutReady'; readonly key: PlatformKey; readonly userId: string; readonly checkoutUrl: string }
  /** The key was just made and nobody has registered it with MoneyNS: there is nothing to log in with yet. */
  | { readonly _tag: 'KeyCreated'; readonly key: PlatformKey };

export interface JobHooks {
  /**
   * Registers the platform's public key before logging in. Only a sandbox offers this; against
   * MoneyNS the public key is handed over out of band, and a new key ends the run.
   */
  readonly register?: (platform: string, publicKeyPem: string) => void;
}

const logIn = (settings: JobSettings, key: PlatformKey): TE.TaskEither<GatewayError, JobOutcome> =>
  pipe(
    TE.fromEither(
      createMoneyNsClient({
        auth: { platform: settings.platform, privateKeyPem: key.privateKeyPem, subject: { email: settings.email } },
        ...(settings.baseUrl === undefined ? {} : { baseUrl: settings.baseUrl }),
        ...(settings.checkoutUrl === undefined ? {} : { checkoutUrl: settings.checkoutUrl }),
      }),
    ),
    TE.flatMap((client) =>
      pipe(
        client.session(),
        TE.flatMap((session) =>
          pipe(
            client.checkoutUrl({ lang: settings.lang, display: settings.display, landing: settings.landing }),
            TE.map((checkoutUrl): JobOutcome => ({ _tag: 'CheckoutReady', key, userId: session.userId, checkoutUrl })),
          ),
        ),
      ),
    ),
  );

/**
 * The job: the platform key (made on the first run), a platform login (RS512 JWT) as
 * `settings.email`, and the checkout URL of that session.
 */
export const runPlatformJob = (settings: JobSettings, hooks: JobHooks = {}): TE.TaskEither<GatewayError, JobOutcome> =>
  pipe(
    TE.fromEither(loadOrCreatePlatformKey(settings.keyPath)),
    TE.flatMap((key) => {
      const { register } = hooks;
      if (register !== undefined) {
        return pipe(
          TE.fromEither(
            E.tryCatch(
              () => register(settings.platform, key.publicKeyPem),
              (error) => invalidInput('platformKey', `could not be registered: ${error instanceof Error ? error.message : 'unknown error'}`),
            ),
          ),
          TE.flatMap(() => logIn(settings, key)),
        );
      }
      return key.created ? TE.right<GatewayError, JobOutcome>({ _tag: 'KeyCreated', key }) : logIn(settings, key);
    }),
  );

