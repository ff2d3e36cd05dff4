const two = (n: number): string => String(n).padStart(2, '0');

/**
 * The v2 message timestamp: RFC 3339 in UTC, to the minute, written `YYYY-MM-DDTHH:MM:00Z`.
 * Fact sheet §4: the OpenAPI regex wants minutes, its examples and the SDK carry seconds; a
 * zero-seconds UTC stamp fits the SDK, llms.txt and the OpenAPI examples at once.
 */
export const formatOrderTimestamp = (date: Date): string =>
  `${date.getUTCFullYear()}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}T${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:00Z`;

/** `DE89370400440532013000` → `DE89...3000`: first 4 + `...` + last 4 of the space-stripped IBAN. */
export const shortIban = (iban: string): string => {
  const compact = compactIban(iban);
  return `${compact.slice(0, 4)}...${compact.slice(-4)}`;
};

/** Upper-case, no spaces. */
export const compactIban = (iban: string): string => iban.replace(/\s+/g, '').toUpperCase();

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

/** `Send <CUR> <AMOUNT> to <IBAN> at <TIMESTAMP>` (fact sheet §4). */
export const sepaOrderMessage = (parts: SepaMessageParts): string =>
  `Send ${parts.currency.toUpperCase()} ${parts.amount} to ${
    parts.ibanForm === 'short' ? shortIban(parts.iban) : compactIban(parts.iban)
  } at ${formatOrderTimestamp(parts.timestamp)}`;

/** `Send <CUR> <AMOUNT> to <ADDRESS> on <CHAIN> at <TIMESTAMP>` (fact sheet §4). */
export const crossChainOrderMessage = (parts: CrossChainMessageParts): string =>
  `Send ${parts.currency.toUpperCase()} ${parts.amount} to ${parts.address} on ${parts.chain} at ${formatOrderTimestamp(parts.timestamp)}`;
