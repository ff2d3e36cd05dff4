import * as E from 'fp-ts/lib/Either.js';
import { type GatewayError, invalidInput } from './errors.js';

/** RFC 3986 unreserved characters: they mean the same thing encoded or not, anywhere in a path. */
const UNRESERVED = /^[A-Za-z0-9._~-]+$/;

/** Longer than any provider id; bounds what a caller can make us put in a URL. */
export const MAX_PATH_SEGMENT_LENGTH = 256;

/**
 * The one check for an identifier placed in a URL path (`/orders/{id}`, `/profiles/{id}`). URL
 * resolution rewrites `.` and `..` (`/profiles/../balances` is `/balances`), and anything that
 * needs percent-encoding (`/`, `?`, `#`, `%`, spaces, non-ASCII) is read differently by different
 * servers and proxies, so only unreserved characters are accepted and `.`/`..` are refused. The
 * value is returned unchanged: it needs no encoding.
 */
export const pathSegment = (value: unknown, field: string): E.Either<GatewayError, string> => {
  if (typeof value !== 'string' || value.length === 0) return E.left(invalidInput(field, 'must be a non-empty string'));
  if (value.length > MAX_PATH_SEGMENT_LENGTH) {
    return E.left(invalidInput(field, `must be at most ${MAX_PATH_SEGMENT_LENGTH} characters`));
  }
  if (value === '.' || value === '..') return E.left(invalidInput(field, 'must not be "." or ".." (they change the URL path)'));
  if (!UNRESERVED.test(value)) {
    return E.left(invalidInput(field, 'may contain only letters, digits, "-", ".", "_" and "~"'));
  }
  return E.right(value);
};
