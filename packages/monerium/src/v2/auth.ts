import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import defaultGot, { type Got, RequestError } from 'got';
import {
  authError,
  type GatewayError,
  invalidInput,
  MAX_TIMER_MS,
  optionalNumber,
  type PendingAuthorization,
  requireRecord,
  type TokenSet,
  type TokenStore,
  transportError,
} from '@paygate/core';
import { type AuthFlows, type Authorizer, createAuth, type MoneriumSession } from '../auth.js';
import { checkSigner, signWith, type Signer } from '../signer.js';
import { allOf, boundedText, filtersOf, optionalText } from './shared.js';
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

/** The OAuth `state` a caller may choose: 1–512 characters (it travels in the URL both ways). */
const checkState = (value: unknown): E.Either<GatewayError, string | undefined> => optionalText(value, 'state', 1, 512);

const v2Params = (given: unknown): E.Either<GatewayError, { extra: Record<string, string>; state: string | undefined }> => {
  const record = filtersOf(given, 'params');
  if (E.isLeft(record)) return record;
  const params = record.right;
  const state = checkState(params.state);
  if (E.isLeft(state)) return state;
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
  return E.right({ extra, state: state.right });
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
      const authorizationUrl = (params?: V2AuthorizationParams) =>
        pipe(
          v2Params(params),
          E.flatMap(({ extra, state }) => flows.authorizationUrl({ extra, ...(state === undefined ? {} : { state }) })),
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
        const given = requireRecord(params, 'params');
        if (E.isLeft(given)) return TE.fromEither(given);
        const checked = allOf({
          signer: checkSigner(given.right.signer),
          chain: chainFor(given.right.chain, settings.environment),
          // One line of the statement `Allow <appName> to access my data on Monerium`.
          appName: E.filterOrElse(
            (name: string) => !/[\r\n]/.test(name),
            () => invalidInput('appName', 'must be one line'),
          )(boundedText(given.right.appName, 'appName', 1, 200)),
          expiresInMs: optionalNumber(given.right.expiresInMs, 5 * 60_000, 'expiresInMs', { min: 1, max: MAX_TIMER_MS }),
          state: checkState(given.right.state),
        });
        if (E.isLeft(checked)) return TE.fromEither(checked);
        const { signer, chain, appName, expiresInMs, state } = checked.right;
        const chainId = chainIdOf(chain);
        if (chainId === undefined) return TE.left(invalidInput('chain', 'has no EVM chain id; SIWE needs an EVM chain'));
        const redirect = new URL(auth.redirectUri);
        const issuedAt = new Date(settings.now());
        // domain, uri and the two policy URLs are checked by siweMessage, each under its own name.
        const message = siweMessage({
          domain: params.domain === undefined ? redirect.host : params.domain,
          uri: params.uri === undefined ? redirect.origin : params.uri,
          address: signer.address,
          chainId,
          statement: `Allow ${appName} to access my data on Monerium`,
          privacyPolicyUrl: params.privacyPolicyUrl,
          termsOfServiceUrl: params.termsOfServiceUrl,
          issuedAt,
          expirationTime: new Date(issuedAt.getTime() + expiresInMs),
        });
        if (E.isLeft(message)) return TE.fromEither(message);
        return pipe(
          signWith(signer, message.right),
          TE.flatMap((signature) =>
            TE.fromEither(
              flows.authorizationUrl({
                extra: { authentication_method: 'siwe', message: message.right, signature },
                ...(state === undefined ? {} : { state }),
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
