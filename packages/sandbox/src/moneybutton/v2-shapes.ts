import { formatAmount, usdValueOf } from './exchange.js';
import type { MoneyButtonAsset, MoneyButtonPayment, MoneyButtonWallet } from './fixtures.js';

/**
 * API v2 bodies: plain camelCase JSON. The docs name the endpoints but not their bodies, so these
 * carry API v1's fields under camelCase names (documented in the package README).
 */

export interface PaymentJson {
  readonly id: string;
  readonly userId: string | null;
  readonly from: string;
  readonly status: string;
  readonly doubleSpent: boolean;
  readonly txid: string | null;
  readonly amount: string;
  readonly currency: string;
  readonly satoshis: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly paymentOutputs: ReadonlyArray<{
    readonly id: string;
    readonly to: string;
    readonly userId: string | null;
    readonly amount: string;
    readonly currency: string;
    readonly satoshis: string;
  }>;
}

export function paymentJson(payment: MoneyButtonPayment): PaymentJson {
  return {
    id: payment.id,
    userId: payment.userId,
    from: payment.from,
    status: payment.status,
    doubleSpent: payment.doubleSpent,
    txid: payment.txid,
    amount: payment.amount,
    currency: payment.currency,
    satoshis: payment.satoshis,
    createdAt: payment.createdAt,
    updatedAt: payment.updatedAt,
    paymentOutputs: payment.outputs.map((output) => ({
      id: output.id,
      to: output.to,
      userId: output.userId,
      amount: output.amount,
      currency: output.currency,
      satoshis: output.satoshis,
    })),
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

export function assetJson(asset: MoneyButtonAsset) {
  return {
    id: asset.id,
    protocol: asset.protocol,
    name: asset.name,
    description: asset.description,
    avatarUrl: asset.avatarUrl,
    initialSupply: asset.initialSupply,
    paymail: asset.paymail,
    createdAt: asset.createdAt,
    updatedAt: asset.updatedAt,
  };
}
