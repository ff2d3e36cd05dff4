import { randomUUID } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import {
  compareDecimal,
  decodeResponse,
  finiteNumber,
  type GatewayError,
  MAX_TIMER_MS,
  invalidInput,
  isProviderError,
  paymentOutcomeOf,
  parseAmount,
  requireFunction,
  requireRecord,
  withPaymentOutcome,
} from '@paygate/core';
import { checkAddress, sameAddress } from '../address.js';
import { validElectronicIban } from '../iban.js';
import type { MoneriumApi } from '../api.js';
import { onApi } from './api.js';
import { checkSigner, type Signer, signWith } from '../signer.js';
import { checkV2Signature } from './addresses.js';
import { type ChainEnvironment, chainFor } from './chains.js';
import { crossChainOrderMessage, sepaOrderMessage } from './order-message.js';
import { PROVIDER } from '../errors.js';
import { getOrder, type Order, OrderCodec } from './orders.js';
import { allOf, checkEnvironment, defined, optionalId, optionalText } from './shared.js';

/** A SEPA payout: an IBAN and the payee, a person (first and last name) or a company, with its country. */
export interface SepaCounterpart {
  readonly kind: 'iban';
  readonly iban: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly companyName?: string;
  /** ISO 3166-1 alpha-2; v2 requires it in the details. */
  readonly country: string;
}

/** A cross-chain move: the same e-money redeemed here and issued to `address` on `chain`. */
export interface CrossChainCounterpart {
  readonly kind: 'chain';
  readonly address: string;
  readonly chain: string;
}

export interface PlaceOrderInput {
  /** The client-chosen order id (a UUID). Generated when absent; pass the same id again to retry safely. */
  readonly id?: string;
  /** Decimal string, > 0, at most 2 decimals. */
  readonly amount: string;
  /** `eur` by default; v2 also lists usd, gbp, isk (non-EUR redeems are undocumented). */
  readonly currency?: string;
  /** The linked source address the e-money is burnt from. */
  readonly address: string;
  /** The source chain. */
  readonly chain: string;
  readonly counterpart: SepaCounterpart | CrossChainCounterpart;
  /** 5–140 characters. */
  readonly memo?: string;
  /** At most 35 characters; wins over `memo` at Monerium. */
  readonly referenceNumber?: string;
  /** A `POST /files` id; required from €15,000. */
  readonly supportingDocumentId?: string;
  readonly signer?: Signer;
  /** A signature made elsewhere over the exact message for `timestamp`. */
  readonly signature?: string;
  /** The minute the message names; defaults to now. Required with `signature`. */
  readonly timestamp?: Date;
  /** How the IBAN is written in the message; default `full`. */
  readonly ibanForm?: 'full' | 'short';
}

/** What placing did: the order, or `pending_signature` (202: a multisig wallet still has to sign on chain). */
export type PlaceOrderOutcome =
  | { readonly _tag: 'placed'; readonly order: Order }
  | { readonly _tag: 'pending_signature'; readonly id: string; readonly message: string };

export interface PlaceOrderSettings {
  readonly environment: ChainEnvironment;
  readonly signer: Signer | undefined;
  readonly now: () => number;
  /** Lookups of the order by id after a request whose fate is unknown. */
  readonly lookup: { readonly attempts: number; readonly intervalMs: number };
}

export interface PreparedOrder {
  readonly id: string;
  readonly body: Readonly<Record<string, unknown>> & { readonly message: string; readonly address: string; readonly amount: string };
  readonly authorise: { readonly kind: 'signer'; readonly signer: Signer } | { readonly kind: 'signature'; readonly signature: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COUNTRY = /^[A-Z]{2}$/;
/** Fact sheet §4: a supporting document is required from this EUR amount. */
export const SUPPORTING_DOCUMENT_THRESHOLD_EUR = '15000';

const MAX_AMOUNT_LENGTH = 40;

/** Optional free text, checked and sent trimmed. */
const text = (value: unknown, field: string, min: number, max: number): E.Either<GatewayError, string | undefined> =>
  E.map((given: string | undefined) => given?.trim())(optionalText(value, field, min, max));

/** A SEPA payee name: at most 140 characters (the SEPA name field is shorter; Monerium cuts, we do not). */
const NAME_MAX = 140;

const sepaCounterpart = (c: Readonly<Record<string, unknown>>): E.Either<GatewayError, { identifier: object; details: object; iban: string }> => {
  const electronic = typeof c.iban === 'string' && c.iban.length <= 64 ? validElectronicIban(c.iban) : undefined;
  if (electronic === undefined) return E.left(invalidInput('counterpart.iban', 'is not a valid IBAN'));
  if (typeof c.country !== 'string' || !COUNTRY.test(c.country)) {
    return E.left(invalidInput('counterpart.country', 'must be an ISO 3166-1 alpha-2 code such as DE'));
  }
  const names = allOf({
    firstName: text(c.firstName, 'counterpart.firstName', 1, NAME_MAX),
    lastName: text(c.lastName, 'counterpart.lastName', 1, NAME_MAX),
    companyName: text(c.companyName, 'counterpart.companyName', 1, NAME_MAX),
  });
  if (E.isLeft(names)) return names;
  const person = c.firstName !== undefined || c.lastName !== undefined;
  if (person && c.companyName !== undefined) return E.left(invalidInput('counterpart', 'is a person or a company, not both'));
  if (person) {
    for (const field of ['firstName', 'lastName'] as const) {
      const value = c[field];
      if (typeof value !== 'string' || value.trim() === '') return E.left(invalidInput(`counterpart.${field}`, 'is required for a person'));
    }
    return E.right({
      identifier: { standard: 'iban', iban: electronic },
      details: { firstName: names.right.firstName, lastName: names.right.lastName, country: c.country },
      iban: electronic,
    });
  }
  if (names.right.companyName === undefined) return E.left(invalidInput('counterpart', 'needs firstName and lastName, or companyName'));
  return E.right({ identifier: { standard: 'iban', iban: electronic }, details: { companyName: names.right.companyName, country: c.country }, iban: electronic });
};

const authorisation = (input: Readonly<Record<string, unknown>>, address: string, fallback: Signer | undefined): E.Either<GatewayError, PreparedOrder['authorise']> => {
  if (input.signature !== undefined) {
    if (input.signer !== undefined) return E.left(invalidInput('signature', 'give a signer or a signature, not both'));
    return E.map((signature: string) => ({ kind: 'signature' as const, signature }))(checkV2Signature(input.signature));
  }
  if (input.signer === undefined && fallback === undefined) return E.left(invalidInput('signer', 'a signer or a signature is required to authorise the order'));
  const signer = input.signer === undefined ? E.right(fallback as Signer) : checkSigner(input.signer);
  if (E.isLeft(signer)) return signer;
  if (!sameAddress(signer.right.address, address)) return E.left(invalidInput('signer', "the signer's address is not the order's address"));
  return E.right({ kind: 'signer', signer: signer.right });
};

/**
 * The settings a client passes (checked here too: the function is exported). The lookup numbers
 * are read after the POST, so a wrong one must be refused before it.
 */
const checkSettings = (value: unknown): E.Either<GatewayError, PlaceOrderSettings> =>
  pipe(
    requireRecord(value, 'settings'),
    E.flatMap((settings) =>
      pipe(
        requireRecord(settings.lookup, 'settings.lookup'),
        E.flatMap((lookup) =>
          allOf({
            environment: E.mapLeft(() => invalidInput('settings.environment', "must be 'production' or 'sandbox'"))(checkEnvironment(settings.environment)),
            now: requireFunction<() => number>(settings.now, 'settings.now'),
            signer: settings.signer === undefined ? E.right(undefined) : checkSigner(settings.signer, 'settings.signer'),
            attempts: finiteNumber(lookup.attempts, 'settings.lookup.attempts', { min: 1, max: 100 }),
            intervalMs: finiteNumber(lookup.intervalMs, 'settings.lookup.intervalMs', { min: 0, max: MAX_TIMER_MS }),
          }),
        ),
      ),
    ),
    E.map(({ environment, now, signer, attempts, intervalMs }) => ({ environment, now, signer, lookup: { attempts, intervalMs } })),
  );

/** Every check runs before anything is signed or sent. */
export const prepareOrder = (order: PlaceOrderInput, settingsGiven: PlaceOrderSettings, newId: () => string = randomUUID): E.Either<GatewayError, PreparedOrder> => {
  const checked = allOf({ input: requireRecord(order, 'input'), settings: checkSettings(settingsGiven) });
  if (E.isLeft(checked)) return checked;
  const { input, settings } = checked.right;
  if (typeof newId !== 'function') return E.left(invalidInput('newId', 'must be a function'));
  const id = input.id === undefined ? newId() : input.id;
  if (typeof id !== 'string' || !UUID.test(id)) return E.left(invalidInput('id', 'must be a UUID'));
  // Lower case in v2 (fact sheet §1); upper case, as v1.3 wrote it, is accepted and lowered.
  const currency = input.currency === undefined ? 'eur' : typeof input.currency === 'string' ? input.currency.toLowerCase() : undefined;
  if (currency === undefined || !['eur', 'usd', 'gbp', 'isk'].includes(currency)) return E.left(invalidInput('currency', 'must be one of eur, usd, gbp, isk'));
  // Longer than any amount Monerium could hold; bounds what is parsed and signed.
  if (typeof input.amount === 'string' && input.amount.length > MAX_AMOUNT_LENGTH) return E.left(invalidInput('amount', `must be at most ${MAX_AMOUNT_LENGTH} characters`));
  const amount = parseAmount(input.amount as string, { maxDecimals: 2, field: 'amount' });
  if (E.isLeft(amount)) return amount;
  const address = checkAddress(input.address);
  if (E.isLeft(address)) return address;
  const chain = chainFor(input.chain, settings.environment);
  if (E.isLeft(chain)) return chain;
  const memo = text(input.memo, 'memo', 5, 140);
  if (E.isLeft(memo)) return memo;
  const referenceNumber = text(input.referenceNumber, 'referenceNumber', 1, 35);
  if (E.isLeft(referenceNumber)) return referenceNumber;
  // A `POST /files` id (a UUID): the same check as an id in a path.
  const supportingDocumentId = optionalId(input.supportingDocumentId, 'supportingDocumentId');
  if (E.isLeft(supportingDocumentId)) return supportingDocumentId;
  const atThreshold = E.exists((ordering: number) => ordering >= 0)(compareDecimal(amount.right, SUPPORTING_DOCUMENT_THRESHOLD_EUR));
  if (currency === 'eur' && atThreshold && supportingDocumentId.right === undefined) {
    return E.left(invalidInput('supportingDocumentId', 'is required for orders of €15,000 or more (upload it with POST /files)'));
  }
  if (input.timestamp === undefined && input.signature !== undefined) {
    return E.left(invalidInput('timestamp', 'is required with signature: the signed message names its minute'));
  }
  if (input.ibanForm !== undefined && input.ibanForm !== 'full' && input.ibanForm !== 'short') return E.left(invalidInput('ibanForm', "must be 'full' or 'short'"));
  const timestamp = input.timestamp === undefined ? new Date(settings.now()) : input.timestamp;
  if (!(timestamp instanceof Date) || !Number.isFinite(timestamp.getTime())) {
    return E.left(invalidInput(input.timestamp === undefined ? 'settings.now' : 'timestamp', 'must be a valid Date'));
  }
  const counterpartGiven = requireRecord(input.counterpart, 'counterpart');
  if (E.isLeft(counterpartGiven)) return counterpartGiven;
  const c = counterpartGiven.right;
  if (c.kind !== 'iban' && c.kind !== 'chain') {
    return E.left(invalidInput('counterpart.kind', 'must be "iban" (SEPA) or "chain" (cross-chain)'));
  }
  let counterpart: object;
  let message: string;
  if (c.kind === 'iban') {
    const sepa = sepaCounterpart(c);
    if (E.isLeft(sepa)) return sepa;
    counterpart = { identifier: sepa.right.identifier, details: defined(sepa.right.details as Record<string, unknown>) };
    message = sepaOrderMessage({ currency, amount: amount.right, iban: sepa.right.iban, timestamp, ibanForm: input.ibanForm === 'short' ? 'short' : 'full' });
  } else {
    const to = checkAddress(c.address, 'counterpart.address');
    if (E.isLeft(to)) return to;
    const toChain = chainFor(c.chain, settings.environment, 'counterpart.chain');
    if (E.isLeft(toChain)) return toChain;
    // Cross-chain: no details needed (fact sheet §3, D _partials/orders.mdx).
    counterpart = { identifier: { standard: 'chain', address: to.right, chain: toChain.right } };
    message = crossChainOrderMessage({ currency, amount: amount.right, address: to.right, chain: toChain.right, timestamp });
  }
  const authorise = authorisation(input, address.right, settings.signer);
  if (E.isLeft(authorise)) return authorise;
  return E.right({
    id,
    authorise: authorise.right,
    body: defined({
      id,
      kind: 'redeem',
      address: address.right,
      chain: chain.right,
      currency,
      amount: amount.right,
      counterpart,
      message,
      memo: memo.right,
      referenceNumber: referenceNumber.right,
      supportingDocumentId: supportingDocumentId.right,
    }),
  });
};

type Lookup = { readonly _tag: 'found'; readonly order: Order } | { readonly _tag: 'absent' } | { readonly _tag: 'unclear' };

const lookUp = async (api: MoneriumApi, prepared: PreparedOrder): Promise<Lookup> => {
  const found = await getOrder(api, prepared.id)();
  if (E.isRight(found)) {
    // The id is ours; an order under it with another source or amount is not ours to claim.
    const order = found.right;
    return sameAddress(order.address, prepared.body.address) && E.exists((ordering: number) => ordering === 0)(compareDecimal(order.amount, prepared.body.amount))
      ? { _tag: 'found', order }
      : { _tag: 'unclear' };
  }
  return isProviderError(found.left) && found.left.status === 404 ? { _tag: 'absent' } : { _tag: 'unclear' };
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Looks the order up by the id we gave it, a few times (a request still running may land late). */
const findById = async (api: MoneriumApi, prepared: PreparedOrder, settings: PlaceOrderSettings): Promise<Order | undefined> => {
  for (let attempt = 0; attempt < Math.max(1, settings.lookup.attempts); attempt += 1) {
    if (attempt > 0) await sleep(settings.lookup.intervalMs);
    const found = await lookUp(api, prepared);
    if (found._tag === 'found') return found.order;
  }
  return undefined;
};

/**
 * Settles a failed POST with core's rules (`paymentOutcomeOf`): refused or never sent →
 * `not_placed`; anything that may have reached Monerium (timeout, reset, 5xx, 502/504, and 409:
 * an order with our id exists) → looked up by our id: found → placed (success), else `unknown`.
 * Every error carries `paymentOutcome` and our id as `paymentId` (`withPaymentOutcome`).
 */
const settle = async (api: MoneriumApi, prepared: PreparedOrder, error: GatewayError, settings: PlaceOrderSettings) => {
  const outcome = paymentOutcomeOf(error);
  if (outcome === 'unknown') {
    const order = await findById(api, prepared, settings);
    if (order !== undefined) return E.right<GatewayError, PlaceOrderOutcome>({ _tag: 'placed', order });
  }
  return E.left<GatewayError, PlaceOrderOutcome>(withPaymentOutcome(error, outcome, prepared.id));
};

/**
 * `POST /orders`: a signed redeem, SEPA or cross-chain, sent once (never retried by the HTTP
 * client). The order carries an id we chose, so a lost answer is settled by `GET /orders/{id}`,
 * and sending the same input (same `id`) again cannot place a second order: Monerium answers
 * 409 for a known id and we return the order that exists. 202 (a multisig signature pending,
 * whatever its body: `{code:202,…}`, `{}` or none) is `pending_signature`, to follow with
 * `GET /signatures` and `GET /orders/{id}`. A 2xx whose body we cannot read means Monerium took
 * the order: it is read back by id, else the `DecodeError` says `placed` with our id.
 */
export const placeOrder = onApi('placeOrder', (api: MoneriumApi, input: PlaceOrderInput, settings: PlaceOrderSettings): TE.TaskEither<GatewayError, PlaceOrderOutcome> =>
  pipe(
    TE.fromEither(prepareOrder(input, settings)),
    TE.flatMap((prepared) =>
      pipe(
        prepared.authorise.kind === 'signature' ? TE.right(prepared.authorise.signature) : signWith(prepared.authorise.signer, prepared.body.message),
        TE.flatMap(
          (signature): TE.TaskEither<GatewayError, PlaceOrderOutcome> =>
            async () => {
              const sent = await api.send({ method: 'POST', path: '/orders', json: { ...prepared.body, signature } })();
              if (E.isLeft(sent)) return settle(api, prepared, sent.left, settings);
              if (sent.right.status === 202) return E.right({ _tag: 'pending_signature', id: prepared.id, message: prepared.body.message });
              const decoded = decodeResponse(OrderCodec, PROVIDER)(sent.right);
              if (E.isRight(decoded)) return E.right({ _tag: 'placed', order: decoded.right });
              const order = await findById(api, prepared, settings);
              return order === undefined ? E.left(withPaymentOutcome(decoded.left, 'placed', prepared.id)) : E.right({ _tag: 'placed', order });
            },
        ),
      ),
    ),
  ));

/** Where a `pending_signature` order stands: placed once the multisig signed, else still pending. */
export type PendingOrderStatus = { readonly _tag: 'placed'; readonly order: Order } | { readonly _tag: 'pending_signature' };

/**
 * Follows a 202 order: `GET /orders/{id}` answers once the wallet has signed on chain; until
 * then Monerium lists it under `GET /signatures?kind=order` and the order lookup says 404.
 */
export const followPendingOrder = onApi('followPendingOrder', (api: MoneriumApi, id: string): TE.TaskEither<GatewayError, PendingOrderStatus> =>
  pipe(
    getOrder(api, id),
    TE.map((order): PendingOrderStatus => ({ _tag: 'placed', order })),
    TE.orElse((error) =>
      isProviderError(error) && error.status === 404 ? TE.right<GatewayError, PendingOrderStatus>({ _tag: 'pending_signature' }) : TE.left(error),
    ),
  ));
