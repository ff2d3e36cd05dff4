import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isValidIBAN } from 'ibantools';
import { parseAmount } from '../monerium/amounts.js';
import { asObject, asString, type JsonObject } from '../monerium/payload.js';
import { ADDRESS_FORMAT } from '../monerium/signatures.js';
import { mayRead, mayWrite, type V2Caller, v2CallerOf, type V2Services } from './caller.js';
import { ACCEPTED, v2Error, v2NotFound, v2Validation } from './errors.js';
import { chainFromRequest, timestamp, type V2Order, V2_CHAINS, V2_CURRENCIES, V2_ORDER_STATES } from './model.js';
import { checkOrderMessage } from './order-message.js';
import { v2Route } from './routing.js';
import { checkSignature } from './signing.js';
import type { World } from './world.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COUNTRY = /^[A-Z]{2}$/;
/** SEPA redeems from this amount need a supporting document (fact sheet §3 orders). */
const DOCUMENT_THRESHOLD_CENTS = 1_500_000n;
const DEFAULT_MEMO = 'Powered by Monerium';
const REQUIRED = 'This field is required';

type Query = Record<string, string | string[] | undefined>;

/** What identifies a placement: the same `id` with the same payload is the same order. */
const fingerprint = (body: JsonObject): string => {
  const fields = ['address', 'chain', 'currency', 'kind', 'amount', 'counterpart', 'message', 'signature', 'memo', 'referenceNumber', 'supportingDocumentId'];
  return createHash('sha256')
    .update(JSON.stringify(fields.map((f) => body[f] ?? null)))
    .digest('hex');
};

const text = (value: unknown): string | undefined => {
  const s = asString(value)?.trim();
  return s === undefined || s === '' ? undefined : s;
};

/** The counterpart of a redeem: an IBAN with the beneficiary's name and country, or an address on a chain (cross-chain). */
const readCounterpart = (value: unknown, errors: Record<string, string>): { counterpart: V2Order['counterpart']; rawChain?: string } | undefined => {
  const counterpart = asObject(value);
  const identifier = asObject(counterpart?.identifier);
  const details = asObject(counterpart?.details);
  if (counterpart === undefined || identifier === undefined) {
    errors.counterpart = REQUIRED;
    return undefined;
  }
  if (identifier.standard === 'iban') {
    const iban = asString(identifier.iban)?.replace(/\s+/g, '').toUpperCase();
    if (iban === undefined || !isValidIBAN(iban)) errors['counterpart.identifier.iban'] = 'Invalid IBAN';
    const country = text(details?.country);
    if (country === undefined || !COUNTRY.test(country)) errors['counterpart.details.country'] = 'ISO 3166-1 alpha-2 country code required';
    const firstName = text(details?.firstName);
    const lastName = text(details?.lastName);
    const companyName = text(details?.companyName);
    if (companyName === undefined && (firstName === undefined || lastName === undefined)) {
      errors['counterpart.details'] = 'Either firstName and lastName, or companyName, with country';
    }
    if (iban === undefined || country === undefined) return undefined;
    const who =
      companyName !== undefined ? { companyName, country } : { firstName: firstName ?? '', lastName: lastName ?? '', country };
    return { counterpart: { identifier: { standard: 'iban', iban: asString(identifier.iban) ?? iban }, details: who } };
  }
  if (identifier.standard === 'chain') {
    const address = asString(identifier.address);
    const rawChain = asString(identifier.chain);
    const chain = chainFromRequest(rawChain);
    if (address === undefined || !ADDRESS_FORMAT.test(address)) errors['counterpart.identifier.address'] = 'Must be a 0x-prefixed 20-byte hex address';
    if (chain === undefined) errors['counterpart.identifier.chain'] = `Must be one of ${V2_CHAINS.join(', ')}`;
    if (address === undefined || chain === undefined || rawChain === undefined) return undefined;
    return { counterpart: { identifier: { standard: 'chain', address, chain }, details: {} }, rawChain };
  }
  errors['counterpart.identifier.standard'] = 'Must be iban or chain';
  return undefined;
};

/** The issue a processed cross-chain redeem leads to: tokens minted to the counterpart address on its chain. */
export const crossChainIssue = (world: World, redeem: V2Order): void => {
  const { identifier } = redeem.counterpart;
  if (redeem.kind !== 'redeem' || identifier.standard !== 'chain') return;
  const cents = parseAmount(redeem.amount) ?? 0n;
  const owner = world.address(identifier.address);
  if (owner === undefined) {
    // Nobody's profile: the mint still happens on chain, there is just no order to show for it.
    world.adjust(identifier.address, identifier.chain, redeem.currency, cents);
    return;
  }
  world.placeOrder(
    {
      id: world.random.uuid(),
      kind: 'issue',
      profile: owner.profile,
      address: owner.address,
      chain: identifier.chain,
      currency: redeem.currency,
      amount: redeem.amount,
      counterpart: { identifier: { standard: 'chain', address: redeem.address, chain: redeem.chain }, details: {} },
      memo: redeem.memo,
      state: 'placed',
      meta: { placedAt: timestamp(world.clock.now()) },
    },
    '',
  );
};

/** `GET /orders`, `GET /orders/{id}`, `POST /orders` (fact sheet §3 orders, §4 message). */
export const registerV2OrderRoutes = (app: FastifyInstance, services: V2Services): void => {
  const { world } = services;

  v2Route(app, 'GET', '/orders', async (request) => {
    const caller = v2CallerOf(services, request);
    const query = request.query as Query;
    const errors: Record<string, string> = {};
    const filter: Record<string, string> = {};
    for (const name of ['address', 'txHash', 'profile', 'memo', 'state']) {
      const value = query[name];
      if (Array.isArray(value)) errors[name] = 'Must be given once';
      else if (value !== undefined) filter[name] = value;
    }
    if (filter.state !== undefined && !V2_ORDER_STATES.some((s) => s === filter.state)) errors.state = `Must be one of ${V2_ORDER_STATES.join(', ')}`;
    if (Object.keys(errors).length > 0) throw v2Validation(errors);
    const orders = world.allOrders().filter(
      (o) =>
        mayRead(caller, o.profile) &&
        (filter.address === undefined || o.address.toLowerCase() === filter.address.toLowerCase()) &&
        (filter.txHash === undefined || (o.meta.txHashes ?? []).some((h) => h.toLowerCase() === filter.txHash?.toLowerCase())) &&
        (filter.profile === undefined || o.profile === filter.profile) &&
        (filter.memo === undefined || o.memo === filter.memo) &&
        (filter.state === undefined || o.state === filter.state),
    );
    return { orders };
  });

  v2Route(app, 'GET', '/orders/:id', async (request) => {
    const caller = v2CallerOf(services, request);
    const { id } = request.params as { id: string };
    const order = world.order(id);
    if (order === undefined || !mayRead(caller, order.profile)) throw v2NotFound('Order', id);
    return order;
  });

  v2Route(app, 'POST', '/orders', async (request, reply) => place(services, v2CallerOf(services, request), request.body, services.clockOf(request).now(), reply));
};

const place = async (services: V2Services, caller: V2Caller, payload: unknown, now: number, reply: FastifyReply): Promise<FastifyReply> => {
  const { world } = services;
  const body = asObject(payload);
  if (body === undefined) throw v2Validation({ body: 'A JSON object is required' });
  const clientId = body.id;
  if (clientId !== undefined && !(typeof clientId === 'string' && UUID.test(clientId))) throw v2Validation({ id: 'Must be a UUID' });
  const print = fingerprint(body);

  // The client's id makes placement idempotent: a repeat (a retry after a lost answer) gets the
  // order it already placed, never a second one, even once the message timestamp has expired.
  // Checked again after the signature check, which awaits: a concurrent twin may have placed it.
  const repeat = (): FastifyReply | undefined => {
    if (typeof clientId !== 'string') return undefined;
    const existing = world.order(clientId.toLowerCase());
    const waiting = world.pendingAction(`order:${clientId.toLowerCase()}`);
    if (existing === undefined && waiting === undefined) return undefined;
    const same = existing !== undefined ? world.orderFingerprint(existing.id) === print && mayRead(caller, existing.profile) : waiting?.fingerprint === print;
    if (!same) throw v2Error(409, `An order with id ${clientId} already exists`);
    return existing !== undefined ? reply.code(200).send(existing) : reply.code(202).send(ACCEPTED);
  };
  const early = repeat();
  if (early !== undefined) return early;

  const errors: Record<string, string> = {};
  if (body.kind !== 'redeem') errors.kind = body.kind === undefined ? REQUIRED : 'Only redeem orders can be placed';
  const currency = V2_CURRENCIES.find((c) => c === body.currency);
  if (currency === undefined) errors.currency = `Must be one of ${V2_CURRENCIES.join(', ')} (lower case)`;
  const amount = asString(body.amount);
  const cents = amount === undefined ? undefined : parseAmount(amount);
  if (amount === undefined) errors.amount = REQUIRED;
  else if (cents === undefined || cents === 0n) errors.amount = 'Must be a positive decimal string with at most two decimals';
  const chain = chainFromRequest(body.chain);
  if (chain === undefined) errors.chain = body.chain === undefined ? REQUIRED : `Must be one of ${V2_CHAINS.join(', ')}`;
  const address = asString(body.address);
  const linked = address === undefined || !ADDRESS_FORMAT.test(address) ? undefined : world.address(address);
  if (address === undefined) errors.address = REQUIRED;
  else if (linked === undefined || !mayWrite(caller, linked.profile)) errors.address = 'Address is not linked to a profile you may use';
  else if (chain !== undefined && !linked.chains.includes(chain)) errors.chain = `The address is not linked on ${chain}`;
  const read = readCounterpart(body.counterpart, errors);
  const sepa = read?.counterpart.identifier.standard === 'iban';
  if (sepa && currency !== undefined && currency !== 'eur') errors.currency = 'SEPA redeems are in eur';

  const memo = body.memo;
  if (memo !== undefined && !(typeof memo === 'string' && memo.length >= 5 && memo.length <= 140)) errors.memo = 'Between 5 and 140 characters';
  const referenceNumber = body.referenceNumber;
  if (referenceNumber !== undefined && !(typeof referenceNumber === 'string' && referenceNumber.length >= 1 && referenceNumber.length <= 35)) {
    errors.referenceNumber = 'At most 35 characters';
  }
  const documentId = body.supportingDocumentId;
  if (documentId !== undefined && !(typeof documentId === 'string' && world.hasFile(documentId))) errors.supportingDocumentId = 'Unknown file; upload it with POST /files';
  if (documentId === undefined && currency === 'eur' && cents !== undefined && cents >= DOCUMENT_THRESHOLD_CENTS) {
    errors.supportingDocumentId = 'A supporting document is required from EUR 15,000';
  }

  const message = asString(body.message);
  const signature = asString(body.signature);
  if (message === undefined) errors.message = REQUIRED;
  else if (currency !== undefined && amount !== undefined && read !== undefined) {
    const { identifier } = read.counterpart;
    const target = identifier.standard === 'iban' ? { iban: identifier.iban } : identifier.standard === 'chain' ? { address: identifier.address, chain: read.rawChain ?? '' } : undefined;
    const problem = target === undefined ? undefined : checkOrderMessage(message, { currency, amount, target }, now);
    if (problem !== undefined) errors.message = problem;
  }
  if (signature === undefined) errors.signature = REQUIRED;
  const check = message === undefined || signature === undefined || address === undefined ? undefined : await checkSignature(world, address, message, signature);
  if (check?.kind === 'invalid') errors.signature = check.reason;
  if (Object.keys(errors).length > 0 || linked === undefined || chain === undefined || currency === undefined || cents === undefined || amount === undefined || read === undefined || check === undefined) {
    throw v2Validation(errors);
  }
  const twin = repeat();
  if (twin !== undefined) return twin;
  if (cents > world.balance(linked.address, chain, currency)) throw v2Validation({ amount: 'Insufficient balance' });

  const order: V2Order = {
    id: typeof clientId === 'string' ? clientId.toLowerCase() : world.random.uuid(),
    kind: 'redeem',
    profile: linked.profile,
    address: linked.address,
    chain,
    currency,
    amount,
    counterpart: read.counterpart,
    // "Both memo and referenceNumber → referenceNumber wins; neither → memo Powered by Monerium."
    memo: typeof referenceNumber === 'string' ? referenceNumber : typeof memo === 'string' ? memo : DEFAULT_MEMO,
    ...(typeof referenceNumber === 'string' ? { referenceNumber } : {}),
    state: 'placed',
    meta: { placedAt: timestamp(now), ...(typeof documentId === 'string' ? { supportingDocumentId: documentId } : {}) },
  };
  const burnAndPlace = (): V2Order => {
    // "The address will be debited for the order amount": the tokens are burnt at placement.
    world.adjust(order.address, order.chain, order.currency, -cents);
    return world.placeOrder({ ...order, meta: { ...order.meta, placedAt: timestamp(world.clock.now()) } }, print);
  };
  if (check.kind === 'on-chain') {
    world.addPending(`order:${order.id}`, {
      profile: order.profile,
      fingerprint: print,
      signature: { id: order.id, kind: 'order', chain, address: order.address, amount, counterpart: order.counterpart, currency, message: message ?? '', createdAt: timestamp(now) },
      complete: () => {
        const covered = cents <= world.balance(order.address, order.chain, order.currency);
        burnAndPlace();
        // Rejecting a redeem refunds it, so the balance ends where it was.
        if (!covered) world.rejectOrder(order.id, 'Insufficient balance when the Safe signature arrived');
      },
    });
    return reply.code(202).send(ACCEPTED);
  }
  return reply.code(200).send(burnAndPlace());
};
