import type { FastifyInstance } from 'fastify';

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

/** What the server hands each provider emulator when it builds it. */
export interface ProviderContext {
  readonly clock: Clock;
  readonly random: Random;
  /** Origin + prefix this provider is served under, e.g. `http://127.0.0.1:4010/monerium`. Valid once listening. */
  baseUrl(): string;
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
}
