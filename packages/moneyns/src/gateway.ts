import {
  type Capability,
  defineAdapter,
  type GatewayAdapter,
  hasMethods,
  invalidInput,
  refusedGateway,
  type GatewayError,
  type Page,
  type Payment,
  type PaymentsGateway,
  unsupported,
} from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { CheckoutOptions } from './checkout.js';
import { createMoneyNsClient, type MoneyNsClient } from './client.js';
import { type MoneyNsConfig, MoneyNsConfigCodec } from './config.js';
import { PROVIDER } from './errors.js';

/**
 * MoneyNS documents a login and a hosted checkout page, and no balance, payment or event
 * endpoint: the gateway claims only `checkout`, and everything else answers Unsupported
 * without sending anything.
 */
export const MONEYNS_CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>(['checkout']);

/** A gateway whose payments happen on the provider's page: the common interface plus `checkoutUrl`. */
export interface MoneyNsGateway extends PaymentsGateway<never> {
  readonly client: MoneyNsClient;
  checkoutUrl(options: CheckoutOptions): TE.TaskEither<GatewayError, string>;
}

const notSupported = <A>(capability: Capability): TE.TaskEither<GatewayError, A> =>
  TE.left(unsupported(PROVIDER, capability));

export const moneyNsGateway = (client: MoneyNsClient): MoneyNsGateway =>
  hasMethods(client, ['checkoutUrl'])
    ? moneyNsGatewayOf(client)
    : { ...refusedGateway(PROVIDER, invalidInput('client', 'must be a MoneyNS client')), client, checkoutUrl: () => TE.left(invalidInput('client', 'must be a MoneyNS client')) };

const moneyNsGatewayOf = (client: MoneyNsClient): MoneyNsGateway => ({
  provider: PROVIDER,
  capabilities: MONEYNS_CAPABILITIES,
  client,
  checkoutUrl: (options) => client.checkoutUrl(options),
  balances: () => notSupported('balances'),
  payments: () => notSupported<Page<Payment<never>>>('payments'),
  payment: () => notSupported('payments'),
  pay: () => notSupported('pay'),
  watch: () => E.left(unsupported(PROVIDER, 'watch')),
});

export const adapter: GatewayAdapter<MoneyNsConfig> = defineAdapter({
  id: PROVIDER,
  configCodec: MoneyNsConfigCodec,
  create: (config) =>
    pipe(
      createMoneyNsClient({
        auth: config.auth,
        ...(config.environment === undefined ? {} : { environment: config.environment }),
        ...(config.checkout === undefined ? {} : { checkout: config.checkout }),
        ...(config.baseUrl === undefined ? {} : { baseUrl: config.baseUrl }),
        ...(config.checkoutUrl === undefined ? {} : { checkoutUrl: config.checkoutUrl }),
        ...(config.renewBeforeSeconds === undefined ? {} : { renewBeforeSeconds: config.renewBeforeSeconds }),
        ...(config.timeoutMs === undefined ? {} : { http: { timeoutMs: config.timeoutMs } }),
      }),
      E.map(moneyNsGateway),
    ),
});
