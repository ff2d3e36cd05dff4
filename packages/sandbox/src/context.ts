import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';

/** The sandbox's notion of "now". Tests move it; every expiry and timestamp check reads it. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** Deterministic randomness derived from the sandbox seed (ids, codes, tokens, fault draws). */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** `n` random bytes as lowercase hex (2n characters). */
  hex(n: number): string;
  /** A random RFC 4122 version-4 shaped UUID. */
  uuid(): string;
}

/** The providers the sandbox emulates; each is served under `/<name>`. */
export type ProviderName = 'monerium' | 'moneybutton' | 'moneyns';

/** What the server hands each provider emulator when it builds it. */
export interface ProviderContext {
  readonly clock: Clock;
  readonly random: Random;
  /** Origin + prefix this provider is served under, e.g. `http://127.0.0.1:4010/monerium`. Valid once listening. */
  baseUrl(): string;
  /**
   * The provider's clock as seen by one request: `clock` plus any `clock-skew` fault drawn for
   * that request (a skew rule may be limited to a route or to its first N requests, which the
   * ambient `clock` cannot know). Emulators that check timestamps per request should prefer it.
   */
  requestClock?(request: FastifyRequest): Clock;
}

/**
 * A websocket upgrade routed to a provider. The server has already recorded it and applied the
 * upgrade faults; the provider either accepts it (the server then owns the socket: it closes it
 * on shutdown and applies `ws-drop`) or rejects it with a plain HTTP answer.
 */
export interface WebSocketUpgrade {
  readonly request: IncomingMessage;
  /** The path without the provider prefix and without the query, e.g. `/orders`. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** The provider's clock for this upgrade (see `ProviderContext.requestClock`). */
  readonly clock: Clock;
  accept(): Promise<WebSocket>;
  reject(status: number, headers: Readonly<Record<string, string>>, body: string): void;
}

/**
 * One provider emulator. `plugin` is registered by the server under the provider's prefix
 * (`/monerium`, `/moneybutton`, `/moneyns`), so inside it routes use exactly the documented paths.
 */
export interface ProviderEmulator<Fixtures, Admin> {
  readonly fixtures: Fixtures;
  readonly admin: Admin;
  plugin(app: FastifyInstance): Promise<void>;
  /** Stops timers, closes sockets. */
  close(): Promise<void>;
  /** Handles a websocket upgrade under the provider's prefix; without it every upgrade is answered 404. */
  upgrade?(upgrade: WebSocketUpgrade): void;
}
