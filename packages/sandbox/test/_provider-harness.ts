import { generateKeyPairSync } from 'node:crypto';
import Fastify, { type FastifyRequest } from 'fastify';
import type { Clock, ProviderContext, ProviderEmulator, Random } from '../src/context.js';

/** 2024-05-01T09:30:00Z: tests run on a fixed, movable sandbox clock. */
export const HARNESS_START_MS = Date.UTC(2024, 4, 1, 9, 30, 0);

export interface ManualClock extends Clock {
  advance(ms: number): void;
}

export function manualClock(startMs = HARNESS_START_MS): ManualClock {
  let now = startMs;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}

/** mulberry32 over an integer seed: enough for deterministic fixtures in tests. */
export function seededRandom(seed: number): Random {
  let state = seed | 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hex = (n: number): string =>
    Array.from({ length: n }, () => Math.floor(next() * 256).toString(16).padStart(2, '0')).join('');
  return {
    next,
    hex,
    uuid: () => {
      const h = hex(16);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
}

export interface RunningProvider<Fixtures, Admin> {
  /** Origin + prefix, no trailing slash. */
  readonly url: string;
  readonly fixtures: Fixtures;
  readonly admin: Admin;
  readonly clock: ManualClock;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly seed?: number;
  readonly clock?: ManualClock;
  /** Per-request skew in ms, as a route-limited clock-skew fault gives `ProviderContext.requestClock`. */
  readonly requestSkewMs?: (request: FastifyRequest) => number;
}

/** Serves one emulator under `prefix` on 127.0.0.1 and an ephemeral port, as the sandbox server does. */
export async function startProvider<Fixtures, Admin>(
  prefix: string,
  create: (ctx: ProviderContext) => ProviderEmulator<Fixtures, Admin>,
  options: HarnessOptions = {},
): Promise<RunningProvider<Fixtures, Admin>> {
  const clock = options.clock ?? manualClock();
  let origin = '';
  const skew = options.requestSkewMs;
  const ctx: ProviderContext = {
    clock,
    random: seededRandom(options.seed ?? 1),
    baseUrl: () => `${origin}${prefix}`,
    ...(skew === undefined ? {} : { requestClock: (request: FastifyRequest) => ({ now: () => clock.now() + skew(request) }) }),
  };
  const emulator = create(ctx);
  const app = Fastify({ forceCloseConnections: true });
  await app.register(async (scope) => emulator.plugin(scope), { prefix });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the harness server has no TCP address');
  origin = `http://127.0.0.1:${address.port}`;
  return {
    url: `${origin}${prefix}`,
    fixtures: emulator.fixtures,
    admin: emulator.admin,
    clock,
    close: async () => {
      await emulator.close();
      await app.close();
    },
  };
}

// Money Button OAuth steps shared by the Money Button test files.

export interface MoneyButtonConsent {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope: string;
  readonly email: string;
  readonly password: string;
  readonly state?: string;
  readonly codeChallenge?: string;
}

export function form(fields: Readonly<Record<string, string>>): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  };
}

/** Signs in on the authorize form, approves, and returns the redirect the browser would follow. */
export async function approveMoneyButtonConsent(baseUrl: string, consent: MoneyButtonConsent): Promise<URL> {
  const fields: Record<string, string> = {
    response_type: 'code',
    client_id: consent.clientId,
    redirect_uri: consent.redirectUri,
    scope: consent.scope,
    email: consent.email,
    password: consent.password,
  };
  if (consent.state !== undefined) fields.state = consent.state;
  if (consent.codeChallenge !== undefined) {
    fields.code_challenge = consent.codeChallenge;
    fields.code_challenge_method = 'S256';
  }
  const signIn = await fetch(`${baseUrl}/oauth/v1/authorize`, form(fields));
  const page = await signIn.text();
  const transaction = /name="transaction" value="([^"]+)"/.exec(page)?.[1];
  if (signIn.status !== 200 || transaction === undefined) throw new Error(`sign-in failed with ${signIn.status}`);
  const decision = await fetch(`${baseUrl}/oauth/v1/authorize`, form({ transaction, decision: 'approve' }));
  const location = decision.headers.get('location');
  if (decision.status !== 302 || location === null) throw new Error(`approval failed with ${decision.status}`);
  return new URL(location);
}

export interface MoneyButtonTokenBody {
  readonly access_token: string;
  readonly token_type: string;
  readonly expires_in: number;
  readonly refresh_token?: string;
  readonly scope: string;
}

/** The full authorization-code flow without PKCE: the token response for the consent. */
export async function moneyButtonTokens(baseUrl: string, consent: MoneyButtonConsent): Promise<MoneyButtonTokenBody> {
  const redirect = await approveMoneyButtonConsent(baseUrl, consent);
  const code = redirect.searchParams.get('code');
  if (code === null) throw new Error('the redirect carries no code');
  const response = await fetch(
    `${baseUrl}/oauth/v1/token`,
    form({ grant_type: 'authorization_code', client_id: consent.clientId, code, redirect_uri: consent.redirectUri }),
  );
  if (response.status !== 200) throw new Error(`token exchange failed with ${response.status}`);
  return (await response.json()) as MoneyButtonTokenBody;
}

// MoneyNS: one RSA key pair per test process, passed as `platformKeyPair` to spare every test
// the ~0.2 s key generation (moneyns-fixtures.test.ts covers the generated default).

let platformKeyPair: { privateKeyPem: string; publicKeyPem: string } | undefined;

export function testPlatformKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  if (platformKeyPair === undefined) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    platformKeyPair = { privateKeyPem: privateKey, publicKeyPem: publicKey };
  }
  return platformKeyPair;
}
