import jwt from 'jsonwebtoken';
import type { Random } from '../context.js';
import type { MoneyButtonScope } from './scopes.js';

/** RFC 6749 §4.1.2 recommends at most ten minutes for authorization codes. */
const CODE_TTL_MS = 10 * 60_000;
const LOGIN_TTL_MS = 10 * 60_000;
/** The refresh token in the documented example lives 30 days longer than its access token. */
const REFRESH_TTL_MS = 30 * 86_400_000;

/** A validated `/oauth/v1/authorize` request. */
export interface AuthorizationRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: ReadonlyArray<MoneyButtonScope>;
  readonly state: string | undefined;
  readonly codeChallenge: string | undefined;
}

/** A signed-in user who has not yet approved or denied the request. */
export interface PendingConsent {
  readonly request: AuthorizationRequest;
  readonly userId: string;
  readonly expiresAt: number;
}

export interface AuthorizationCode {
  readonly request: AuthorizationRequest;
  readonly userId: string;
  readonly expiresAt: number;
  readonly grantId: string;
  used: boolean;
}

export interface TokenGrant {
  readonly clientId: string;
  /** Null for app tokens (client_credentials). */
  readonly userId: string | null;
  readonly scopes: ReadonlyArray<MoneyButtonScope>;
  /** Tokens minted from one authorization code share it, so a replayed code can revoke them. */
  readonly grantId: string;
}

interface TokenRecord extends TokenGrant {
  readonly expiresAt: number;
  revoked: boolean;
  forcedExpired: boolean;
}

export type TokenCheck =
  | { readonly ok: true; readonly grant: TokenGrant }
  | { readonly ok: false; readonly reason: 'unknown' | 'expired' | 'revoked' };

export interface IssuedTokens {
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly refreshToken: string | undefined;
}

/**
 * Login transactions, authorization codes, access and refresh tokens of the emulated server.
 * Every method takes the provider's `now` (ms) for the request at hand, so a clock-skew fault on
 * one route moves expiry checks on that route only.
 */
export class MoneyButtonGrants {
  private readonly consents = new Map<string, PendingConsent>();
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly accessTokens = new Map<string, TokenRecord>();
  private readonly refreshTokens = new Map<string, TokenRecord>();
  /** Signs the JWT-shaped tokens; never leaves the emulator. */
  private readonly signingKey: string;

  constructor(
    private readonly random: Random,
    private readonly accessTokenTtlSeconds: number,
  ) {
    this.signingKey = random.hex(32);
  }

  startConsent(request: AuthorizationRequest, userId: string, now: number): string {
    const id = this.random.hex(16);
    this.consents.set(id, { request, userId, expiresAt: now + LOGIN_TTL_MS });
    return id;
  }

  /** Single use: the transaction is gone once the user approved or denied. */
  takeConsent(id: string, now: number): PendingConsent | undefined {
    const consent = this.consents.get(id);
    this.consents.delete(id);
    return consent !== undefined && consent.expiresAt > now ? consent : undefined;
  }

  issueCode(request: AuthorizationRequest, userId: string, now: number): string {
    const code = this.random.hex(20);
    this.codes.set(code, {
      request,
      userId,
      expiresAt: now + CODE_TTL_MS,
      grantId: this.random.hex(8),
      used: false,
    });
    return code;
  }

  code(code: string): AuthorizationCode | undefined {
    return this.codes.get(code);
  }

  isLive(code: AuthorizationCode, now: number): boolean {
    return code.expiresAt > now;
  }

  /** RFC 6749 §4.1.2: a replayed code SHOULD revoke every token issued from it. */
  revokeGrant(grantId: string): void {
    for (const record of [...this.accessTokens.values(), ...this.refreshTokens.values()]) {
      if (record.grantId === grantId) record.revoked = true;
    }
  }

  issue(grant: TokenGrant, withRefreshToken: boolean, now: number): IssuedTokens {
    const accessToken = this.mint(grant, now, now + this.accessTokenTtlSeconds * 1000);
    this.accessTokens.set(accessToken, {
      ...grant,
      expiresAt: now + this.accessTokenTtlSeconds * 1000,
      revoked: false,
      forcedExpired: false,
    });
    let refreshToken: string | undefined;
    if (withRefreshToken) {
      refreshToken = this.mint(grant, now, now + REFRESH_TTL_MS);
      this.refreshTokens.set(refreshToken, { ...grant, expiresAt: now + REFRESH_TTL_MS, revoked: false, forcedExpired: false });
    }
    return { accessToken, expiresIn: this.accessTokenTtlSeconds, refreshToken };
  }

  checkAccessToken(token: string, now: number): TokenCheck {
    return this.check(this.accessTokens.get(token), now);
  }

  checkRefreshToken(token: string, now: number): TokenCheck {
    return this.check(this.refreshTokens.get(token), now);
  }

  expireAccessTokens(): void {
    for (const record of this.accessTokens.values()) record.forcedExpired = true;
  }

  revokeAll(): void {
    for (const record of [...this.accessTokens.values(), ...this.refreshTokens.values()]) record.revoked = true;
  }

  private check(record: TokenRecord | undefined, now: number): TokenCheck {
    if (record === undefined) return { ok: false, reason: 'unknown' };
    if (record.revoked) return { ok: false, reason: 'revoked' };
    if (record.forcedExpired || record.expiresAt <= now) return { ok: false, reason: 'expired' };
    return { ok: true, grant: record };
  }

  /** Tokens are HS256 JWTs like the documented examples; clients must treat them as opaque. */
  private mint(grant: TokenGrant, now: number, expiresAt: number): string {
    const payload: Record<string, string | number> = {
      aud: grant.clientId,
      iat: Math.floor(now / 1000),
      exp: Math.floor(expiresAt / 1000),
      scope: grant.scopes.join(' '),
      jti: this.random.hex(12),
    };
    if (grant.userId !== null) payload.sub = grant.userId;
    return jwt.sign(payload, this.signingKey, { algorithm: 'HS256' });
  }
}
