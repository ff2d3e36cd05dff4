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
  adapter,
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
