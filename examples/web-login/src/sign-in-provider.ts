import type { GatewayError, PaymentsGateway, PendingAuthorization, TokenStore } from '@paygate/core';
import type * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';

export type ProviderId = 'monerium' | 'moneybutton';

/**
 * What the app needs from a provider to offer "Sign in with …": the OAuth code flow, who signed
 * in, and the provider-neutral gateway for the account page. One file per provider implements it.
 */
export interface SignInProvider {
  readonly id: ProviderId;
  /** Shown on the button: "Sign in with <label>". */
  readonly label: string;
  /** A client for one browser session; it keeps its tokens in `tokenStore` and nowhere else. */
  connect(options: { readonly redirectUri: string; readonly tokenStore: TokenStore }): E.Either<GatewayError, ProviderConnection>;
}

export interface ProviderConnection {
  /** The provider's authorize URL with a fresh PKCE verifier and state, to keep server-side. */
  authorizationUrl(): E.Either<GatewayError, PendingAuthorization>;
  /** Checks `state`, redeems the code with the verifier and stores the tokens. */
  finishAuthorization(callbackUrl: URL, pending: PendingAuthorization): TE.TaskEither<GatewayError, void>;
  /** How the signed-in user is called at the provider. */
  userName(): TE.TaskEither<GatewayError, string>;
  readonly gateway: PaymentsGateway;
}

/** The OAuth half of a connection, straight from an adapter client (the session it answers stays in its store). */
export const oauthSignIn = (client: {
  authorizationUrl(): E.Either<GatewayError, PendingAuthorization>;
  finishAuthorization(callbackUrl: URL, pending: PendingAuthorization): TE.TaskEither<GatewayError, unknown>;
}): Pick<ProviderConnection, 'authorizationUrl' | 'finishAuthorization'> => ({
  authorizationUrl: () => client.authorizationUrl(),
  finishAuthorization: (callbackUrl, pending) => TE.map(() => undefined)(client.finishAuthorization(callbackUrl, pending)),
});
