import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

/** Who a platform JWT asks to log in: by `email` or by MoneyNS user `id`. */
export type JwtSubject = { readonly email: string } | { readonly id: string };

export type JwtCheck = { readonly ok: true; readonly subject: JwtSubject } | { readonly ok: false; readonly reason: string };

/**
 * Verifies a platform login token: RS512 only (so `none` and HS256 forgeries made with the public
 * key fail), signed by the platform's registered key, with the custom `expire` claim (Unix
 * seconds, not `exp`) still in the future of the sandbox clock.
 */
export function verifyPlatformJwt(token: string, publicKey: KeyObject, nowMs: number): JwtCheck {
  const decoded = jwt.decode(token, { complete: true });
  if (decoded === null) return { ok: false, reason: 'The token is not a JWT' };
  if (decoded.header.alg !== 'RS512') return { ok: false, reason: 'The token must be signed with RS512' };
  let claims: string | jwt.JwtPayload;
  try {
    // clockTimestamp keeps standard claims such as exp and nbf on the sandbox clock too.
    claims = jwt.verify(token, publicKey, { algorithms: ['RS512'], clockTimestamp: Math.floor(nowMs / 1000) });
  } catch (error) {
    const expired = error instanceof jwt.TokenExpiredError || error instanceof jwt.NotBeforeError;
    return { ok: false, reason: expired ? 'The token is not valid at this time' : 'The token signature is not valid' };
  }
  if (typeof claims === 'string') return { ok: false, reason: 'The token payload must be a JSON object' };
  const expire: unknown = claims.expire;
  if (typeof expire !== 'number' || !Number.isFinite(expire)) {
    return { ok: false, reason: 'The token must carry an expire claim (Unix seconds)' };
  }
  // "expire: required|timestamp|after_or_equal:now" (moneyns-public.md §4): the current second is still valid.
  if (expire < Math.floor(nowMs / 1000)) return { ok: false, reason: 'The token has expired' };
  const email: unknown = claims.email;
  const id: unknown = claims.id;
  if (typeof email === 'string' && email.length > 0) return { ok: true, subject: { email } };
  if (typeof id === 'string' && id.length > 0) return { ok: true, subject: { id } };
  return { ok: false, reason: 'The token must carry an email or id claim' };
}
