import type { Random } from '../context.js';
import { rfc3339Micro } from './timestamps.js';

/** The documented login response. */
export interface MoneyNsSessionResponse {
  readonly data: {
    readonly id: string;
    readonly userId: string;
    readonly ttl: number;
    readonly until: string;
    readonly created: string;
  };
}

interface Session {
  readonly userId: string;
  readonly expiresAt: number;
  revoked: boolean;
  forcedExpired: boolean;
}

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** The documented example token starts `164671|`: a row id, a bar, then 40 random characters. */
const FIRST_TOKEN_ROW = 164_671;

/** Bearer sessions created by both login endpoints; they lapse after `ttl` seconds of sandbox time. */
export class MoneyNsSessions {
  private readonly sessions = new Map<string, Session>();
  private nextRow = FIRST_TOKEN_ROW;

  constructor(
    private readonly random: Random,
    private readonly ttlSeconds: number,
  ) {}

  /** `now` is the provider's time for the request, in ms (it includes clock-skew faults). */
  create(userId: string, now: number): MoneyNsSessionResponse {
    let secret = '';
    for (let index = 0; index < 40; index++) {
      secret += TOKEN_ALPHABET[Math.floor(this.random.next() * TOKEN_ALPHABET.length)] ?? 'A';
    }
    const id = `${this.nextRow++}|${secret}`;
    const expiresAt = now + this.ttlSeconds * 1000;
    this.sessions.set(id, { userId, expiresAt, revoked: false, forcedExpired: false });
    const micros = Math.floor(this.random.next() * 1000);
    return {
      data: {
        id,
        userId,
        ttl: this.ttlSeconds,
        until: rfc3339Micro(expiresAt, micros),
        created: rfc3339Micro(now, micros),
      },
    };
  }

  /** The user id of a live session, undefined for unknown, expired or revoked tokens. */
  userOf(token: string, now: number): string | undefined {
    const session = this.sessions.get(token);
    if (session === undefined || session.revoked || session.forcedExpired) return undefined;
    return session.expiresAt > now ? session.userId : undefined;
  }

  expireAll(): void {
    for (const session of this.sessions.values()) session.forcedExpired = true;
  }

  revokeAll(): void {
    for (const session of this.sessions.values()) session.revoked = true;
  }
}
