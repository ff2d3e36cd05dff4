import { createMoneyButtonClient, type MoneyButtonScope, moneyButtonGateway } from '@paygate/moneybutton';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { oauthSignIn, type SignInProvider } from './sign-in-provider.js';

export interface MoneyButtonSignInSettings {
  /** Default `https://www.moneybutton.com`; the paygate sandbox's `urls.moneybutton` otherwise. */
  readonly baseUrl?: string;
  readonly clientId: string;
  /** Default: identity, balance and payments, each read-only. */
  readonly scope?: ReadonlyArray<MoneyButtonScope>;
}

const DEFAULT_SCOPE: ReadonlyArray<MoneyButtonScope> = ['auth.user_identity:read', 'users.balance:read', 'payments:read'];

/** "Sign in with Money Button": the user identity, the API v1 balance and the payments through the gateway. */
export const moneyButtonSignIn = (settings: MoneyButtonSignInSettings): SignInProvider => ({
  id: 'moneybutton',
  label: 'Money Button',
  connect: ({ redirectUri, tokenStore }) =>
    pipe(
      createMoneyButtonClient({
        clientId: settings.clientId,
        redirectUri,
        scope: settings.scope ?? DEFAULT_SCOPE,
        tokenStore,
        ...(settings.baseUrl === undefined ? {} : { baseUrl: settings.baseUrl }),
      }),
      E.map((client) => ({
        ...oauthSignIn(client),
        userName: () =>
          pipe(
            client.userIdentity(),
            TE.map((identity) => identity.name),
          ),
        gateway: moneyButtonGateway(client),
      })),
    ),
});
