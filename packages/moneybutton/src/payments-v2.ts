import { type GatewayError, invalidInput } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import type { AuthorizedRequest } from './authorized-request.js';
import { AmountCodec, IdCodec, NullableString, SatoshisCodec } from './codecs/amounts.js';
import { asReceived, recordOf } from './codecs/lenient.js';
import { fromPaymentJson, TopLevelOutputsCodec, V2PaymentCodec } from './codecs/payment-json.js';
import { type MoneyButtonPaymentStatus, MoneyButtonPaymentStatusCodec } from './codecs/payment-status.js';
import { decodeAt } from './jsonapi.js';
import { checkPageQuery, pageOf } from './paging.js';
import type { MoneyButtonPayment, MoneyButtonPaymentsPage, PageQuery } from './payment.js';
import { checkPaymentId } from './payments-v1.js';

/**
 * API v2 payments (`payments:read`), plain camelCase JSON. The record documents one body:
 * `GET /api/v2/me/payments/{id}` → `{payment, paymentOutputs}` (moneybutton-public.md §4). The
 * list and the history are named but their bodies are unknown: the shapes below are a documented
 * choice (docs/moneybutton.md), decoded leniently, and the gateway falls back to API v1 when
 * they do not match.
 */

/** `{payment, paymentOutputs}`; the outputs may also sit inside `payment`. */
const PaymentByIdBody = t.intersection([t.type({ payment: t.unknown }), t.partial({ paymentOutputs: t.unknown })]);

const PaymentsBody = recordOf('PaymentsBody', { payments: t.array(t.unknown) }, { total: t.number });

const HistoryEntryJson = recordOf(
  'HistoryEntry',
  { paymentId: IdCodec },
  {
    direction: t.keyof({ sent: null, received: null }),
    counterparty: NullableString,
    status: MoneyButtonPaymentStatusCodec,
    currency: t.string,
    amount: AmountCodec,
    satoshis: SatoshisCodec,
    createdAt: t.string,
  },
);
const HistoryBody = recordOf('HistoryBody', { history: t.array(t.unknown) }, { total: t.number });

/** One line of the payment history: a payment from the user's side (what they sent or received). */
export interface PaymentHistoryEntry {
  readonly paymentId: string;
  readonly direction?: 'sent' | 'received';
  /** The other side's paymail. */
  readonly counterparty?: string | null;
  readonly status?: MoneyButtonPaymentStatus;
  readonly currency?: string;
  /** What moved from or to the user. */
  readonly amount?: string;
  readonly satoshis?: string;
  readonly createdAt?: string;
  /** The entry as received. */
  readonly fields: Readonly<Record<string, unknown>>;
}

const decodeAll = <A, B>(
  values: ReadonlyArray<unknown>,
  codec: t.Decoder<unknown, A>,
  path: string,
  build: (decoded: A, original: unknown) => B,
): E.Either<GatewayError, ReadonlyArray<B>> => {
  const out: B[] = [];
  for (const [index, value] of values.entries()) {
    const decoded = decodeAt(codec, `${path}.${index}`)(value);
    if (E.isLeft(decoded)) return decoded;
    out.push(build(decoded.right, value));
  }
  return E.right(out);
};


/** `GET /api/v2/me/payments?limit=&offset=` (body shape: a documented choice). */
export const paymentsV2 = (
  request: AuthorizedRequest,
  query: PageQuery = {},
): TE.TaskEither<GatewayError, MoneyButtonPaymentsPage> =>
  pipe(
    TE.fromEither(checkPageQuery(query)),
    TE.flatMap((page) =>
      pipe(
        request({ method: 'GET', path: '/api/v2/me/payments', query: page }, PaymentsBody),
        TE.flatMap((body) =>
          TE.fromEither(
            pipe(
              decodeAll(body.payments, V2PaymentCodec, 'payments', (payment, original) => fromPaymentJson(payment, original)),
              E.map((items) => pageOf(items, page, body.total)),
            ),
          ),
        ),
      ),
    ),
  );

/** `GET /api/v2/me/payments/history?limit=&offset=` (body shape unknown in the record: a documented choice). */
export const paymentHistory = (
  request: AuthorizedRequest,
  query: PageQuery = {},
): TE.TaskEither<GatewayError, MoneyButtonPaymentsPage<PaymentHistoryEntry>> =>
  pipe(
    TE.fromEither(checkPageQuery(query)),
    TE.flatMap((page) =>
      pipe(
        request({ method: 'GET', path: '/api/v2/me/payments/history', query: page }, HistoryBody),
        TE.flatMap((body) =>
          TE.fromEither(
            pipe(
              decodeAll(body.history, HistoryEntryJson, 'history', (entry, original): PaymentHistoryEntry => ({
                ...entry,
                fields: asReceived(original),
              })),
              E.map((items) => pageOf(items, page, body.total)),
            ),
          ),
        ),
      ),
    ),
  );

/** `history` is a route under `/api/v2/me/payments/`, so it cannot name a payment there. */
const checkV2PaymentId = (id: string): E.Either<GatewayError, string> =>
  id === 'history' ? E.left(invalidInput('id', '"history" is not a payment id')) : checkPaymentId(id);

/** `GET /api/v2/me/payments/{id}` → `{payment, paymentOutputs}`. */
export const paymentV2 = (request: AuthorizedRequest, id: string): TE.TaskEither<GatewayError, MoneyButtonPayment> =>
  pipe(
    TE.fromEither(checkV2PaymentId(id)),
    TE.flatMap((checked) => request({ method: 'GET', path: `/api/v2/me/payments/${checked}` }, PaymentByIdBody)),
    TE.flatMap((body) =>
      TE.fromEither(
        pipe(
          decodeAt(V2PaymentCodec, 'payment')(body.payment),
          E.flatMap((payment) => {
            const original = Array.isArray(body.paymentOutputs) ? body.paymentOutputs : [];
            return pipe(
              decodeAt(TopLevelOutputsCodec, 'paymentOutputs')(original),
              E.map((decoded) => fromPaymentJson(payment, body.payment, { decoded, original })),
            );
          }),
        ),
      ),
    ),
  );
