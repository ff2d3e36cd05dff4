import type { Random } from '../context.js';
import type { AssetChanges, AssetFields } from './asset-input.js';
import { formatAmount, type MoneyButtonCurrency } from './exchange.js';
import type {
  MoneyButtonAsset,
  MoneyButtonFixtures,
  MoneyButtonPayment,
  MoneyButtonPaymentStatus,
  MoneyButtonUser,
  MoneyButtonWallet,
} from './fixtures.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type PaymentRecord = Mutable<MoneyButtonPayment>;
export type WalletRecord = Mutable<MoneyButtonWallet>;
export type AssetRecord = Mutable<MoneyButtonAsset>;

export interface IncomingPayment {
  readonly toUser: MoneyButtonUser;
  readonly from: string;
  readonly currency: MoneyButtonCurrency;
  readonly satoshis: bigint;
}

/** Newest first: by creation time, then by id (ids are increasing integers). */
function newestFirst(a: { createdAt: string; id: string }, b: { createdAt: string; id: string }): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return Number(b.id) - Number(a.id);
}

/** The emulator's mutable data: wallets, payments and assets, seeded from the fixtures. */
export class MoneyButtonLedger {
  private readonly payments: PaymentRecord[];
  private readonly wallets: WalletRecord[];
  private readonly assets: AssetRecord[];
  private nextPaymentId: number;
  private nextAssetId: number;

  constructor(
    private readonly fixtures: MoneyButtonFixtures,
    private readonly random: Random,
  ) {
    this.payments = fixtures.payments.map((payment) => ({ ...payment }));
    this.wallets = fixtures.wallets.map((wallet) => ({ ...wallet }));
    this.assets = fixtures.assets.map((asset) => ({ ...asset }));
    this.nextPaymentId = 1 + Math.max(0, ...fixtures.payments.map((payment) => Number(payment.id)));
    this.nextAssetId = 1 + Math.max(0, ...fixtures.assets.map((asset) => Number(asset.id)));
  }

  user(userId: string): MoneyButtonUser | undefined {
    return this.fixtures.users.find((user) => user.id === userId);
  }

  userByEmail(email: string): MoneyButtonUser | undefined {
    const wanted = email.trim().toLowerCase();
    return this.fixtures.users.find((user) => user.email.toLowerCase() === wanted);
  }

  /** `walletId` may be `active`, the user's active wallet. */
  wallet(userId: string, walletId: string): WalletRecord | undefined {
    return this.wallets.find(
      (wallet) => wallet.userId === userId && (walletId === 'active' ? wallet.active : wallet.id === walletId),
    );
  }

  activeWallet(userId: string): WalletRecord | undefined {
    return this.wallet(userId, 'active');
  }

  /** Payments the user sent or received, newest first. */
  paymentsOf(userId: string): ReadonlyArray<PaymentRecord> {
    return this.payments.filter((payment) => this.involves(payment, userId)).sort(newestFirst);
  }

  /** The payment when the user sent or received it (other users' payments stay invisible). */
  paymentOf(userId: string, paymentId: string): PaymentRecord | undefined {
    return this.payments.find((payment) => payment.id === paymentId && this.involves(payment, userId));
  }

  payment(paymentId: string): PaymentRecord | undefined {
    return this.payments.find((payment) => payment.id === paymentId);
  }

  involves(payment: MoneyButtonPayment, userId: string): boolean {
    return payment.userId === userId || payment.outputs.some((output) => output.userId === userId);
  }

  /** Records a PENDING payment from an outside paymail to a user, as a webhook test needs. */
  receive(incoming: IncomingPayment, now: number): PaymentRecord {
    const id = String(this.nextPaymentId++);
    const at = new Date(now).toISOString();
    const amount = formatAmount(incoming.satoshis, incoming.currency);
    const payment: PaymentRecord = {
      id,
      userId: null,
      from: incoming.from,
      status: 'PENDING',
      statusDescription: null,
      txid: this.random.hex(32),
      rawtx: `0100000001${this.random.hex(36)}00000000`,
      buttonId: `invoice-${id}`,
      buttonData: JSON.stringify({ invoice: id }),
      amount,
      currency: incoming.currency,
      satoshis: incoming.satoshis.toString(),
      createdAt: at,
      updatedAt: at,
      outputs: [
        {
          id: `${id}-1`,
          to: incoming.toUser.primaryPaymail,
          userId: incoming.toUser.id,
          amount,
          currency: incoming.currency,
          satoshis: incoming.satoshis.toString(),
        },
      ],
    };
    this.payments.push(payment);
    return payment;
  }

  /** Moves a payment on; completing it credits each receiving user's active wallet. */
  advance(payment: PaymentRecord, status: MoneyButtonPaymentStatus, now: number): void {
    payment.status = status;
    payment.updatedAt = new Date(now).toISOString();
    if (status !== 'COMPLETED') return;
    for (const output of payment.outputs) {
      const wallet = output.userId === null ? undefined : this.activeWallet(output.userId);
      if (wallet !== undefined) wallet.satoshis = (BigInt(wallet.satoshis) + BigInt(output.satoshis)).toString();
    }
  }

  assetsOf(userId: string): ReadonlyArray<AssetRecord> {
    return this.assets.filter((asset) => asset.userId === userId);
  }

  assetOf(userId: string, assetId: string): AssetRecord | undefined {
    return this.assets.find((asset) => asset.userId === userId && asset.id === assetId);
  }

  createAsset(userId: string, fields: AssetFields, now: number): AssetRecord {
    const at = new Date(now).toISOString();
    const id = String(this.nextAssetId++);
    const { paymailAlias, paymailDomain, ...rest } = fields;
    const asset: AssetRecord = {
      id,
      userId,
      ...rest,
      tokenProtocolId: '1',
      // Without a custom domain (a closed beta) Money Button generates the alias.
      paymailAlias: paymailAlias ?? `${this.random.hex(6)}.asset`,
      paymailDomain: paymailDomain ?? null,
      createdAt: at,
      updatedAt: at,
    };
    this.assets.push(asset);
    return asset;
  }

  updateAsset(
    asset: AssetRecord,
    changes: AssetChanges,
    now: number,
  ): AssetRecord {
    if (changes.name !== undefined) asset.name = changes.name;
    if (changes.description !== undefined) asset.description = changes.description;
    if (changes.avatar !== undefined) asset.avatar = changes.avatar;
    asset.updatedAt = new Date(now).toISOString();
    return asset;
  }
}
