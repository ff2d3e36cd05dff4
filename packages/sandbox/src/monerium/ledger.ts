import type { Random } from '../context.js';
import { formatAmount } from './amounts.js';
import {
  type Chain,
  type Currency,
  type MoneriumAccount,
  type MoneriumBalances,
  type MoneriumProfile,
  SANDBOX_NETWORKS,
} from './model.js';

/** An address linked to a profile, on one or more chains. */
export interface LinkedAddress {
  profile: string;
  /** EIP-55 checksummed. */
  address: string;
  chains: Chain[];
  linkedBy: string;
  linkedAt: string;
}

const key = (...parts: ReadonlyArray<string>): string => parts.join('|').toLowerCase();

/** Profiles, their linked addresses and emoney accounts, and the balance of every account. */
export class Ledger {
  private readonly profiles = new Map<string, MoneriumProfile>();
  private readonly linked = new Map<string, LinkedAddress>();
  private readonly cents = new Map<string, bigint>();
  private readonly balanceIds = new Map<string, string>();

  constructor(private readonly random: Random) {}

  addProfile(profile: MoneriumProfile): void {
    this.profiles.set(profile.id, profile);
  }

  profile(id: string): MoneriumProfile | undefined {
    return this.profiles.get(id);
  }

  allProfiles(): ReadonlyArray<MoneriumProfile> {
    return [...this.profiles.values()];
  }

  linkedAddress(address: string): LinkedAddress | undefined {
    return this.linked.get(address.toLowerCase());
  }

  linkedAddresses(): ReadonlyArray<LinkedAddress> {
    return [...this.linked.values()];
  }

  /** Links `address` to `profile` on `chains`, opening an account per chain and currency (idempotent). */
  link(profileId: string, address: string, chains: ReadonlyArray<Chain>, currencies: ReadonlyArray<Currency>, by: string, at: string): LinkedAddress {
    const existing = this.linked.get(address.toLowerCase());
    const entry = existing ?? { profile: profileId, address, chains: [], linkedBy: by, linkedAt: at };
    for (const chain of chains) {
      if (!entry.chains.includes(chain)) entry.chains.push(chain);
      for (const currency of currencies) this.openAccount(profileId, address, chain, currency);
    }
    this.linked.set(address.toLowerCase(), entry);
    return entry;
  }

  /** The account for address+chain+currency, created (with a zero balance) when missing. */
  openAccount(profileId: string, address: string, chain: Chain, currency: Currency, bank: Partial<MoneriumAccount> = {}): MoneriumAccount {
    const profile = this.profiles.get(profileId);
    if (profile === undefined) throw new Error(`unknown profile ${profileId}`);
    const found = this.account(address, chain, currency);
    if (found !== undefined) return found;
    const account: MoneriumAccount = {
      id: this.random.uuid(),
      address,
      currency,
      chain,
      network: SANDBOX_NETWORKS[chain],
      ...bank,
    };
    profile.accounts.push(account);
    if (!this.balanceIds.has(key(address, chain))) this.balanceIds.set(key(address, chain), this.random.uuid());
    if (!this.cents.has(key(address, chain, currency))) this.cents.set(key(address, chain, currency), 0n);
    return account;
  }

  account(address: string, chain: Chain, currency: Currency): MoneriumAccount | undefined {
    const owner = this.linked.get(address.toLowerCase());
    const profile = owner === undefined ? undefined : this.profiles.get(owner.profile);
    return profile?.accounts.find(
      (a) => a.address.toLowerCase() === address.toLowerCase() && a.chain === chain && a.currency === currency,
    );
  }

  balance(address: string, chain: Chain, currency: Currency): bigint {
    return this.cents.get(key(address, chain, currency)) ?? 0n;
  }

  /** Adds `delta` cents (negative to debit). Callers check the balance first. */
  adjust(address: string, chain: Chain, currency: Currency, delta: bigint): void {
    this.cents.set(key(address, chain, currency), this.balance(address, chain, currency) + delta);
  }

  /** One entry per linked address and chain of the profile, each listing its currencies. */
  balancesOf(profileId: string): MoneriumBalances[] {
    const profile = this.profiles.get(profileId);
    if (profile === undefined) return [];
    const out: MoneriumBalances[] = [];
    for (const account of profile.accounts) {
      let entry = out.find((b) => b.address === account.address && b.chain === account.chain);
      if (entry === undefined) {
        entry = {
          id: this.balanceIds.get(key(account.address, account.chain)) ?? '',
          address: account.address,
          chain: account.chain,
          network: account.network,
          balances: [],
        };
        out.push(entry);
      }
      entry.balances.push({ currency: account.currency, amount: formatAmount(this.balance(account.address, account.chain, account.currency)) });
    }
    return out;
  }
}
