import { Buffer } from 'node:buffer';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import {
  type Balance,
  type Capability,
  type GatewayError,
  hasMethods,
  invalidInput,
  normalizeDecimal,
  type Page,
  type Payment,
  type PaymentQuery,
  type PaymentRequest,
  type PaymentsGateway,
  PaymentStatusCodec,
  refusedGateway,
  requireRecord,
} from '@paygate/core';
import { PROVIDER } from '../errors.js';
import { validElectronicIban } from '../iban.js';
import { STATE_OF, STATUS } from '../gateway.js';
import { watchPayments } from '../order-socket.js';
import type { Signer } from '../signer.js';
import type { MoneriumV2Client } from './client.js';
import type { Order } from './orders.js';
import type { PlaceOrderInput } from './place-order.js';
import { filtersOf, optionalText } from './shared.js';
import type { WebhookReceiver } from './webhook-receiver.js';

/** An order a multisig wallet still has to sign (202): no Monerium order exists yet. */
export interface PendingPlacement {
  readonly _tag: 'pending_signature';
  readonly id: string;
  readonly message: string;
}

/** What `Payment.raw` holds on v2: the order, or the placement waiting for a multisig signature. */
export type V2PaymentRaw = Order | PendingPlacement;

export interface MoneriumV2GatewayOptions {
  /** Signs the redeem orders `pay` places; without one `pay` answers `InvalidInput` on `signer`. */
  readonly signer?: Signer;
  /** The linked source address; defaults to the signer's. With `chain` it is also what `balances()` reads. */
  readonly address?: string;
  /** The source chain of `pay`, and of `balances()` with `address`. */
  readonly chain?: string;
  /** Limit balances and payments to one profile. */
  readonly profile?: string;
  /**
   * Feeds `watch` (v2 documents webhooks in place of the websocket). Without it `watch` uses the
   * order websocket (`client.watchOrders`), which Monerium may no longer serve (fact sheet §8):
   * then the subscription ends with the refused upgrade, reported to `onError`.
   */
  readonly webhooks?: WebhookReceiver;
}

const CLIENT_METHODS = ['balances', 'addresses', 'orders', 'order', 'placeOrder', 'watchOrders'];

/** What a JavaScript caller may get wrong, found before the gateway is built (its methods would throw later). */
const checkGatewayArguments = (client: unknown, options: unknown, now: unknown): GatewayError | undefined => {
  if (!hasMethods(client, CLIENT_METHODS)) return invalidInput('client', 'must be a Monerium v2 client (createMoneriumV2Client)');
  if (typeof options !== 'object' || options === null) return invalidInput('options', 'must be an object');
  if (typeof now !== 'function') return invalidInput('now', 'must be a function');
  const o = options as Partial<Record<keyof MoneriumV2GatewayOptions, unknown>>;
  if (o.webhooks !== undefined && !hasMethods(o.webhooks, ['subscribe'])) return invalidInput('webhooks', 'must be a WebhookReceiver (createWebhookReceiver)');
  if (o.signer !== undefined && (typeof o.signer !== 'object' || o.signer === null)) return invalidInput('signer', 'must be a Signer');
  for (const name of ['address', 'chain', 'profile'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'string') return invalidInput(name, 'must be a string');
  }
  return undefined;
};

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

const decimal = (amount: string): string => E.getOrElse(() => amount)(normalizeDecimal(amount));

/** Issue orders bring money in, redeem orders pay it out; the state maps one to one. */
export const paymentFromV2Order = (order: Order): Payment<V2PaymentRaw> => {
  const { identifier, details } = order.counterpart;
  const person = [details?.firstName, details?.lastName].filter((part) => part !== undefined).join(' ');
  const name = details?.companyName ?? details?.name ?? (person.length > 0 ? person : undefined);
  const account =
    identifier.standard === 'iban'
      ? identifier.iban
      : identifier.standard === 'chain'
        ? `${identifier.chain}:${identifier.address}`
        : identifier.accountNumber;
  const memo = order.referenceNumber ?? order.memo;
  return {
    id: order.id,
    status: STATUS[order.state],
    amount: { amount: decimal(order.amount), currency: order.currency.toUpperCase() },
    createdAt: order.meta.placedAt,
    direction: order.kind === 'issue' ? 'incoming' : 'outgoing',
    counterpart: { identifier: account, ...(name === undefined ? {} : { name }) },
    ...(memo === undefined ? {} : { memo }),
    raw: order,
  };
};

/** Newest first; the id breaks ties so the order is total and a cursor is unambiguous. */
const newestFirst = (a: Order, b: Order): number =>
  a.meta.placedAt === b.meta.placedAt ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.meta.placedAt < b.meta.placedAt ? 1 : -1;

const encodeCursor = (order: Order): string => Buffer.from(JSON.stringify([order.meta.placedAt, order.id]), 'utf8').toString('base64url');

const decodeCursor = (cursor: string): E.Either<GatewayError, { placedAt: string; id: string }> => {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string') return E.right({ placedAt: value[0], id: value[1] });
  } catch {
    // falls through to the error below
  }
  return E.left(invalidInput('cursor', 'is not a cursor this gateway issued'));
};

/**
 * v2's `GET /orders` has no paging (fact sheet §3, §8): it answers the whole list. The gateway
 * pages it itself: sorted newest first, a page is the `limit` orders after the cursor's
 * position (placedAt, id). A cursor names a position, not an index, so orders arriving between
 * two calls never make a page repeat an order, and a server that starts paging (a page
 * shorter than the list) still yields each order at most once.
 */
export const pageOrders = (orders: ReadonlyArray<Order>, limit: number, cursor: string | undefined): E.Either<GatewayError, Page<Order>> => {
  const seen = new Set<string>();
  const unique = [...orders].sort(newestFirst).filter((order) => {
    if (seen.has(order.id)) return false;
    seen.add(order.id);
    return true;
  });
  let start = 0;
  if (cursor !== undefined) {
    const position = decodeCursor(cursor);
    if (E.isLeft(position)) return position;
    const after = { meta: { placedAt: position.right.placedAt }, id: position.right.id } as Order;
    start = unique.findIndex((order) => newestFirst(order, after) > 0);
    if (start === -1) start = unique.length;
  }
  const items = unique.slice(start, start + limit);
  const last = items[items.length - 1];
  return E.right({ items, ...(start + limit < unique.length && last !== undefined ? { nextCursor: encodeCursor(last) } : {}) });
};

const ibanCountry = (iban: string): string => iban.replace(/\s+/g, '').slice(0, 2).toUpperCase();

/** `payments`' query, field by field, before anything is sent: a wrong status is not an empty page. */
const checkQuery = (given: unknown): E.Either<GatewayError, PaymentQuery> => {
  const query = filtersOf(given, 'query');
  if (E.isLeft(query)) return query;
  const { status, cursor } = query.right;
  if (status !== undefined && !PaymentStatusCodec.is(status)) return E.left(invalidInput('status', `must be one of ${Object.keys(PaymentStatusCodec.keys).join(', ')}`));
  if (cursor !== undefined) {
    // Read before anything is sent: a cursor this gateway never issued costs no request.
    if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 1024) return E.left(invalidInput('cursor', 'is not a cursor this gateway issued'));
    const read = decodeCursor(cursor);
    if (E.isLeft(read)) return read;
  }
  return E.right(query.right as PaymentQuery);
};

/** `pay`'s `to`, field by field, named as the caller wrote them (`placeOrder` checks the counterpart it becomes again). */
const checkDestination = (to: unknown): E.Either<GatewayError, unknown> => {
  const given = requireRecord(to, 'to');
  if (E.isLeft(given)) return given;
  const { kind, iban, address } = given.right;
  if (kind === 'address') return typeof address === 'string' ? E.right(to) : E.left(invalidInput('to.address', 'must be <chain>:<0x address>, e.g. gnosis:0xabc…'));
  if (kind !== 'iban') return E.left(invalidInput('to.kind', 'must be "iban" or "address"'));
  if (typeof iban !== 'string' || iban.length > 64 || validElectronicIban(iban) === undefined) return E.left(invalidInput('to.iban', 'must be a valid IBAN'));
  for (const name of ['name', 'companyName', 'firstName', 'lastName'] as const) {
    const checked = optionalText(given.right[name], `to.${name}`, 1, 140);
    if (E.isLeft(checked)) return checked;
  }
  return E.right(to);
};

const pendingPayment = (request: PaymentRequest, pending: PendingPlacement, now: number): Payment<V2PaymentRaw> => ({
  id: pending.id,
  status: 'pending',
  amount: { amount: decimal(request.amount), currency: request.currency.toUpperCase() },
  createdAt: new Date(now).toISOString(),
  direction: 'outgoing',
  ...(request.memo === undefined ? {} : { memo: request.memo }),
  raw: pending,
});

/**
 * Monerium v2 as a `PaymentsGateway`: balances of the configured address (or of every linked
 * address of the profile), orders as payments, `pay` as a signed SEPA redeem (`to.kind: 'iban'`)
 * or cross-chain redeem (`to.kind: 'address'` written `<chain>:<0x…>`, the form Monerium uses
 * for SEPA memos that redirect a mint), and `watch` fed by the webhook receiver, or without one
 * by the order websocket.
 */
export const moneriumV2Gateway = (
  client: MoneriumV2Client,
  options: MoneriumV2GatewayOptions = {},
  now: () => number = Date.now,
): PaymentsGateway<V2PaymentRaw> => {
  const refused = checkGatewayArguments(client, options, now);
  if (refused !== undefined) return refusedGateway(PROVIDER, refused);
  const { profile, webhooks } = options;
  const capabilities = new Set<Capability>(['balances', 'payments', 'pay', 'watch']);

  const toBalances = (entry: { address: string; chain: string; balances: ReadonlyArray<{ currency: string; amount: string }> }) =>
    entry.balances.map(
      (balance): Balance => ({ amount: decimal(balance.amount), currency: balance.currency.toUpperCase(), account: entry.address, chain: entry.chain }),
    );

  const balances = (): TE.TaskEither<GatewayError, ReadonlyArray<Balance>> => {
    const address = options.address ?? options.signer?.address;
    if (address !== undefined && options.chain !== undefined) {
      return pipe(client.balances(options.chain, address), TE.map(toBalances));
    }
    return pipe(
      client.addresses(profile === undefined ? {} : { profile }),
      TE.flatMap((addresses) =>
        TE.sequenceSeqArray(addresses.flatMap((entry) => entry.chains.map((chain) => pipe(client.balances(chain, entry.address), TE.map(toBalances))))),
      ),
      TE.map((lists) => lists.flat()),
    );
  };

  const payments = (given?: PaymentQuery): TE.TaskEither<GatewayError, Page<Payment<V2PaymentRaw>>> => {
    const checked = checkQuery(given);
    if (E.isLeft(checked)) return TE.fromEither(checked);
    const query = checked.right;
    const limit = query.limit === undefined ? DEFAULT_PAGE_SIZE : query.limit;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) return TE.left(invalidInput('limit', `must be a whole number from 1 to ${MAX_PAGE_SIZE}`));
    const state = query.status === undefined ? undefined : STATE_OF[query.status];
    // No Monerium order is ever "failed": that page is empty without asking.
    if (query.status !== undefined && state === undefined) return TE.right({ items: [] });
    return pipe(
      client.orders({ ...(state === undefined ? {} : { state }), ...(profile === undefined ? {} : { profile }) }),
      TE.flatMap((orders) => TE.fromEither(pageOrders(orders, limit, query.cursor))),
      TE.map((page) => ({ ...page, items: page.items.map(paymentFromV2Order) })),
    );
  };

  const destination = (to: PaymentRequest['to']): E.Either<GatewayError, PlaceOrderInput['counterpart']> => {
    const fields = checkDestination(to);
    if (E.isLeft(fields)) return fields;
    if (to.kind === 'iban') {
      const person = to.firstName !== undefined || to.lastName !== undefined;
      const companyName = to.companyName ?? to.name;
      return E.right({
        kind: 'iban',
        iban: to.iban,
        // v2 requires the payee's country; the IBAN's country is the documented default.
        country: ibanCountry(to.iban),
        ...(person
          ? { ...(to.firstName === undefined ? {} : { firstName: to.firstName }), ...(to.lastName === undefined ? {} : { lastName: to.lastName }) }
          : companyName === undefined
            ? {}
            : { companyName }),
      });
    }
    const match = /^([a-z0-9]+):(0x[0-9a-fA-F]{40})$/.exec(to.address);
    if (match === null) return E.left(invalidInput('to.address', 'must be <chain>:<0x address>, e.g. gnosis:0xabc…'));
    return E.right({ kind: 'chain', chain: match[1] as string, address: match[2] as string });
  };

  const pay = (request: PaymentRequest): TE.TaskEither<GatewayError, Payment<V2PaymentRaw>> => {
    if (typeof request !== 'object' || request === null || typeof request.to !== 'object' || request.to === null) {
      return TE.left(invalidInput('to', 'must be { kind: "iban", … } or { kind: "address", address: "<chain>:<0x…>" }'));
    }
    const { signer } = options;
    if (signer === undefined) return TE.left(invalidInput('signer', 'pay needs a signer for the linked address (gateway options)'));
    if (options.chain === undefined) return TE.left(invalidInput('chain', 'pay needs the source chain (gateway options)'));
    const counterpart = destination(request.to);
    if (E.isLeft(counterpart)) return TE.fromEither(counterpart);
    return pipe(
      client.placeOrder({
        amount: request.amount,
        currency: request.currency,
        address: options.address ?? signer.address,
        chain: options.chain,
        counterpart: counterpart.right,
        signer,
        ...(request.memo === undefined ? {} : { memo: request.memo }),
      }),
      TE.map((outcome) =>
        outcome._tag === 'placed'
          ? paymentFromV2Order(outcome.order)
          : pendingPayment(request, { _tag: 'pending_signature', id: outcome.id, message: outcome.message }, now()),
      ),
    );
  };

  return {
    provider: PROVIDER,
    capabilities,
    balances,
    payments,
    payment: (id) => pipe(client.order(id), TE.map(paymentFromV2Order)),
    pay,
    watch: (handler, watchOptions) => {
      if (webhooks === undefined) {
        return watchPayments(client.watchOrders, profile, paymentFromV2Order, handler, watchOptions);
      }
      let active = true;
      const remove = webhooks.subscribe((event) => {
        if (!active || (event.type !== 'order.created' && event.type !== 'order.updated')) return;
        if (profile !== undefined && event.data.profile !== profile) return;
        const payment = paymentFromV2Order(event.data);
        handler({ paymentId: payment.id, status: payment.status, payment });
      });
      // Webhooks are pushed: the feed is live as soon as the listener is in place.
      watchOptions?.onLive?.();
      return E.right({
        unsubscribe: async () => {
          active = false;
          remove();
        },
      });
    },
  };
};
