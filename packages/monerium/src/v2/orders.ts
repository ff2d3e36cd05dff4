import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import type { GatewayError } from '@paygate/core';
import { type MoneriumApi, pathSegment } from '../api.js';
import { onApi } from './api.js';
import { allOf, DecimalCodec, defined, enumFilter, filtersOf, optionalAddress, optionalId, optionalText } from './shared.js';

export const OrderKindCodec = t.keyof({ issue: null, redeem: null });
export type OrderKind = t.TypeOf<typeof OrderKindCodec>;

/** v2 keeps the state at the top of the order (v1.3: `meta.state`). */
export const OrderStateCodec = t.keyof({ placed: null, pending: null, processed: null, rejected: null });
export type OrderState = t.TypeOf<typeof OrderStateCodec>;

export const IbanIdentifierCodec = t.type({ standard: t.literal('iban'), iban: t.string });
export const ChainIdentifierCodec = t.type({ standard: t.literal('chain'), address: t.string, chain: t.string });
export const AccountIdentifierCodec = t.intersection([
  t.type({ standard: t.literal('account'), accountNumber: t.string }),
  t.partial({ address: t.string, bic: t.string }),
]);
/** A counterpart's identifier: an IBAN (SEPA), an address on a chain (cross-chain), or an account. */
export const IdentifierCodec = t.union([IbanIdentifierCodec, ChainIdentifierCodec, AccountIdentifierCodec]);
export type Identifier = t.TypeOf<typeof IdentifierCodec>;

/**
 * Counterpart details: a person `{firstName, lastName, country}`, a company `{companyName,
 * country}`, an issue's payer `{name, address?}`, or nothing (cross-chain). All optional.
 */
export const CounterpartDetailsCodec = t.partial({
  firstName: t.string,
  lastName: t.string,
  companyName: t.string,
  name: t.string,
  address: t.string,
  country: t.string,
});
export const CounterpartCodec = t.intersection([t.type({ identifier: IdentifierCodec }), t.partial({ details: CounterpartDetailsCodec })]);
export type Counterpart = t.TypeOf<typeof CounterpartCodec>;

export const OrderMetaCodec = t.intersection([
  t.type({ placedAt: t.string }),
  t.partial({ processedAt: t.string, rejectedReason: t.string, supportingDocumentId: t.string, txHashes: t.array(t.string) }),
]);

/** A v2 order (fact sheet §3): exact to v2, not a v1.3 order with optional fields. */
export const OrderCodec = t.intersection([
  t.type({
    id: t.string,
    kind: OrderKindCodec,
    profile: t.string,
    address: t.string,
    chain: t.string,
    currency: t.string,
    amount: DecimalCodec,
    counterpart: CounterpartCodec,
    state: OrderStateCodec,
    meta: OrderMetaCodec,
  }),
  t.partial({ memo: t.string, referenceNumber: t.string }),
]);
export type Order = t.TypeOf<typeof OrderCodec>;

const OrderListCodec = t.type({ orders: t.array(OrderCodec) });

/** Every documented `GET /orders` filter. v2 documents no paging: the whole list comes back. */
export interface OrderFilters {
  readonly address?: string;
  readonly txHash?: string;
  readonly profile?: string;
  readonly memo?: string;
  readonly state?: OrderState;
}

/** `GET /orders?address=&txHash=&profile=&memo=&state=`. */
export const listOrders = onApi('listOrders', (api: MoneriumApi, filters?: OrderFilters): TE.TaskEither<GatewayError, ReadonlyArray<Order>> =>
  pipe(
    TE.fromEither(filtersOf(filters)),
    TE.flatMapEither((given) =>
      allOf({
        address: optionalAddress(given.address, 'address'),
        state: enumFilter(given.state, 'state', Object.keys(OrderStateCodec.keys)),
        txHash: optionalId(given.txHash, 'txHash'),
        profile: optionalId(given.profile, 'profile'),
        // SEPA remittance information: at most 140 characters.
        memo: optionalText(given.memo, 'memo', 1, 140),
      }),
    ),
    TE.flatMap((query) => api.request({ method: 'GET', path: '/orders', query: defined(query) }, OrderListCodec)),
    TE.map((body) => body.orders),
  ));

/** `GET /orders/{orderId}`. */
export const getOrder = onApi('getOrder', (api: MoneriumApi, orderId: string): TE.TaskEither<GatewayError, Order> =>
  pipe(
    TE.fromEither(pathSegment(orderId, 'orderId')),
    TE.flatMap((id) => api.request({ method: 'GET', path: `/orders/${id}` }, OrderCodec)),
  ));
