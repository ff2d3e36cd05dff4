import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import { compareDecimal, type GatewayError, invalidInput, parseAmount, sendPayment } from '@paygate/core';
import { checkAddress, checkChainName, checkSignature, sameAddress } from './address.js';
import { validElectronicIban } from './iban.js';
import { type MoneriumApi, pathSegment } from './api.js';
import { PROVIDER } from './errors.js';
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
  /** Lookups after a request that may have reached Monerium (timeout, reset, any 5xx). Default 3. */
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
  const electronic = validElectronicIban(typed);
  return electronic !== undefined
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
  if (E.isLeft(message)) return message;
  const body: RedeemBody = {
    kind: 'redeem',
    amount: amount.right,
    currency,
    counterpart: { identifier: { standard: 'iban', iban: iban.right.electronic }, details: details.right },
    address: address.right,
    message: message.right,
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

/**
 * Does `order` carry what identifies the request we sent? The signature and the signed message
 * (it names the minute) where the order lists them; otherwise every field we sent.
 */
const sameRequest = (order: Order, prepared: PreparedRedeem, signature: string): boolean => {
  const { body } = prepared;
  if (order.kind !== 'redeem' || !sameAddress(order.address, body.address)) return false;
  if (order.signature !== undefined && order.signature.toLowerCase() !== signature.toLowerCase()) return false;
  if (order.message !== undefined && order.message !== body.message) return false;
  const identifier = order.counterpart.identifier;
  return (
    E.exists((ordering: number) => ordering === 0)(compareDecimal(order.amount, body.amount)) &&
    order.currency === body.currency.toLowerCase() &&
    identifier.standard === 'iban' &&
    electronic(identifier.iban) === body.counterpart.identifier.iban &&
    (order.memo ?? undefined) === body.memo
  );
};

/**
 * Placed no earlier than the second our request started. An identical payout made moments before
 * (a double click inside the same minute signs the very same message) is thereby never taken for
 * ours; if Monerium's clock runs behind ours, our own order is not recognised and the answer is
 * `unknown` instead — the safe side.
 */
const placedSince = (order: Order, startedAt: number): boolean => {
  const placedAt = Date.parse(order.meta.placedAt);
  return Number.isFinite(placedAt) && placedAt >= Math.floor(startedAt / 1000) * 1000;
};

type Lookup = { readonly _tag: 'found'; readonly order: Order } | { readonly _tag: 'absent' } | { readonly _tag: 'unclear' };

const lookUp = async (api: MoneriumApi, prepared: PreparedRedeem, signature: string, startedAt: number): Promise<Lookup> => {
  const { body, profile } = prepared;
  const page = await listOrders(api, {
    address: body.address,
    ...(body.memo === undefined ? {} : { memo: body.memo }),
    ...(profile === undefined ? {} : { profile }),
  })();
  if (E.isLeft(page)) return { _tag: 'unclear' };
  const candidates = page.right.orders.filter((order) => sameRequest(order, prepared, signature) && placedSince(order, startedAt));
  const [only] = candidates;
  if (candidates.length === 1 && only !== undefined) return { _tag: 'found', order: only };
  return candidates.length === 0 ? { _tag: 'absent' } : { _tag: 'unclear' };
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * After a failure that may have reached Monerium (a timeout, a reset, a response the parser
 * refused, any 5xx) the order may exist, possibly still being stored: look for it up to
 * `lookup.attempts` times. Only one order that is certainly this request's counts; none, several
 * or a failed lookup leave it undecided (`sendPayment` then says `unknown`).
 */
const findPlacedOrder =
  (api: MoneriumApi, prepared: PreparedRedeem, signature: string, startedAt: number, lookup: OrderLookupSettings) =>
  async (): Promise<Order | undefined> => {
    for (let attempt = 0; attempt < Math.max(1, lookup.attempts); attempt += 1) {
      if (attempt > 0) await sleep(lookup.intervalMs);
      const found = await lookUp(api, prepared, signature, startedAt);
      if (found._tag === 'found') return found.order;
      if (found._tag === 'unclear') return undefined;
    }
    return undefined;
  };

/**
 * A redeem order moves money and Monerium documents no idempotency key, so the POST is sent
 * exactly once (core never retries a POST without one), through core's `sendPayment`:
 * - 2xx → the order; a 2xx body that does not decode → `DecodeError` with `paymentOutcome:
 *   'placed'` and the order id read leniently;
 * - the request provably never left (refused connection, DNS failure, token store), or Monerium
 *   refused it (4xx, 401/403, 429) → `paymentOutcome: 'not_placed'`;
 * - anything else → the order is looked up (`findPlacedOrder`): found → returned as a success
 *   (it was placed, which is what the caller asked for); else `paymentOutcome: 'unknown'`.
 * No such error is ever `retryable: true`.
 */
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
        TE.flatMap((signature) => {
          const startedAt = settings.now();
          return sendPayment({
            provider: PROVIDER,
            send: api.send({ method: 'POST', path: prepared.path, json: { ...prepared.body, signature } }),
            codec: OrderCodec,
            reconcile: () => findPlacedOrder(api, prepared, signature, startedAt, settings.lookup),
          });
        }),
      ),
    ),
  );
