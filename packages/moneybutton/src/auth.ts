import {
  clientCredentialsGrant,
  finishAuthorization,
  type GatewayError,
  invalidInput,
  type OAuthClient,
  type OAuthOptions,
  type OAuthServer,
  type PendingAuthorization,
  refreshTokenGrant,
  startAuthorization,
  type TokenSet,
} from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { APPLICATION_ACCESS_SCOPE, type MoneyButtonScope } from './scopes.js';

export const AUTHORIZE_PATH = '/oauth/v1/authorize';
export const TOKEN_PATH = '/oauth/v1/token';

/**
 * Money Button publishes no discovery document and no issuer identifier; its origin stands in
 * as the issuer, which only matters if a callback ever carries `iss` (RFC 9207).
 */
export const moneyButtonServer = (baseUrl: string): OAuthServer => ({
  issuer: baseUrl,
  authorizationEndpoint: `${baseUrl}${AUTHORIZE_PATH}`,
  tokenEndpoint: `${baseUrl}${TOKEN_PATH}`,
});

export interface MoneyButtonAuthSettings {
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly redirectUri?: string;
  readonly scope: ReadonlyArray<MoneyButtonScope>;
  readonly timeoutMs?: number;
}

export interface AuthorizationUrlOptions {
  /** Your own `state` (RFC 6749 §10.12); by default a random one is generated. */
  readonly state?: string;
  /** Which page Money Button opens on: `login` (its default) or `register` (2022 docs). */
  readonly landing?: 'login' | 'register';
}

export interface MoneyButtonAuth {
  authorizationUrl(options?: AuthorizationUrlOptions): E.Either<GatewayError, PendingAuthorization>;
  exchangeCallback(callbackUrl: string | URL, pending: PendingAuthorization): TE.TaskEither<GatewayError, TokenSet>;
  /** The documented refresh response has no `refresh_token`: the result carries the one sent. */
  refresh(refreshToken: string): TE.TaskEither<GatewayError, TokenSet>;
  clientCredentials(): TE.TaskEither<GatewayError, TokenSet>;
}

/** RFC 6749 Appendix A.5: state is a string of printable ASCII (%x20-7E). */
const STATE = /^[\x20-\x7e]+$/;

/**
 * The three grants as Money Button documents them. The code exchange and the refresh send
 * `client_id` in the form body and no secret (the documented curl examples), so they use a
 * public client; the client credentials grant authenticates with HTTP Basic and asks for
 * `application_access:write`.
 */
export const createMoneyButtonAuth = (settings: MoneyButtonAuthSettings): MoneyButtonAuth => {
  const server = moneyButtonServer(settings.baseUrl);
  const publicClient: OAuthClient = { clientId: settings.clientId, clientAuth: 'none' };
  const options: OAuthOptions = settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs };

  const authorizationUrl = (request: AuthorizationUrlOptions = {}): E.Either<GatewayError, PendingAuthorization> => {
    const { redirectUri } = settings;
    if (redirectUri === undefined) {
      return E.left(invalidInput('redirectUri', 'is required to start an authorization (set it in the client settings)'));
    }
    if (settings.scope.length === 0) {
      return E.left(invalidInput('scope', 'must name at least one scope to ask the user for'));
    }
    if (settings.scope.includes(APPLICATION_ACCESS_SCOPE)) {
      return E.left(invalidInput('scope', `${APPLICATION_ACCESS_SCOPE} is granted to the app by clientCredentials(), not by a user`));
    }
    if (request.state !== undefined && !STATE.test(request.state)) {
      return E.left(invalidInput('state', 'must be a non-empty string of printable ASCII characters'));
    }
    if (request.landing !== undefined && request.landing !== 'login' && request.landing !== 'register') {
      return E.left(invalidInput('landing', 'must be "login" or "register"'));
    }
    // PKCE S256 is an extension: Money Button's documented flow has none, and a server that
    // ignores code_challenge and code_verifier completes the flow all the same.
    const started = startAuthorization(server, publicClient, {
      redirectUri,
      scope: settings.scope.join(' '),
      ...(request.landing === undefined ? {} : { extraParams: { landing: request.landing } }),
    });
    if (E.isLeft(started) || request.state === undefined) return started;
    const url = new URL(started.right.url);
    url.searchParams.set('state', request.state);
    return E.right({ ...started.right, state: request.state, url: url.href });
  };

  const clientCredentials = (): TE.TaskEither<GatewayError, TokenSet> => {
    const { clientSecret } = settings;
    if (clientSecret === undefined || clientSecret.length === 0) {
      return TE.left(invalidInput('clientSecret', 'is required for the client credentials grant'));
    }
    return clientCredentialsGrant(
      server,
      { clientId: settings.clientId, clientSecret, clientAuth: 'client_secret_basic' },
      { scope: APPLICATION_ACCESS_SCOPE },
      options,
    );
  };

  return {
    authorizationUrl,
    exchangeCallback: (callbackUrl, pending) => finishAuthorization(server, publicClient, callbackUrl, pending, options),
    refresh: (refreshToken) => refreshTokenGrant(server, publicClient, refreshToken, {}, options),
    clientCredentials,
  };
};
