import type { Random } from '../context.js';
import { formatAmount, type MoneyButtonCurrency, usdValueOf } from './exchange.js';
import { MONEY_BUTTON_SCOPES, type MoneyButtonScope } from './scopes.js';

/** moneybutton-public.md §5: DOUBLE_SPENT is a status (an earlier payment is no longer valid). */
export type MoneyButtonPaymentStatus = 'PENDING' | 'RECEIVED' | 'COMPLETED' | 'FAILED' | 'DOUBLE_SPENT';

/** An OAuth client registered with the emulated Money Button. */
export interface MoneyButtonClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly name: string;
  /** Exact matches, except loopback URIs, which match on any port (RFC 8252 §7.3). */
  readonly redirectUris: ReadonlyArray<string>;
}

export interface MoneyButtonApp extends MoneyButtonClient {
  /** Sent inside every webhook body as `secret`. */
  readonly webhookSecret: string;
}

export interface MoneyButtonBalance {
  /** USD value as a JSON number, as API v1 returns it. */
  readonly amount: number;
  readonly currency: 'USD';
  readonly satoshis: string;
}

export interface MoneyButtonUser {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  readonly name: string;
  readonly avatarUrl: string;
  readonly primaryPaymail: string;
  readonly bio: string;
  /** RFC 3339: when the account was made. */
  readonly createdAt: string;
  readonly defaultCurrency: 'USD';
  readonly defaultLanguage: string;
  /** The id of the user's `amounts` resource (a UUID of its own, not the user id). */
  readonly balanceId: string;
  /** Balance of the user's active wallet when the sandbox started. */
  readonly balance: MoneyButtonBalance;
}

export interface MoneyButtonWallet {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly active: boolean;
  readonly satoshis: string;
}

export interface MoneyButtonPaymentOutput {
  readonly id: string;
  /** Receiving paymail. */
  readonly to: string;
  /** Receiving Money Button user, null for outside paymails. */
  readonly userId: string | null;
  readonly amount: string;
  readonly currency: MoneyButtonCurrency;
  readonly satoshis: string;
}

export interface MoneyButtonPayment {
  readonly id: string;
  /** Paying Money Button user, null when the payer is an outside paymail. */
  readonly userId: string | null;
  /** Paying paymail. */
  readonly from: string;
  readonly status: MoneyButtonPaymentStatus;
  /** Why a payment FAILED ("Timed out." or a node's reject text); null otherwise. */
  readonly statusDescription: string | null;
  /** Null for payments that failed before a transaction existed. */
  readonly txid: string | null;
  /** The signed transaction as hex; null with `txid`. */
  readonly rawtx: string | null;
  /** The button the payment was made with, and the data it carried (JSON text). */
  readonly buttonId: string | null;
  readonly buttonData: string | null;
  readonly amount: string;
  readonly currency: MoneyButtonCurrency;
  readonly satoshis: string;
  /** RFC 3339 UTC timestamps. */
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly outputs: ReadonlyArray<MoneyButtonPaymentOutput>;
}

/** An asset as moneybutton-public.md §4 shows it (the paymail is `<paymailAlias>@moneybutton.com`). */
export interface MoneyButtonAsset {
  readonly id: string;
  readonly userId: string;
  /** As sent at creation (`SFP`, `SFP@0.1`, …). */
  readonly protocol: string;
  /** Money Button's id of the token protocol, `"1"` for SFP. */
  readonly tokenProtocolId: string;
  readonly name: string;
  readonly description: string | null;
  readonly avatar: string | null;
  readonly url: string | null;
  /** Whole token units as a decimal string (sent as a number on create, answered as a string). */
  readonly initialSupply: string;
  readonly paymailAlias: string;
  readonly paymailDomain: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The seeded data the Money Button emulator starts with. A snapshot: later changes are not reflected. */
export interface MoneyButtonFixtures {
  readonly app: MoneyButtonApp;
  /** A second client whose secret contains `:`, `%` and a space (RFC 6749 §2.3.1 encoding matters). */
  readonly otherApp: MoneyButtonClient;
  /** Both users have at least 25 payments, one active wallet and one inactive one. */
  readonly users: readonly [MoneyButtonUser, MoneyButtonUser];
  readonly wallets: ReadonlyArray<MoneyButtonWallet>;
  /** Every payment, oldest first. */
  readonly payments: ReadonlyArray<MoneyButtonPayment>;
  readonly assets: ReadonlyArray<MoneyButtonAsset>;
  readonly scopes: ReadonlyArray<MoneyButtonScope>;
}

const DAY_MS = 86_400_000;
const PAYMENT_COUNT = 60;
const FIRST_PAYMENT_ID = 10_001;
const STATUS_CYCLE: ReadonlyArray<MoneyButtonPaymentStatus> = [
  'COMPLETED',
  'COMPLETED',
  'RECEIVED',
  'COMPLETED',
  'PENDING',
  'COMPLETED',
  'FAILED',
  'COMPLETED',
];
const OUTSIDE_PAYMAILS: ReadonlyArray<string> = [
  'carol@paymail.example',
  'dave@handcash.example',
  'shop@relayx.example',
];

function pick<T>(random: Random, items: ReadonlyArray<T>, fallback: T): T {
  return items[Math.floor(random.next() * items.length)] ?? fallback;
}

function between(random: Random, low: number, high: number): number {
  return low + Math.floor(random.next() * (high - low + 1));
}

function userFixture(
  random: Random,
  id: string,
  handle: string,
  name: string,
  bio: string,
  satoshis: bigint,
  createdAt: string,
): MoneyButtonUser {
  return {
    id,
    email: `${handle}@example.com`,
    password: `mb-${random.hex(6)}`,
    name,
    avatarUrl: `https://www.moneybutton.com/images/avatars/${handle}.png`,
    primaryPaymail: `${handle}@moneybutton.com`,
    bio,
    createdAt,
    defaultCurrency: 'USD',
    defaultLanguage: 'en',
    balanceId: random.uuid(),
    balance: { amount: usdValueOf(satoshis), currency: 'USD', satoshis: satoshis.toString() },
  };
}

function paymentAmount(random: Random, index: number): { currency: MoneyButtonCurrency; satoshis: bigint } {
  // Every fourth payment is priced in BSV, the rest in whole cents of USD.
  if (index % 4 === 3) return { currency: 'BSV', satoshis: BigInt(between(random, 10_000, 5_000_000)) };
  return { currency: 'USD', satoshis: BigInt(between(random, 50, 5_000)) * 20_000n };
}

function paymentFixture(
  random: Random,
  index: number,
  users: readonly [MoneyButtonUser, MoneyButtonUser],
  startedAt: number,
): MoneyButtonPayment {
  const [first, second] = users;
  const outside = pick(random, OUTSIDE_PAYMAILS, 'carol@paymail.example');
  // index % 3: 0 = first pays second, 1 = first and an outsider, 2 = second and an outsider;
  // alternating direction, so each user sends and receives at least 25 payments in all.
  const lane = index % 3;
  const outgoing = Math.floor(index / 3) % 2 === 0;
  const local = lane === 2 ? second : first;
  const payer = lane === 0 ? first : outgoing ? local : undefined;
  const payee = lane === 0 ? second : outgoing ? undefined : local;
  const id = String(FIRST_PAYMENT_ID + index);
  const { currency, satoshis } = paymentAmount(random, index);
  const status = STATUS_CYCLE[index % STATUS_CYCLE.length] ?? 'COMPLETED';
  const createdMs = startedAt - (PAYMENT_COUNT - index) * DAY_MS + between(random, 0, 3_600_000);
  const updatedMs = status === 'PENDING' ? createdMs : createdMs + between(random, 1_000, 600_000);
  // A fifth of the payments also pay a small fee output to an outside paymail.
  const feeSatoshis = index % 5 === 4 ? (currency === 'USD' ? 20_000n : satoshis / 10n) : 0n;
  const mainSatoshis = satoshis - feeSatoshis;
  const outputs: MoneyButtonPaymentOutput[] = [
    {
      id: `${id}-1`,
      to: payee?.primaryPaymail ?? outside,
      userId: payee?.id ?? null,
      amount: formatAmount(mainSatoshis, currency),
      currency,
      satoshis: mainSatoshis.toString(),
    },
  ];
  if (feeSatoshis > 0n) {
    outputs.push({
      id: `${id}-2`,
      to: 'fees@relayx.example',
      userId: null,
      amount: formatAmount(feeSatoshis, currency),
      currency,
      satoshis: feeSatoshis.toString(),
    });
  }
  const txid = random.hex(32);
  // Index 6 is the one double-spent payment: its transaction exists but is no longer valid.
  const finalStatus: MoneyButtonPaymentStatus = index === 6 ? 'DOUBLE_SPENT' : status;
  const broadcast = finalStatus !== 'FAILED';
  return {
    id,
    userId: payer?.id ?? null,
    from: payer?.primaryPaymail ?? outside,
    status: finalStatus,
    statusDescription: finalStatus === 'FAILED' ? 'Timed out.' : null,
    txid: broadcast ? txid : null,
    rawtx: broadcast ? `0100000001${random.hex(36)}00000000` : null,
    buttonId: index % 2 === 0 ? `order-${id}` : null,
    buttonData: index % 2 === 0 ? JSON.stringify({ orderId: id }) : null,
    amount: formatAmount(satoshis, currency),
    currency,
    satoshis: satoshis.toString(),
    createdAt: new Date(createdMs).toISOString(),
    updatedAt: new Date(updatedMs).toISOString(),
    outputs,
  };
}

function assetFixture(
  random: Random,
  id: string,
  owner: MoneyButtonUser,
  name: string,
  description: string,
  createdMs: number,
): MoneyButtonAsset {
  const at = new Date(createdMs).toISOString();
  return {
    id,
    userId: owner.id,
    protocol: 'SFP',
    tokenProtocolId: '1',
    name,
    description,
    avatar: null,
    url: null,
    initialSupply: String(between(random, 1, 1_000) * 1_000),
    paymailAlias: `${random.hex(6)}.asset`,
    paymailDomain: null,
    createdAt: at,
    updatedAt: at,
  };
}

/** Builds the fixtures from the seeded random source; `now` anchors the payment history. */
export function createMoneyButtonFixtures(random: Random, now: number): MoneyButtonFixtures {
  const clientId = random.hex(16);
  const app: MoneyButtonApp = {
    clientId,
    clientSecret: random.hex(16),
    name: 'Paygate Sandbox App',
    redirectUris: [
      'http://127.0.0.1/callback',
      'http://localhost/callback',
      'http://localhost:5007/oauth-response-web',
      'https://myredirecturi.com',
    ],
    webhookSecret: random.hex(16),
  };
  const otherApp: MoneyButtonClient = {
    clientId: random.hex(16),
    clientSecret: `${random.hex(4)}:pay%gate ${random.hex(4)}`,
    name: 'Paygate Second App',
    redirectUris: ['http://127.0.0.1/other-callback'],
  };
  const firstBalance = BigInt(between(random, 50_000_000, 150_000_000));
  const secondBalance = BigInt(between(random, 5_000_000, 40_000_000));
  const users: readonly [MoneyButtonUser, MoneyButtonUser] = [
    userFixture(random, '1040', 'alice', 'Alice Sandbox', 'Pays for things in the paygate sandbox.', firstBalance, new Date(now - 400 * DAY_MS).toISOString()),
    userFixture(random, '1041', 'bob', 'Bob Sandbox', 'Receives payments in the paygate sandbox.', secondBalance, new Date(now - 300 * DAY_MS).toISOString()),
  ];
  const wallets: MoneyButtonWallet[] = users.flatMap((user, index) => [
    { id: random.uuid(), userId: user.id, name: 'Main wallet', active: true, satoshis: user.balance.satoshis },
    {
      id: random.uuid(),
      userId: user.id,
      name: 'Savings wallet',
      active: false,
      satoshis: String(between(random, 1_000_000, 9_000_000) * (index + 1)),
    },
  ]);
  const payments = Array.from({ length: PAYMENT_COUNT }, (_, index) => paymentFixture(random, index, users, now));
  const [alice, bob] = users;
  const assets = [
    assetFixture(random, '501', alice, 'Sandbox Coupon', 'Redeemable for nothing at all.', now - 40 * DAY_MS),
    assetFixture(random, '502', alice, 'Demo Points', 'Loyalty points for the paygate demo.', now - 20 * DAY_MS),
    assetFixture(random, '503', bob, 'Bob Shares', 'Shares in Bob’s imaginary shop.', now - 10 * DAY_MS),
  ];
  return { app, otherApp, users, wallets, payments, assets, scopes: MONEY_BUTTON_SCOPES };
}
