import * as E from 'fp-ts/lib/Either.js';
import { type GatewayError, requireDate, requireRecord, requireString } from '@paygate/core';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const twoDigits = (n: number): string => String(n).padStart(2, '0');

const rfc822Z = (date: Date): string =>
  `${DAYS[date.getUTCDay()]}, ${twoDigits(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ` +
  `${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())} +00:00`;

/**
 * The timestamp of a redeem order message: RFC 822 with a numeric zone, to the minute, in UTC,
 * written the way Monerium's reference writes it: `Thu, 29 Dec 2022 14:58 +00:00`. Anything but a
 * `Date` holding a time is `InvalidInput` on `date`.
 */
export const formatRfc822Z = (date: Date): E.Either<GatewayError, string> => E.map(rfc822Z)(requireDate(date, 'date'));

/**
 * The parts of an order message (v1.3 and v2 alike): an object whose `strings` are non-empty
 * strings and whose `timestamp` is a valid Date; the first wrong one is `InvalidInput` naming it.
 */
export const checkMessageParts = <P extends { readonly timestamp: Date }>(
  parts: P,
  strings: ReadonlyArray<keyof P & string>,
): E.Either<GatewayError, P> => {
  const record = requireRecord(parts, 'parts');
  if (E.isLeft(record)) return record;
  for (const name of strings) {
    const checked = requireString(record.right[name], name);
    if (E.isLeft(checked)) return checked;
  }
  return E.map(() => parts)(requireDate(record.right.timestamp, 'timestamp'));
};

export interface RedeemMessageParts {
  /** Upper-case ISO code, e.g. `EUR`. */
  readonly currency: string;
  /** The decimal string sent as the order's `amount`. */
  readonly amount: string;
  /** The IBAN as the user typed it; it may contain spaces. */
  readonly iban: string;
  readonly timestamp: Date;
}

/**
 * The message the signer signs to authorise a redeem order (v1.3 reference, "Placing an order"):
 * `Send <CURRENCY> <AMOUNT> to <IBAN> at <TIMESTAMP>`, byte for byte. Parts that are not what
 * their types say (a missing IBAN, an invalid Date) are `InvalidInput` naming the part.
 */
export const redeemMessage = (parts: RedeemMessageParts): E.Either<GatewayError, string> =>
  E.map((p: RedeemMessageParts) => `Send ${p.currency} ${p.amount} to ${p.iban} at ${rfc822Z(p.timestamp)}`)(
    checkMessageParts(parts, ['currency', 'amount', 'iban']),
  );
