import type { PaymentStatus } from '@paygate/core';
import * as t from 'io-ts/lib/index.js';

/** The four payment statuses Money Button documents; anything else fails to decode. */
export const MoneyButtonPaymentStatusCodec = t.keyof({
  PENDING: null,
  RECEIVED: null,
  COMPLETED: null,
  FAILED: null,
});
export type MoneyButtonPaymentStatus = t.TypeOf<typeof MoneyButtonPaymentStatusCodec>;

/**
 * RECEIVED means the transaction reached Money Button but is not final yet, which is what
 * paygate calls `processing`.
 */
const STATUS: Readonly<Record<MoneyButtonPaymentStatus, PaymentStatus>> = {
  PENDING: 'pending',
  RECEIVED: 'processing',
  COMPLETED: 'completed',
  FAILED: 'failed',
};

export const toPaymentStatus = (status: MoneyButtonPaymentStatus): PaymentStatus => STATUS[status];
