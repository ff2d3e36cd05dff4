export {
  adapter,
  type MoneriumAnyConfig,
  MoneriumAnyConfigCodec,
  type MoneriumV2Config,
  MoneriumV2ConfigCodec,
  type MoneriumV13Config,
} from './adapter.js';
export { LINK_ADDRESS_MESSAGE, type LinkAddressInput, type LinkedAddress, LinkedAddressCodec } from './addresses.js';
export {
  type AuthContext,
  AuthContextCodec,
  type AuthProfile,
  AuthProfileCodec,
  PermissionCodec,
  ProfileTypeCodec,
} from './auth-context.js';
export type { AuthorizationUrlParams, MoneriumAuth, MoneriumSession } from './auth.js';
export { type AddressBalances, AddressBalancesCodec, type CurrencyBalance, CurrencyBalanceCodec } from './balances.js';
export {
  createMoneriumClient,
  MONERIUM_ENVIRONMENTS,
  type MoneriumClient,
  type MoneriumClientSettings,
  type MoneriumEnvironment,
  type MoneriumHttpSettings,
} from './client.js';
export { type MoneriumErrorBody, MoneriumErrorBodyCodec, moneriumErrorMapper } from './errors.js';
export { type SupportingDocument, SupportingDocumentCodec, type SupportingDocumentFile } from './files.js';
export {
  adapter as moneriumV13Adapter,
  type MoneriumConfig,
  MoneriumConfigCodec,
  type MoneriumGatewayOptions,
  moneriumGateway,
  paymentFromOrder,
} from './gateway.js';
export { AmountCodec, type Currency, CurrencyCodec } from './money.js';
export { MAX_MESSAGE_BYTES, type OrderSocketState, type OrderSubscription, type WatchOrdersFilters, type WatchOrdersOptions } from './order-socket.js';
export {
  type AllOrdersOptions,
  type Counterpart,
  CounterpartCodec,
  type Order,
  OrderCodec,
  type OrderFilters,
  type OrderKind,
  OrderKindCodec,
  type OrderMeta,
  OrderMetaCodec,
  type OrderState,
  OrderStateCodec,
  type OrdersPage,
} from './orders.js';
export {
  type Account,
  AccountCodec,
  type KycOutcome,
  KycOutcomeCodec,
  type KycState,
  KycStateCodec,
  type PaymentStandard,
  PaymentStandardCodec,
  type Profile,
  ProfileCodec,
  type ProfileSummary,
  ProfileSummaryCodec,
} from './profiles.js';
export type { OrderLookupSettings, RedeemCounterpart, RedeemOrderInput } from './redeem.js';
export { formatRfc822Z, type RedeemMessageParts, redeemMessage } from './redeem-message.js';
export { type Signer, signerFromViemAccount, type ViemLikeAccount } from './signer.js';
export { type EmoneyToken, EmoneyTokenCodec } from './tokens.js';
/** Monerium API v2: every v2 type and function, namespaced (their names overlap v1.3's). */
export * as v2 from './v2/index.js';
export { createMoneriumV2Client, type MoneriumV2Client, type MoneriumV2ClientSettings } from './v2/client.js';
export { moneriumV2Gateway, type MoneriumV2GatewayOptions } from './v2/gateway.js';
export { createWebhookReceiver, type WebhookReceiver } from './v2/webhook-receiver.js';
