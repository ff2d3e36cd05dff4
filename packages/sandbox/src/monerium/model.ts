/** The JSON shapes of Monerium API v1.3 as the sandbox serves them (002_*: profiles, orders, tokens). */

export type Chain = 'ethereum' | 'gnosis' | 'polygon';
export type Currency = 'eur' | 'usd' | 'gbp' | 'isk';
export type ProfileKind = 'personal' | 'corporate';
export type Permission = 'read' | 'write';
export type KycState = 'absent' | 'submitted' | 'pending' | 'confirmed';
export type KycOutcome = 'approved' | 'rejected' | 'unknown';
export type OrderKind = 'issue' | 'redeem';
export type OrderState = 'placed' | 'pending' | 'processed' | 'rejected';

export const CHAINS: ReadonlyArray<Chain> = ['ethereum', 'gnosis', 'polygon'];
export const CURRENCIES: ReadonlyArray<Currency> = ['eur', 'usd', 'gbp', 'isk'];
export const ORDER_STATES: ReadonlyArray<OrderState> = ['placed', 'pending', 'processed', 'rejected'];

/**
 * The test networks of the sandbox era of these docs: `rinkeby` is what the token list shows for
 * ethereum; gnosis and polygon used their test chains of the same period.
 */
export const SANDBOX_NETWORKS: Readonly<Record<Chain, string>> = { ethereum: 'rinkeby', gnosis: 'chiado', polygon: 'mumbai' };

/** The identifier the docs reserve for actions performed by the Monerium system itself. */
export const SYSTEM_ID = '00000000-0000-0000-0000-000000000000';

/**
 * `profile.accounts[]`. The documented fields plus `id` (the emoney account UUID the orders
 * `accountId` filter refers to), `chain` and `network` (an address is linked per chain).
 */
export interface MoneriumAccount {
  id: string;
  address: string;
  currency: Currency;
  chain: Chain;
  network: string;
  standard?: 'iban' | 'scan';
  iban?: string;
  sortCode?: string;
  accountNumber?: string;
}

/** `GET /profiles/{id}`; `kind` is added beside the documented fields. */
export interface MoneriumProfile {
  id: string;
  name: string;
  kind: ProfileKind;
  kyc: { state: KycState; outcome: KycOutcome };
  accounts: MoneriumAccount[];
}

export interface CounterpartDetails {
  name?: string;
  firstName?: string;
  lastName?: string;
  companyName?: string;
}

/** `GET /orders/{id}`. `accountId`, `chain`, `network` and `txHashes` back the documented filters. */
export interface MoneriumOrder {
  id: string;
  profile: string;
  accountId: string;
  address: string;
  kind: OrderKind;
  chain: Chain;
  network: string;
  amount: string;
  currency: Currency;
  counterpart: {
    identifier: { standard: 'iban'; iban: string };
    details: CounterpartDetails;
  };
  memo?: string;
  rejectedReason?: string;
  supportingDocumentId?: string;
  txHashes: string[];
  meta: {
    state: OrderState;
    placedBy: string;
    placedAt: string;
    approvedAt?: string;
    rejectedAt?: string;
    cursor: string;
  };
}

/** `GET /tokens`. */
export interface MoneriumToken {
  currency: Currency;
  ticker: string;
  symbol: string;
  chain: Chain;
  network: string;
  address: string;
  decimals: number;
}

/** `GET /balances` entries: one per linked address and chain (not in the v1.3 page; the shape the API serves). */
export interface MoneriumBalances {
  id: string;
  address: string;
  chain: Chain;
  network: string;
  balances: Array<{ currency: Currency; amount: string }>;
}

/** RFC 3339 with microseconds, as in the documented examples (`2021-02-13T14:23:56.124539Z`). */
export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000Z');
