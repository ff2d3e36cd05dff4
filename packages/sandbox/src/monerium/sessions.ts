import type { Random } from '../context.js';
import { opaque } from './payload.js';

/** The scopes the sandbox knows. The docs name only `orders:read` (the default); writes need `orders:write`. */
export const SCOPES: ReadonlyArray<string> = ['orders:read', 'orders:write'];
export const DEFAULT_SCOPE = 'orders:read';

/** RFC 6749 §10.5: codes are short-lived; the sandbox gives them 60 s of sandbox time. */
export const CODE_TTL_MS = 60_000;

/** Who a grant acts for: a user through the authorization code flow, or a partner client itself. */
export interface Grant {
  readonly id: string;
  readonly clientId: string;
  readonly userId: string;
  readonly profile: string;
  /** Null: not limited by scope (client credentials requested without a scope). */
  readonly scopes: ReadonlySet<string> | null;
  readonly kind: 'user' | 'client';
  revoked: boolean;
}

export interface AccessToken {
  readonly grant: Grant;
  expiresAt: number;
}

export interface AuthorizationCode {
  readonly clientId: string;
  /** The redirect_uri sent to /auth, if one was; the token request must repeat it exactly. */
  readonly redirectUri: string | undefined;
  /** Where the code was sent (the registered URI when the request named none). */
  readonly sentTo: string;
  readonly challenge: { readonly value: string; readonly method: 'plain' | 'S256' } | undefined;
  readonly scopes: ReadonlySet<string>;
  readonly userId: string;
  readonly profile: string;
  readonly expiresAt: number;
  used: boolean;
  /** The grant its exchange started, revoked if the code is replayed (RFC 6749 §4.1.2). */
  grantId?: string;
}

export interface IssuedTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
  readonly grant: Grant;
}

export type RefreshOutcome =
  | { readonly ok: true; readonly tokens: IssuedTokens }
  | { readonly ok: false; readonly reason: 'unknown' | 'reused' | 'revoked' | 'wrong-client' };

/**
 * Authorization codes, grants and tokens. Refresh tokens rotate: each refresh kills the token it
 * used, and presenting a dead one again revokes its whole grant (every access and refresh token
 * it produced), since only a thief or a racing client would do that.
 */
export class Sessions {
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly grants = new Map<string, Grant>();
  private readonly access = new Map<string, AccessToken>();
  /** Refresh token → grant id and whether it is the grant's current one. */
  private readonly refresh = new Map<string, { readonly grantId: string; live: boolean }>();

  constructor(
    private readonly random: Random,
    private readonly accessTokenTtlSeconds: number,
  ) {}

  issueCode(code: Omit<AuthorizationCode, 'used' | 'grantId'>): string {
    const value = opaque(this.random, 16);
    this.codes.set(value, { ...code, used: false });
    return value;
  }

  code(value: string): AuthorizationCode | undefined {
    return this.codes.get(value);
  }

  startGrant(grant: Omit<Grant, 'id' | 'revoked'>, now: number): IssuedTokens {
    const full: Grant = { ...grant, id: this.random.uuid(), revoked: false };
    this.grants.set(full.id, full);
    return this.issue(full, now);
  }

  /** A replayed code: the grant it produced (if any) loses every token. */
  revokeGrant(grantId: string | undefined): void {
    const grant = grantId === undefined ? undefined : this.grants.get(grantId);
    if (grant !== undefined) grant.revoked = true;
  }

  rotate(refreshToken: string, clientId: string, now: number): RefreshOutcome {
    const entry = this.refresh.get(refreshToken);
    const grant = entry === undefined ? undefined : this.grants.get(entry.grantId);
    if (entry === undefined || grant === undefined) return { ok: false, reason: 'unknown' };
    if (grant.clientId !== clientId) return { ok: false, reason: 'wrong-client' };
    if (grant.revoked) return { ok: false, reason: 'revoked' };
    if (!entry.live) {
      grant.revoked = true;
      return { ok: false, reason: 'reused' };
    }
    entry.live = false;
    return { ok: true, tokens: this.issue(grant, now) };
  }

  grantOfRefreshToken(refreshToken: string): Grant | undefined {
    const entry = this.refresh.get(refreshToken);
    return entry === undefined ? undefined : this.grants.get(entry.grantId);
  }

  /** The grant behind a live access token. */
  authenticate(accessToken: string, now: number): Grant | undefined {
    const token = this.access.get(accessToken);
    if (token === undefined || token.grant.revoked || now >= token.expiresAt) return undefined;
    return token.grant;
  }

  expireAccessTokens(): void {
    for (const token of this.access.values()) token.expiresAt = Number.NEGATIVE_INFINITY;
  }

  revokeAll(): void {
    for (const grant of this.grants.values()) grant.revoked = true;
  }

  private issue(grant: Grant, now: number): IssuedTokens {
    const accessToken = opaque(this.random, 16);
    const refreshToken = opaque(this.random, 16);
    this.access.set(accessToken, { grant, expiresAt: now + this.accessTokenTtlSeconds * 1000 });
    this.refresh.set(refreshToken, { grantId: grant.id, live: true });
    return { accessToken, refreshToken, expiresIn: this.accessTokenTtlSeconds, grant };
  }
}
