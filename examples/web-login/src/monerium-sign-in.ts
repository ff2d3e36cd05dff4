import { createMoneriumClient, type MoneriumEnvironment, moneriumGateway } from '@paygate/monerium';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { oauthSignIn, type SignInProvider } from './sign-in-provider.js';

export interface MoneriumSignInSettings {
  /** `'sandbox'`, `'production'`, or `{ baseUrl, wsUrl? }` (the paygate sandbox). */
  readonly environment: MoneriumEnvironment;
  /** A public client: Monerium's code flow for web apps uses PKCE and no secret. */
  readonly clientId: string;
  /** Default `orders:read`, enough for balances and orders. */
  readonly scope?: string;
}

/** "Sign in with Monerium": the user's name from `/auth/context`, balances and orders through the gateway. */
export const moneriumSignIn = (settings: MoneriumSignInSettings): SignInProvider => ({
  id: 'monerium',
  label: 'Monerium',
  connect: ({ redirectUri, tokenStore }) =>
    pipe(
      createMoneriumClient({
        environment: settings.environment,
        auth: { kind: 'authorization_code', clientId: settings.clientId, redirectUri, scope: settings.scope ?? 'orders:read' },
        tokenStore,
      }),
      E.map((client) => ({
        ...oauthSignIn(client),
        userName: () =>
          pipe(
            client.authContext(),
            TE.map((context) => `${context.name} <${context.email}>`),
          ),
        gateway: moneriumGateway(client),
      })),
    ),
});
