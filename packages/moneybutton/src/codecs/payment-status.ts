import type { PaymentStatus } from '@paygate/core';
import * as t from 'io-ts/lib/index.js';

/**
 * The payment statuses Money Button documents (moneybutton-public.md §5): `PENDING`, `RECEIVED`,
 * `COMPLETED`, `FAILED`, and `DOUBLE_SPENT` (a status, not a flag: an earlier payment is no
 * longer valid).
 */
export const DOCUMENTED_STATUSES = ['PENDING', 'RECEIVED', 'COMPLETED', 'FAILED', 'DOUBLE_SPENT'] as const;
export type DocumentedPaymentStatus = (typeof DOCUMENTED_STATUSES)[number];

/**
 * A status as Money Button sends it. The documented values are typed; any other non-empty string
 * is kept as sent (decoding policy: a real payment is never refused for a value the record does
 * not list), and the gateway maps it to `processing` (see `toPaymentStatus`).
 */
export type MoneyButtonPaymentStatus = DocumentedPaymentStatus | (string & {});

export const MoneyButtonPaymentStatusCodec = new t.Type<MoneyButtonPaymentStatus, string, unknown>(
  'MoneyButtonPaymentStatus',
  (u): u is MoneyButtonPaymentStatus => typeof u === 'string' && u.length > 0,
  (u, context) => (typeof u === 'string' && u.length > 0 ? t.success(u) : t.failure(u, context, 'a non-empty status string')),
  (status) => status,
);

export const isDocumentedStatus = (status: string): status is DocumentedPaymentStatus =>
  (DOCUMENTED_STATUSES as ReadonlyArray<string>).includes(status);

/**
 * RECEIVED means the transaction reached Money Button but is not final yet, which is what
 * paygate calls `processing`. DOUBLE_SPENT means the payment is no longer valid: `failed`.
 * A status the record does not list is not final as far as we know: `processing` (a documented
 * choice; `raw.status` keeps the value sent).
 */
const STATUS: Readonly<Record<DocumentedPaymentStatus, PaymentStatus>> = {
  PENDING: 'pending',
  RECEIVED: 'processing',
  COMPLETED: 'completed',
  FAILED: 'failed',
  DOUBLE_SPENT: 'failed',
};

export const toPaymentStatus = (status: MoneyButtonPaymentStatus): PaymentStatus =>
  isDocumentedStatus(status) ? STATUS[status] : 'processing';
