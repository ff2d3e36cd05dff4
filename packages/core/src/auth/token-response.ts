import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts/lib/index.js';
import { decodeWith } from '../decode.js';
import type { GatewayError } from '../errors.js';
import { expiresAtFrom, type TokenSet } from '../tokens.js';

/**
 * RFC 6749 §5.1. `expires_in` is a number, but some servers send it as a numeric string
 * (oauth4webapi accepts both, and so do we).
 */
const TokenResponseCodec = t.intersection([
  t.type({ access_token: t.string, token_type: t.string }),
  t.partial({
    expires_in: t.union([t.number, t.string]),
    refresh_token: t.string,
    scope: t.string,
  }),
]);

const OAUTH_FIELDS: ReadonlySet<string> = new Set(['access_token', 'token_type', 'expires_in', 'refresh_token', 'scope']);

/**
 * RFC 6749 §7.1 / RFC 7235: the token type is case-insensitive; openid-client hands it over
 * lower-cased. The canonical spelling is what goes into `Authorization: Bearer …`.
 */
const canonicalTokenType = (tokenType: string): string => {
  switch (tokenType.toLowerCase()) {
    case 'bearer':
      return 'Bearer';
    case 'dpop':
      return 'DPoP';
    default:
      return tokenType;
  }
};

const secondsOf = (value: number | string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const seconds = typeof value === 'number' ? value : Number.parseFloat(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
};

/**
 * Turns a token endpoint response body into a `TokenSet`. Every member beyond the five OAuth ones
 * is kept in `extra` (Monerium sends `profile` and `userId`, OpenID servers `id_token`).
 * `requestedAt` is when the request was sent: counting `expires_in` from then errs on the early
 * side by the request's round trip, never on the late side.
 */
export const tokenSetFromResponse = (
  body: unknown,
  requestedAt: number,
  provider: string,
): E.Either<GatewayError, TokenSet> => {
  const decoded = decodeWith(TokenResponseCodec, provider)(body);
  if (E.isLeft(decoded)) return decoded;
  const response = decoded.right;
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (!OAUTH_FIELDS.has(key)) extra[key] = value;
  }
  const expiresAt = expiresAtFrom(secondsOf(response.expires_in), requestedAt);
  return E.right({
    accessToken: response.access_token,
    tokenType: canonicalTokenType(response.token_type),
    extra,
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(response.refresh_token === undefined ? {} : { refreshToken: response.refresh_token }),
    ...(response.scope === undefined ? {} : { scope: response.scope }),
  });
};
