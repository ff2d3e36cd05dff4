import type { Clock, Random } from '../context.js';
import { parseAmount } from './amounts.js';
import type { Ledger } from './ledger.js';
import { type MoneriumOrder, type OrderState, rfc3339 } from './model.js';
import { opaque } from './payload.js';

export interface OrderFilter {
  address?: string;
  txHash?: string;
  memo?: string;
  profile?: string;
  accountId?: string;
  state?: OrderState;
}

export interface OrderBookOptions {
  /** Delay between placed → pending → processed; 0 runs the steps back to back (still asynchronously). */
  readonly transitionMs: number;
  /** When false, orders wait in each state until `advance` moves them. */
  readonly autoProcess: boolean;
}

/** An order draft before the book gives it its cursor and timestamps. */
export type OrderDraft = Omit<MoneriumOrder, 'txHashes' | 'meta'> & { placedBy: string };

interface Stored {
  readonly order: MoneriumOrder;
  readonly placedAtMs: number;
}

type Listener = (order: MoneriumOrder) => void;

const FINAL: ReadonlyArray<OrderState> = ['processed', 'rejected'];

const newestFirst = (a: Stored, b: Stored): number =>
  b.placedAtMs - a.placedAtMs || (a.order.id < b.order.id ? 1 : a.order.id > b.order.id ? -1 : 0);

/**
 * Every order, its lifecycle (`placed → pending → processed`, or `rejected`), the balance effects
 * of each step, and the listeners (the websocket) that see every transition in order.
 */
export class OrderBook {
  private readonly orders = new Map<string, Stored>();
  private readonly cursors = new Map<string, string>();
  private readonly listeners = new Set<Listener>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly random: Random,
    private readonly clock: Clock,
    private readonly ledger: Ledger,
    private readonly options: OrderBookOptions,
  ) {}

  /** Adds history without events or timers (the seeded orders). */
  seed(order: MoneriumOrder, placedAtMs: number): void {
    this.orders.set(order.id, { order, placedAtMs });
    this.cursors.set(order.meta.cursor, order.id);
  }

  /** A new order in state `placed`: announced at once, then moved on by timers when auto-processing. */
  place(draft: OrderDraft, now: number): MoneriumOrder {
    const { placedBy, ...fields } = draft;
    const cursor = opaque(this.random);
    const order: MoneriumOrder = { ...fields, txHashes: [], meta: { state: 'placed', placedBy, placedAt: rfc3339(now), cursor } };
    this.seed(order, now);
    this.emit(order);
    this.schedule(order.id);
    return structuredClone(order);
  }

  get(id: string): MoneriumOrder | undefined {
    const stored = this.orders.get(id);
    return stored === undefined ? undefined : structuredClone(stored.order);
  }

  /** Matching orders newest first (by `placedAt`, then id); `limit`/`cursor` page through them. */
  list(filter: OrderFilter, visible: (profile: string) => boolean, page: { limit?: number; after?: string } = {}): MoneriumOrder[] {
    let rows = [...this.orders.values()].filter(({ order }) => visible(order.profile) && matches(order, filter)).sort(newestFirst);
    if (page.after !== undefined) {
      const anchor = this.orders.get(page.after);
      // Position by the anchor's sort key, so a cursor still works if its order left the filter.
      if (anchor !== undefined) rows = rows.filter((row) => newestFirst(anchor, row) < 0);
    }
    if (page.limit !== undefined) rows = rows.slice(0, page.limit);
    return rows.map(({ order }) => structuredClone(order));
  }

  /** The id of the order a `meta.cursor` belongs to. */
  orderIdForCursor(cursor: string): string | undefined {
    return this.cursors.get(cursor);
  }

  /** One step forward (placed → pending → processed); auto-processing carries on from there. */
  advance(id: string): MoneriumOrder {
    this.cancelTimer(id);
    const order = this.step(this.live(id));
    this.schedule(id);
    return order;
  }

  private step(order: MoneriumOrder): MoneriumOrder {
    const now = this.clock.now();
    switch (order.meta.state) {
      case 'placed':
        order.meta.state = 'pending';
        // "pending - money has been received for issue orders or tokens have been burnt for redeem orders"
        order.txHashes.push(`0x${this.random.hex(32)}`);
        break;
      case 'pending': {
        order.meta.state = 'processed';
        order.meta.approvedAt = rfc3339(now);
        if (order.kind === 'issue') this.ledger.adjust(order.address, order.chain, order.currency, parseAmount(order.amount) ?? 0n);
        break;
      }
      default:
        throw new Error(`order ${order.id} is ${order.meta.state} and cannot advance`);
    }
    this.emit(order);
    return structuredClone(order);
  }

  /** Rejects an order that is not final yet; a rejected redeem gives the burnt amount back. */
  reject(id: string, reason: string): MoneriumOrder {
    const order = this.live(id);
    if (FINAL.includes(order.meta.state)) throw new Error(`order ${id} is already ${order.meta.state}`);
    this.cancelTimer(id);
    order.meta.state = 'rejected';
    order.meta.rejectedAt = rfc3339(this.clock.now());
    order.rejectedReason = reason;
    if (order.kind === 'redeem') this.ledger.adjust(order.address, order.chain, order.currency, parseAmount(order.amount) ?? 0n);
    this.emit(order);
    return structuredClone(order);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    for (const id of [...this.timers.keys()]) this.cancelTimer(id);
    this.listeners.clear();
  }

  private live(id: string): MoneriumOrder {
    const stored = this.orders.get(id);
    if (stored === undefined) throw new Error(`unknown order ${id}`);
    return stored.order;
  }

  private emit(order: MoneriumOrder): void {
    for (const listener of [...this.listeners]) listener(structuredClone(order));
  }

  private schedule(id: string): void {
    const state = this.orders.get(id)?.order.meta.state;
    if (!this.options.autoProcess || state === undefined || FINAL.includes(state)) return;
    const timer = setTimeout(() => {
      this.timers.delete(id);
      const order = this.orders.get(id)?.order;
      if (order === undefined || FINAL.includes(order.meta.state)) return;
      this.step(order);
      this.schedule(id);
    }, this.options.transitionMs);
    this.timers.set(id, timer);
  }

  private cancelTimer(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }
}

const matches = (order: MoneriumOrder, filter: OrderFilter): boolean =>
  (filter.address === undefined || order.address.toLowerCase() === filter.address.toLowerCase()) &&
  (filter.txHash === undefined || order.txHashes.some((hash) => hash.toLowerCase() === filter.txHash?.toLowerCase())) &&
  (filter.memo === undefined || order.memo === filter.memo) &&
  (filter.profile === undefined || order.profile === filter.profile) &&
  (filter.accountId === undefined || order.accountId === filter.accountId) &&
  (filter.state === undefined || order.meta.state === filter.state);
