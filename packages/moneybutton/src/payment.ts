import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts/lib/index.js';
import { decodeInput, type GatewayError, invalidInput, type Payment } from '@paygate/core';
import { type MoneyButtonPaymentStatus, toPaymentStatus } from './codecs/payment-status.js';

/**
 * A Money Button payment as this adapter hands it out, whichever source it came from: API v1's
 * kebab-case JSON:API resource with its `payment-outputs` joined from `included`, API v2's
 * camelCase `payment`, or a webhook's `payment` (moneybutton-public.md §3, §4, §6). Amounts are
 * decimal strings, satoshis exact strings of digits, `rawtx` hex. Members the record does not
 * guarantee are optional; `fields` keeps the provider's object as it was received, members this
 * type does not name included.
 */
export interface MoneyButtonPayment {
  readonly id: string;
  /** `PENDING | RECEIVED | COMPLETED | FAILED | DOUBLE_SPENT`, or an undocumented value as sent. */
  readonly status: MoneyButtonPaymentStatus;
  /** E.g. "Timed out." or a node's reject text on FAILED payments. */
  readonly statusDescription?: string | null;
  /** Null while no transaction exists (and when the source did not say). */
  readonly txid: string | null;
  readonly normalizedTxid?: string | null;
  readonly amount: string;
  readonly currency: string;
  /** Exact satoshis; webhooks are not guaranteed to carry them. */
  readonly satoshis?: string;
  /** RFC 3339; always present in API reads, absent from the documented webhook payload. */
  readonly createdAt?: string;
  readonly updatedAt?: string;
  /** The paying Money Button user; null when the payer is outside Money Button. */
  readonly userId?: string | null;
  /** The paying paymail: API v2 `senderPaymail`, or `from` where a server sends that. */
  readonly senderPaymail?: string | null;
  readonly buttonId?: string | null;
  /** Text the button carried (often JSON text; not parsed here). */
  readonly buttonData?: string | null;
  /** The signed transaction as hex (webhooks send hex, API v2 a serialised Buffer). */
  readonly rawtx?: string;
  /**
   * A `double-spent` flag where a server sends one. The record makes double spending a status
   * (`DOUBLE_SPENT`); read `status` first.
   */
  readonly doubleSpent?: boolean;
  /** From `outputs` or `paymentOutputs`, whichever the source sent (both shapes are in the record). */
  readonly outputs: ReadonlyArray<MoneyButtonPaymentOutput>;
  /** The provider's payment object as received (API v1: the resource's `attributes`). */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** One output of a payment; the record shows different members per source, so all are optional. */
export interface MoneyButtonPaymentOutput {
  readonly id?: string;
  /** `address | userId | script` in webhooks, `USER` in API v1. */
  readonly type?: string;
  /** The receiving paymail (or user). */
  readonly to?: string | null;
  /** The receiving Money Button user; null for receivers outside Money Button. */
  readonly userId?: string | null;
  readonly address?: string | null;
  readonly script?: string | null;
  readonly amount?: string;
  readonly currency?: string;
  /** Exact satoshis (webhooks send a number, API v1 a string). */
  readonly satoshis?: string;
  /** The output as received. */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** One page of payments, with where the next page starts when there is one. */
export interface MoneyButtonPaymentsPage<A = MoneyButtonPayment> {
  readonly items: ReadonlyArray<A>;
  readonly limit: number;
  readonly offset: number;
  /** When the API says (API v1 `meta.total`, API v2 `total`). */
  readonly total?: number;
  /** The `offset` of the next page; absent on the last one (and when the server ignored `limit`). */
  readonly nextOffset?: number;
}

/** Paging of the payment lists: `limit` items starting at `offset` (both optional). */
export interface PageQuery {
  readonly limit?: number;
  readonly offset?: number;
}

/** The members of a `MoneyButtonPayment` its type requires (a payment this adapter hands out has them all). */
const PaymentShapeCodec = t.intersection([
  t.type({
    id: t.string,
    status: t.string,
    txid: t.union([t.string, t.null]),
    amount: t.string,
    currency: t.string,
    outputs: t.readonlyArray(t.unknown),
    fields: t.UnknownRecord,
  }),
  t.partial({ createdAt: t.string, updatedAt: t.string }),
]);

const checkPayment = decodeInput(PaymentShapeCodec, 'payment');

/** `toGatewayPayment` over a payment this adapter decoded itself. */
export const gatewayPayment = (payment: MoneyButtonPayment, receivedAt?: string): Payment<MoneyButtonPayment> => ({
  id: payment.id,
  status: toPaymentStatus(payment.status),
  amount: { amount: payment.amount, currency: payment.currency },
  createdAt: payment.createdAt ?? payment.updatedAt ?? receivedAt ?? new Date().toISOString(),
  raw: payment,
});

/**
 * The provider-neutral view of a Money Button payment, keeping the full payment as `raw`.
 * `receivedAt` stands in for `createdAt` when the source has no date (a webhook delivery). A
 * value that is not a `MoneyButtonPayment` is `InvalidInput` naming the first wrong member
 * (`payment.amount`); a `receivedAt` that is not a string is `InvalidInput` on `receivedAt`.
 */
export const toGatewayPayment = (payment: MoneyButtonPayment, receivedAt?: string): E.Either<GatewayError, Payment<MoneyButtonPayment>> => {
  if (receivedAt !== undefined && typeof receivedAt !== 'string') return E.left(invalidInput('receivedAt', 'must be a string'));
  return E.map(() => gatewayPayment(payment, receivedAt))(checkPayment(payment));
};
