import { type GatewayError, invalidInput } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import { type AuthorizedRequest, JSON_API_MEDIA_TYPE } from './authorized-request.js';
import { AmountCodec, SatoshisCodec } from './codecs/amounts.js';
import { MoneyButtonPaymentStatusCodec } from './codecs/payment-status.js';
import {
  documentCodec,
  type IncludedIndex,
  indexIncluded,
  resolveIncluded,
  resourceCodec,
  toManyLinkage,
} from './jsonapi.js';
import { checkPageQuery, nextOffsetOf } from './paging.js';
import type { MoneyButtonPayment, MoneyButtonPaymentOutput, MoneyButtonPaymentsPage, PageQuery } from './payment.js';

/**
 * API v1 payments (`payments:read`). NOTES.md documents `status`, `txid`, `amount`, `currency`,
 * `satoshis` and `created-at` followed by "…": those are required here; the others Money Button
 * sends (`from`, `user-id`, `double-spent`, `updated-at`) are read when present.
 */
const NullableString = t.union([t.string, t.null]);

const PaymentAttributes = t.intersection([
  t.type({
    status: MoneyButtonPaymentStatusCodec,
    txid: NullableString,
    amount: AmountCodec,
    currency: t.string,
    satoshis: SatoshisCodec,
    'created-at': t.string,
  }),
  t.partial({
    'updated-at': t.string,
    from: t.string,
    'user-id': NullableString,
    'double-spent': t.boolean,
  }),
]);

const PaymentOutputResource = resourceCodec(
  'payment-outputs',
  t.intersection([
    t.type({ to: NullableString, amount: AmountCodec, currency: t.string, satoshis: SatoshisCodec }),
    t.partial({ 'user-id': NullableString }),
  ]),
);

const PaymentResource = resourceCodec('payments', PaymentAttributes);
type PaymentResource = t.TypeOf<typeof PaymentResource>;

const PaymentDocument = documentCodec(PaymentResource);

/** `meta` is how the list says how many payments there are; JSON:API leaves its content open. */
const PaymentsDocument = t.intersection([
  documentCodec(t.array(PaymentResource)),
  t.partial({ meta: t.partial({ total: t.number }) }),
]);

const toOutput = (resource: t.TypeOf<typeof PaymentOutputResource>): MoneyButtonPaymentOutput => {
  const { attributes } = resource;
  return {
    id: resource.id,
    to: attributes.to,
    ...(attributes['user-id'] === undefined ? {} : { userId: attributes['user-id'] }),
    amount: attributes.amount,
    currency: attributes.currency,
    satoshis: attributes.satoshis,
  };
};

const toPayment = (
  resource: PaymentResource,
  included: IncludedIndex,
  path: string,
): E.Either<GatewayError, MoneyButtonPayment> =>
  pipe(
    toManyLinkage(resource.relationships, 'payment-outputs', path),
    E.flatMap((linkage) => resolveIncluded(included, linkage, PaymentOutputResource, `${path}.relationships.payment-outputs`)),
    E.map((outputs): MoneyButtonPayment => {
      const a = resource.attributes;
      return {
        id: resource.id,
        status: a.status,
        txid: a.txid,
        amount: a.amount,
        currency: a.currency,
        satoshis: a.satoshis,
        createdAt: a['created-at'],
        ...(a['updated-at'] === undefined ? {} : { updatedAt: a['updated-at'] }),
        ...(a.from === undefined ? {} : { from: a.from }),
        ...(a['user-id'] === undefined ? {} : { userId: a['user-id'] }),
        ...(a['double-spent'] === undefined ? {} : { doubleSpent: a['double-spent'] }),
        outputs: outputs.map(toOutput),
      };
    }),
  );

const PAYMENT_ID = /^[A-Za-z0-9_-]+$/;

export const checkPaymentId = (id: string): E.Either<GatewayError, string> =>
  typeof id === 'string' && PAYMENT_ID.test(id)
    ? E.right(id)
    : E.left(invalidInput('id', 'must be a Money Button payment id (letters, digits, "-" or "_")'));

const accept = { accept: JSON_API_MEDIA_TYPE } as const;

/** `GET /api/v1/payments?limit=&offset=`: the user's payments, each with its outputs. */
export const paymentsV1 = (
  request: AuthorizedRequest,
  query: PageQuery = {},
): TE.TaskEither<GatewayError, MoneyButtonPaymentsPage> =>
  pipe(
    TE.fromEither(checkPageQuery(query)),
    TE.flatMap((page) =>
      pipe(
        request({ method: 'GET', path: '/api/v1/payments', query: page, headers: accept }, PaymentsDocument),
        TE.flatMap((document) => {
          const included = indexIncluded(document.included);
          const items: MoneyButtonPayment[] = [];
          for (const [index, resource] of document.data.entries()) {
            const payment = toPayment(resource, included, `data.${index}`);
            if (E.isLeft(payment)) return TE.left(payment.left);
            items.push(payment.right);
          }
          const total = document.meta?.total;
          const counted = { ...page, ...(total === undefined ? {} : { total }) };
          const nextOffset = nextOffsetOf(counted, items.length);
          return TE.right({ items, ...counted, ...(nextOffset === undefined ? {} : { nextOffset }) });
        }),
      ),
    ),
  );

/** `GET /api/v1/payments/{id}`. */
export const paymentV1 = (request: AuthorizedRequest, id: string): TE.TaskEither<GatewayError, MoneyButtonPayment> =>
  pipe(
    TE.fromEither(checkPaymentId(id)),
    TE.flatMap((checked) =>
      request({ method: 'GET', path: `/api/v1/payments/${checked}`, headers: accept }, PaymentDocument),
    ),
    TE.flatMap((document) => TE.fromEither(toPayment(document.data, indexIncluded(document.included), 'data'))),
  );
