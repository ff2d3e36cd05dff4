import { type GatewayError, invalidInput } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import { type AuthorizedRequest, JSON_API_MEDIA_TYPE } from './authorized-request.js';
import { AmountCodec, NullableString, SatoshisCodec } from './codecs/amounts.js';
import { asReceived, defined, keepRaw, recordOf } from './codecs/lenient.js';
import { MoneyButtonPaymentStatusCodec } from './codecs/payment-status.js';
import {
  documentCodec,
  type IncludedIndex,
  indexIncluded,
  resolveIncluded,
  resourceCodec,
  toManyLinkage,
} from './jsonapi.js';
import { checkPageQuery, pageOf } from './paging.js';
import type { MoneyButtonPayment, MoneyButtonPaymentOutput, MoneyButtonPaymentsPage, PageQuery } from './payment.js';

/**
 * API v1 payments (`payments:read` or `application_access:write`), moneybutton-public.md §3.
 * Every example carries `status`, `amount`, `currency`, `satoshis` and `created-at`: those are
 * required. The other documented attributes (`txid` null until known, `normalized-txid`,
 * `user-id`, `status-description`, `button-id`, `button-data`, the USD and satoshi breakdown) are
 * read when they match; `from`, `double-spent` and `updated-at` are read where a server sends them.
 */
const PaymentAttributes = recordOf(
  'PaymentAttributes',
  {
    status: MoneyButtonPaymentStatusCodec,
    amount: AmountCodec,
    currency: t.string,
    satoshis: SatoshisCodec,
    'created-at': t.string,
  },
  {
    txid: NullableString,
    'normalized-txid': NullableString,
    'status-description': NullableString,
    'updated-at': t.string,
    'user-id': NullableString,
    'button-id': NullableString,
    'button-data': NullableString,
    from: t.string,
    'double-spent': t.boolean,
  },
);

/** Output attributes: `created-at, to, amount, currency, satoshis, type, user-id, address, script, amount-usd, user-paymail`. */
const PaymentOutputResource = resourceCodec(
  'payment-outputs',
  recordOf(
    'PaymentOutputAttributes',
    {},
    {
      type: t.string,
      to: NullableString,
      'user-id': NullableString,
      address: NullableString,
      script: NullableString,
      amount: AmountCodec,
      currency: t.string,
      satoshis: SatoshisCodec,
    },
  ),
);

const PaymentResource = resourceCodec('payments', PaymentAttributes);
type PaymentResource = t.TypeOf<typeof PaymentResource>;

const PaymentDocument = documentCodec(PaymentResource);

/** `meta` may say how many payments there are; the record's example has none. */
const PaymentsDocument = documentCodec(t.array(PaymentResource));


const totalOf = (meta: Record<string, unknown> | undefined): number | undefined => {
  const total = meta?.total;
  return typeof total === 'number' && Number.isSafeInteger(total) && total >= 0 ? total : undefined;
};

/** The raw attributes object of a resource, as it was received. */
const attributesAsReceived = (original: unknown): Readonly<Record<string, unknown>> =>
  asReceived((original as { attributes?: unknown } | undefined)?.attributes);

const toOutput =
  (resources: ReadonlyArray<unknown>) =>
  (resource: t.TypeOf<typeof PaymentOutputResource>, index: number): MoneyButtonPaymentOutput => {
    const a = resource.attributes;
    return defined({
      id: resource.id,
      type: a.type,
      to: a.to,
      userId: a['user-id'],
      address: a.address,
      script: a.script,
      amount: a.amount,
      currency: a.currency,
      satoshis: a.satoshis,
      fields: attributesAsReceived(resources[index]),
    });
  };

const toPayment = (
  resource: PaymentResource,
  original: unknown,
  included: IncludedIndex,
  path: string,
): E.Either<GatewayError, MoneyButtonPayment> =>
  pipe(
    toManyLinkage(resource.relationships, 'payment-outputs', path),
    E.flatMap((linkage) =>
      pipe(
        resolveIncluded(included, linkage, PaymentOutputResource, `${path}.relationships.payment-outputs`),
        E.map((outputs) => outputs.map(toOutput(linkage.map((identifier) => included.find(identifier)?.resource)))),
      ),
    ),
    E.map((outputs): MoneyButtonPayment => {
      const a = resource.attributes;
      return defined({
        id: resource.id,
        status: a.status,
        statusDescription: a['status-description'],
        txid: a.txid ?? null,
        normalizedTxid: a['normalized-txid'],
        amount: a.amount,
        currency: a.currency,
        satoshis: a.satoshis,
        createdAt: a['created-at'],
        updatedAt: a['updated-at'],
        userId: a['user-id'],
        senderPaymail: a.from,
        buttonId: a['button-id'],
        buttonData: a['button-data'],
        doubleSpent: a['double-spent'],
        outputs,
        fields: attributesAsReceived(original),
      });
    }),
  );

const PAYMENT_ID = /^[A-Za-z0-9_-]+$/;

export const checkPaymentId = (id: string): E.Either<GatewayError, string> =>
  typeof id === 'string' && PAYMENT_ID.test(id)
    ? E.right(id)
    : E.left(invalidInput('id', 'must be a Money Button payment id (letters, digits, "-" or "_")'));

const accept = { accept: JSON_API_MEDIA_TYPE } as const;

const rawData = (body: unknown): unknown => (body as { data?: unknown } | undefined)?.data;

/**
 * `GET /api/v1/payments?limit=&offset=` (`limit` default 20, `offset` = items skipped): the
 * user's payments, each with its outputs.
 */
export const paymentsV1 = (
  request: AuthorizedRequest,
  query: PageQuery = {},
): TE.TaskEither<GatewayError, MoneyButtonPaymentsPage> =>
  pipe(
    TE.fromEither(checkPageQuery(query)),
    TE.flatMap((page) =>
      pipe(
        request(
          { method: 'GET', path: '/api/v1/payments', query: page, headers: accept },
          keepRaw(PaymentsDocument),
        ),
        TE.flatMap(({ raw, document }) => {
          const included = indexIncluded(document.included);
          const originals = rawData(raw);
          const items: MoneyButtonPayment[] = [];
          for (const [index, resource] of document.data.entries()) {
            const original = Array.isArray(originals) ? originals[index] : undefined;
            const payment = toPayment(resource, original, included, `data.${index}`);
            if (E.isLeft(payment)) return TE.left(payment.left);
            items.push(payment.right);
          }
          return TE.right(pageOf(items, page, totalOf(document.meta)));
        }),
      ),
    ),
  );

/** `GET /api/v1/payments/{id}` → `{data: payment, included: [payment-outputs]}`. */
export const paymentV1 = (request: AuthorizedRequest, id: string): TE.TaskEither<GatewayError, MoneyButtonPayment> =>
  pipe(
    TE.fromEither(checkPaymentId(id)),
    TE.flatMap((checked) =>
      request({ method: 'GET', path: `/api/v1/payments/${checked}`, headers: accept }, keepRaw(PaymentDocument)),
    ),
    TE.flatMap(({ raw, document }) =>
      TE.fromEither(toPayment(document.data, rawData(raw), indexIncluded(document.included), 'data')),
    ),
  );
