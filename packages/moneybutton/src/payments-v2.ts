import { type GatewayError, invalidInput } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import type { AuthorizedRequest } from './authorized-request.js';
import { AmountCodec, SatoshisCodec } from './codecs/amounts.js';
import { MoneyButtonPaymentStatusCodec, type MoneyButtonPaymentStatus } from './codecs/payment-status.js';
import { checkPageQuery, nextOffsetOf } from './paging.js';
import type { MoneyButtonPayment, MoneyButtonPaymentsPage, PageQuery } from './payment.js';
import { checkPaymentId } from './payments-v1.js';

/**
 * API v2 payments (`payments:read`), plain camelCase JSON. The docs name these endpoints but not
 * their bodies; the shapes below are API v1's payment fields under camelCase names, with the
 * outputs inline as `paymentOutputs` (the sandbox's reading, see README "API v2 shapes").
 */
const NullableString = t.union([t.string, t.null]);

const PaymentOutputJson = t.type({
  id: t.string,
  to: NullableString,
  userId: NullableString,
  amount: AmountCodec,
  currency: t.string,
  satoshis: SatoshisCodec,
});

export const PaymentJsonCodec = t.type({
  id: t.string,
  userId: NullableString,
  from: t.string,
  status: MoneyButtonPaymentStatusCodec,
  doubleSpent: t.boolean,
  txid: NullableString,
  amount: AmountCodec,
  currency: t.string,
  satoshis: SatoshisCodec,
  createdAt: t.string,
  updatedAt: t.string,
  paymentOutputs: t.array(PaymentOutputJson),
});

const PageFields = t.type({ total: t.number, limit: t.number, offset: t.number });
const PaymentsBody = t.intersection([t.type({ payments: t.array(PaymentJsonCodec) }), PageFields]);

const HistoryEntryJson = t.type({
  paymentId: t.string,
  direction: t.keyof({ sent: null, received: null }),
  counterparty: NullableString,
  status: MoneyButtonPaymentStatusCodec,
  currency: t.string,
  amount: AmountCodec,
  satoshis: SatoshisCodec,
  createdAt: t.string,
});
const HistoryBody = t.intersection([t.type({ history: t.array(HistoryEntryJson) }), PageFields]);

/** One line of the payment history: a payment from the user's side (what they sent or received). */
export interface PaymentHistoryEntry {
  readonly paymentId: string;
  readonly direction: 'sent' | 'received';
  /** The other side's paymail (the first output's receiver for a sent payment). */
  readonly counterparty: string | null;
  readonly status: MoneyButtonPaymentStatus;
  readonly currency: string;
  /** What moved from or to the user: all of a sent payment, the user's outputs of a received one. */
  readonly amount: string;
  readonly satoshis: string;
  readonly createdAt: string;
}

export const fromPaymentJson = ({ paymentOutputs, ...payment }: t.TypeOf<typeof PaymentJsonCodec>): MoneyButtonPayment => ({
  ...payment,
  outputs: paymentOutputs,
});

const pageOf = <A>(items: ReadonlyArray<A>, body: t.TypeOf<typeof PageFields>): MoneyButtonPaymentsPage<A> => {
  const page = { limit: body.limit, offset: body.offset, total: body.total };
  const nextOffset = nextOffsetOf(page, items.length);
  return { items, ...page, ...(nextOffset === undefined ? {} : { nextOffset }) };
};

/** `GET /api/v2/me/payments?limit=&offset=`. */
export const paymentsV2 = (
  request: AuthorizedRequest,
  query: PageQuery = {},
): TE.TaskEither<GatewayError, MoneyButtonPaymentsPage> =>
  pipe(
    TE.fromEither(checkPageQuery(query)),
    TE.flatMap((page) => request({ method: 'GET', path: '/api/v2/me/payments', query: page }, PaymentsBody)),
    TE.map((body) => pageOf(body.payments.map(fromPaymentJson), body)),
  );

/** `GET /api/v2/me/payments/history?limit=&offset=`. */
export const paymentHistory = (
  request: AuthorizedRequest,
  query: PageQuery = {},
): TE.TaskEither<GatewayError, MoneyButtonPaymentsPage<PaymentHistoryEntry>> =>
  pipe(
    TE.fromEither(checkPageQuery(query)),
    TE.flatMap((page) => request({ method: 'GET', path: '/api/v2/me/payments/history', query: page }, HistoryBody)),
    TE.map((body) => pageOf<PaymentHistoryEntry>(body.history, body)),
  );

/** `history` is a route under `/api/v2/me/payments/`, so it cannot name a payment there. */
const checkV2PaymentId = (id: string): E.Either<GatewayError, string> =>
  id === 'history' ? E.left(invalidInput('id', '"history" is not a payment id')) : checkPaymentId(id);

/** `GET /api/v2/me/payments/{id}`. */
export const paymentV2 = (request: AuthorizedRequest, id: string): TE.TaskEither<GatewayError, MoneyButtonPayment> =>
  pipe(
    TE.fromEither(checkV2PaymentId(id)),
    TE.flatMap((checked) => request({ method: 'GET', path: `/api/v2/me/payments/${checked}` }, PaymentJsonCodec)),
    TE.map(fromPaymentJson),
  );
