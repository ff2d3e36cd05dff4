import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import {
  createHttpClient,
  createMemoryTokenStore,
  type GatewayError,
  invalidInput,
  type PendingAuthorization,
  type TokenStore,
  parseBaseUrl,
} from '@paygate/core';
import type { MoneriumSession } from '../auth.js';
import { checkSettingsShape, httpPassThrough, type MoneriumHttpSettings, readClientNumbers } from '../client.js';
import { PROVIDER } from '../errors.js';
import { type OrderSubscription, type WatchOrdersFilters, type WatchOrdersOptions, watchOrderFeed } from '../order-socket.js';
import type { SupportingDocumentFile } from '../files.js';
import type { Signer } from '../signer.js';
import { type Address, type AddressFilters, getAddress, type LinkAddressInput, type LinkOutcome, linkAddress, listAddresses } from './addresses.js';
import { createV2Api, createV2PublicApi } from './api.js';
import { createV2Auth, type MoneriumV2Auth, type SiweSignInParams, type V2AuthorizationParams } from './auth.js';
import { type AddressBalances, getBalances } from './balances.js';
import type { ChainEnvironment } from './chains.js';
import { moneriumV2ErrorMapper } from './errors.js';
import {
  getIban,
  type Iban,
  type IbanFilters,
  type IbanMoveOutcome,
  type IbanRequestInput,
  type IbanRequestOutcome,
  type IbanTarget,
  listIbans,
  moveIban,
  requestIban,
} from './ibans.js';
import {
  type Accepted,
  createProfile,
  type DetailsBody,
  type FormBody,
  type ShareBody,
  shareProfile,
  submitDetails,
  submitForm,
  submitVerifications,
  type VerificationsBody,
} from './onboarding.js';
import { getOrder, listOrders, type Order, type OrderFilters } from './orders.js';
import { v2OrderFeed } from './order-socket.js';
import { followPendingOrder, type PendingOrderStatus, type PlaceOrderInput, type PlaceOrderOutcome, placeOrder } from './place-order.js';
import {
  type AuthContext,
  type Countries,
  getAuthContext,
  getProfile,
  listCountries,
  listProfiles,
  type Profile,
  type ProfileFilters,
  type ProfileKind,
  type ProfileSummary,
} from './profiles.js';
import type { V2Currency } from './shared.js';
import {
  acceptSwap,
  listPendingSignatures,
  listTokens,
  type PendingSignatures,
  previewSwap,
  type SignatureFilters,
  type SwapQuote,
  type Token,
  type UploadedFile,
  uploadFile,
} from './tokens.js';
import {
  type CreateSubscriptionInput,
  createSubscription,
  listSubscriptions,
  type UpdateSubscriptionInput,
  updateSubscription,
  type WebhookSubscription,
} from './webhooks.js';

/** Fact sheet §1: v2 hosts. Any other deployment (a proxy, the paygate sandbox) by URL. */
export const MONERIUM_V2_ENVIRONMENTS = {
  production: { baseUrl: 'https://api.monerium.app', chains: 'production' },
  sandbox: { baseUrl: 'https://api.monerium.dev', chains: 'sandbox' },
} as const;

/**
 * `production`, `sandbox`, or `{ baseUrl, chains }` where `chains` says which chain names that
 * deployment speaks (default `sandbox`: anything but api.monerium.app is a test deployment).
 */
export type MoneriumV2Environment = 'production' | 'sandbox' | { readonly baseUrl: string; readonly chains?: ChainEnvironment };

export interface MoneriumV2ClientSettings {
  readonly environment: MoneriumV2Environment;
  readonly auth: MoneriumV2Auth;
  readonly http?: MoneriumHttpSettings;
  /** Where sessions are kept; memory by default, `@paygate/token-store-redis` to share them. */
  readonly tokenStore?: TokenStore;
  /** Signs orders and address links that bring no signer or signature of their own. */
  readonly signer?: Signer;
  /** The clock for token expiry, SIWE and order message timestamps. Default `Date.now`. */
  readonly now?: () => number;
  /** Lookups of an order by its id after a request whose fate is unknown. Default 3, 1000 ms apart. */
  readonly orderLookup?: { readonly attempts?: number; readonly intervalMs?: number };
}

/** Monerium API v2: every endpoint of the fact sheet as a typed function. */
export interface MoneriumV2Client {
  readonly apiVersion: 'v2';
  readonly baseUrl: string;
  /** Which chain names this client sends (`sepolia` in the sandbox for `ethereum`, …). */
  readonly chains: ChainEnvironment;
  /** The `/auth` URL (PKCE S256, with v2's `email`, `skip_kyc`, `auth_mode`) and what to keep until the callback. */
  authorizationUrl(params?: V2AuthorizationParams): E.Either<GatewayError, PendingAuthorization>;
  /** Checks the callback's state, exchanges the code and stores the session. */
  finishAuthorization(callbackUrl: string | URL, pending: PendingAuthorization): TE.TaskEither<GatewayError, MoneriumSession>;
  /** Sign-In with Ethereum: a linked wallet signs an EIP-4361 message; Monerium redirects with a code at once. */
  signInWithEthereum(params: SiweSignInParams): TE.TaskEither<GatewayError, MoneriumSession>;
  /** Obtains an app token now (API calls do this by themselves). */
  clientCredentials(): TE.TaskEither<GatewayError, MoneriumSession>;
  /** Refreshes the session now (the refresh token rotates); joins a refresh already running. */
  refresh(): TE.TaskEither<GatewayError, MoneriumSession>;
  /** The current session, renewed first if it is about to expire. */
  session(): TE.TaskEither<GatewayError, MoneriumSession>;
  /** Forgets the stored session (v2 has no revocation endpoint). */
  signOut(): TE.TaskEither<GatewayError, void>;
  /** `GET /auth/context`. */
  authContext(): TE.TaskEither<GatewayError, AuthContext>;
  /** `GET /profiles?state=&kind=`. */
  profiles(filters?: ProfileFilters): TE.TaskEither<GatewayError, ReadonlyArray<ProfileSummary>>;
  /** `GET /profiles/{id}`: the profile's state and each section's. */
  profile(profileId: string): TE.TaskEither<GatewayError, Profile>;
  /** `GET /addresses?profile=&chain=`. */
  addresses(filters?: AddressFilters): TE.TaskEither<GatewayError, ReadonlyArray<Address>>;
  /** `GET /addresses/{address}`. */
  address(address: string): TE.TaskEither<GatewayError, Address>;
  /** `POST /addresses` once per chain; `pending` per chain where a Safe signs on chain (202). */
  linkAddress(input: LinkAddressInput): TE.TaskEither<GatewayError, ReadonlyArray<LinkOutcome>>;
  /** `POST /ibans {address, chain}`: `requested` (202) or `exists` (304). */
  requestIban(input: IbanRequestInput): TE.TaskEither<GatewayError, IbanRequestOutcome>;
  /** `GET /ibans?profile=&chain=`. */
  ibans(filters?: IbanFilters): TE.TaskEither<GatewayError, ReadonlyArray<Iban>>;
  /** `GET /ibans/{iban}`. */
  iban(iban: string): TE.TaskEither<GatewayError, Iban>;
  /** `PATCH /ibans/{iban} {address, chain}`. */
  moveIban(iban: string, to: IbanTarget): TE.TaskEither<GatewayError, IbanMoveOutcome>;
  /** `GET /balances/{chain}/{address}?currency=…` (currency repeated; Monerium's default is eur). */
  balances(chain: string, address: string, currencies?: ReadonlyArray<V2Currency>): TE.TaskEither<GatewayError, AddressBalances>;
  /** `GET /orders` with filters (the whole list: v2 documents no paging). */
  orders(filters?: OrderFilters): TE.TaskEither<GatewayError, ReadonlyArray<Order>>;
  /** `GET /orders/{id}`. */
  order(orderId: string): TE.TaskEither<GatewayError, Order>;
  /**
   * The order websocket at `baseUrl` with http(s) → ws(s) plus `/orders` (SDK 3.x; whether
   * Monerium still serves it is unknown, fact sheet §8): the v1.3 socket's reconnection,
   * catch-up and de-duplication, over v2 orders. Webhooks are the documented feed.
   */
  watchOrders(filters: WatchOrdersFilters, handler: (order: Order) => void, options?: WatchOrdersOptions): E.Either<GatewayError, OrderSubscription>;
  /** `POST /orders`: a signed SEPA or cross-chain redeem with our id, placed exactly once. */
  placeOrder(input: PlaceOrderInput): TE.TaskEither<GatewayError, PlaceOrderOutcome>;
  /** Follows a `pending_signature` order until the multisig wallet has signed. */
  followPendingOrder(orderId: string): TE.TaskEither<GatewayError, PendingOrderStatus>;
  /** `GET /signatures?address=&chain=&kind=&profile=`. */
  pendingSignatures(filters?: SignatureFilters): TE.TaskEither<GatewayError, PendingSignatures>;
  /** `GET /tokens`. */
  tokens(): TE.TaskEither<GatewayError, ReadonlyArray<Token>>;
  /** `POST /files` (multipart): a supporting document or a KYC document. */
  uploadFile(file: SupportingDocumentFile): TE.TaskEither<GatewayError, UploadedFile>;
  /** `GET /countries` (no auth). */
  countries(): TE.TaskEither<GatewayError, Countries>;
  /** Whitelabel: `POST /profiles {kind, id?}`. */
  createProfile(kind: ProfileKind, id?: string): TE.TaskEither<GatewayError, Profile>;
  /** Whitelabel: `PATCH /profiles/{id}/details`. */
  submitDetails(profileId: string, body: DetailsBody): TE.TaskEither<GatewayError, Accepted>;
  /** Whitelabel: `PATCH /profiles/{id}/form`. */
  submitForm(profileId: string, body: FormBody): TE.TaskEither<GatewayError, Accepted>;
  /** Whitelabel: `PATCH /profiles/{id}/verifications`. */
  submitVerifications(profileId: string, body: VerificationsBody): TE.TaskEither<GatewayError, Accepted>;
  /** Whitelabel: `POST /profiles/{id}/share` (Sumsub KYC reuse). */
  shareProfile(profileId: string, body: ShareBody): TE.TaskEither<GatewayError, Accepted>;
  /** `GET /swap/{chain}/{sell}/{buy}`. */
  previewSwap(chain: string, sell: string, buy: string): TE.TaskEither<GatewayError, SwapQuote>;
  /** `POST /swap/accept`. */
  acceptSwap(body: Readonly<Record<string, unknown>>): TE.TaskEither<GatewayError, SwapQuote>;
  /** `GET /webhooks`. */
  webhooks(): TE.TaskEither<GatewayError, ReadonlyArray<WebhookSubscription>>;
  /** `POST /webhooks`. */
  createWebhook(input: CreateSubscriptionInput): TE.TaskEither<GatewayError, WebhookSubscription>;
  /** `PATCH /webhooks/{id}`. */
  updateWebhook(subscriptionId: string, input: UpdateSubscriptionInput): TE.TaskEither<GatewayError, WebhookSubscription>;
}

const resolveEnvironment = (environment: MoneriumV2Environment): E.Either<GatewayError, { baseUrl: string; chains: ChainEnvironment }> => {
  if (environment === 'production' || environment === 'sandbox') return E.right(MONERIUM_V2_ENVIRONMENTS[environment]);
  if (typeof environment !== 'object' || environment === null) {
    return E.left(invalidInput('environment', "must be 'production', 'sandbox' or { baseUrl, chains? }"));
  }
  // Core's one URL check: https, or http only on a loopback host (the sandbox); no credentials, query or fragment.
  const baseUrl = parseBaseUrl(environment.baseUrl, 'environment.baseUrl');
  if (E.isLeft(baseUrl)) return baseUrl;
  const chains = environment.chains ?? 'sandbox';
  if (chains !== 'production' && chains !== 'sandbox') return E.left(invalidInput('environment.chains', "must be 'production' or 'sandbox'"));
  return E.right({ baseUrl: baseUrl.right, chains });
};

/** The client's signer for a link that brings neither a signer nor a signature; anything else is left for `linkAddress` to check. */
const withClientSigner = (input: LinkAddressInput, signer: Signer | undefined): LinkAddressInput =>
  typeof input === 'object' && input !== null && input.signer === undefined && input.signature === undefined && signer !== undefined ? { ...input, signer } : input;

/**
 * Builds a Monerium API v2 client, or says which setting cannot work (nothing is sent).
 * Shares OAuth, HTTP, the signer and the token store with the v1.3 client; everything that
 * differs lives in `src/v2/`.
 */
export const createMoneriumV2Client = (settings: MoneriumV2ClientSettings): E.Either<GatewayError, MoneriumV2Client> => {
  const shape = checkSettingsShape(settings);
  if (E.isLeft(shape)) return shape;
  const environment = resolveEnvironment(settings.environment);
  if (E.isLeft(environment)) return environment;
  const { baseUrl, chains } = environment.right;
  const numbers = readClientNumbers(settings);
  if (E.isLeft(numbers)) return numbers;
  const { timeoutMs, lookup } = numbers.right;
  const now = settings.now ?? Date.now;

  const auth = createV2Auth({
    auth: settings.auth,
    baseUrl,
    environment: chains,
    tokenStore: settings.tokenStore ?? createMemoryTokenStore(),
    timeoutMs,
    now,
    ...(settings.http?.got === undefined ? {} : { got: settings.http.got }),
  });
  if (E.isLeft(auth)) return auth;
  const { authorizer, flows } = auth.right;

  const http = createHttpClient({
    provider: PROVIDER,
    baseUrl,
    timeoutMs,
    mapError: moneriumV2ErrorMapper,
    ...httpPassThrough(settings.http),
  });
  const api = createV2Api(http, authorizer);
  const publicApi = createV2PublicApi(http);
  const orderSettings = { environment: chains, signer: settings.signer, now, lookup };

  return E.right({
    apiVersion: 'v2',
    baseUrl,
    chains,
    ...flows,
    authContext: () => getAuthContext(api),
    profiles: (filters) => listProfiles(api, filters),
    profile: (profileId) => getProfile(api, profileId),
    addresses: (filters) => listAddresses(api, chains, filters),
    address: (address) => getAddress(api, address),
    linkAddress: (input) => linkAddress(api, chains, withClientSigner(input, settings.signer)),
    requestIban: (input) => requestIban(api, chains, input),
    ibans: (filters) => listIbans(api, chains, filters),
    iban: (iban) => getIban(api, iban),
    moveIban: (iban, to) => moveIban(api, chains, iban, to),
    balances: (chain, address, currencies) => getBalances(api, chains, chain, address, currencies),
    orders: (filters) => listOrders(api, filters),
    order: (orderId) => getOrder(api, orderId),
    watchOrders: (filters, handler, options) =>
      watchOrderFeed({ wsUrl: baseUrl.replace(/^http/, 'ws'), authorizer, handshakeTimeoutMs: timeoutMs, feed: v2OrderFeed(api) }, filters, handler, options),
    placeOrder: (input) => placeOrder(api, input, orderSettings),
    followPendingOrder: (orderId) => followPendingOrder(api, orderId),
    pendingSignatures: (filters) => listPendingSignatures(api, chains, filters),
    tokens: () => listTokens(api),
    uploadFile: (file) => uploadFile(api, file),
    countries: () => listCountries(publicApi),
    createProfile: (kind, id) => createProfile(api, kind, id),
    submitDetails: (profileId, body) => submitDetails(api, profileId, body),
    submitForm: (profileId, body) => submitForm(api, profileId, body),
    submitVerifications: (profileId, body) => submitVerifications(api, profileId, body),
    shareProfile: (profileId, body) => shareProfile(api, profileId, body),
    previewSwap: (chain, sell, buy) => previewSwap(api, chain, sell, buy),
    acceptSwap: (body) => acceptSwap(api, body),
    webhooks: () => listSubscriptions(api),
    createWebhook: (input) => createSubscription(api, input),
    updateWebhook: (subscriptionId, input) => updateSubscription(api, subscriptionId, input),
  });
};
