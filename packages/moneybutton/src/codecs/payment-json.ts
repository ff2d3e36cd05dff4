import * as t from 'io-ts/lib/index.js';
import type { MoneyButtonPayment, MoneyButtonPaymentOutput } from '../payment.js';
import { AmountCodec, IdCodec, NullableString, RawTxCodec, SatoshisCodec } from './amounts.js';
import { asReceived, defined, lenientPartial, recordOf } from './lenient.js';
import { MoneyButtonPaymentStatusCodec } from './payment-status.js';

/**
 * The camelCase payment of API v2 (`GET /api/v2/me/payments/{id}` → `{payment, paymentOutputs}`)
 * and of webhooks (`{secret, payment}`), moneybutton-public.md §4 and §6. One codec for both:
 * what the record guarantees is required, the ~35 documented members are read when they match,
 * and the object is kept whole in `fields`.
 */

const NullableAmount = t.union([AmountCodec, t.null]);
const NullableSatoshis = t.union([SatoshisCodec, t.null]);

/** Output members: webhook docs (`type, address, userId, script, amount, currency, satoshis`) and integrations (`id, to, paymentId, …`). */
const OutputMembers = lenientPartial({
  id: IdCodec,
  type: t.string,
  to: NullableString,
  userId: NullableString,
  address: NullableString,
  script: NullableString,
  amount: AmountCodec,
  currency: t.string,
  satoshis: SatoshisCodec,
});

const OutputJson = OutputMembers;

/** Every member of the documented v2 payment, each optional and typed. */
const PAYMENT_MEMBERS = {
  createdAt: t.string,
  updatedAt: t.string,
  userId: NullableString,
  txid: NullableString,
  normalizedTxid: NullableString,
  /** Older webhook deliveries name the normalized txid `ntxid`. */
  ntxid: NullableString,
  satoshis: SatoshisCodec,
  transactionId: NullableString,
  statusDescription: NullableString,
  clientId: NullableString,
  buttonId: NullableString,
  buttonData: NullableString,
  referrerUrl: NullableString,
  browserUserAgent: NullableString,
  amountUsd: NullableAmount,
  inputAmountUsd: NullableAmount,
  inputAmountSatoshis: NullableSatoshis,
  spendAmountUsd: NullableAmount,
  spendAmountSatoshis: NullableSatoshis,
  feeAmountUsd: NullableAmount,
  feeAmountSatoshis: NullableSatoshis,
  changeAmountUsd: NullableAmount,
  changeAmountSatoshis: NullableSatoshis,
  rawtx: RawTxCodec,
  cryptoOperations: t.array(t.unknown),
  source: t.string,
  senderSignature: NullableString,
  senderPaymail: NullableString,
  signaturePubkey: NullableString,
  preserveOrder: t.boolean,
  app: t.unknown,
  /** Not in the record's v2 list; read where a server sends them. */
  from: t.string,
  doubleSpent: t.boolean,
  outputs: t.array(OutputJson),
  paymentOutputs: t.array(OutputJson),
};

/** A webhook's payment: an id, a status and an amount make a payment; nothing else is required. */
export const WebhookPaymentCodec = recordOf(
  'WebhookPayment',
  { id: IdCodec, status: MoneyButtonPaymentStatusCodec, amount: AmountCodec, currency: t.string },
  PAYMENT_MEMBERS,
);

/** An API v2 payment: every read in the record carries these. */
export const V2PaymentCodec = recordOf(
  'V2Payment',
  {
    id: IdCodec,
    status: MoneyButtonPaymentStatusCodec,
    amount: AmountCodec,
    currency: t.string,
    satoshis: SatoshisCodec,
    createdAt: t.string,
  },
  PAYMENT_MEMBERS,
);

type OutputJson = t.TypeOf<typeof OutputJson>;
type PaymentJson = t.TypeOf<typeof WebhookPaymentCodec> | t.TypeOf<typeof V2PaymentCodec>;



export const fromOutputJson = (output: OutputJson, original: unknown): MoneyButtonPaymentOutput =>
  defined({
    id: output.id,
    type: output.type,
    to: output.to,
    userId: output.userId,
    address: output.address,
    script: output.script,
    amount: output.amount,
    currency: output.currency,
    satoshis: output.satoshis,
    fields: asReceived(original),
  });

const originalOutputs = (original: unknown, key: string): ReadonlyArray<unknown> => {
  const value = typeof original === 'object' && original !== null ? (original as Record<string, unknown>)[key] : undefined;
  return Array.isArray(value) ? value : [];
};

/**
 * A decoded v2/webhook payment as a MoneyButtonPayment. Outputs come from `outputs` or
 * `paymentOutputs` (the record shows both), else from `outputsBesides` (the v2 body's top-level
 * `paymentOutputs`).
 */
export const fromPaymentJson = (
  payment: PaymentJson,
  original: unknown,
  outputsBesides?: { readonly decoded: ReadonlyArray<OutputJson>; readonly original: ReadonlyArray<unknown> },
): MoneyButtonPayment => {
  const [decodedOutputs, originals]: [ReadonlyArray<OutputJson>, ReadonlyArray<unknown>] =
    payment.outputs !== undefined
      ? [payment.outputs, originalOutputs(original, 'outputs')]
      : payment.paymentOutputs !== undefined
        ? [payment.paymentOutputs, originalOutputs(original, 'paymentOutputs')]
        : [outputsBesides?.decoded ?? [], outputsBesides?.original ?? []];
  return defined({
    id: payment.id,
    status: payment.status,
    statusDescription: payment.statusDescription,
    txid: payment.txid ?? null,
    normalizedTxid: payment.normalizedTxid !== undefined ? payment.normalizedTxid : payment.ntxid,
    amount: payment.amount,
    currency: payment.currency,
    satoshis: payment.satoshis,
    createdAt: payment.createdAt,
    updatedAt: payment.updatedAt,
    userId: payment.userId,
    senderPaymail: payment.senderPaymail ?? payment.from,
    buttonId: payment.buttonId,
    buttonData: payment.buttonData,
    rawtx: payment.rawtx,
    doubleSpent: payment.doubleSpent,
    outputs: decodedOutputs.map((output, index) => fromOutputJson(output, originals[index])),
    fields: asReceived(original),
  });
};

/** The top-level `paymentOutputs` of a v2 read (kept leniently: an output that is not an object is skipped). */
export const TopLevelOutputsCodec = t.array(OutputJson);
