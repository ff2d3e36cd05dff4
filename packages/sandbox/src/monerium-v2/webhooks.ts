import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { Random } from '../context.js';
import { asObject, asString } from '../monerium/payload.js';
import { type V2Caller, v2CallerOf, type V2Services } from './caller.js';
import { v2Error, v2NotFound, v2Validation } from './errors.js';
import { DEFAULT_WEBHOOK_TYPES, timestamp, WEBHOOK_TYPES, type WebhookSubscription, type WebhookType } from './model.js';
import { v2Route } from './routing.js';
import type { World, WorldEvent } from './world.js';

/**
 * The documented retry schedule: at most 10 retries over about 12 hours, exponential (fact sheet
 * §5 gives the bounds, not the steps; these are the sandbox's).
 */
export const DEFAULT_RETRY_SCHEDULE_MS: ReadonlyArray<number> = [5, 30, 120, 300, 900, 1800, 3600, 7200, 14_400, 14_400].map((s) => s * 1000);
const MAX_RETRIES = 10;

/**
 * A fault on outgoing deliveries. `type` limits it to one event type (`subscription.created`
 * included), `times` to the first N attempts it matches.
 * - `drop`: the attempt is not sent (it counts as failed, so a retry follows)
 * - `duplicate`: the attempt is sent twice, same `webhook-id`, headers and body
 * - `bad-signature`: signed with another key
 * - `timestamp-skew`: `webhook-timestamp` off by `ms` (correctly signed, outside a receiver's window when large)
 * - `delay`: the attempt is sent `ms` late
 */
export type WebhookFault = { type?: WebhookType | 'subscription.created'; times?: number } & (
  | { kind: 'drop' }
  | { kind: 'duplicate' }
  | { kind: 'bad-signature' }
  | { kind: 'timestamp-skew'; ms: number }
  | { kind: 'delay'; ms: number }
);

/** One delivery attempt as the sandbox made it (or skipped it, for `drop`). */
export interface WebhookAttempt {
  readonly webhookId: string;
  readonly subscription: string;
  readonly url: string;
  readonly type: string;
  /** 0 for the first attempt, then 1…10 for retries. */
  readonly attempt: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The receiver's status; undefined when it did not answer (timeout, refused, dropped by a fault). */
  readonly status?: number;
  readonly error?: string;
  readonly at: number;
}

interface Stored {
  readonly subscription: WebhookSubscription;
  readonly secret: string;
  readonly clientId: string;
}

export interface WebhookOptions {
  readonly retryScheduleMs: ReadonlyArray<number>;
  readonly timeoutMs: number;
}

const SECRET = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

/** `whsec_` + base64 of 24–64 bytes (fact sheet §5); the key is the decoded bytes. */
export const webhookKey = (secret: string): Buffer | undefined => {
  const match = SECRET.exec(secret);
  if (match?.[1] === undefined || match[1].length % 4 !== 0) return undefined;
  const key = Buffer.from(match[1], 'base64');
  return key.length >= 24 && key.length <= 64 ? key : undefined;
};

/** Standard Webhooks: `v1,` + base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)). */
export const signWebhook = (key: Buffer, id: string, unixSeconds: number, body: string): string =>
  `v1,${createHmac('sha256', key).update(`${id}.${unixSeconds}.${body}`).digest('base64')}`;

/** Subscriptions, the deliveries of world events to them, their retries and faults. */
export class Webhooks {
  private readonly subscriptions = new Map<string, Stored>();
  private readonly attempts: WebhookAttempt[] = [];
  private faults: Array<{ fault: WebhookFault; hits: number }> = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inflight = new Set<AbortController>();
  private closed = false;
  /** Resolves waiters of `settled()` when nothing is in flight or scheduled. */
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly world: World,
    private readonly random: Random,
    private readonly options: WebhookOptions,
    private readonly readable: (clientId: string, profile: string) => boolean,
  ) {
    world.subscribe((event) => this.dispatch(event));
  }

  setFaults(faults: ReadonlyArray<WebhookFault>): void {
    for (const fault of faults) {
      if (!['drop', 'duplicate', 'bad-signature', 'timestamp-skew', 'delay'].includes(fault.kind)) throw new TypeError(`unknown webhook fault ${JSON.stringify(fault.kind)}`);
      if (fault.times !== undefined && !(Number.isInteger(fault.times) && fault.times >= 0)) throw new RangeError('webhook fault times must be a non-negative integer');
      if ((fault.kind === 'delay' || fault.kind === 'timestamp-skew') && !Number.isFinite(fault.ms)) throw new RangeError('webhook fault ms must be finite');
    }
    this.faults = faults.map((fault) => ({ fault, hits: 0 }));
  }

  listFaults(): ReadonlyArray<WebhookFault> {
    return this.faults.map((f) => f.fault);
  }

  log(): ReadonlyArray<WebhookAttempt> {
    return this.attempts.map((a) => ({ ...a, headers: { ...a.headers } }));
  }

  list(clientId: string): WebhookSubscription[] {
    return [...this.subscriptions.values()].filter((s) => s.clientId === clientId).map((s) => structuredClone(s.subscription));
  }

  get(clientId: string, id: string): Stored | undefined {
    const found = this.subscriptions.get(id);
    return found?.clientId === clientId ? found : undefined;
  }

  put(stored: Stored): void {
    this.subscriptions.set(stored.subscription.id, stored);
  }

  /** Resolves once no delivery is in flight or waiting for a retry. */
  settled(): Promise<void> {
    if (this.timers.size === 0 && this.inflight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** The `subscription.created` handshake: one attempt, no retries; true when the receiver answered 200. */
  async handshake(target: { id: string; url: string; secret: string }): Promise<boolean> {
    const body = JSON.stringify({ type: 'subscription.created', timestamp: timestamp(this.world.clock.now()) });
    const status = await this.attempt(target, `msg_${this.random.hex(12)}`, 'subscription.created', body, 0);
    return status === 200;
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.inflight) controller.abort();
    this.wake();
  }

  private dispatch(event: WorldEvent): void {
    for (const stored of this.subscriptions.values()) {
      const { subscription } = stored;
      if (subscription.state !== 'active' || !subscription.types.includes(event.type) || !this.readable(stored.clientId, event.profile)) continue;
      const body = JSON.stringify({ type: event.type, timestamp: timestamp(this.world.clock.now()), data: event.data });
      this.deliver(stored, `msg_${this.random.hex(12)}`, event.type, body, 0);
    }
  }

  /** One attempt now; on anything but 200 the next one follows the schedule, same `webhook-id`. */
  private deliver(stored: Stored, webhookId: string, type: string, body: string, attempt: number): void {
    const target = { id: stored.subscription.id, url: stored.subscription.url, secret: stored.secret };
    const run = this.attempt(target, webhookId, type, body, attempt).then((status) => {
      const schedule = this.options.retryScheduleMs.slice(0, MAX_RETRIES);
      const wait = schedule[attempt];
      if (status === 200 || wait === undefined || this.closed) return;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.deliver(stored, webhookId, type, body, attempt + 1);
        this.wake();
      }, wait);
      this.timers.add(timer);
    });
    void run.finally(() => this.wake());
  }

  private faultsFor(type: string): WebhookFault[] {
    const hit: WebhookFault[] = [];
    for (const entry of this.faults) {
      if (entry.fault.type !== undefined && entry.fault.type !== type) continue;
      if (entry.fault.times !== undefined && entry.hits >= entry.fault.times) continue;
      entry.hits++;
      hit.push(entry.fault);
    }
    return hit;
  }

  private async attempt(target: { id: string; url: string; secret: string }, webhookId: string, type: string, body: string, attempt: number): Promise<number | undefined> {
    if (this.closed) return undefined;
    const faults = this.faultsFor(type);
    const delay = faults.reduce((sum, f) => sum + (f.kind === 'delay' ? f.ms : 0), 0);
    const controller = new AbortController();
    this.inflight.add(controller);
    try {
      if (delay > 0) {
        // Closing the sandbox aborts the wait: nothing is sent after close.
        const waited = await sleep(delay, true, { signal: controller.signal }).catch(() => false);
        if (!waited) return undefined;
      }
      const skew = faults.reduce((sum, f) => sum + (f.kind === 'timestamp-skew' ? f.ms : 0), 0);
      const unix = Math.floor((this.world.clock.now() + skew) / 1000);
      const key = faults.some((f) => f.kind === 'bad-signature') ? Buffer.from(this.random.hex(32), 'hex') : (webhookKey(target.secret) ?? Buffer.alloc(0));
      const headers = {
        'content-type': 'application/json',
        'webhook-id': webhookId,
        'webhook-timestamp': String(unix),
        'webhook-signature': signWebhook(key, webhookId, unix, body),
      };
      const record = (status: number | undefined, error?: string) =>
        this.attempts.push({
          webhookId,
          subscription: target.id,
          url: target.url,
          type,
          attempt,
          headers,
          body,
          ...(status === undefined ? {} : { status }),
          ...(error === undefined ? {} : { error }),
          at: this.world.clock.now(),
        });
      if (faults.some((f) => f.kind === 'drop') || this.closed) {
        record(undefined, 'dropped by a sandbox fault');
        return undefined;
      }
      const copies = faults.some((f) => f.kind === 'duplicate') ? 2 : 1;
      let last: number | undefined;
      for (let i = 0; i < copies; i++) {
        try {
          const response = await fetch(target.url, {
            method: 'POST',
            headers,
            body,
            redirect: 'manual',
            signal: AbortSignal.any([controller.signal, AbortSignal.timeout(this.options.timeoutMs)]),
          });
          await response.arrayBuffer().catch(() => undefined);
          last = response.status;
          record(response.status);
        } catch (error) {
          last = undefined;
          record(undefined, error instanceof Error ? error.message : String(error));
        }
      }
      return last;
    } finally {
      this.inflight.delete(controller);
    }
  }

  private wake(): void {
    if (this.timers.size > 0 || this.inflight.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

const requireApp = (caller: V2Caller): void => {
  // "Whitelabel and Private apps only": OAuth apps watch EURe transfers instead (fact sheet §5).
  if (caller.kind !== 'client') throw v2Error(403, 'Webhooks are available to Whitelabel and Private apps (client credentials) only');
};

const readTypes = (value: unknown, errors: Record<string, string>): WebhookType[] | undefined => {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.some((t) => !WEBHOOK_TYPES.some((k) => k === t))) {
    errors.types = `A non-empty array of ${WEBHOOK_TYPES.join(', ')}`;
    return undefined;
  }
  return [...new Set(value as WebhookType[])];
};

/** `GET/POST /webhooks`, `PATCH /webhooks/{subscription}`. */
export const registerV2WebhookRoutes = (app: FastifyInstance, services: V2Services, webhooks: Webhooks): void => {
  v2Route(app, 'GET', '/webhooks', async (request) => {
    const caller = v2CallerOf(services, request);
    requireApp(caller);
    return { subscriptions: webhooks.list(caller.clientId) };
  });

  v2Route(app, 'POST', '/webhooks', async (request, reply) => {
    const caller = v2CallerOf(services, request);
    requireApp(caller);
    const body = asObject(request.body);
    const errors: Record<string, string> = {};
    const url = asString(body?.url);
    let parsed: URL | undefined;
    try {
      parsed = url === undefined ? undefined : new URL(url);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) errors.url = 'An http(s) URL is required';
    const secret = asString(body?.secret);
    if (secret === undefined || webhookKey(secret) === undefined) errors.secret = 'Must be whsec_ followed by the base64 of 24 to 64 random bytes';
    const types = readTypes(body?.types, errors);
    if (Object.keys(errors).length > 0 || url === undefined || secret === undefined) throw v2Validation(errors);
    const subscription: WebhookSubscription = { id: services.world.random.uuid(), url, types: types ?? [...DEFAULT_WEBHOOK_TYPES], state: 'active' };
    if (!(await webhooks.handshake({ id: subscription.id, url, secret }))) {
      throw v2Error(400, 'The endpoint did not answer 200 to subscription.created; the subscription was not created');
    }
    webhooks.put({ subscription, secret, clientId: caller.clientId });
    return reply.code(201).send(subscription);
  });

  v2Route(app, 'PATCH', '/webhooks/:subscription', async (request) => {
    const caller = v2CallerOf(services, request);
    requireApp(caller);
    const { subscription: id } = request.params as { subscription: string };
    const stored = webhooks.get(caller.clientId, id);
    if (stored === undefined) throw v2NotFound('Subscription', id);
    const body = asObject(request.body);
    const errors: Record<string, string> = {};
    const state = body?.state;
    if (state !== undefined && state !== 'active' && state !== 'inactive') errors.state = 'Must be active or inactive';
    const types = readTypes(body?.types, errors);
    if (Object.keys(errors).length > 0) throw v2Validation(errors);
    const next: WebhookSubscription = {
      ...stored.subscription,
      ...(state === 'active' || state === 'inactive' ? { state } : {}),
      ...(types === undefined ? {} : { types }),
    };
    // An update is confirmed like a creation, unless it switches the subscription off.
    if (next.state === 'active' && !(await webhooks.handshake({ id, url: next.url, secret: stored.secret }))) {
      throw v2Error(400, 'The endpoint did not answer 200 to subscription.created; the subscription was not changed');
    }
    webhooks.put({ ...stored, subscription: next });
    return next;
  });
};
