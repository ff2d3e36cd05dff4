import { parseRfc822z } from '../monerium/redeem.js';

/** How old a signed order message may be (fact sheet §4); a timestamp in the future is allowed. */
export const MESSAGE_MAX_AGE_MS = 5 * 60_000;

/** RFC 3339 with minute accuracy or finer, `Z` or an offset: every lexical form §4 lists. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch ms of an RFC 3339 timestamp (seconds optional), or undefined. */
export const parseRfc3339 = (text: string): number | undefined => {
  const m = RFC3339.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s = '00', zone = 'Z'] = m;
  const normalised = `${y}-${mo}-${d}T${h}:${mi}:${s}${zone}`;
  const ms = Date.parse(normalised);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls 2024-02-30 over into March: reject dates that do not exist.
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return day.getUTCDate() === Number(d) && Number(h) < 24 && Number(mi) < 60 ? ms : undefined;
};

/** `EE12...2602`: the first four and last four characters of the space-stripped IBAN (§4). */
export const shortIban = (iban: string): string => {
  const compact = iban.replace(/\s+/g, '').toUpperCase();
  return `${compact.slice(0, 4)}...${compact.slice(-4)}`;
};

export interface ExpectedMessage {
  readonly currency: string;
  readonly amount: string;
  readonly target: { readonly iban: string } | { readonly address: string; readonly chain: string };
}

/**
 * Checks a v2 order message against the order (fact sheet §4): `Send <CUR> <AMOUNT> to <IBAN> at
 * <TIMESTAMP>` (IBAN compact upper-case, or short) or `Send <CUR> <AMOUNT> to <ADDRESS> on <CHAIN>
 * at <TIMESTAMP>`. Returns the reason it fails, or undefined. Error texts follow the live sandbox
 * (`timestamp is expired`, also for an RFC 822 stamp, as the SDK's tests saw).
 */
export const checkOrderMessage = (message: string, expected: ExpectedMessage, now: number): string | undefined => {
  const crossChain = 'address' in expected.target;
  const parts = crossChain ? /^Send (\S+) (\S+) to (\S+) on (\S+) at (.+)$/.exec(message) : /^Send (\S+) (\S+) to (.+?) at (.+)$/.exec(message);
  if (parts === null) {
    return crossChain
      ? 'Must read "Send <CUR> <AMOUNT> to <ADDRESS> on <CHAIN> at <TIMESTAMP>"'
      : 'Must read "Send <CUR> <AMOUNT> to <IBAN> at <TIMESTAMP>"';
  }
  const [, currency = '', amount = '', to = ''] = parts;
  const stamp = (crossChain ? parts[5] : parts[4]) ?? '';
  if (currency !== expected.currency.toUpperCase()) return 'currency does not match the order';
  if (amount !== expected.amount) return 'amount does not match the order';
  if ('iban' in expected.target) {
    const compact = expected.target.iban.replace(/\s+/g, '').toUpperCase();
    if (to !== compact && to !== shortIban(compact)) return 'IBAN does not match the order (send it without spaces, in full or as XXXX...XXXX)';
  } else {
    if (to.toLowerCase() !== expected.target.address.toLowerCase()) return 'address does not match the order';
    if (parts[4] !== expected.target.chain) return 'chain does not match the order';
  }
  const at = parseRfc3339(stamp);
  if (at === undefined) return parseRfc822z(stamp) !== undefined ? 'timestamp is expired' : 'timestamp must be RFC 3339, e.g. 2024-07-12T12:02:00Z';
  if (now - at > MESSAGE_MAX_AGE_MS) return 'timestamp is expired';
  return undefined;
};
