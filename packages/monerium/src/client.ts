import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import {
  createHttpClient,
  createMemoryTokenStore,
  type GatewayError,
  type HttpClientOptions,
  checkHttpSettings,
  invalidInput,
  MAX_TIMER_MS,
  optionalNumber,
  optionalRecord,
  type PendingAuthorization,
  parseBaseUrl,
  requireRecord,
  type TokenStore,
} from '@paygate/core';
import { type LinkAddressInput, type LinkedAddress, linkAddress } from './addresses.js';
import { createMoneriumApi } from './api.js';
import { type AuthContext, getAuthContext } from './auth-context.js';
import { type AuthorizationUrlParams, createAuth, type MoneriumAuth, type MoneriumSession } from './auth.js';
import { type AddressBalances, getBalances } from './balances.js';
import { moneriumErrorMapper, PROVIDER } from './errors.js';
import { type SupportingDocument, type SupportingDocumentFile, uploadSupportingDocument } from './files.js';
import { type OrderSubscription, type WatchOrdersFilters, type WatchOrdersOptions, watchOrders } from './order-socket.js';
import {
  type AllOrdersOptions,
  getOrder,
  iterateOrders,
  listOrders,
  type Order,
  type OrderFilters,
  type OrdersPage,
} from './orders.js';
import { getProfile, listProfiles, type Profile, type ProfileSummary } from './profiles.js';
import { type OrderLookupSettings, placeRedeemOrder, type RedeemOrderInput } from './redeem.js';
import type { Signer } from './signer.js';
import { type EmoneyToken, listTokens } from './tokens.js';

/** v1.3 reference, "Environments". Any other deployment (a proxy, the paygate sandbox) by URL. */
export const MONERIUM_ENVIRONMENTS = {
  production: { baseUrl: 'https://api.monerium.app', wsUrl: 'wss://api.monerium.app' },
  sandbox: { baseUrl: 'https://api.monerium.dev', wsUrl: 'wss://api.monerium.dev' },
} as const;

export type MoneriumEnvironment =
  | 'production'
  | 'sandbox'
  /** `wsUrl` defaults to `baseUrl` with http(s) replaced by ws(s). */
  | { readonly baseUrl: string; readonly wsUrl?: string };

export interface MoneriumHttpSettings {
  /** Per attempt, every API and token request. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** Your own got instance (proxy, agent, hooks). */
  readonly got?: HttpClientOptions['got'];
  /** Retries of idempotent requests on network errors, 429, 502, 503, 504. Default 2. */
  readonly maxRetries?: number;
  /** First retry backoff step (full jitter, doubling). Default 200 ms. */
  readonly backoffBaseMs?: number;
  /** Cap of a computed backoff. Default 2 000 ms. */
  readonly maxBackoffMs?: number;
}

export interface MoneriumClientSettings {
  readonly environment: MoneriumEnvironment;
  readonly auth: MoneriumAuth;
  readonly http?: MoneriumHttpSettings;
  /** Where sessions are kept; memory by default, `@paygate/token-store-redis` to share them. */
  readonly tokenStore?: TokenStore;
  /** Signs redeem orders that bring no signer or signature of their own. */
  readonly signer?: Signer;
  /**
   * The clock for token expiry, order message timestamps and the start of a redeem request (an
   * order found by the lookup must not be older than that). Default `Date.now`.
   */
  readonly now?: () => number;
  /** How a redeem order that may have reached Monerium is looked up (see `placeRedeemOrder`). */
  readonly orderLookup?: Partial<OrderLookupSettings>;
}

export interface MoneriumClient {
  readonly baseUrl: string;
  readonly wsUrl: string;
  /** The `/auth` URL to send the user to (PKCE S256), and what to keep until the callback. */
  authorizationUrl(params?: AuthorizationUrlParams): E.Either<GatewayError, PendingAuthorization>;
  /** Checks the callback's state, exchanges the code and stores the session. */
  finishAuthorization(callbackUrl: string | URL, pending: PendingAuthorization): TE.TaskEither<GatewayError, MoneriumSession>;
  /** Obtains a partner token now (API calls do this by themselves when needed). */
  clientCredentials(): TE.TaskEither<GatewayError, MoneriumSession>;
  /** Refreshes the session now (rotating the refresh token); joins a refresh already running. */
  refresh(): TE.TaskEither<GatewayError, MoneriumSession>;
  /** The current session, renewed first if it is about to expire. */
  session(): TE.TaskEither<GatewayError, MoneriumSession>;
  /** Forgets the stored session. */
  signOut(): TE.TaskEither<GatewayError, void>;
  /** `GET /auth/context`. */
  authContext(): TE.TaskEither<GatewayError, AuthContext>;
  /** `GET /profiles`. */
  profiles(): TE.TaskEither<GatewayError, ReadonlyArray<ProfileSummary>>;
  /** `GET /profiles/{id}`. */
  profile(profileId: string): TE.TaskEither<GatewayError, Profile>;
  /** `GET /balances`, or `GET /profiles/{id}/balances`. */
  balances(profileId?: string): TE.TaskEither<GatewayError, ReadonlyArray<AddressBalances>>;
  /** `GET /tokens`. */
  tokens(): TE.TaskEither<GatewayError, ReadonlyArray<EmoneyToken>>;
  /** `POST /profiles/{id}/addresses`. */
  linkAddress(profileId: string, input: LinkAddressInput): TE.TaskEither<GatewayError, LinkedAddress>;
  /** `GET /orders` with filters and paging. */
  orders(filters?: OrderFilters): TE.TaskEither<GatewayError, OrdersPage>;
  /** Every matching order across pages: `Right(order)` each, or one `Left(error)` that ends it. */
  allOrders(filters?: Omit<OrderFilters, 'limit' | 'cursor'>, options?: AllOrdersOptions): AsyncIterable<E.Either<GatewayError, Order>>;
  /** `GET /orders/{id}`. */
  order(orderId: string): TE.TaskEither<GatewayError, Order>;
  /**
   * `POST /orders` (or `/profiles/{id}/orders`): a signed redeem order, sent once. Every failure
   * carries `paymentOutcome` and is never `retryable: true` (see `placeRedeemOrder`).
   */
  placeRedeemOrder(input: RedeemOrderInput): TE.TaskEither<GatewayError, Order>;
  /** `POST /files/supporting-documents`. */
  uploadSupportingDocument(file: SupportingDocumentFile): TE.TaskEither<GatewayError, SupportingDocument>;
  /** The order websocket, reconnecting and catching up until unsubscribed. */
  watchOrders(
    filters: WatchOrdersFilters,
    handler: (order: Order) => void,
    options?: WatchOrdersOptions,
  ): E.Either<GatewayError, OrderSubscription>;
}

const resolveEnvironment = (environment: MoneriumEnvironment): E.Either<GatewayError, { baseUrl: string; wsUrl: string }> => {
  if (environment === 'production' || environment === 'sandbox') return E.right(MONERIUM_ENVIRONMENTS[environment]);
  if (typeof environment !== 'object' || environment === null) {
    return E.left(invalidInput('environment', "must be 'production', 'sandbox' or { baseUrl, wsUrl? }"));
  }
  const baseUrl = parseBaseUrl(environment.baseUrl, 'environment.baseUrl');
  if (E.isLeft(baseUrl)) return baseUrl;
  const wsUrl = parseBaseUrl(environment.wsUrl ?? baseUrl.right.replace(/^http/, 'ws'), 'environment.wsUrl', 'websocket');
  if (E.isLeft(wsUrl)) return wsUrl;
  return E.right({ baseUrl: baseUrl.right, wsUrl: wsUrl.right });
};

/** The shape of the settings object, checked before any of it is read (JavaScript callers exist). */
export const checkSettingsShape = (settings: unknown): E.Either<GatewayError, void> => {
  const record = requireRecord(settings, 'settings');
  if (E.isLeft(record)) return record;
  const { http, orderLookup, now } = record.right;
  const httpChecked = checkHttpSettings(http, 'http');
  if (E.isLeft(httpChecked)) return httpChecked;
  const lookup = optionalRecord(orderLookup, 'orderLookup');
  if (E.isLeft(lookup)) return lookup;
  if (now !== undefined && typeof now !== 'function') return E.left(invalidInput('now', 'must be a function'));
  return E.right(undefined);
};

/**
 * The numbers both API versions' factories read the same way: the HTTP timeout and the order
 * lookup after a lost answer (finite, in range, with the same defaults).
 */
export const readClientNumbers = (settings: {
  readonly http?: { readonly timeoutMs?: number };
  readonly orderLookup?: { readonly attempts?: number; readonly intervalMs?: number };
}): E.Either<GatewayError, { timeoutMs: number; lookup: { attempts: number; intervalMs: number } }> => {
  const timeoutMs = optionalNumber(settings.http?.timeoutMs, 10_000, 'http.timeoutMs', { min: 1, max: MAX_TIMER_MS });
  if (E.isLeft(timeoutMs)) return timeoutMs;
  const attempts = optionalNumber(settings.orderLookup?.attempts, 3, 'orderLookup.attempts', { min: 1, max: 100 });
  if (E.isLeft(attempts)) return attempts;
  const intervalMs = optionalNumber(settings.orderLookup?.intervalMs, 1_000, 'orderLookup.intervalMs', { min: 0, max: MAX_TIMER_MS });
  if (E.isLeft(intervalMs)) return intervalMs;
  return E.right({ timeoutMs: timeoutMs.right, lookup: { attempts: attempts.right, intervalMs: intervalMs.right } });
};

/** The HTTP settings passed through to core's `createHttpClient` as given (absent ones left out). */
export const httpPassThrough = (http: MoneriumHttpSettings | undefined) => ({
  ...(http?.got === undefined ? {} : { got: http.got }),
  ...(http?.maxRetries === undefined ? {} : { maxRetries: http.maxRetries }),
  ...(http?.backoffBaseMs === undefined ? {} : { backoffBaseMs: http.backoffBaseMs }),
  ...(http?.maxBackoffMs === undefined ? {} : { maxBackoffMs: http.maxBackoffMs }),
});

/**
 * Builds a Monerium v1.3 client, or says which setting cannot work: `Left(InvalidInput)` naming
 * the field (a malformed base URL, an empty client id, a timeout out of range). Never throws and
 * sends nothing; the same shape as every other paygate factory.
 */
export const createMoneriumClient = (settings: MoneriumClientSettings): E.Either<GatewayError, MoneriumClient> => {
  const checked = checkSettingsShape(settings);
  if (E.isLeft(checked)) return checked;
  const environment = resolveEnvironment(settings.environment);
  if (E.isLeft(environment)) return environment;
  const { baseUrl, wsUrl } = environment.right;
  const numbers = readClientNumbers(settings);
  if (E.isLeft(numbers)) return numbers;
  const { timeoutMs, lookup } = numbers.right;
  const now = settings.now ?? Date.now;

  const auth = createAuth({
    auth: settings.auth,
    baseUrl,
    tokenStore: settings.tokenStore ?? createMemoryTokenStore(),
    timeoutMs,
    now,
  });
  if (E.isLeft(auth)) return auth;
  const { authorizer, flows } = auth.right;

  const http = createHttpClient({
    provider: PROVIDER,
    baseUrl,
    timeoutMs,
    mapError: moneriumErrorMapper(authorizer.credentials),
    ...httpPassThrough(settings.http),
  });
  const api = createMoneriumApi(http, authorizer);
  const redeemSettings = {
    signer: settings.signer,
    now,
    lookup,
  };

  return E.right({
    baseUrl,
    wsUrl,
    ...flows,
    authContext: () => getAuthContext(api),
    profiles: () => listProfiles(api),
    profile: (profileId) => getProfile(api, profileId),
    balances: (profileId) => getBalances(api, profileId),
    tokens: () => listTokens(api),
    linkAddress: (profileId, input) => linkAddress(api, profileId, input),
    orders: (filters) => listOrders(api, filters),
    allOrders: (filters, options) => iterateOrders(api, filters, options),
    order: (orderId) => getOrder(api, orderId),
    placeRedeemOrder: (input) => placeRedeemOrder(api, input, redeemSettings),
    uploadSupportingDocument: (file) => uploadSupportingDocument(api, file),
    watchOrders: (filters, handler, options) =>
      watchOrders({ wsUrl, api, authorizer, handshakeTimeoutMs: timeoutMs }, filters, handler, options),
  });
};
