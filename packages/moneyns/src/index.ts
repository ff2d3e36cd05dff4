export {
  DEFAULT_JWT_LIFETIME_SECONDS,
  type MoneyNsAuth,
  type PlatformAuth,
  type PlatformSubject,
  platformClaims,
  type UserAuth,
} from './auth.js';
export { CHECKOUT_DISPLAYS, type CheckoutDisplay, type CheckoutOptions, DEFAULT_CHECKOUT_URL } from './checkout.js';
export {
  createMoneyNsClient,
  DEFAULT_BASE_URL,
  DEFAULT_RENEW_BEFORE_SECONDS,
  type MoneyNsClient,
  type MoneyNsClientSettings,
  type MoneyNsHttpSettings,
} from './client.js';
export { type MoneyNsConfig, MoneyNsConfigCodec } from './config.js';
export { type MoneyNsErrorBody, MoneyNsErrorBodyCodec, type MoneyNsRequestKind, mapMoneyNsError, PROVIDER } from './errors.js';
export { adapter, MONEYNS_CAPABILITIES, type MoneyNsGateway, moneyNsGateway } from './gateway.js';
export { LoginResponseCodec, type MoneyNsSession, MoneyNsSessionCodec } from './session.js';
