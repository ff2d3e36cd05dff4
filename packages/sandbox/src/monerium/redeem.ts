import { isValidIBAN } from 'ibantools';
import { parseAmount } from './amounts.js';
import { validationError } from './errors.js';
import type { Ledger, LinkedAddress } from './ledger.js';
import { CHAINS, type Chain, type CounterpartDetails, CURRENCIES, type Currency, SANDBOX_NETWORKS } from './model.js';
import { asObject, asString } from './payload.js';
import { ADDRESS_FORMAT, recoverSigner, SIGNATURE_FORMAT, sameAddress } from './signatures.js';

/** "the timestamp should be accurate to the minute": the sandbox allows five minutes either way. */
export const MESSAGE_TOLERANCE_MS = 5 * 60_000;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const RFC822Z = new RegExp(
  `^(?:(${DAYS.join('|')}), )?(\\d{1,2}) (${MONTHS.join('|')}) (\\d{4}|\\d{2}) (\\d{2}):(\\d{2})(?::(\\d{2}))? ([+-])(\\d{2}):?(\\d{2})$`,
);

/**
 * RFC 822 date-time with a numeric zone (`Thu, 29 Dec 2022 14:58 +00:00`; `+0000` and seconds
 * are accepted too) to epoch ms; undefined for anything else, including a wrong day name.
 */
export const parseRfc822z = (text: string): number | undefined => {
  const m = RFC822Z.exec(text);
  if (m === null) return undefined;
  const [, dayName, dd = '', mon = '', yy = '', hh = '', mi = '', ss = '0', sign, zh = '', zm = ''] = m;
  const year = yy.length === 2 ? 2000 + Number(yy) : Number(yy);
  const month = MONTHS.indexOf(mon);
  const day = Number(dd);
  const [hour, minute, second, zoneH, zoneM] = [Number(hh), Number(mi), Number(ss), Number(zh), Number(zm)];
  if (hour > 23 || minute > 59 || second > 59 || zoneH > 23 || zoneM > 59) return undefined;
  const date = new Date(Date.UTC(year, month, day));
  if (date.getUTCDate() !== day) return undefined;
  if (dayName !== undefined && DAYS[date.getUTCDay()] !== dayName) return undefined;
  const offset = (sign === '-' ? -1 : 1) * (zoneH * 60 + zoneM) * 60_000;
  return Date.UTC(year, month, day, hour, minute, second) - offset;
};

/** A redeem order that passed every check, ready for the order book. */
export interface ValidRedeem {
  readonly linked: LinkedAddress;
  readonly chain: Chain;
  readonly currency: Currency;
  readonly amount: string;
  readonly cents: bigint;
  readonly iban: string;
  readonly details: CounterpartDetails;
  readonly memo?: string;
  readonly supportingDocumentId?: string;
}

const filled = (value: unknown): string | undefined => {
  const s = asString(value)?.trim();
  return s === undefined || s === '' ? undefined : s;
};

const REQUIRED = 'This field is required';

/**
 * Checks a redeem payload (002_*, "Placing an order"): every field, the signed message
 * `Send <CURRENCY> <AMOUNT> to <IBAN> at <TIMESTAMP>`, the EIP-191 signature of `address`, and the
 * balance. All violations are reported together as one validation error.
 */
export const validateRedeem = async (
  payload: unknown,
  options: {
    readonly now: number;
    readonly ledger: Ledger;
    /** Whether the caller may place orders for this profile (and, on `/profiles/{id}/orders`, it is that one). */
    readonly mayUseProfile: (profile: string) => boolean;
    readonly documentExists: (id: string) => boolean;
  },
): Promise<ValidRedeem> => {
  const body = asObject(payload);
  if (body === undefined) throw validationError({ body: 'A JSON object is required' });
  const errors: Record<string, string> = {};

  if (body.kind !== 'redeem') errors.kind = body.kind === undefined ? REQUIRED : 'Only redeem orders can be placed';

  const amount = asString(body.amount);
  const cents = amount === undefined ? undefined : parseAmount(amount);
  if (amount === undefined) errors.amount = REQUIRED;
  else if (cents === undefined || cents === 0n) errors.amount = 'Must be a positive decimal string with at most two decimals';

  const currencyText = asString(body.currency);
  const currency = CURRENCIES.find((c) => c === currencyText?.toLowerCase());
  if (currency === undefined) errors.currency = currencyText === undefined ? REQUIRED : `Must be one of ${CURRENCIES.join(', ')}`;

  const counterpart = asObject(body.counterpart);
  const identifier = asObject(counterpart?.identifier);
  const detailsIn = asObject(counterpart?.details);
  if (counterpart === undefined) errors.counterpart = REQUIRED;
  if (identifier?.standard !== 'iban') errors['counterpart.identifier.standard'] = 'Must be iban';
  const ibanTyped = asString(identifier?.iban);
  // "The IBAN may contain spaces": compare and validate without them.
  const iban = ibanTyped?.replace(/\s+/g, '').toUpperCase();
  if (iban === undefined || iban === '') errors['counterpart.identifier.iban'] = REQUIRED;
  else if (!isValidIBAN(iban)) errors['counterpart.identifier.iban'] = 'Invalid IBAN';
  const firstName = filled(detailsIn?.firstName);
  const lastName = filled(detailsIn?.lastName);
  const companyName = filled(detailsIn?.companyName);
  if (companyName === undefined && (firstName === undefined || lastName === undefined)) {
    errors['counterpart.details'] = 'Either firstName and lastName, or companyName, is required';
  }

  const address = asString(body.address);
  const linked = address === undefined || !ADDRESS_FORMAT.test(address) ? undefined : options.ledger.linkedAddress(address);
  if (address === undefined) errors.address = REQUIRED;
  else if (!ADDRESS_FORMAT.test(address)) errors.address = 'Must be a 0x-prefixed 20-byte hex address';
  else if (linked === undefined || !options.mayUseProfile(linked.profile)) errors.address = 'Address is not linked to the profile';

  let chain: Chain | undefined;
  const chainText = asString(body.chain);
  if (body.chain !== undefined && !CHAINS.some((c) => c === chainText)) errors.chain = `Must be one of ${CHAINS.join(', ')}`;
  else if (linked !== undefined && currency !== undefined) {
    const candidates = chainText === undefined ? linked.chains : linked.chains.filter((c) => c === chainText);
    chain = candidates.find((c) => options.ledger.account(linked.address, c, currency) !== undefined);
    if (chain === undefined) errors.currency = `The address has no ${currency} account${chainText === undefined ? '' : ` on ${chainText}`}`;
  }
  if (body.network !== undefined && chain !== undefined && body.network !== SANDBOX_NETWORKS[chain]) {
    errors.network = `Must be ${SANDBOX_NETWORKS[chain]} for ${chain} in the sandbox`;
  }

  const memo = body.memo;
  if (memo !== undefined && typeof memo !== 'string') errors.memo = 'Must be a string';
  const documentId = body.supportingDocumentId;
  if (documentId !== undefined && !(typeof documentId === 'string' && options.documentExists(documentId))) {
    errors.supportingDocumentId = 'Unknown supporting document';
  }

  const signature = asString(body.signature);
  if (signature === undefined) errors.signature = REQUIRED;
  else if (!SIGNATURE_FORMAT.test(signature)) errors.signature = 'Must be 0x followed by 130 hex characters';

  const message = asString(body.message);
  const parts = message === undefined ? null : /^Send (\S+) (\S+) to (.+) at (.+)$/.exec(message);
  if (message === undefined) errors.message = REQUIRED;
  else if (parts === null) errors.message = 'Must read "Send <CURRENCY> <AMOUNT> to <IBAN> at <TIMESTAMP>"';
  else {
    const [, messageCurrency, messageAmount, messageIban = '', messageTime = ''] = parts;
    const at = parseRfc822z(messageTime);
    if (currency !== undefined && messageCurrency !== currency.toUpperCase()) errors.message = 'The currency does not match the order';
    else if (amount !== undefined && messageAmount !== amount) errors.message = 'The amount does not match the order';
    else if (iban !== undefined && messageIban.replace(/\s+/g, '').toUpperCase() !== iban) errors.message = 'The IBAN does not match the order';
    else if (at === undefined) errors.message = 'The timestamp must be RFC 822 with a numeric zone, e.g. Thu, 29 Dec 2022 14:58 +00:00';
    else if (Math.abs(at - options.now) > MESSAGE_TOLERANCE_MS) errors.message = 'The timestamp is more than 5 minutes from the current time';
  }

  if (message !== undefined && signature !== undefined && SIGNATURE_FORMAT.test(signature) && address !== undefined && ADDRESS_FORMAT.test(address)) {
    const signer = await recoverSigner(message, signature);
    if (signer === undefined) errors.signature = 'Invalid signature';
    else if (!sameAddress(signer, address)) errors.signature = 'The signature was not made by the address';
  }

  if (Object.keys(errors).length === 0 && linked !== undefined && chain !== undefined && currency !== undefined && cents !== undefined) {
    if (cents > options.ledger.balance(linked.address, chain, currency)) errors.amount = 'Insufficient balance';
  }
  if (Object.keys(errors).length > 0 || linked === undefined || chain === undefined || currency === undefined || cents === undefined || amount === undefined || ibanTyped === undefined) {
    throw validationError(errors);
  }

  const details: CounterpartDetails =
    companyName !== undefined
      ? { name: companyName, companyName, ...(firstName === undefined ? {} : { firstName }), ...(lastName === undefined ? {} : { lastName }) }
      : { name: `${firstName} ${lastName}`, ...(firstName === undefined ? {} : { firstName }), ...(lastName === undefined ? {} : { lastName }) };
  return {
    linked,
    chain,
    currency,
    amount,
    cents,
    iban: ibanTyped.trim(),
    details,
    ...(typeof memo === 'string' ? { memo } : {}),
    ...(typeof documentId === 'string' ? { supportingDocumentId: documentId } : {}),
  };
};
