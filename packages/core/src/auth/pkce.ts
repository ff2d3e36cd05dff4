import { createHash, randomBytes } from 'node:crypto';

/** RFC 7636 §4.1: 43–128 characters of the unreserved set `[A-Za-z0-9-._~]`. */
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export const isCodeVerifier = (value: string): boolean => CODE_VERIFIER.test(value);

/**
 * 32 random bytes as base64url: 43 characters, all from the RFC 7636 alphabet, 256 bits of
 * entropy (§7.1 asks for at least 256 bits' worth of guessing resistance).
 */
export const generateCodeVerifier = (): string => randomBytes(32).toString('base64url');

/** RFC 7636 §4.2: `BASE64URL(SHA256(ASCII(code_verifier)))`, no padding. */
export const codeChallengeS256 = (verifier: string): string =>
  createHash('sha256').update(verifier, 'ascii').digest('base64url');

/** An unguessable `state` for RFC 6749 §10.12 CSRF protection. */
export const generateState = (): string => randomBytes(32).toString('base64url');
