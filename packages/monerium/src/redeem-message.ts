const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const twoDigits = (n: number): string => String(n).padStart(2, '0');

/**
 * The timestamp of a redeem order message: RFC 822 with a numeric zone, to the minute, in UTC,
 * written the way Monerium's reference writes it: `Thu, 29 Dec 2022 14:58 +00:00`.
 */
export const formatRfc822Z = (date: Date): string =>
  `${DAYS[date.getUTCDay()]}, ${twoDigits(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ` +
  `${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())} +00:00`;

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
 * `Send <CURRENCY> <AMOUNT> to <IBAN> at <TIMESTAMP>`, byte for byte.
 */
export const redeemMessage = (parts: RedeemMessageParts): string =>
  `Send ${parts.currency} ${parts.amount} to ${parts.iban} at ${formatRfc822Z(parts.timestamp)}`;

