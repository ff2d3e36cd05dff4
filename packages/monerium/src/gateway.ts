import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import {
  type Balance,
  type Capability,
  type Counterpart,
  decodeInput,
  defineAdapter,
  type GatewayAdapter,
  hasMethods,
  type GatewayError,
  invalidInput,
  refusedGateway,
  normalizeDecimal,
  type Page,
  type Payment,
  type PaymentQuery,
  type PaymentRequest,
  type PaymentsGateway,
  type PaymentStatus,
  TokenSetCodec,
} from '@paygate/core';
import { checkAddress, checkChainName } from './address.js';
import type { AddressBalances } from './balances.js';
import type { MoneriumAuth } from './auth.js';
import { createMoneriumClient, type MoneriumClient, type MoneriumEnvironment } from './client.js';
import { PROVIDER } from './errors.js';
import { watchPayments } from './order-socket.js';
import { type Order, OrderCodec, type OrderState } from './orders.js';
import type { RedeemCounterpart } from './redeem.js';
import type { Signer } from './signer.js';

export interface MoneriumGatewayOptions {
  /** Signs the redeem orders `pay` places; without one `pay` answers `InvalidInput` on `signer`. */
  readonly signer?: Signer;
  /** The linked address payments are redeemed from; defaults to the signer's address. */
  readonly address?: string;
  readonly chain?: string;
  readonly network?: string;
  /** Limit balances, payments and events to one profile. */
  readonly profile?: string;
}

/** Order state → payment status; v1.3 and v2 name their order states alike. */
export const STATUS: Readonly<Record<OrderState, PaymentStatus>> = {
  placed: 'pending',
  pending: 'processing',
  processed: 'completed',
  rejected: 'rejected',
};

/** Payment status → the order state to filter by (no order is ever `failed`). */
export const STATE_OF: Readonly<Partial<Record<PaymentStatus, OrderState>>> = {
  pending: 'placed',
  processing: 'pending',
  completed: 'processed',
  rejected: 'rejected',
};

const CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>(['balances', 'payments', 'pay', 'watch']);

const DEFAULT_PAGE_SIZE = 50;

const decimal = (amount: string): string => {
  const normalized = normalizeDecimal(amount);
  return E.isRight(normalized) ? normalized.right : amount;
};

const counterpartOf = (order: Order): Counterpart => {
  const { identifier, details } = order.counterpart;
  const person = [details.firstName, details.lastName].filter((part) => part !== undefined).join(' ');
  const name = details.name ?? details.companyName ?? (person.length > 0 ? person : undefined);
  const account = identifier.standard === 'iban' ? identifier.iban : `${identifier.sortCode} ${identifier.accountNumber}`;
  return { identifier: account, ...(name === undefined ? {} : { name }) };
};

const orderPayment = (order: Order): Payment<Order> => ({
  id: order.id,
  status: STATUS[order.meta.state],
  amount: { amount: decimal(order.amount), currency: order.currency.toUpperCase() },
  createdAt: order.meta.placedAt,
  direction: order.kind === 'issue' ? 'incoming' : 'outgoing',
  counterpart: counterpartOf(order),
  ...(order.memo === undefined ? {} : { memo: order.memo }),
  raw: order,
});

const checkOrder = decodeInput(OrderCodec, 'order');

/**
 * An order as a core `Payment`: issue orders bring money in (incoming), redeem orders pay it out
 * (outgoing). A value that is not an `Order` (`OrderCodec`) is `InvalidInput` naming the first
 * wrong field (`order.meta.state`).
 */
export const paymentFromOrder = (order: Order): E.Either<GatewayError, Payment<Order>> => E.map(orderPayment)(checkOrder(order));

const redeemCounterpart = (to: Extract<PaymentRequest['to'], { kind: 'iban' }>): RedeemCounterpart => ({
  iban: to.iban,
  ...(to.name === undefined ? {} : { name: to.name }),
  ...(to.companyName === undefined ? {} : { companyName: to.companyName }),
  ...(to.firstName === undefined ? {} : { firstName: to.firstName }),
  ...(to.lastName === undefined ? {} : { lastName: to.lastName }),
});

/** `TE.map` for the gateway's reads, without the combinator's per-call closures and argument arrays. */
const mapRight =
  <A, B>(task: TE.TaskEither<GatewayError, A>, f: (a: A) => B): TE.TaskEither<GatewayError, B> =>
  async () => {
    const result = await task();
    return E.isLeft(result) ? result : E.right(f(result.right));
  };

/** Every balance of every address, one core `Balance` each. */
const balancesOf = (entries: ReadonlyArray<AddressBalances>): Balance[] => {
  const out: Balance[] = [];
  for (const entry of entries) {
    for (const balance of entry.balances) {
      out.push({
        amount: decimal(balance.amount),
        currency: balance.currency.toUpperCase(),
        account: entry.address,
        chain: entry.chain,
        network: entry.network,
      });
    }
  }
  return out;
};

/**
 * Monerium as a `PaymentsGateway`: balances of every linked address, orders as payments, `pay`
 * as a signed redeem order to an IBAN, and `watch` over the order websocket.
 */
const CLIENT_METHODS = ['balances', 'orders', 'order', 'placeRedeemOrder', 'watchOrders'];

export const moneriumGateway = (client: MoneriumClient, options: MoneriumGatewayOptions = {}): PaymentsGateway<Order> => {
  if (!hasMethods(client, CLIENT_METHODS)) return refusedGateway(PROVIDER, invalidInput('client', 'must be a Monerium client'));
  if (typeof options !== 'object' || options === null) return refusedGateway(PROVIDER, invalidInput('options', 'must be an object'));
  const { profile } = options;

  const balances = (): TE.TaskEither<GatewayError, ReadonlyArray<Balance>> => mapRight(client.balances(profile), balancesOf);

  const payments = (query: PaymentQuery = {}): TE.TaskEither<GatewayError, Page<Payment<Order>>> => {
    const state = query.status === undefined ? undefined : STATE_OF[query.status];
    // No Monerium order is ever "failed": that page is empty without asking.
    if (query.status !== undefined && state === undefined) return TE.right({ items: [] });
    return mapRight(
      client.orders({
        limit: query.limit ?? DEFAULT_PAGE_SIZE,
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
        ...(state === undefined ? {} : { state }),
        ...(profile === undefined ? {} : { profile }),
      }),
      (page) => ({
        items: page.orders.map(orderPayment),
        ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
      }),
    );
  };

  const pay = (request: PaymentRequest): TE.TaskEither<GatewayError, Payment<Order>> => {
    if (typeof request !== 'object' || request === null || typeof request.to !== 'object' || request.to === null) {
      return TE.left(invalidInput('to', 'must be { kind: "iban", iban, … }'));
    }
    if (request.to.kind !== 'iban') {
      return TE.left(invalidInput('to', 'Monerium pays out to an IBAN; an address destination is not supported'));
    }
    const { signer } = options;
    if (signer === undefined) return TE.left(invalidInput('signer', 'pay needs a signer for the linked address (gateway options)'));
    return pipe(
      client.placeRedeemOrder({
        amount: request.amount,
        currency: request.currency,
        counterpart: redeemCounterpart(request.to),
        address: options.address ?? signer.address,
        signer,
        ...(request.memo === undefined ? {} : { memo: request.memo }),
        ...(options.chain === undefined ? {} : { chain: options.chain }),
        ...(options.network === undefined ? {} : { network: options.network }),
        ...(profile === undefined ? {} : { profile }),
      }),
      TE.map(orderPayment),
    );
  };

  return {
    provider: PROVIDER,
    capabilities: CAPABILITIES,
    balances,
    payments,
    payment: (id) => mapRight(client.order(id), orderPayment),
    pay,
    watch: (handler, watchOptions) =>
      watchPayments(client.watchOrders, profile, orderPayment, handler, watchOptions),
  };
};

const EnvironmentCodec = t.union([
  t.literal('production'),
  t.literal('sandbox'),
  t.intersection([t.type({ baseUrl: t.string }), t.partial({ wsUrl: t.string })]),
]);

const AuthCodec = t.union([
  t.intersection([
    t.type({ kind: t.literal('authorization_code'), clientId: t.string, redirectUri: t.string }),
    t.partial({ scope: t.string, userId: t.string }),
  ]),
  t.intersection([
    t.type({ kind: t.literal('client_credentials'), clientId: t.string, clientSecret: t.string }),
    t.partial({ scope: t.string }),
  ]),
  t.type({ kind: t.literal('basic'), email: t.string, password: t.string }),
  t.intersection([t.type({ kind: t.literal('tokens'), tokens: TokenSetCodec }), t.partial({ clientId: t.string })]),
]);

/**
 * What a JSON config can say. A signer cannot come from JSON (it holds a private key), so a
 * gateway built from config reads and watches but answers `pay` with `InvalidInput` on `signer`.
 */
export const MoneriumConfigCodec = t.intersection([
  t.type({ provider: t.literal('monerium'), environment: EnvironmentCodec, auth: AuthCodec }),
  t.partial({
    address: t.string,
    chain: t.string,
    network: t.string,
    profile: t.string,
    timeoutMs: t.number,
    maxRetries: t.number,
  }),
]);
export type MoneriumConfig = t.TypeOf<typeof MoneriumConfigCodec>;

const checkOptional = (
  value: string | undefined,
  check: (value: unknown, field: string) => E.Either<GatewayError, string>,
  field: string,
): E.Either<GatewayError, string | undefined> => (value === undefined ? E.right(undefined) : check(value, field));

export const adapter: GatewayAdapter<MoneriumConfig> = defineAdapter({
  id: PROVIDER,
  configCodec: MoneriumConfigCodec,
  create: (config) => {
    const address = checkOptional(config.address, checkAddress, 'address');
    if (E.isLeft(address)) return address;
    const chain = checkOptional(config.chain, checkChainName, 'chain');
    if (E.isLeft(chain)) return chain;
    const network = checkOptional(config.network, checkChainName, 'network');
    if (E.isLeft(network)) return network;
    const environment: MoneriumEnvironment = config.environment;
    const auth: MoneriumAuth = config.auth;
    const http = {
      ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
      ...(config.maxRetries === undefined ? {} : { maxRetries: config.maxRetries }),
    };
    return E.map((client: MoneriumClient) =>
      moneriumGateway(client, {
        ...(address.right === undefined ? {} : { address: address.right }),
        ...(chain.right === undefined ? {} : { chain: chain.right }),
        ...(network.right === undefined ? {} : { network: network.right }),
        ...(config.profile === undefined ? {} : { profile: config.profile }),
      }),
    )(createMoneriumClient({ environment, auth, http }));
  },
});
