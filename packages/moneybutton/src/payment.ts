import type { Payment } from '@paygate/core';
import { type MoneyButtonPaymentStatus, toPaymentStatus } from './codecs/payment-status.js';

/**
 * A Money Button payment as this adapter hands it out, whichever API it came from: API v1's
 * kebab-case JSON:API resource with its `payment-outputs` joined from `included`, API v2's
 * camelCase object, or a webhook's `payment`. Amounts are decimal strings, satoshis exact
 * strings of digits.
 */
export interface MoneyButtonPayment {
  readonly id: string;
  readonly status: MoneyButtonPaymentStatus;
  /** Null while no transaction exists (e.g. a payment that failed before broadcasting). */
  readonly txid: string | null;
  readonly amount: string;
  readonly currency: string;
  readonly satoshis: string;
  /** RFC 3339. */
  readonly createdAt: string;
  readonly updatedAt?: string;
  /** The paying paymail. */
  readonly from?: string;
  /** The paying Money Button user; null when the payer is outside Money Button. */
  readonly userId?: string | null;
  /** Money Button flags payments whose transaction was double-spent. */
  readonly doubleSpent?: boolean;
  readonly outputs: ReadonlyArray<MoneyButtonPaymentOutput>;
}

export interface MoneyButtonPaymentOutput {
  readonly id: string;
  /** The receiving paymail (null for a bare address or script output). */
  readonly to: string | null;
  /** The receiving Money Button user; null for receivers outside Money Button. */
  readonly userId?: string | null;
  readonly amount: string;
  readonly currency: string;
  readonly satoshis: string;
}

/** One page of payments, with where the next page starts when there is one. */
export interface MoneyButtonPaymentsPage<A = MoneyButtonPayment> {
  readonly items: ReadonlyArray<A>;
  readonly limit: number;
  readonly offset: number;
  /** When the API says (API v1 `meta.total`, API v2 `total`). */
  readonly total?: number;
  /** The `offset` of the next page; absent on the last one. */
  readonly nextOffset?: number;
}

/** Paging of the payment lists: `limit` items starting at `offset` (both optional). */
export interface PageQuery {
  readonly limit?: number;
  readonly offset?: number;
}

/** The provider-neutral view of a Money Button payment, keeping the full payment as `raw`. */
export const toGatewayPayment = (payment: MoneyButtonPayment): Payment<MoneyButtonPayment> => ({
  id: payment.id,
  status: toPaymentStatus(payment.status),
  amount: { amount: payment.amount, currency: payment.currency },
  createdAt: payment.createdAt,
  raw: payment,
});
