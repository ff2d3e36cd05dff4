import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

/** The algorithms the MoneyNS Partner dashboard offers for checkout tokens (moneyns-public.md §6). */
const ALGORITHMS = ['RS512', 'RS384', 'RS256', 'HS512', 'HS384', 'HS256'] as const;
const LINK_ID_MAX = 191;

export interface CheckoutClaims {
  readonly linkId: string;
  readonly payment: Readonly<Record<string, unknown>>;
  readonly claims: Readonly<Record<string, unknown>>;
}

export type CheckoutTokenCheck = { readonly ok: true; readonly value: CheckoutClaims } | { readonly ok: false; readonly reason: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Verifies a checkout `token`: one of the six algorithms, RS* against the platform's registered
 * public key and HS* against its checkout secret, `expire` (Unix seconds) not in the past, and
 * what the record requires of the payload: `link.id` (≤ 191 characters) and a `payment` object.
 */
export function verifyCheckoutToken(
  token: string,
  keys: { readonly publicKey: KeyObject; readonly checkoutSecret: string | undefined },
  nowMs: number,
): CheckoutTokenCheck {
  const decoded = jwt.decode(token, { complete: true });
  if (decoded === null) return { ok: false, reason: 'The token is not a JWT' };
  const alg = decoded.header.alg as (typeof ALGORITHMS)[number];
  if (!ALGORITHMS.includes(alg)) return { ok: false, reason: `The token algorithm must be one of ${ALGORITHMS.join(', ')}` };
  const key = alg.startsWith('HS') ? keys.checkoutSecret : keys.publicKey;
  if (key === undefined) return { ok: false, reason: 'The platform has no checkout secret for HS tokens' };
  let claims: string | jwt.JwtPayload;
  try {
    claims = jwt.verify(token, key, { algorithms: [alg], clockTimestamp: Math.floor(nowMs / 1000) });
  } catch {
    return { ok: false, reason: 'The token signature is not valid' };
  }
  if (!isObject(claims)) return { ok: false, reason: 'The token payload must be a JSON object' };
  const { expire, link, payment } = claims;
  if (typeof expire !== 'number' || !Number.isFinite(expire)) return { ok: false, reason: 'The token must carry expire (Unix seconds)' };
  if (expire < Math.floor(nowMs / 1000)) return { ok: false, reason: 'The token has expired' };
  if (!isObject(link) || typeof link.id !== 'string' || link.id.length === 0 || link.id.length > LINK_ID_MAX) {
    return { ok: false, reason: `link.id is required (1 to ${LINK_ID_MAX} characters)` };
  }
  if (!isObject(payment)) return { ok: false, reason: 'payment is required' };
  return { ok: true, value: { linkId: link.id, payment, claims } };
}
