export * from './addresses.js';
export { V2_ACCEPT } from './api.js';
export type { MoneriumV2Auth, SiweSignInParams, V2AuthFlows, V2AuthorizationParams } from './auth.js';
export * from './balances.js';
export * from './chains.js';
export * from './client.js';
export * from './errors.js';
export * from './gateway.js';
export * from './ibans.js';
export * from './onboarding.js';
export * from './order-message.js';
export * from './orders.js';
export {
  followPendingOrder,
  type PendingOrderStatus,
  type PlaceOrderInput,
  type PlaceOrderOutcome,
  type PlaceOrderSettings,
  placeOrder,
  prepareOrder,
  type CrossChainCounterpart,
  type SepaCounterpart,
  SUPPORTING_DOCUMENT_THRESHOLD_EUR,
} from './place-order.js';
export * from './profiles.js';
export { DecimalCodec, IntegerishCodec, type V2Currency, V2CurrencyCodec } from './shared.js';
export * from './siwe.js';
export * from './tokens.js';
export * from './webhook-receiver.js';
export * from './webhooks.js';
