import type { Clock, Random } from '../context.js';
import { parseAmount } from '../monerium/amounts.js';
import {
  type PendingSignature,
  type V2Address,
  type V2Chain,
  type V2Currency,
  type V2File,
  type V2Iban,
  type V2Order,
  type V2Profile,
  type V2ProfileAccess,
  timestamp,
  type WebhookType,
} from './model.js';

/** A person who can sign in (the v1.3 users, plus anyone who signs up through the v2 portal). */
export interface V2User {
  readonly userId: string;
  readonly email: string;
  readonly password: string;
  readonly name: string;
  defaultProfile: string;
  readonly profiles: V2ProfileAccess[];
}

/** The OAuth app of the authorization code flow (PKCE or SIWE); no secret. */
export interface V2AppClient {
  readonly clientId: string;
  readonly name: string;
  readonly partnerId: string;
  readonly redirectUris: ReadonlyArray<string>;
}

/** A client-credentials client: a Private app, or a Whitelabel app (`whitelabel: true`) that may onboard profiles. */
export interface V2CredentialsClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly name: string;
  readonly userId: string;
  readonly email: string;
  readonly whitelabel: boolean;
  defaultProfile: string;
  readonly profiles: V2ProfileAccess[];
}

/** A Safe: a contract account whose owners sign; `"0x"` as its signature means "signed on chain, wait". */
export interface SafeAccount {
  readonly address: string;
  readonly owners: ReadonlyArray<string>;
  readonly threshold: number;
}

/** Something Monerium tells subscribed webhooks about (fact sheet §5). */
export interface WorldEvent {
  readonly type: WebhookType;
  readonly profile: string;
  readonly data: unknown;
}

interface StoredOrder {
  readonly order: V2Order;
  readonly placedAtMs: number;
  /** The payload hash it was placed with, so a repeat with the same `id` is recognised. */
  readonly fingerprint: string;
}

interface PendingAction {
  readonly signature: PendingSignature;
  readonly profile: string;
  /** What happens when the on-chain signature lands. */
  readonly complete: () => void;
  /** For orders: the fingerprint of the payload, so a repeated POST with the same id answers 202 again. */
  readonly fingerprint?: string;
}

export interface WorldOptions {
  readonly orderTransitionMs: number;
  readonly autoProcessOrders: boolean;
  readonly ibanProvisioningMs: number;
}

const key = (...parts: ReadonlyArray<string>): string => parts.join('|').toLowerCase();
const FINAL: ReadonlyArray<V2Order['state']> = ['processed', 'rejected'];

/** The whole v2 state: who exists, what they own, and the timers that move orders and IBANs on. */
export class World {
  readonly users: V2User[] = [];
  readonly apps: V2AppClient[] = [];
  readonly credentialClients: V2CredentialsClient[] = [];
  readonly safes: SafeAccount[] = [];
  private readonly profiles = new Map<string, V2Profile>();
  private readonly addresses = new Map<string, V2Address>();
  private readonly linkMeta = new Map<string, { linkedBy: string; linkedAt: string }>();
  private readonly ibans = new Map<string, V2Iban>();
  private readonly cents = new Map<string, bigint>();
  private readonly orders = new Map<string, StoredOrder>();
  private readonly files = new Map<string, V2File>();
  private readonly pending = new Map<string, PendingAction>();
  private readonly usedNonces = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly orderTimers = new Map<string, NodeJS.Timeout>();
  private readonly listeners = new Set<(event: WorldEvent) => void>();
  private readonly orderListeners = new Set<(order: V2Order) => void>();

  constructor(
    readonly random: Random,
    readonly clock: Clock,
    readonly options: WorldOptions,
  ) {}

  // ---- events ----
  subscribe(listener: (event: WorldEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every order transition (placed, pending, processed, rejected), for the order websocket. */
  watchOrders(listener: (order: V2Order) => void): () => void {
    this.orderListeners.add(listener);
    return () => this.orderListeners.delete(listener);
  }

  private orderChanged(order: V2Order): void {
    for (const listener of [...this.orderListeners]) listener(structuredClone(order));
  }

  emit(type: WebhookType, profile: string, data: unknown): void {
    for (const listener of [...this.listeners]) listener({ type, profile, data: structuredClone(data) });
  }

  // ---- profiles ----
  addProfile(profile: V2Profile): void {
    this.profiles.set(profile.id, profile);
  }

  profile(id: string): V2Profile | undefined {
    return this.profiles.get(id);
  }

  /** Recomputes `state` from the sections and announces the profile when it changed. */
  updateProfile(id: string, change: (profile: V2Profile) => void): V2Profile {
    const profile = this.profiles.get(id);
    if (profile === undefined) throw new Error(`unknown profile ${id}`);
    const before = JSON.stringify(profile);
    change(profile);
    if (JSON.stringify(profile) !== before) this.emit('profile.updated', id, profile);
    return structuredClone(profile);
  }

  // ---- addresses ----
  link(profile: string, address: string, chain: V2Chain, by: string): V2Address {
    const existing = this.addresses.get(address.toLowerCase());
    const entry = existing ?? { profile, address, chains: [] };
    if (!entry.chains.includes(chain)) entry.chains.push(chain);
    this.addresses.set(address.toLowerCase(), entry);
    if (!this.linkMeta.has(address.toLowerCase())) this.linkMeta.set(address.toLowerCase(), { linkedBy: by, linkedAt: timestamp(this.clock.now()) });
    return structuredClone(entry);
  }

  address(address: string): V2Address | undefined {
    const found = this.addresses.get(address.toLowerCase());
    return found === undefined ? undefined : structuredClone(found);
  }

  linkInfo(address: string): { linkedBy: string; linkedAt: string } | undefined {
    return this.linkMeta.get(address.toLowerCase());
  }

  allAddresses(): V2Address[] {
    return [...this.addresses.values()].map((a) => structuredClone(a));
  }

  safe(address: string): SafeAccount | undefined {
    return this.safes.find((s) => s.address.toLowerCase() === address.toLowerCase());
  }

  // ---- balances ----
  balance(address: string, chain: V2Chain, currency: V2Currency): bigint {
    return this.cents.get(key(address, chain, currency)) ?? 0n;
  }

  adjust(address: string, chain: V2Chain, currency: V2Currency, delta: bigint): void {
    this.cents.set(key(address, chain, currency), this.balance(address, chain, currency) + delta);
  }

  // ---- IBANs ----
  ibanOfProfile(profile: string): V2Iban | undefined {
    const found = [...this.ibans.values()].find((i) => i.profile === profile);
    return found === undefined ? undefined : structuredClone(found);
  }

  iban(iban: string): V2Iban | undefined {
    const found = this.ibans.get(iban.replace(/\s+/g, '').toUpperCase());
    return found === undefined ? undefined : structuredClone(found);
  }

  allIbans(): V2Iban[] {
    return [...this.ibans.values()].map((i) => structuredClone(i));
  }

  /** Stores an IBAN; `requested` ones turn `approved` after the provisioning delay (or `provisionIbans`). */
  putIban(iban: V2Iban): void {
    this.ibans.set(iban.iban.replace(/\s+/g, ''), iban);
    if (iban.state === 'requested') this.later(this.options.ibanProvisioningMs, () => this.provision(iban.iban));
  }

  /** Moves an IBAN to another linked address; false when nothing changes. */
  moveIban(iban: string, address: string, chain: V2Chain): boolean {
    const stored = this.ibans.get(iban.replace(/\s+/g, '').toUpperCase());
    if (stored === undefined) throw new Error(`unknown IBAN ${iban}`);
    if (stored.address.toLowerCase() === address.toLowerCase() && stored.chain === chain) return false;
    stored.address = address;
    stored.chain = chain;
    this.emit('iban.updated', stored.profile, stored);
    return true;
  }

  /** Finishes every requested IBAN now; returns how many. */
  provisionAll(): number {
    const requested = [...this.ibans.values()].filter((i) => i.state === 'requested');
    for (const iban of requested) this.provision(iban.iban);
    return requested.length;
  }

  private provision(iban: string): void {
    const stored = this.ibans.get(iban.replace(/\s+/g, ''));
    if (stored === undefined || stored.state !== 'requested') return;
    stored.state = 'approved';
    this.emit('iban.updated', stored.profile, stored);
  }

  // ---- files ----
  addFile(file: V2File): void {
    this.files.set(file.id, file);
  }

  hasFile(id: string): boolean {
    return this.files.has(id);
  }

  // ---- SIWE nonces ----
  /** False when the nonce was used before (EIP-4361 replay protection). */
  useNonce(nonce: string): boolean {
    if (this.usedNonces.has(nonce)) return false;
    this.usedNonces.add(nonce);
    return true;
  }

  // ---- pending on-chain signatures ----
  addPending(id: string, action: PendingAction): void {
    this.pending.set(id, action);
  }

  pendingAction(id: string): PendingAction | undefined {
    return this.pending.get(id);
  }

  pendingSignatures(): Array<{ profile: string; signature: PendingSignature; key: string }> {
    return [...this.pending.entries()].map(([k, action]) => ({ key: k, profile: action.profile, signature: structuredClone(action.signature) }));
  }

  /** The Safe's `signMessage` transaction landed: the waiting link or order goes ahead. */
  completeSignature(id: string): void {
    const action = this.pending.get(id);
    if (action === undefined) throw new Error(`no pending signature ${id}`);
    this.pending.delete(id);
    action.complete();
  }

  // ---- orders ----
  order(id: string): V2Order | undefined {
    const stored = this.orders.get(id);
    return stored === undefined ? undefined : structuredClone(stored.order);
  }

  orderFingerprint(id: string): string | undefined {
    return this.orders.get(id)?.fingerprint;
  }

  /** Every order, newest first. */
  allOrders(): V2Order[] {
    return [...this.orders.values()]
      .sort((a, b) => b.placedAtMs - a.placedAtMs || (a.order.id < b.order.id ? 1 : -1))
      .map((s) => structuredClone(s.order));
  }

  /** History: no events, no timers. */
  seedOrder(order: V2Order, placedAtMs: number): void {
    this.orders.set(order.id, { order, placedAtMs, fingerprint: '' });
  }

  /** A new order in `placed`: `order.created` now, then `placed → pending → processed` on timers. */
  placeOrder(order: V2Order, fingerprint: string): V2Order {
    const now = this.clock.now();
    this.orders.set(order.id, { order, placedAtMs: now, fingerprint });
    this.emit('order.created', order.profile, order);
    this.orderChanged(order);
    this.scheduleOrder(order.id);
    return structuredClone(order);
  }

  /** One step on: placed → pending (tokens burnt or money received) → processed. */
  advanceOrder(id: string): V2Order {
    clearTimeout(this.orderTimers.get(id));
    this.orderTimers.delete(id);
    const order = this.step(id);
    this.scheduleOrder(id);
    return order;
  }

  /** Rejects an order that is not final; a rejected redeem gives the burnt amount back. */
  rejectOrder(id: string, reason: string): V2Order {
    const stored = this.orders.get(id);
    if (stored === undefined) throw new Error(`unknown order ${id}`);
    const { order } = stored;
    if (FINAL.includes(order.state)) throw new Error(`order ${id} is already ${order.state}`);
    clearTimeout(this.orderTimers.get(id));
    this.orderTimers.delete(id);
    order.state = 'rejected';
    order.meta.rejectedReason = reason;
    if (order.kind === 'redeem') this.adjust(order.address, order.chain, order.currency, parseAmount(order.amount) ?? 0n);
    this.emit('order.updated', order.profile, order);
    this.orderChanged(order);
    return structuredClone(order);
  }

  /** Called when a redeem is processed (the cross-chain issue follows). */
  onProcessed?: (order: V2Order) => void;

  private step(id: string): V2Order {
    const stored = this.orders.get(id);
    if (stored === undefined) throw new Error(`unknown order ${id}`);
    const { order } = stored;
    switch (order.state) {
      case 'placed':
        order.state = 'pending';
        order.meta.txHashes = [...(order.meta.txHashes ?? []), `0x${this.random.hex(32)}`];
        break;
      case 'pending':
        order.state = 'processed';
        order.meta.processedAt = timestamp(this.clock.now());
        if (order.kind === 'issue') this.adjust(order.address, order.chain, order.currency, parseAmount(order.amount) ?? 0n);
        this.emit('order.updated', order.profile, order);
        this.onProcessed?.(structuredClone(order));
        break;
      default:
        throw new Error(`order ${id} is ${order.state} and cannot advance`);
    }
    this.orderChanged(order);
    return structuredClone(order);
  }

  private scheduleOrder(id: string): void {
    const state = this.orders.get(id)?.order.state;
    if (!this.options.autoProcessOrders || state === undefined || FINAL.includes(state)) return;
    const timer = setTimeout(() => {
      this.orderTimers.delete(id);
      const current = this.orders.get(id)?.order.state;
      if (current === undefined || FINAL.includes(current)) return;
      this.step(id);
      this.scheduleOrder(id);
    }, this.options.orderTransitionMs);
    this.orderTimers.set(id, timer);
  }

  /** Runs `task` after `ms` (at once, but asynchronously, for 0) unless the world closes first. */
  later(ms: number, task: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      task();
    }, ms);
    this.timers.add(timer);
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    for (const timer of this.orderTimers.values()) clearTimeout(timer);
    this.timers.clear();
    this.orderTimers.clear();
    this.listeners.clear();
    this.orderListeners.clear();
  }
}
