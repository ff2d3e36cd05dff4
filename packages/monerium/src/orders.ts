import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import { decodeError, type GatewayError, invalidInput, iteratePages, nextPageCursor } from '@paygate/core';
import { checkAddress } from './address.js';
import { type MoneriumApi, pathSegment } from './api.js';
import { PROVIDER } from './errors.js';
import { isRecord, isStringArray, optionalStrings, withArrayFastPath, withFastPath } from './fast-codec.js';
import { AmountCodec, CurrencyCodec, CurrencyKeysCodec } from './money.js';

/** v1.3 reference, "Order states": placed → pending → processed, or rejected. */
export const OrderStateCodec = t.keyof({ placed: null, pending: null, processed: null, rejected: null });
export type OrderState = t.TypeOf<typeof OrderStateCodec>;

/** `issue` mints e-money after an incoming bank payment; `redeem` burns it and pays out. */
export const OrderKindCodec = t.keyof({ issue: null, redeem: null });
export type OrderKind = t.TypeOf<typeof OrderKindCodec>;

export const IbanIdentifierCodec = t.type({ standard: t.literal('iban'), iban: t.string });
export const ScanIdentifierCodec = t.type({ standard: t.literal('scan'), sortCode: t.string, accountNumber: t.string });

/** The payer of an issue order or the beneficiary of a redeem order. */
export const CounterpartCodec = t.type({
  identifier: t.union([IbanIdentifierCodec, ScanIdentifierCodec]),
  details: t.partial({ name: t.string, companyName: t.string, firstName: t.string, lastName: t.string, country: t.string }),
});
export type Counterpart = t.TypeOf<typeof CounterpartCodec>;

export const OrderMetaCodec = t.intersection([
  t.type({ state: OrderStateCodec, placedBy: t.string, placedAt: t.string }),
  t.partial({
    approvedAt: t.string,
    processedAt: t.string,
    rejectedAt: t.string,
    receivedAmount: t.string,
    sentAmount: t.string,
    /** Where the next page starts when this order is the last of one (see `orders`). */
    cursor: t.string,
  }),
]);
export type OrderMeta = t.TypeOf<typeof OrderMetaCodec>;

/**
 * The io-ts definition of an order; `OrderCodec` decodes with it whatever its hand-written check
 * does not accept. Internal: exported for the test that compares the two.
 */
export const OrderCodecIoTs = t.intersection([
  t.type({
    id: t.string,
    profile: t.string,
    kind: OrderKindCodec,
    address: t.string,
    amount: AmountCodec,
    currency: CurrencyCodec,
    counterpart: CounterpartCodec,
    meta: OrderMetaCodec,
  }),
  t.partial({
    accountId: t.string,
    memo: t.string,
    rejectedReason: t.string,
    supportingDocumentId: t.string,
    chain: t.string,
    network: t.string,
    txHashes: t.array(t.string),
    totalFee: t.string,
    message: t.string,
    signature: t.string,
  }),
]);
export type Order = t.TypeOf<typeof OrderCodecIoTs>;

const COUNTERPART_DETAILS = ['name', 'companyName', 'firstName', 'lastName', 'country'] as const;
const META_TEXT = ['approvedAt', 'processedAt', 'rejectedAt', 'receivedAmount', 'sentAmount', 'cursor'] as const;
const ORDER_TEXT = ['accountId', 'memo', 'rejectedReason', 'supportingDocumentId', 'chain', 'network', 'totalFee', 'message', 'signature'] as const;

const isIdentifier = (u: unknown): boolean => {
  if (!isRecord(u)) return false;
  if (u.standard === 'iban') return typeof u.iban === 'string';
  if (u.standard === 'scan') return typeof u.sortCode === 'string' && typeof u.accountNumber === 'string';
  return false;
};

const isCounterpart = (u: unknown): boolean => {
  if (!isRecord(u) || !isIdentifier(u.identifier)) return false;
  const details = u.details;
  return isRecord(details) && optionalStrings(details, COUNTERPART_DETAILS);
};

const isMeta = (u: unknown): boolean =>
  isRecord(u) &&
  OrderStateCodec.is(u.state) &&
  typeof u.placedBy === 'string' &&
  typeof u.placedAt === 'string' &&
  optionalStrings(u, META_TEXT);

/**
 * By hand, exactly what `OrderCodecIoTs.validate` accepts unchanged (the currency already
 * lower-case); for such a value the io-ts codec returns the input itself, so the fast path can too.
 */
const isOrder = (u: unknown): u is Order => {
  if (!isRecord(u)) return false;
  const txHashes = u.txHashes;
  return (
    typeof u.id === 'string' &&
    typeof u.profile === 'string' &&
    OrderKindCodec.is(u.kind) &&
    typeof u.address === 'string' &&
    AmountCodec.is(u.amount) &&
    CurrencyKeysCodec.is(u.currency) &&
    isCounterpart(u.counterpart) &&
    isMeta(u.meta) &&
    optionalStrings(u, ORDER_TEXT) &&
    (txHashes === undefined || isStringArray(txHashes))
  );
};

/**
 * v1.3 reference, "Retrieving a single order"; the websocket sends the same shape. The io-ts codec
 * `OrderCodecIoTs` with a hand-written fast path: a valid order is checked by `isOrder` and
 * returned as it is; anything else (an upper-case currency to lower, or an error to describe) goes
 * through io-ts, so results and error paths are the io-ts codec's. `is` stays io-ts's own (it
 * differs from `validate` on sparse arrays).
 */
export const OrderCodec: typeof OrderCodecIoTs = withFastPath(OrderCodecIoTs, isOrder);

/** Internal: exported for the agreement test. A list of valid orders is checked in one pass. */
export const OrderListCodec = withArrayFastPath(t.array(OrderCodec), isOrder);

/** Every documented `GET /orders` filter, plus the paging parameters. */
export interface OrderFilters {
  /** Orders of this blockchain address. */
  readonly address?: string;
  /** Orders with this transaction hash. */
  readonly txHash?: string;
  /** Orders whose memo (payment reference) is this. */
  readonly memo?: string;
  /** Orders of this profile. */
  readonly profile?: string;
  /** Orders of this e-money account. */
  readonly accountId?: string;
  readonly state?: OrderState;
  /** Page size. Without it Monerium returns every matching order at once. */
  readonly limit?: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
}

export interface OrdersPage {
  readonly orders: ReadonlyArray<Order>;
  /** Present when the page is full, so another may follow. */
  readonly nextCursor?: string;
}

type Query = Record<string, string>;

const MAX_LIMIT = 1000;

/** Checks the filters before anything is sent and turns them into the query string. */
export const orderQuery = (filters: OrderFilters): E.Either<GatewayError, Query> => {
  if (typeof filters !== 'object' || filters === null) return E.left(invalidInput('filters', 'must be an object'));
  const query: Query = {};
  if (filters.address !== undefined) {
    const address = checkAddress(filters.address, 'address');
    if (E.isLeft(address)) return address;
    query.address = address.right;
  }
  for (const field of ['txHash', 'memo', 'profile', 'accountId', 'cursor'] as const) {
    const value = filters[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.length === 0) return E.left(invalidInput(field, 'must be a non-empty string'));
    query[field] = value;
  }
  if (filters.state !== undefined) {
    if (!OrderStateCodec.is(filters.state)) {
      return E.left(invalidInput('state', 'must be one of placed, pending, processed, rejected'));
    }
    query.state = filters.state;
  }
  if (filters.limit !== undefined) {
    if (!Number.isInteger(filters.limit) || filters.limit < 1 || filters.limit > MAX_LIMIT) {
      return E.left(invalidInput('limit', `must be a whole number from 1 to ${MAX_LIMIT}`));
    }
    query.limit = String(filters.limit);
  }
  if (filters.cursor !== undefined && filters.limit === undefined) {
    return E.left(invalidInput('cursor', 'needs limit: a cursor continues a page of a given size'));
  }
  return E.right(query);
};

/**
 * Project decision on paging (the reference shows `meta.cursor` but names no parameter):
 * `GET /orders?limit=n&cursor=<meta.cursor of the last order of the previous page>`. Only a page
 * of exactly `limit` orders whose last cursor is new has a next page (core's `nextPageCursor`): a
 * shorter one is the last, a longer one means Monerium ignored `limit` and sent everything, and a
 * page that offers back the cursor it was asked for means Monerium ignored `cursor`.
 */
const pageOf = (orders: ReadonlyArray<Order>, filters: OrderFilters): E.Either<GatewayError, OrdersPage> => {
  const { limit, cursor: requested } = filters;
  if (limit === undefined || orders.length !== limit) return E.right({ orders });
  const index = orders.length - 1;
  const cursor = orders[index]?.meta.cursor;
  if (cursor === undefined) {
    return E.left(
      decodeError({
        provider: PROVIDER,
        path: `${index}.meta.cursor`,
        errors: [`${index}.meta.cursor: expected string, got undefined`],
        message: 'Monerium sent a full page of orders without the cursor of its last order',
      }),
    );
  }
  const next = nextPageCursor({ received: orders.length, limit, next: cursor, requested });
  return E.right(next === undefined ? { orders } : { orders, nextCursor: next });
};

export const listOrders = (api: MoneriumApi, filters: OrderFilters = {}): TE.TaskEither<GatewayError, OrdersPage> => {
  const query = orderQuery(filters);
  if (E.isLeft(query)) return TE.left(query.left);
  // One request and one step after it: no TaskEither combinators on a call this frequent.
  const request = api.request({ method: 'GET', path: '/orders', query: query.right }, OrderListCodec);
  return async () => {
    const orders = await request();
    return E.isLeft(orders) ? orders : pageOf(orders.right, filters);
  };
};

/**
 * One page of the newest orders matching `filters` (`GET /orders?limit=n`), for a bounded look at
 * what changed lately. No paging, so a full page without `meta.cursor` is no error here.
 */
export const newestOrders = (
  api: MoneriumApi,
  filters: Omit<OrderFilters, 'limit' | 'cursor'>,
  limit: number,
): TE.TaskEither<GatewayError, ReadonlyArray<Order>> =>
  pipe(
    TE.fromEither(orderQuery({ ...filters, limit })),
    TE.flatMap((query) => api.request({ method: 'GET', path: '/orders', query }, OrderListCodec)),
  );

export const getOrder = (api: MoneriumApi, orderId: string): TE.TaskEither<GatewayError, Order> =>
  pipe(
    TE.fromEither(pathSegment(orderId, 'orderId')),
    TE.flatMap((id) => api.request({ method: 'GET', path: `/orders/${id}` }, OrderCodec)),
  );

export interface AllOrdersOptions {
  /** Orders per request; default 100. */
  readonly pageSize?: number;
  /** Requests at most per iteration; default 1000. More ends with a `ProviderError` of code `page_cap`. */
  readonly maxPages?: number;
}

/**
 * Every order matching `filters`, page after page, each order once (core's `iteratePages`).
 * Yields `Right(order)` for each order; a failing page yields one `Left(error)` and ends the
 * iteration (nothing throws). It always ends: on a last page, a repeated cursor, a page with
 * nothing new, or after `maxPages` requests.
 */
export const iterateOrders = (
  api: MoneriumApi,
  filters: Omit<OrderFilters, 'limit' | 'cursor'> = {},
  options: AllOrdersOptions = {},
): AsyncIterable<E.Either<GatewayError, Order>> => {
  const limit = options.pageSize ?? 100;
  return iteratePages<Order>({
    provider: PROVIDER,
    page: (cursor) =>
      pipe(
        listOrders(api, { ...filters, limit, ...(cursor === undefined ? {} : { cursor }) }),
        TE.map((page) => ({ items: page.orders, nextCursor: page.nextCursor })),
      ),
    idOf: (order) => order.id,
    ...(options.maxPages === undefined ? {} : { maxPages: options.maxPages }),
  });
};
