import { decodeError, type GatewayError, scrubSecrets, transportError } from '@paygate/core';

/** The name this store puts in `DecodeError.provider`, so a bad entry is told apart from a bad provider body. */
export const STORE_NAME = 'token-store-redis';

/**
 * The one place Redis failures become GatewayErrors. Every failure to reach or use Redis
 * (refused, timed out, closed, an error reply) is a `TransportError` of kind `store`: the caller
 * cannot fix it and may retry later. `secrets` (the password of a `redis://` URL) are scrubbed
 * in case a driver message ever quotes the connection string.
 */
export const storeUnavailable = (reason: string, secrets: ReadonlyArray<string>): GatewayError =>
  scrubSecrets(transportError({ kind: 'store', attempts: 1, message: `Token store (Redis) failed: ${reason}` }), secrets);

export const describeFailure = (cause: unknown): string =>
  cause instanceof Error ? cause.message : typeof cause === 'string' ? cause : 'unknown error';

/** A stored entry that cannot be read back (not ours, corrupted, wrong key). Never echoes the entry. */
export const badEntry = (path: string, reason: string): GatewayError =>
  decodeError({ provider: STORE_NAME, path, errors: [reason], message: `Stored session could not be read: ${reason}` });
