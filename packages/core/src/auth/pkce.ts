import { createHash, randomBytes } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { type GatewayError, invalidInput } from '../errors.js';

/** RFC 7636 §4.1: 43–128 characters of the unreserved set `[A-Za-z0-9-._~]`. */
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export const isCodeVerifier = (value: string): boolean => typeof value === 'string' && CODE_VERIFIER.test(value);

/**
 * 32 random bytes as base64url: 43 characters, all from the RFC 7636 alphabet, 256 bits of
 * entropy (§7.1 asks for at least 256 bits' worth of guessing resistance).
 */
export const generateCodeVerifier = (): string => randomBytes(32).toString('base64url');

/**
 * RFC 7636 §4.2: `BASE64URL(SHA256(ASCII(code_verifier)))`, no padding. Anything that is not a
 * code verifier (§4.1: 43–128 characters of `A-Z a-z 0-9 - . _ ~`) is `InvalidInput` on
 * `verifier`: hashing it would give a challenge no server accepts.
 */
export const codeChallengeS256 = (verifier: string): E.Either<GatewayError, string> =>
  isCodeVerifier(verifier)
    ? E.right(createHash('sha256').update(verifier, 'ascii').digest('base64url'))
    : E.left(invalidInput('verifier', 'must be an RFC 7636 code verifier: 43-128 characters of A-Z a-z 0-9 - . _ ~'));

/** An unguessable `state` for RFC 6749 §10.12 CSRF protection. */
export const generateState = (): string => randomBytes(32).toString('base64url');
