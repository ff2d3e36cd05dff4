import { STATUS_CODES } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { ProviderName, Random } from './context.js';
import { locate } from './recorder.js';

/**
 * A fault to inject. `route` is `'<METHOD> <path>'` or `'<path>'`, the path relative to the
 * provider prefix, where `*` matches any run of characters (`'/orders/*'`, `'GET /profiles/*\/orders'`).
 * `times` limits the rule to the first N requests it matches; `rate` is the chance (drawn from the
 * seeded RNG) that a matching request is hit.
 */
export type FaultRule = {
  provider?: ProviderName;
  route?: string;
  times?: number;
  rate?: number;
} & (
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: 500 | 502 | 503 | 504 }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'malformed-json' }
  | { kind: 'bad-shape' }
  | { kind: 'reset' }
  | { kind: 'ws-drop'; afterMessages: number }
  | { kind: 'clock-skew'; ms: number }
);

type Channel = 'http' | 'upgrade';
type Terminal = Extract<FaultRule, { kind: 'status' | 'rate-limit' | 'malformed-json' | 'bad-shape' | 'reset' }>;

/** What the rules decided for one request. */
export interface FaultDecision {
  readonly delayMs: number;
  readonly skewMs: number;
  /** The response that replaces the provider's, if any. */
  readonly terminal?: Terminal;
  /** For websocket upgrades: terminate the socket after this many messages. */
  readonly wsDropAfter?: number;
}

const NO_FAULT: FaultDecision = { delayMs: 0, skewMs: 0 };

const appliesTo = (kind: FaultRule['kind'], channel: Channel): boolean => {
  switch (kind) {
    case 'ws-drop':
      return channel === 'upgrade';
    case 'malformed-json':
    case 'bad-shape':
      return channel === 'http';
    default:
      return true;
  }
};

const isTerminal = (rule: FaultRule): rule is Terminal =>
  rule.kind === 'status' || rule.kind === 'rate-limit' || rule.kind === 'malformed-json' || rule.kind === 'bad-shape' || rule.kind === 'reset';

const escapeRegExp = (text: string): string => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

interface CompiledRoute {
  readonly method?: string;
  readonly path: RegExp;
}

const compileRoute = (route: string): CompiledRoute => {
  const match = /^([A-Za-z]+)\s+(\S+)$/.exec(route.trim());
  const [method, path] = match === null ? [undefined, route.trim()] : [match[1]?.toUpperCase(), match[2] ?? ''];
  if (!path.startsWith('/')) throw new TypeError(`fault route must be '<METHOD> /path' or '/path', got ${JSON.stringify(route)}`);
  const pattern = new RegExp(`^${path.split('*').map(escapeRegExp).join('.*')}$`);
  return method === undefined ? { path: pattern } : { method, path: pattern };
};

const nonNegative = (value: number, what: string): void => {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${what} must be a finite number >= 0, got ${value}`);
};

const validate = (rule: FaultRule): void => {
  if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 0)) {
    throw new RangeError(`fault times must be a non-negative integer, got ${rule.times}`);
  }
  if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) throw new RangeError(`fault rate must be within 0..1, got ${rule.rate}`);
  switch (rule.kind) {
    case 'latency':
      nonNegative(rule.ms, 'latency ms');
      break;
    case 'rate-limit':
      nonNegative(rule.retryAfterSeconds, 'retryAfterSeconds');
      break;
    case 'ws-drop':
      nonNegative(rule.afterMessages, 'afterMessages');
      break;
    case 'clock-skew':
      if (!Number.isFinite(rule.ms)) throw new RangeError(`clock-skew ms must be finite, got ${rule.ms}`);
      break;
    case 'status':
      if (![500, 502, 503, 504].includes(rule.status)) throw new RangeError(`fault status must be 500, 502, 503 or 504, got ${rule.status}`);
      break;
    case 'malformed-json':
    case 'bad-shape':
    case 'reset':
      break;
    default:
      throw new TypeError(`unknown fault kind ${JSON.stringify((rule as { kind: unknown }).kind)}`);
  }
};

interface ActiveRule {
  readonly rule: FaultRule;
  readonly route?: CompiledRoute;
  matched: number;
}

export interface FaultInjector {
  set(rules: ReadonlyArray<FaultRule>): void;
  clear(): void;
  list(): ReadonlyArray<FaultRule>;
  /** Runs the rules for one request, consuming `times` and drawing `rate`. */
  decide(provider: ProviderName | 'unknown', method: string, path: string, channel: Channel): FaultDecision;
  /**
   * The skew a provider's clock carries outside any request (timers, websocket pushes): the sum of
   * the clock-skew rules for it that are not limited by route, times or rate.
   */
  ambientSkew(provider: ProviderName): number;
}

/** Fault rules with their own seeded RNG, so the fault draws of a seed never depend on traffic elsewhere. */
export const createFaultInjector = (random: Random): FaultInjector => {
  let active: ActiveRule[] = [];
  return {
    set(rules) {
      for (const rule of rules) validate(rule);
      active = rules.map((rule) => (rule.route === undefined ? { rule, matched: 0 } : { rule, route: compileRoute(rule.route), matched: 0 }));
    },
    clear() {
      active = [];
    },
    list: () => active.map(({ rule }) => rule),
    decide(provider, method, path, channel) {
      if (active.length === 0) return NO_FAULT;
      let delayMs = 0;
      let skewMs = 0;
      let terminal: Terminal | undefined;
      let wsDropAfter: number | undefined;
      for (const entry of active) {
        const { rule, route } = entry;
        if (!appliesTo(rule.kind, channel)) continue;
        if (rule.provider !== undefined && rule.provider !== provider) continue;
        if (route !== undefined && ((route.method !== undefined && route.method !== method.toUpperCase()) || !route.path.test(path))) continue;
        // A request already answered by an earlier rule is not one a later answering rule saw.
        if (terminal !== undefined && isTerminal(rule)) continue;
        if (rule.times !== undefined && entry.matched >= rule.times) continue;
        entry.matched++;
        if (rule.rate !== undefined && rule.rate < 1 && !(random.next() < rule.rate)) continue;
        if (rule.kind === 'latency') delayMs += rule.ms;
        else if (rule.kind === 'clock-skew') skewMs += rule.ms;
        else if (rule.kind === 'ws-drop') wsDropAfter ??= rule.afterMessages;
        else terminal = rule;
      }
      return {
        delayMs,
        skewMs,
        ...(terminal === undefined ? {} : { terminal }),
        ...(wsDropAfter === undefined ? {} : { wsDropAfter }),
      };
    },
    ambientSkew(provider) {
      let skew = 0;
      for (const { rule } of active) {
        if (rule.kind !== 'clock-skew' || rule.route !== undefined || rule.times !== undefined) continue;
        if (rule.rate !== undefined && rule.rate < 1) continue;
        if (rule.provider === undefined || rule.provider === provider) skew += rule.ms;
      }
      return skew;
    },
  };
};

/** Timers for injected latency that `close` ends at once (and skips from then on), so closing never waits on them. */
export interface Delays {
  wait(ms: number, socket?: { once(event: 'close', listener: () => void): unknown }): Promise<void>;
  close(): void;
}

export const createDelays = (): Delays => {
  const pending = new Set<() => void>();
  let closed = false;
  return {
    wait(ms, socket) {
      if (closed) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          pending.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        pending.add(done);
        // A client that gave up (a timeout test) should not keep the timer alive.
        socket?.once('close', done);
      });
    },
    close() {
      closed = true;
      for (const done of [...pending]) done();
    },
  };
};

/** The sandbox's own error body, for faults and for requests no provider owns. */
export const plainError = (status: number, message: string) => ({ code: status, status: STATUS_CODES[status] ?? 'Error', message });

export interface FaultAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

/** What an answering fault sends instead of the provider; undefined for `reset`, which sends nothing. */
export const faultAnswer = (terminal: Terminal): FaultAnswer | undefined => {
  switch (terminal.kind) {
    case 'status':
      return { status: terminal.status, headers: JSON_TYPE, body: JSON.stringify(plainError(terminal.status, 'sandbox fault')) };
    case 'rate-limit':
      return {
        status: 429,
        headers: { ...JSON_TYPE, 'retry-after': String(Math.ceil(terminal.retryAfterSeconds)) },
        body: JSON.stringify(plainError(429, 'sandbox fault')),
      };
    case 'malformed-json':
      return { status: 200, headers: JSON_TYPE, body: '{"truncated":' };
    case 'bad-shape':
      return { status: 200, headers: JSON_TYPE, body: '{"unexpected":true}' };
    case 'reset':
      return undefined;
  }
};

/**
 * The root hook that applies the rules to every HTTP request before any provider sees it, and
 * remembers each request's clock skew for `skewOf`.
 */
export const installFaultHooks = (
  app: FastifyInstance,
  injector: FaultInjector,
  delays: Delays,
): { skewOf(request: FastifyRequest): number } => {
  const skews = new WeakMap<FastifyRequest, number>();
  app.addHook('onRequest', async (request, reply) => {
    const location = locate(request.url);
    const decision = injector.decide(location.provider, request.method, location.path, 'http');
    if (decision.skewMs !== 0) skews.set(request, decision.skewMs);
    if (decision.delayMs > 0) await delays.wait(decision.delayMs, request.raw.socket);
    if (decision.terminal === undefined) return;
    const answer = faultAnswer(decision.terminal);
    if (answer !== undefined) return reply.code(answer.status).headers(answer.headers).send(answer.body);
    reply.hijack();
    request.raw.socket.destroy();
    return reply;
  });
  return {
    skewOf: (request) => skews.get(request) ?? 0,
  };
};

/** `ws-drop`: the socket is terminated (no close frame) once `afterMessages` messages went out. */
export const dropAfter = (socket: WebSocket, afterMessages: number): void => {
  if (afterMessages === 0) {
    socket.terminate();
    return;
  }
  let sent = 0;
  const send = socket.send.bind(socket) as (data: unknown, options: object, callback: (error?: Error) => void) => void;
  // Counting at the socket keeps the fault independent of how the provider emits its messages.
  socket.send = ((data: unknown, optionsOrCallback?: unknown, maybeCallback?: unknown) => {
    if (sent >= afterMessages) return;
    sent++;
    const options = typeof optionsOrCallback === 'object' && optionsOrCallback !== null ? optionsOrCallback : {};
    const callback = (typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback) as ((error?: Error) => void) | undefined;
    send(data, options, (error) => {
      callback?.(error);
      // Terminate once the last allowed message is flushed, so the client does receive it.
      if (sent === afterMessages) socket.terminate();
    });
  }) as WebSocket['send'];
};
