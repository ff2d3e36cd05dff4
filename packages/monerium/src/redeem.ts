import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import * as t from 'io-ts/lib/index.js';
import {
  compareDecimal,
  type GatewayError,
  invalidInput,
  isTransportError,
  type PaymentOutcome,
  parseAmount,
  type TransportError,
  transportError,
} from '@paygate/core';
import { checkAddress, checkChainName, checkSignature, sameAddress } from './address.js';
import { type MoneriumApi, pathSegment } from './api.js';
import { listOrders, type Order, OrderCodec } from './orders.js';
import { redeemMessage } from './redeem-message.js';
import { type Signer, signWith } from './signer.js';

/** The beneficiary: an IBAN (spaces allowed) and either a company name or a person's first and last name. */
export interface RedeemCounterpart {
  readonly iban: string;
  /** A single beneficiary name; sent as both `name` and `companyName`, as in the reference's example order. */
  readonly name?: string;
  readonly companyName?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  /** ISO 3166-1 alpha-2 country of the beneficiary, if known. */
  readonly country?: string;
}

export interface RedeemOrderInput {
  /** Positive decimal string with at most the currency's decimals (EUR/GBP/USD 2, ISK 0). */
  readonly amount: string;
  /** EUR, GBP, USD or ISK (any case). */
  readonly currency: string;
  readonly counterpart: RedeemCounterpart;
  /** Payment reference shown to both sides. */
  readonly memo?: string;
  /** The linked address the e-money is burnt from. */
  readonly address: string;
  readonly chain?: string;
  readonly network?: string;
  /** Signs the order message; defaults to the client's signer. */
  readonly signer?: Signer;
  /** A signature made elsewhere over the exact message for `timestamp` (see `redeemMessage`). */
  readonly signature?: string;
  /** The minute the message names; defaults to now. Required with `signature`. */
  readonly timestamp?: Date;
  /** Places the order for this profile (`POST /profiles/{id}/orders`) instead of the default one. */
  readonly profile?: string;
  readonly supportingDocumentId?: string;
}

export interface OrderLookupSettings {
  /** Lookups after a request whose fate is unknown (timeout, reset, 502/504). Default 3. */
  readonly attempts: number;
  /** Pause between those lookups. Default 1000 ms. */
  readonly intervalMs: number;
}

export interface RedeemSettings {
  readonly signer: Signer | undefined;
  readonly now: () => number;
  readonly lookup: OrderLookupSettings;
}

const RedeemCurrencyCodec = t.keyof({ EUR: null, GBP: null, USD: null, ISK: null });

interface RedeemDetails {
  name?: string;
  companyName?: string;
  firstName?: string;
  lastName?: string;
  country?: string;
}

/** The documented redeem payload minus the signature. */
interface RedeemBody {
  readonly kind: 'redeem';
  readonly amount: string;
  readonly currency: string;
  readonly counterpart: { readonly identifier: { readonly standard: 'iban'; readonly iban: string }; readonly details: RedeemDetails };
  readonly address: string;
  readonly message: string;
  readonly memo?: string;
  readonly chain?: string;
  readonly network?: string;
  readonly supportingDocumentId?: string;
}

interface PreparedRedeem {
  readonly path: string;
  readonly profile: string | undefined;
  readonly body: RedeemBody;
  readonly timestamp: Date;
  readonly authorise: { readonly kind: 'signer'; readonly signer: Signer } | { readonly kind: 'signature'; readonly signature: string };
}

const IBAN_AS_TYPED = /^[A-Za-z0-9 ]+$/;

const checkIban = (value: unknown): E.Either<GatewayError, { typed: string; electronic: string }> => {
  if (typeof value !== 'string' || !IBAN_AS_TYPED.test(value.trim())) {
    return E.left(invalidInput('counterpart.iban', 'must be an IBAN (letters, digits and spaces)'));
  }
  const typed = value.trim();
  const electronic = electronicFormatIBAN(typed);
  return electronic !== null && isValidIBAN(electronic)
    ? E.right({ typed, electronic })
    : E.left(invalidInput('counterpart.iban', 'is not a valid IBAN (country format or check digits)'));
};

const optionalText = (value: unknown, field: string): E.Either<GatewayError, string | undefined> =>
  value === undefined
    ? E.right(undefined)
    : typeof value === 'string' && value.trim().length > 0
      ? E.right(value.trim())
      : E.left(invalidInput(field, 'must be a non-empty string'));

/** Monerium needs a company name, or a first and a last name, for the SEPA payee. */
const checkDetails = (counterpart: RedeemCounterpart): E.Either<GatewayError, RedeemDetails> => {
  const fields = ['name', 'companyName', 'firstName', 'lastName', 'country'] as const;
  const details: RedeemDetails = {};
  for (const field of fields) {
    const checked = optionalText(counterpart[field], `counterpart.${field}`);
    if (E.isLeft(checked)) return checked;
    if (checked.right !== undefined) details[field] = checked.right;
  }
  if ((details.firstName === undefined) !== (details.lastName === undefined)) {
    const missing = details.firstName === undefined ? 'firstName' : 'lastName';
    return E.left(invalidInput(`counterpart.${missing}`, 'is required: a person is named by first and last name'));
  }
  if (details.companyName === undefined && details.name !== undefined) details.companyName = details.name;
  if (details.companyName === undefined && details.firstName === undefined) {
    return E.left(invalidInput('counterpart', 'needs companyName (or name), or firstName and lastName'));
  }
  return E.right(details);
};

const checkTimestamp = (input: RedeemOrderInput, now: () => number): E.Either<GatewayError, Date> => {
  if (input.timestamp === undefined) {
    return input.signature === undefined
      ? E.right(new Date(now()))
      : E.left(invalidInput('timestamp', 'is required with signature: the signed message names its minute'));
  }
  return input.timestamp instanceof Date && Number.isFinite(input.timestamp.getTime())
    ? E.right(input.timestamp)
    : E.left(invalidInput('timestamp', 'must be a valid Date'));
};

const checkAuthorisation = (
  input: RedeemOrderInput,
  address: string,
  fallback: Signer | undefined,
): E.Either<GatewayError, PreparedRedeem['authorise']> => {
  if (input.signature !== undefined) {
    if (input.signer !== undefined) return E.left(invalidInput('signature', 'give a signer or a signature, not both'));
    return E.map((signature: string) => ({ kind: 'signature' as const, signature }))(checkSignature(input.signature));
  }
  const signer = input.signer ?? fallback;
  if (signer === undefined) return E.left(invalidInput('signer', 'a signer or a signature is required to authorise the order'));
  if (typeof signer.address !== 'string' || !sameAddress(signer.address, address)) {
    return E.left(invalidInput('signer', "the signer's address is not the order's address"));
  }
  return E.right({ kind: 'signer', signer });
};

/** Every check runs before anything is signed or sent; the first failing field is reported. */
export const prepareRedeem = (input: RedeemOrderInput, settings: RedeemSettings): E.Either<GatewayError, PreparedRedeem> => {
  if (typeof input !== 'object' || input === null) return E.left(invalidInput('input', 'must be an object'));
  const currency = typeof input.currency === 'string' ? input.currency.toUpperCase() : input.currency;
  if (!RedeemCurrencyCodec.is(currency)) return E.left(invalidInput('currency', 'must be one of EUR, GBP, USD, ISK'));
  const amount = parseAmount(input.amount, { currency, field: 'amount' });
  if (E.isLeft(amount)) return amount;
  if (typeof input.counterpart !== 'object' || input.counterpart === null) {
    return E.left(invalidInput('counterpart', 'must be an object with an iban'));
  }
  const iban = checkIban(input.counterpart.iban);
  if (E.isLeft(iban)) return iban;
  const details = checkDetails(input.counterpart);
  if (E.isLeft(details)) return details;
  const address = checkAddress(input.address);
  if (E.isLeft(address)) return address;
  const chain = input.chain === undefined ? E.right(undefined) : checkChainName(input.chain, 'chain');
  if (E.isLeft(chain)) return chain;
  const network = input.network === undefined ? E.right(undefined) : checkChainName(input.network, 'network');
  if (E.isLeft(network)) return network;
  const memo = optionalText(input.memo, 'memo');
  if (E.isLeft(memo)) return memo;
  const supportingDocumentId = optionalText(input.supportingDocumentId, 'supportingDocumentId');
  if (E.isLeft(supportingDocumentId)) return supportingDocumentId;
  const profile = input.profile === undefined ? E.right(undefined) : pathSegment(input.profile, 'profile');
  if (E.isLeft(profile)) return profile;
  const timestamp = checkTimestamp(input, settings.now);
  if (E.isLeft(timestamp)) return timestamp;
  const authorise = checkAuthorisation(input, address.right, settings.signer);
  if (E.isLeft(authorise)) return authorise;

  const message = redeemMessage({ currency, amount: amount.right, iban: iban.right.typed, timestamp: timestamp.right });
  const body: RedeemBody = {
    kind: 'redeem',
    amount: amount.right,
    currency,
    counterpart: { identifier: { standard: 'iban', iban: iban.right.electronic }, details: details.right },
    address: address.right,
    message,
    ...(memo.right === undefined ? {} : { memo: memo.right }),
    ...(chain.right === undefined ? {} : { chain: chain.right }),
    ...(network.right === undefined ? {} : { network: network.right }),
    ...(supportingDocumentId.right === undefined ? {} : { supportingDocumentId: supportingDocumentId.right }),
  };
  const path = profile.right === undefined ? '/orders' : `/profiles/${profile.right}/orders`;
  return E.right({ path, profile: input.profile, body, timestamp: timestamp.right, authorise: authorise.right });
};

const signatureFor = (prepared: PreparedRedeem): TE.TaskEither<GatewayError, string> =>
  prepared.authorise.kind === 'signature'
    ? TE.right(prepared.authorise.signature)
    : signWith(prepared.authorise.signer, prepared.body.message);

const electronic = (iban: string): string => iban.replace(/\s+/g, '').toUpperCase();

const MINUTE = 60_000;
/** How far Monerium lets the message's minute drift from its own clock, and some slack. */
const PLACED_WINDOW_MS = 6 * MINUTE;

/**
 * Is `order` the one our lost request created? The signature (unique per request) or the message
 * decides when the order carries them; otherwise every field we sent must agree and the order
 * must have been placed around the message's minute.
 */
const isOurs = (order: Order, prepared: PreparedRedeem, signature: string): boolean => {
  const { body } = prepared;
  if (order.kind !== 'redeem' || !sameAddress(order.address, body.address)) return false;
  if (order.signature !== undefined) return order.signature.toLowerCase() === signature.toLowerCase();
  if (order.message !== undefined) return order.message === body.message;
  const identifier = order.counterpart.identifier;
  const placedAt = Date.parse(order.meta.placedAt);
  return (
    E.exists((ordering: number) => ordering === 0)(compareDecimal(order.amount, body.amount)) &&
    order.currency === body.currency.toLowerCase() &&
    identifier.standard === 'iban' &&
    electronic(identifier.iban) === body.counterpart.identifier.iban &&
    (order.memo ?? undefined) === body.memo &&
    Number.isFinite(placedAt) &&
    Math.abs(placedAt - prepared.timestamp.getTime()) <= PLACED_WINDOW_MS
  );
};

type Lookup = { readonly _tag: 'found'; readonly order: Order } | { readonly _tag: 'absent' } | { readonly _tag: 'unclear' };

const lookUp = async (api: MoneriumApi, prepared: PreparedRedeem, signature: string): Promise<Lookup> => {
  const { body, profile } = prepared;
  const page = await listOrders(api, {
    address: body.address,
    ...(body.memo === undefined ? {} : { memo: body.memo }),
    ...(profile === undefined ? {} : { profile }),
  })();
  if (E.isLeft(page)) return { _tag: 'unclear' };
  const ours = page.right.orders.filter((order) => isOurs(order, prepared, signature));
  const [only] = ours;
  if (ours.length === 1 && only !== undefined) return { _tag: 'found', order: only };
  return ours.length === 0 ? { _tag: 'absent' } : { _tag: 'unclear' };
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * When is "no such order" proof that none was placed? After a 503 or a refused connection the
 * server did not take the request, so one lookup settles it. After a timeout, a reset or a
 * gateway error (502/504) the request may still be running, so we look a few times and, if the
 * order never shows up, say `unknown` rather than guess.
 */
const settlesAtOnce = (error: TransportError): boolean =>
  error.kind === 'connection' || (error.kind === 'unavailable' && error.status === 503);

const withOutcome = (error: TransportError, outcome: PaymentOutcome): GatewayError =>
  transportError({
    kind: error.kind,
    attempts: error.attempts,
    ...(error.status === undefined ? {} : { status: error.status }),
    paymentOutcome: outcome,
    message: `${error.message}; ${
      outcome === 'not_placed'
        ? 'Monerium has no such order: it was not placed'
        : 'whether Monerium placed the order is unknown: check the orders before trying again'
    }`,
  });

/**
 * A redeem order moves money and Monerium documents no idempotency key, so the POST is sent
 * exactly once (core never retries a POST without one). If it fails in transit we ask Monerium
 * whether the order exists: found → the order is returned as a success (it was placed, which is
 * what the caller asked for); not found → `TransportError` with `paymentOutcome` `not_placed`
 * or `unknown`. A 429 or a token-store failure means the request was refused or never sent.
 */
const reconcile = (
  api: MoneriumApi,
  prepared: PreparedRedeem,
  signature: string,
  error: TransportError,
  lookup: OrderLookupSettings,
): TE.TaskEither<GatewayError, Order> => {
  if (error.kind === 'rate_limited' || error.kind === 'store') return TE.left(withOutcome(error, 'not_placed'));
  return async () => {
    const attempts = settlesAtOnce(error) ? 1 : Math.max(1, lookup.attempts);
    let sawAbsent = false;
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      if (attempt > 0) await sleep(lookup.intervalMs);
      const found = await lookUp(api, prepared, signature);
      if (found._tag === 'found') return E.right(found.order);
      sawAbsent ||= found._tag === 'absent';
    }
    return E.left(withOutcome(error, settlesAtOnce(error) && sawAbsent ? 'not_placed' : 'unknown'));
  };
};

export const placeRedeemOrder = (
  api: MoneriumApi,
  input: RedeemOrderInput,
  settings: RedeemSettings,
): TE.TaskEither<GatewayError, Order> =>
  pipe(
    TE.fromEither(prepareRedeem(input, settings)),
    TE.flatMap((prepared) =>
      pipe(
        signatureFor(prepared),
        TE.flatMap((signature) =>
          pipe(
            api.request({ method: 'POST', path: prepared.path, json: { ...prepared.body, signature } }, OrderCodec),
            TE.orElse((error) =>
              isTransportError(error) ? reconcile(api, prepared, signature, error, settings.lookup) : TE.left(error),
            ),
          ),
        ),
      ),
    ),
  );
