import * as E from 'fp-ts/lib/Either.js';
import { type GatewayError, invalidInput, requireDate } from '@paygate/core';
import { checkMessageParts } from '../redeem-message.js';

const two = (n: number): string => String(n).padStart(2, '0');

const rfc3339Minute = (date: Date): string =>
  `${date.getUTCFullYear()}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}T${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:00Z`;

/**
 * The v2 message timestamp: RFC 3339 in UTC, to the minute, written `YYYY-MM-DDTHH:MM:00Z`.
 * Fact sheet §4: the OpenAPI regex wants minutes, its examples and the SDK carry seconds; a
 * zero-seconds UTC stamp fits the SDK, llms.txt and the OpenAPI examples at once. Anything but a
 * `Date` holding a time is `InvalidInput` on `date`.
 */
export const formatOrderTimestamp = (date: Date): E.Either<GatewayError, string> => E.map(rfc3339Minute)(requireDate(date, 'date'));

/** `DE89370400440532013000` → `DE89...3000`: first 4 + `...` + last 4 of the space-stripped IBAN. */
export const shortIban = (iban: string): string => {
  const compact = compactIban(iban);
  return `${compact.slice(0, 4)}...${compact.slice(-4)}`;
};

/** Upper-case, no spaces. */
export const compactIban = (iban: string): string => (typeof iban === 'string' ? iban.replace(/\s+/g, '').toUpperCase() : '');

export interface SepaMessageParts {
  /** Lower or upper case; written upper-case. */
  readonly currency: string;
  /** Exactly the body's `amount`. */
  readonly amount: string;
  readonly iban: string;
  /** `full` (default): the compact IBAN; `short`: `EE12...2602` as the SDK writes it. */
  readonly ibanForm?: 'full' | 'short';
  readonly timestamp: Date;
}

export interface CrossChainMessageParts {
  readonly currency: string;
  readonly amount: string;
  /** `counterpart.identifier.address`. */
  readonly address: string;
  /** `counterpart.identifier.chain`: the v2 chain name. */
  readonly chain: string;
  readonly timestamp: Date;
}

/**
 * `Send <CUR> <AMOUNT> to <IBAN> at <TIMESTAMP>` (fact sheet §4). Parts that are not what their
 * types say are `InvalidInput` naming the part (`iban`, `timestamp`, `ibanForm`, …).
 */
export const sepaOrderMessage = (parts: SepaMessageParts): E.Either<GatewayError, string> => {
  const checked = checkMessageParts(parts, ['currency', 'amount', 'iban']);
  if (E.isLeft(checked)) return checked;
  const { currency, amount, iban, ibanForm, timestamp } = checked.right;
  if (ibanForm !== undefined && ibanForm !== 'full' && ibanForm !== 'short') return E.left(invalidInput('ibanForm', "must be 'full' or 'short'"));
  return E.right(`Send ${currency.toUpperCase()} ${amount} to ${ibanForm === 'short' ? shortIban(iban) : compactIban(iban)} at ${rfc3339Minute(timestamp)}`);
};

/**
 * `Send <CUR> <AMOUNT> to <ADDRESS> on <CHAIN> at <TIMESTAMP>` (fact sheet §4). Parts that are
 * not what their types say are `InvalidInput` naming the part.
 */
export const crossChainOrderMessage = (parts: CrossChainMessageParts): E.Either<GatewayError, string> =>
  E.map(
    (p: CrossChainMessageParts) =>
      `Send ${p.currency.toUpperCase()} ${p.amount} to ${p.address} on ${p.chain} at ${rfc3339Minute(p.timestamp)}`,
  )(checkMessageParts(parts, ['currency', 'amount', 'address', 'chain']));
