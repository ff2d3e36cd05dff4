export type { CreateAssetInput, MoneyButtonAsset, UpdateAssetInput } from './assets.js';
export { AUTHORIZE_PATH, type AuthorizationUrlOptions, moneyButtonServer, TOKEN_PATH } from './auth.js';
export {
  createMoneyButtonClient,
  DEFAULT_BASE_URL,
  type MoneyButtonClient,
  type MoneyButtonHttpSettings,
  type MoneyButtonSettings,
} from './client.js';
export { AmountCodec, bsvFromSatoshis, SatoshisCodec } from './codecs/amounts.js';
export {
  type MoneyButtonPaymentStatus,
  MoneyButtonPaymentStatusCodec,
  toPaymentStatus,
} from './codecs/payment-status.js';
export { mapMoneyButtonError, type MoneyButtonErrorObject, PROVIDER } from './errors.js';
export {
  adapter,
  MAX_PAGE_LIMIT,
  type MoneyButtonConfig,
  MoneyButtonConfigCodec,
  type MoneyButtonGateway,
  type MoneyButtonGatewayOptions,
  type MoneyButtonWebhookOptions,
  moneyButtonGateway,
} from './gateway.js';
export {
  type MoneyButtonPayment,
  type MoneyButtonPaymentOutput,
  type MoneyButtonPaymentsPage,
  type PageQuery,
  toGatewayPayment,
} from './payment.js';
export type { PaymentHistoryEntry } from './payments-v2.js';
export { APPLICATION_ACCESS_SCOPE, type MoneyButtonScope, MoneyButtonScopeCodec } from './scopes.js';
export type { UserBalance, UserIdentity, UserProfile } from './users.js';
export type { WalletBalance, WalletBalances, WalletSelector } from './wallets.js';
export { type MoneyButtonPaymentEvent, parseWebhook } from './webhook.js';
export {
  buildWebhookHandler,
  DEFAULT_MAX_BODY_BYTES,
  MAX_BODY_BYTES_LIMIT,
  MAX_DEDUPE_CAPACITY,
  type WebhookFailure,
  type WebhookHandlerOptions,
  type WebhookRequestHandler,
  webhookHandler,
} from './webhook-handler.js';
