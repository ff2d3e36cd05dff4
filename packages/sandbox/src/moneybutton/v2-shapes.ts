import { formatAmount, usdValueOf } from './exchange.js';
import type { MoneyButtonAsset, MoneyButtonPayment, MoneyButtonPaymentOutput, MoneyButtonWallet } from './fixtures.js';

/**
 * API v2 and webhook bodies, as moneybutton-public.md §4 and §6 record them: the v2 read is
 * `{payment, paymentOutputs}` with the ~35 documented payment fields (ids and amounts as
 * strings, `rawtx` a serialised Node Buffer); the webhook payment carries the documented fields
 * (`rawtx` hex, output `satoshis` a number). The list, history and wallet bodies are not in the
 * record: their shapes are this sandbox's documented choice (README "API v2 shapes").
 */

const usdText = (satoshis: bigint): string => String(usdValueOf(satoshis));

/** v2 outputs: the record does not show their fields, so API v1's are used under camelCase names. */
export function paymentOutputJson(output: MoneyButtonPaymentOutput, payment: MoneyButtonPayment) {
  return {
    id: output.id,
    paymentId: payment.id,
    createdAt: payment.createdAt,
    updatedAt: payment.updatedAt,
    type: output.userId === null ? 'PAYMAIL' : 'USER',
    to: output.to,
    userId: output.userId,
    address: null,
    script: null,
    amount: output.amount,
    currency: output.currency,
    satoshis: output.satoshis,
    amountUsd: usdText(BigInt(output.satoshis)),
  };
}

export type PaymentJson = ReturnType<typeof paymentJson>;

/** The v2 `payment` object with every documented member. */
export function paymentJson(payment: MoneyButtonPayment) {
  const satoshis = BigInt(payment.satoshis);
  const fee = payment.txid === null ? 0n : 500n;
  const outputs = payment.outputs.map((output) => paymentOutputJson(output, payment));
  return {
    id: payment.id,
    createdAt: payment.createdAt,
    updatedAt: payment.updatedAt,
    userId: payment.userId,
    txid: payment.txid,
    normalizedTxid: payment.txid,
    amount: payment.amount,
    currency: payment.currency,
    satoshis: payment.satoshis,
    transactionId: payment.txid === null ? null : `tx-${payment.id}`,
    status: payment.status,
    statusDescription: payment.statusDescription,
    clientId: null,
    buttonId: payment.buttonId,
    buttonData: payment.buttonData,
    referrerUrl: null,
    browserUserAgent: null,
    amountUsd: usdText(satoshis),
    inputAmountUsd: usdText(satoshis + fee),
    inputAmountSatoshis: String(satoshis + fee),
    spendAmountUsd: usdText(satoshis),
    spendAmountSatoshis: String(satoshis),
    feeAmountUsd: usdText(fee),
    feeAmountSatoshis: String(fee),
    changeAmountUsd: '0',
    changeAmountSatoshis: '0',
    rawtx: payment.rawtx === null ? null : { type: 'Buffer', data: [...Buffer.from(payment.rawtx, 'hex')] },
    cryptoOperations: [],
    source: 'INTERNAL',
    senderSignature: null,
    senderPaymail: payment.from,
    signaturePubkey: null,
    preserveOrder: false,
    paymentOutputs: outputs,
    app: null,
  };
}

/** `GET /api/v2/me/payments/{id}`: the outputs both inside `payment` and beside it (as recorded). */
export function paymentByIdJson(payment: MoneyButtonPayment) {
  const body = paymentJson(payment);
  return { payment: body, paymentOutputs: body.paymentOutputs };
}

/** A webhook's `payment`: the documented fields, outputs typed `userId` or `address`, output satoshis as numbers. */
export function webhookPaymentJson(payment: MoneyButtonPayment) {
  return {
    id: payment.id,
    buttonId: payment.buttonId,
    buttonData: payment.buttonData,
    status: payment.status,
    txid: payment.txid,
    normalizedTxid: payment.txid,
    amount: payment.amount,
    currency: payment.currency,
    satoshis: payment.satoshis,
    outputs: payment.outputs.map((output) => ({
      type: output.userId === null ? 'address' : 'userId',
      address: output.userId === null ? output.to : null,
      userId: output.userId,
      script: null,
      amount: output.amount,
      currency: output.currency,
      satoshis: Number(output.satoshis),
    })),
    userId: payment.userId,
    rawtx: payment.rawtx,
  };
}

/** One line of `/api/v2/me/payments/history`: the payment seen from the user's side. */
export function historyEntryJson(payment: MoneyButtonPayment, userId: string) {
  const sent = payment.userId === userId;
  const received = payment.outputs.filter((output) => output.userId === userId);
  const satoshis = sent ? BigInt(payment.satoshis) : received.reduce((sum, output) => sum + BigInt(output.satoshis), 0n);
  return {
    paymentId: payment.id,
    direction: sent ? 'sent' : 'received',
    counterparty: sent ? (payment.outputs[0]?.to ?? null) : payment.from,
    status: payment.status,
    currency: payment.currency,
    amount: formatAmount(satoshis, payment.currency),
    satoshis: satoshis.toString(),
    createdAt: payment.createdAt,
  };
}

export function walletBalancesJson(wallet: MoneyButtonWallet) {
  const satoshis = BigInt(wallet.satoshis);
  return {
    walletId: wallet.id,
    name: wallet.name,
    active: wallet.active,
    balances: [{ currency: 'USD', amount: usdValueOf(satoshis), satoshis: satoshis.toString() }],
  };
}

/** The asset object of the record; `tokenProtocolId` as in the modify example, on every answer. */
export function assetJson(asset: MoneyButtonAsset) {
  return {
    id: asset.id,
    name: asset.name,
    initialSupply: asset.initialSupply,
    userId: asset.userId,
    paymailAlias: asset.paymailAlias,
    paymailDomain: asset.paymailDomain,
    createdAt: asset.createdAt,
    updatedAt: asset.updatedAt,
    avatar: asset.avatar,
    url: asset.url,
    description: asset.description,
    tokenProtocolId: asset.tokenProtocolId,
  };
}
