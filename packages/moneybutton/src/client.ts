import {
  checkHttpSettings,
  createHttpClient,
  createMemoryTokenStore,
  createTokenManager,
  type GatewayError,
  type HttpClientOptions,
  invalidInput,
  type PendingAuthorization,
  parseBaseUrl,
  type TokenManager,
  type TokenSet,
  type TokenStore,
} from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { type CreateAssetInput, createAsset, assets as listAssets, type MoneyButtonAsset, type UpdateAssetInput, updateAsset } from './assets.js';
import { type AuthorizationUrlOptions, createMoneyButtonAuth } from './auth.js';
import { createAuthorizedRequest, createAuthorizedSend } from './authorized-request.js';
import { mapMoneyButtonError, PROVIDER } from './errors.js';
import type { MoneyButtonPayment, MoneyButtonPaymentsPage, PageQuery } from './payment.js';
import { paymentsV1, paymentV1 } from './payments-v1.js';
import { type PaymentHistoryEntry, paymentHistory, paymentsV2, paymentV2 } from './payments-v2.js';
import { isMoneyButtonScope, type MoneyButtonScope } from './scopes.js';
import { type UserBalance, type UserIdentity, type UserProfile, userBalance, userIdentity, userProfile } from './users.js';
import { type WalletBalances, type WalletSelector, walletBalances } from './wallets.js';

export const DEFAULT_BASE_URL = 'https://www.moneybutton.com';

/** Transport options, passed to core http (and the timeout to the token requests too). */
export interface MoneyButtonHttpSettings {
  /** Per attempt, for API and token requests. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** Your own got instance (proxy, agent, hooks). */
  readonly got?: NonNullable<HttpClientOptions['got']>;
  /** Retries of idempotent requests on network errors, 429, 502, 503, 504. Default 2. */
  readonly maxRetries?: number;
  readonly backoffBaseMs?: number;
  readonly maxBackoffMs?: number;
  readonly maxRetryAfterMs?: number;
}

export interface MoneyButtonSettings {
  /** Default `https://www.moneybutton.com`; a self-hosted clone or the sandbox otherwise. */
  readonly baseUrl?: string;
  /** The app's OAuth identifier. */
  readonly clientId: string;
  /** Only needed for the client credentials grant (application access). */
  readonly clientSecret?: string;
  /** Registered redirect URI; needed to start a user authorization. */
  readonly redirectUri?: string;
  /** Scopes to ask the user for. */
  readonly scope: ReadonlyArray<MoneyButtonScope>;
  /** Where sessions live; default in memory. Share one store between processes (e.g. Redis). */
  readonly tokenStore?: TokenStore;
  /** Which user session of this app this client acts for (its key in the store). Default `default`. */
  readonly sessionKey?: string;
  /**
   * A refresh token from an earlier sign-in. When the store holds no session, one is started by
   * refreshing with it (how a server-side app or a config file resumes a user's session).
   */
  readonly refreshToken?: string;
  readonly http?: MoneyButtonHttpSettings;
}

export interface MoneyButtonClient {
  readonly baseUrl: string;
  /** The user's session: its tokens, renewed ahead of the one-hour expiry. */
  readonly session: TokenManager;

  /** The `/oauth/v1/authorize` URL to send the user to, and what `finishAuthorization` needs. */
  authorizationUrl(options?: AuthorizationUrlOptions): E.Either<GatewayError, PendingAuthorization>;
  /** Checks `state`, exchanges the code and stores the session. */
  finishAuthorization(callbackUrl: string | URL, pending: PendingAuthorization): TE.TaskEither<GatewayError, TokenSet>;
  /** Refreshes the user's access token now (the refresh token stays the same). */
  refresh(): TE.TaskEither<GatewayError, TokenSet>;
  /** An application token (`application_access:write`, client credentials with HTTP Basic), cached until it expires. */
  clientCredentials(): TE.TaskEither<GatewayError, TokenSet>;

  userIdentity(): TE.TaskEither<GatewayError, UserIdentity>;
  userProfile(userId: string): TE.TaskEither<GatewayError, UserProfile>;
  userBalance(userId: string): TE.TaskEither<GatewayError, UserBalance>;
  payments(query?: PageQuery): TE.TaskEither<GatewayError, MoneyButtonPaymentsPage>;
  payment(id: string): TE.TaskEither<GatewayError, MoneyButtonPayment>;

  walletBalances(walletId: WalletSelector): TE.TaskEither<GatewayError, WalletBalances>;
  paymentsV2(query?: PageQuery): TE.TaskEither<GatewayError, MoneyButtonPaymentsPage>;
  paymentHistory(query?: PageQuery): TE.TaskEither<GatewayError, MoneyButtonPaymentsPage<PaymentHistoryEntry>>;
  paymentV2(id: string): TE.TaskEither<GatewayError, MoneyButtonPayment>;
  assets(): TE.TaskEither<GatewayError, ReadonlyArray<MoneyButtonAsset>>;
  createAsset(input: CreateAssetInput): TE.TaskEither<GatewayError, MoneyButtonAsset>;
  updateAsset(id: string, changes: UpdateAssetInput): TE.TaskEither<GatewayError, MoneyButtonAsset>;
}

const checkSettings = (settings: MoneyButtonSettings): E.Either<GatewayError, string> => {
  if (typeof settings !== 'object' || settings === null) return E.left(invalidInput('settings', 'must be an object'));
  const http = checkHttpSettings(settings.http, 'http');
  if (E.isLeft(http)) return http;
  if (typeof settings.clientId !== 'string' || settings.clientId.length === 0) {
    return E.left(invalidInput('clientId', 'must be a non-empty string'));
  }
  if (!Array.isArray(settings.scope)) return E.left(invalidInput('scope', 'must be an array of Money Button scopes'));
  const unknown = settings.scope.find((scope) => !isMoneyButtonScope(scope));
  if (unknown !== undefined) return E.left(invalidInput('scope', `"${String(unknown)}" is not a Money Button scope`));
  if (settings.redirectUri !== undefined) {
    try {
      new URL(settings.redirectUri);
    } catch {
      return E.left(invalidInput('redirectUri', 'must be an absolute URL'));
    }
  }
  if (settings.clientSecret !== undefined && (typeof settings.clientSecret !== 'string' || settings.clientSecret.length === 0)) {
    return E.left(invalidInput('clientSecret', 'must be a non-empty string'));
  }
  if (settings.refreshToken !== undefined && (typeof settings.refreshToken !== 'string' || settings.refreshToken.length === 0)) {
    return E.left(invalidInput('refreshToken', 'must be a non-empty string'));
  }
  if (settings.sessionKey !== undefined && (typeof settings.sessionKey !== 'string' || settings.sessionKey.length === 0)) {
    return E.left(invalidInput('sessionKey', 'must be a non-empty string'));
  }
  // HTTPS, or plain HTTP on a loopback host (the sandbox): tokens never travel in clear elsewhere.
  return parseBaseUrl(settings.baseUrl ?? DEFAULT_BASE_URL, 'baseUrl');
};

/**
 * A Money Button client: OAuth, API v1 and API v2 as typed functions. Returns `InvalidInput` for
 * bad settings; every call returns a TaskEither and never throws.
 */
export const createMoneyButtonClient = (settings: MoneyButtonSettings): E.Either<GatewayError, MoneyButtonClient> =>
  pipe(
    checkSettings(settings),
    E.map((baseUrl) => {
      const { clientId, http = {} } = settings;
      const store = settings.tokenStore ?? createMemoryTokenStore();
      const auth = createMoneyButtonAuth({
        baseUrl,
        clientId,
        scope: settings.scope,
        ...(settings.clientSecret === undefined ? {} : { clientSecret: settings.clientSecret }),
        ...(settings.redirectUri === undefined ? {} : { redirectUri: settings.redirectUri }),
        ...(http.timeoutMs === undefined ? {} : { timeoutMs: http.timeoutMs }),
      });
      const sessionKey = `moneybutton:${clientId}:user:${settings.sessionKey ?? 'default'}`;
      const { refreshToken } = settings;
      // The refresh lock's TTL is derived from the token request's timeout.
      const requestTimeout = http.timeoutMs === undefined ? {} : { requestTimeoutMs: http.timeoutMs };
      const session = createTokenManager({
        key: sessionKey,
        store,
        ...requestTimeout,
        // The manager only refreshes sessions that hold a refresh token.
        refresh: (tokens) => auth.refresh(tokens.refreshToken ?? ''),
        ...(refreshToken === undefined ? {} : { obtain: () => auth.refresh(refreshToken) }),
      });
      const application = createTokenManager({
        key: `moneybutton:${clientId}:app`,
        store,
        ...requestTimeout,
        obtain: auth.clientCredentials,
      });
      const httpClient = createHttpClient({ ...http, provider: PROVIDER, baseUrl, mapError: mapMoneyButtonError });
      const request = createAuthorizedRequest(httpClient, session);
      const send = createAuthorizedSend(httpClient, session);

      const refresh = (): TE.TaskEither<GatewayError, TokenSet> =>
        pipe(
          store.get(sessionKey),
          TE.flatMap((current) => session.renew(current?.accessToken)),
        );

      return {
        baseUrl,
        session,
        authorizationUrl: auth.authorizationUrl,
        finishAuthorization: (callbackUrl, pending) =>
          pipe(
            auth.exchangeCallback(callbackUrl, pending),
            TE.tap((tokens) => session.setTokens(tokens)),
          ),
        refresh,
        clientCredentials: () => application.getTokenSet(),
        userIdentity: () => userIdentity(request),
        userProfile: (userId) => userProfile(request, userId),
        userBalance: (userId) => userBalance(request, userId),
        payments: (query) => paymentsV1(request, query),
        payment: (id) => paymentV1(request, id),
        walletBalances: (walletId) => walletBalances(request, walletId),
        paymentsV2: (query) => paymentsV2(request, query),
        paymentHistory: (query) => paymentHistory(request, query),
        paymentV2: (id) => paymentV2(request, id),
        assets: () => listAssets(request),
        createAsset: (input) => createAsset(send, input),
        updateAsset: (id, changes) => updateAsset(send, request, id, changes),
      };
    }),
  );
