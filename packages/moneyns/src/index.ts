export {
  DEFAULT_JWT_LIFETIME_SECONDS,
  type MoneyNsAuth,
  type PlatformAuth,
  type PlatformSubject,
  platformClaims,
  type UserAuth,
} from './auth.js';
export {
  CHECKOUT_DISPLAYS,
  CHECKOUT_LANGS,
  type CheckoutDisplay,
  type CheckoutLang,
  type CheckoutOptions,
  DEFAULT_CHECKOUT_URL,
  DEVELOPMENT_CHECKOUT_URL,
} from './checkout.js';
export {
  buildCheckoutToken,
  CHECKOUT_ALGORITHMS,
  type CheckoutAlgorithm,
  type CheckoutLink,
  type CheckoutPayment,
  type CheckoutSigningKey,
  type CheckoutTokenInput,
  type CheckoutUser,
  checkoutTokenClaims,
  DEFAULT_CHECKOUT_ALGORITHM,
  DEFAULT_CHECKOUT_TOKEN_LIFETIME_SECONDS,
  type InvoiceCheckout,
  type InvoicePayment,
  type PurchaseCheckout,
  signCheckoutToken,
} from './checkout-token.js';
export {
  createMoneyNsClient,
  DEFAULT_BASE_URL,
  DEFAULT_RENEW_BEFORE_SECONDS,
  DEVELOPMENT_BASE_URL,
  type MoneyNsCheckoutSettings,
  type MoneyNsEnvironment,
  MONEYNS_ENVIRONMENTS,
  type MoneyNsClient,
  type MoneyNsClientSettings,
  type MoneyNsHttpSettings,
} from './client.js';
export { type MoneyNsConfig, MoneyNsConfigCodec } from './config.js';
export { type MoneyNsErrorBody, MoneyNsErrorBodyCodec, type MoneyNsRequestKind, mapMoneyNsError, PROVIDER } from './errors.js';
export { adapter, MONEYNS_CAPABILITIES, type MoneyNsGateway, moneyNsGateway } from './gateway.js';
export { LoginResponseCodec, type MoneyNsSession, MoneyNsSessionCodec } from './session.js';
