import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import defaultGot, { type Got, RequestError } from 'got';
import {
  authError,
  type GatewayError,
  invalidInput,
  type PendingAuthorization,
  type TokenSet,
  type TokenStore,
  transportError,
} from '@paygate/core';
import { type AuthFlows, type Authorizer, createAuth, type MoneriumSession } from '../auth.js';
import { signWith, type Signer } from '../signer.js';
import { type ChainEnvironment, chainFor, chainIdOf } from './chains.js';
import { moneriumV2ErrorMapper } from './errors.js';
import { siweMessage } from './siwe.js';

/**
 * How a v2 client authenticates (fact sheet §2):
 * - `authorization_code`: the user signs in at Monerium (PKCE, S256 only) or with SIWE.
 * - `client_credentials`: a Private or Whitelabel app's backend with its client-credentials id.
 * - `tokens`: a session obtained elsewhere; with `clientId` it can be refreshed.
 * v2 has no `scope` and does not document Basic auth, so neither is offered here.
 */
export type MoneriumV2Auth =
  | { readonly kind: 'authorization_code'; readonly clientId: string; readonly redirectUri: string; readonly userId?: string }
  | { readonly kind: 'client_credentials'; readonly clientId: string; readonly clientSecret: string }
  | { readonly kind: 'tokens'; readonly tokens: TokenSet; readonly clientId?: string };

/** The v2 parameters of `/auth` beyond the PKCE ones the flow sets. */
export interface V2AuthorizationParams {
  /** Defaults to a random value. */
  readonly state?: string;
  /** Prefills the e-mail address in Monerium's portal. */
  readonly email?: string;
  /** Testing only (sandbox): skip KYC. Default false. */
  readonly skipKyc?: boolean;
  /** Open the portal on the login or the sign-up page. */
  readonly authMode?: 'login' | 'signup';
}

/** Sign-In with Ethereum: an existing customer's linked wallet signs an EIP-4361 message; no portal. */
export interface SiweSignInParams {
  readonly signer: Signer;
  /** A chain the wallet is linked on (its EVM chain id goes into the message). */
  readonly chain: string;
  /** Shown in the statement `Allow <appName> to access my data on Monerium`. */
  readonly appName: string;
  readonly privacyPolicyUrl: string;
  readonly termsOfServiceUrl: string;
  /** Default: the host and origin of the client's redirect URI. */
  readonly domain?: string;
  readonly uri?: string;
  /** How long the message is valid. Default 5 minutes (as the SDK). */
  readonly expiresInMs?: number;
  readonly state?: string;
}

export interface V2AuthFlows extends Omit<AuthFlows, 'authorizationUrl'> {
  authorizationUrl(params?: V2AuthorizationParams): E.Either<GatewayError, PendingAuthorization>;
  signInWithEthereum(params: SiweSignInParams): TE.TaskEither<GatewayError, MoneriumSession>;
}

export interface V2AuthSettings {
  readonly auth: MoneriumV2Auth;
  readonly baseUrl: string;
  readonly environment: ChainEnvironment;
  readonly tokenStore: TokenStore;
  readonly timeoutMs: number;
  readonly now: () => number;
  readonly got?: Got;
}

/**
 * Fact sheet §2.2: the token endpoint answers 400 either as OAuth `{error, error_description}` or
 * in Monerium's `{code, status, message}` shape ("Client id must be the same from previous
 * token."). Core reads the first as an `AuthError`; the second reaches us as a `ProviderError`
 * named after the issuer. Both mean the grant was refused, so both are `AuthError` here.
 */
const tokenEndpointRefusal =
  (issuer: string, reason: 'refresh_failed' | 'authorization_error') =>
  (error: GatewayError): GatewayError =>
    error._tag === 'ProviderError' && error.provider === issuer && error.status >= 400 && error.status < 500
      ? authError({ reason, status: error.status, message: `Monerium refused the token request: ${error.message}` })
      : error;

const checkKind = (auth: MoneriumV2Auth): E.Either<GatewayError, MoneriumV2Auth> =>
  typeof auth === 'object' && auth !== null && ['authorization_code', 'client_credentials', 'tokens'].includes(auth.kind)
    ? E.right(auth)
    : E.left(invalidInput('auth.kind', "must be 'authorization_code', 'client_credentials' or 'tokens' (v2 has no Basic auth)"));

const v2Params = (params: V2AuthorizationParams): E.Either<GatewayError, Record<string, string>> => {
  const extra: Record<string, string> = {};
  if (params.email !== undefined) {
    if (typeof params.email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(params.email)) return E.left(invalidInput('email', 'must be an e-mail address'));
    extra.email = params.email;
  }
  if (params.skipKyc !== undefined) {
    if (typeof params.skipKyc !== 'boolean') return E.left(invalidInput('skipKyc', 'must be a boolean'));
    extra.skip_kyc = String(params.skipKyc);
  }
  if (params.authMode !== undefined) {
    if (params.authMode !== 'login' && params.authMode !== 'signup') return E.left(invalidInput('authMode', "must be 'login' or 'signup'"));
    extra.auth_mode = params.authMode;
  }
  return E.right(extra);
};

/**
 * The v2 credentials: the shared Monerium OAuth machinery (token store keys, one refresh at a
 * time with rotation, client-credentials re-grant) with v2's `/auth` parameters and SIWE.
 */
export const createV2Auth = (settings: V2AuthSettings): E.Either<GatewayError, { authorizer: Authorizer; flows: V2AuthFlows }> =>
  pipe(
    checkKind(settings.auth),
    E.flatMap((auth) => createAuth({ ...settings, auth })),
    E.map(({ authorizer, flows }) => {
      const auth = settings.auth;
      const got = settings.got ?? defaultGot;
      const authorizationUrl = (params: V2AuthorizationParams = {}) =>
        pipe(
          v2Params(params),
          E.flatMap((extra) => flows.authorizationUrl({ extra, ...(params.state === undefined ? {} : { state: params.state }) })),
        );

      /** GET the SIWE `/auth` URL; Monerium answers 302 to the redirect URI with a code (no portal). */
      const followSiwe = (url: string): TE.TaskEither<GatewayError, string> => async () => {
        try {
          const response = await got(url, {
            method: 'GET',
            followRedirect: false,
            throwHttpErrors: false,
            retry: { limit: 0 },
            responseType: 'text',
            timeout: { request: settings.timeoutMs },
            headers: { accept: 'application/json' },
          });
          const location = response.headers.location;
          if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string') {
            return E.right(new URL(location, settings.baseUrl).href);
          }
          let body: unknown;
          try {
            body = JSON.parse(response.body);
          } catch {
            body = response.body;
          }
          const mapped = moneriumV2ErrorMapper({ status: response.statusCode, headers: response.headers, body, isJson: typeof body !== 'string' }, 'monerium');
          return E.left(
            response.statusCode < 300
              ? authError({ reason: 'authorization_error', status: response.statusCode, message: 'Monerium answered SIWE sign-in without a redirect' })
              : mapped,
          );
        } catch (error) {
          const code = error instanceof RequestError ? error.code : undefined;
          const kind = code === 'ETIMEDOUT' ? 'timeout' : code === 'ECONNRESET' ? 'reset' : 'connection';
          return E.left(transportError({ kind, attempts: 1, message: `SIWE sign-in request failed (${kind})` }));
        }
      };

      const signInWithEthereum = (params: SiweSignInParams): TE.TaskEither<GatewayError, MoneriumSession> => {
        if (auth.kind !== 'authorization_code') {
          return TE.left(invalidInput('auth.kind', "signInWithEthereum needs auth kind 'authorization_code'"));
        }
        if (typeof params !== 'object' || params === null || params.signer === undefined) return TE.left(invalidInput('signer', 'is required'));
        const chain = chainFor(params.chain, settings.environment);
        if (E.isLeft(chain)) return TE.fromEither(chain);
        const chainId = chainIdOf(chain.right);
        if (chainId === undefined) return TE.left(invalidInput('chain', 'has no EVM chain id; SIWE needs an EVM chain'));
        const redirect = new URL(auth.redirectUri);
        const issuedAt = new Date(settings.now());
        const expiresInMs = params.expiresInMs ?? 5 * 60_000;
        if (!Number.isFinite(expiresInMs) || expiresInMs <= 0) return TE.left(invalidInput('expiresInMs', 'must be a positive number'));
        const message = siweMessage({
          domain: params.domain ?? redirect.host,
          uri: params.uri ?? redirect.origin,
          address: params.signer.address,
          chainId,
          statement: `Allow ${params.appName} to access my data on Monerium`,
          privacyPolicyUrl: params.privacyPolicyUrl,
          termsOfServiceUrl: params.termsOfServiceUrl,
          issuedAt,
          expirationTime: new Date(issuedAt.getTime() + expiresInMs),
        });
        if (E.isLeft(message)) return TE.fromEither(message);
        return pipe(
          signWith(params.signer, message.right),
          TE.flatMap((signature) =>
            TE.fromEither(
              flows.authorizationUrl({
                extra: { authentication_method: 'siwe', message: message.right, signature },
                ...(params.state === undefined ? {} : { state: params.state }),
              }),
            ),
          ),
          TE.flatMap((pending) => {
            // SIWE sends no `response_type` (OpenAPI /auth; the SDK's SIWE test).
            const url = new URL(pending.url);
            url.searchParams.delete('response_type');
            return pipe(
              followSiwe(url.href),
              TE.flatMap((callback) => flows.finishAuthorization(callback, pending)),
            );
          }),
        );
      };

      const refused = tokenEndpointRefusal(settings.baseUrl, 'authorization_error');
      const refreshRefused = tokenEndpointRefusal(settings.baseUrl, 'refresh_failed');
      return {
        authorizer: { ...authorizer, withCredentials: (call) => TE.mapLeft(refreshRefused)(authorizer.withCredentials(call)) },
        flows: {
          ...flows,
          authorizationUrl,
          finishAuthorization: (callbackUrl, pending) => TE.mapLeft(refused)(flows.finishAuthorization(callbackUrl, pending)),
          clientCredentials: () => TE.mapLeft(refused)(flows.clientCredentials()),
          refresh: () => TE.mapLeft(refreshRefused)(flows.refresh()),
          session: () => TE.mapLeft(refreshRefused)(flows.session()),
          signInWithEthereum: (params) => TE.mapLeft(refused)(signInWithEthereum(params)),
        },
      };
    }),
  );
