import { type GatewayError, decodeWith, type TokenSet } from '@paygate/core';
import type * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts/lib/index.js';
import { PROVIDER } from './errors.js';

const NonEmptyString = t.refinement(t.string, (s) => s.length > 0, 'NonEmptyString');

/** RFC 3339 date-time; MoneyNS sends microseconds (`2020-10-02T10:48:35.753516Z`). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const DateTimeString = t.refinement(
  t.string,
  (s) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)),
  'DateTimeString (RFC 3339)',
);

const NonNegativeNumber = t.refinement(t.number, (n) => Number.isFinite(n) && n >= 0, 'NonNegativeNumber');

/**
 * The `data` of a login answer (provider docs 004, "Response Payload"). Plain `t.type` rather than
 * `t.readonly(…)`: core's decode error paths drop the keys under a ReadonlyType wrapper.
 */
export const MoneyNsSessionCodec = t.intersection([
  t.type({
    /** The bearer token for private endpoints, opaque (`164671|Gb…`). */
    id: NonEmptyString,
    userId: NonEmptyString,
    /** Seconds the token stays valid (1209600, 14 days, in every example). */
    ttl: NonNegativeNumber,
    created: DateTimeString,
  }),
  /** When the token stops working (RFC 3339, on the provider's clock); the older API generation sent none. */
  t.partial({ until: DateTimeString }),
]);
export type MoneyNsSession = Readonly<t.TypeOf<typeof MoneyNsSessionCodec>>;

/** `POST /authenticate` and `POST /authenticate-jwt/{platform}` both answer `{data: {…}}`. */
export const LoginResponseCodec = t.type({ data: MoneyNsSessionCodec });

/**
 * How long the session lasts, measured on our clock from the moment the answer arrived: `until`
 * is a date on the provider's clock, and a skew between the two clocks would otherwise make us
 * renew too late (401s) or on every call. `ttl` and `until − created` are both relative; the
 * shorter wins.
 */
const lifetimeMs = (session: MoneyNsSession): number => {
  const byDates = session.until === undefined ? Number.POSITIVE_INFINITY : Date.parse(session.until) - Date.parse(session.created);
  return Math.max(0, Math.min(session.ttl * 1000, byDates));
};

/** The session as core's TokenManager keeps it: the token is `id`, everything else goes to `extra`. */
export const sessionToTokenSet = (session: MoneyNsSession, receivedAt: number): TokenSet => ({
  accessToken: session.id,
  tokenType: 'Bearer',
  expiresAt: receivedAt + lifetimeMs(session),
  extra: {
    userId: session.userId,
    ttl: session.ttl,
    created: session.created,
    ...(session.until === undefined ? {} : { until: session.until }),
  },
});

/** Reads a session back from a TokenStore entry; a foreign or corrupted entry is a DecodeError. */
export const sessionFromTokenSet = (tokens: TokenSet): E.Either<GatewayError, MoneyNsSession> =>
  decodeWith(MoneyNsSessionCodec, PROVIDER)({ ...tokens.extra, id: tokens.accessToken });
