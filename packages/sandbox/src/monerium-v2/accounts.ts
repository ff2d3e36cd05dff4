import type { FastifyInstance } from 'fastify';
import { LINK_MESSAGE } from '../monerium/addresses.js';
import { formatAmount } from '../monerium/amounts.js';
import { asObject, asString } from '../monerium/payload.js';
import { ADDRESS_FORMAT } from '../monerium/signatures.js';
import { mayRead, mayWrite, requireV2Profile, type V2Caller, v2CallerOf, type V2Services } from './caller.js';
import { ACCEPTED, v2Error, v2NotFound, v2Validation } from './errors.js';
import { newIban, SANDBOX_BIC } from './fixtures.js';
import { chainFromRequest, timestamp, type V2Address, type V2Chain, V2_CHAINS, V2_CURRENCIES, type V2Currency } from './model.js';
import { v2Route } from './routing.js';
import { checkSignature } from './signing.js';

type Query = Record<string, string | string[] | undefined>;

/** One query parameter given at most once; a repeat is a validation error. */
const once = (query: Query, name: string, errors: Record<string, string>): string | undefined => {
  const value = query[name];
  if (Array.isArray(value)) {
    errors[name] = 'Must be given once';
    return undefined;
  }
  return value;
};

/** `?profile=&chain=` of the address and IBAN lists: a predicate over `{profile, chains}` (400 for bad values). */
const profileChainFilter = (caller: V2Caller, query: Query): ((item: { profile: string; chains: ReadonlyArray<V2Chain> }) => boolean) => {
  const errors: Record<string, string> = {};
  const profile = once(query, 'profile', errors);
  const text = once(query, 'chain', errors);
  const chain = text === undefined ? undefined : chainFromRequest(text);
  if (text !== undefined && chain === undefined) errors.chain = `Must be one of ${V2_CHAINS.join(', ')}`;
  if (Object.keys(errors).length > 0) throw v2Validation(errors);
  return (item) => mayRead(caller, item.profile) && (profile === undefined || item.profile === profile) && (chain === undefined || item.chains.includes(chain));
};

/** One resource by path parameter, if the caller may read its profile (404 otherwise, as for a missing one). */
const readable = <A extends { profile: string }>(caller: V2Caller, found: A | undefined, what: string, id: string): A => {
  if (found === undefined || !mayRead(caller, found.profile)) throw v2NotFound(what, id);
  return found;
};

/** An address linked to a profile the caller may write, on `chain` (for IBAN requests and moves). */
const linkedFor = (services: V2Services, caller: V2Caller, address: unknown, chain: unknown, errors: Record<string, string>): { linked: V2Address; chain: V2Chain } | undefined => {
  const text = asString(address);
  const name = chainFromRequest(chain);
  if (text === undefined || !ADDRESS_FORMAT.test(text)) errors.address = 'Must be a 0x-prefixed 20-byte hex address';
  if (name === undefined) errors.chain = `Must be one of ${V2_CHAINS.join(', ')}`;
  if (text === undefined || name === undefined || !ADDRESS_FORMAT.test(text)) return undefined;
  const linked = services.world.address(text);
  if (linked === undefined || !mayWrite(caller, linked.profile)) {
    errors.address = 'The address is not linked to a profile you may use';
    return undefined;
  }
  if (!linked.chains.includes(name)) {
    errors.chain = `The address is not linked on ${name}`;
    return undefined;
  }
  return { linked, chain: name };
};

/** `/addresses`, `/ibans` and `GET /balances/{chain}/{address}` (fact sheet §3). */
export const registerV2AccountRoutes = (app: FastifyInstance, services: V2Services): void => {
  const { world } = services;

  v2Route(app, 'GET', '/addresses', async (request) => {
    const keep = profileChainFilter(v2CallerOf(services, request), request.query as Query);
    return { addresses: world.allAddresses().filter(keep) };
  });

  v2Route(app, 'GET', '/addresses/:address', async (request) => {
    const { address } = request.params as { address: string };
    return readable(v2CallerOf(services, request), world.address(address), 'Address', address);
  });

  v2Route(app, 'POST', '/addresses', async (request, reply) => {
    const caller = v2CallerOf(services, request);
    const body = asObject(request.body);
    if (body === undefined) throw v2Validation({ body: 'A JSON object is required' });
    const errors: Record<string, string> = {};
    const address = asString(body.address);
    if (address === undefined || !ADDRESS_FORMAT.test(address)) errors.address = 'Must match ^0x[0-9a-fA-F]{40}$';
    const chain = chainFromRequest(body.chain);
    if (chain === undefined) errors.chain = `Must be one of ${V2_CHAINS.join(', ')}`;
    else if (chain === 'grand') errors.chain = 'The sandbox links EVM addresses only';
    if (body.message !== LINK_MESSAGE) errors.message = `Must be exactly "${LINK_MESSAGE}"`;
    const signature = asString(body.signature);
    if (signature === undefined) errors.signature = 'This field is required';
    const profileId = body.profile === undefined ? caller.defaultProfile : asString(body.profile);
    if (profileId === undefined) errors.profile = 'Must be a profile id';
    if (Object.keys(errors).length > 0 || address === undefined || chain === undefined || signature === undefined || profileId === undefined) {
      throw v2Validation(errors);
    }
    const profile = requireV2Profile(world, caller, profileId, 'write');
    const owner = world.address(address);
    if (owner !== undefined && owner.profile !== profile.id) throw v2Validation({ address: 'The address is linked to another profile' });
    const check = await checkSignature(world, address, LINK_MESSAGE, signature);
    if (check.kind === 'invalid') throw v2Validation({ signature: check.reason });
    const link = () => world.link(profile.id, address, chain, caller.userId);
    if (check.kind === 'on-chain') {
      // Monerium polls the chain for the Safe's signMessage transaction (up to five days).
      world.addPending(`link:${address.toLowerCase()}:${chain}`, {
        profile: profile.id,
        signature: { kind: 'linkAddress', chain, address, message: LINK_MESSAGE, createdAt: timestamp(services.clockOf(request).now()) },
        complete: () => {
          link();
        },
      });
      return reply.code(202).send(ACCEPTED);
    }
    const linked = link();
    const meta = world.linkInfo(address);
    return reply.code(201).send({ profile: linked.profile, address: linked.address, state: 'linked', meta });
  });

  v2Route(app, 'POST', '/ibans', async (request, reply) => {
    const caller = v2CallerOf(services, request);
    const body = asObject(request.body);
    const errors: Record<string, string> = {};
    const target = linkedFor(services, caller, body?.address, body?.chain, errors);
    const notify = body?.emailNotifications;
    if (notify !== undefined && typeof notify !== 'boolean') errors.emailNotifications = 'Must be a boolean';
    if (target === undefined || Object.keys(errors).length > 0) throw v2Validation(errors);
    const profile = requireV2Profile(world, caller, target.linked.profile, 'write');
    // "One per profile": a second request changes nothing (304, as the OpenAPI says).
    if (world.ibanOfProfile(profile.id) !== undefined) return reply.code(304).send();
    if (profile.state !== 'approved') throw v2Error(400, `Profile ${profile.id} is not approved; an IBAN needs an approved profile`);
    world.putIban({
      iban: newIban(world.random),
      name: profile.name,
      bic: SANDBOX_BIC,
      profile: profile.id,
      address: target.linked.address,
      chain: target.chain,
      state: 'requested',
      emailNotifications: notify !== false,
    });
    return reply.code(202).send(ACCEPTED);
  });

  v2Route(app, 'GET', '/ibans', async (request) => {
    const keep = profileChainFilter(v2CallerOf(services, request), request.query as Query);
    return { ibans: world.allIbans().filter((i) => keep({ profile: i.profile, chains: [i.chain] })) };
  });

  v2Route(app, 'GET', '/ibans/:iban', async (request) => {
    const { iban } = request.params as { iban: string };
    return readable(v2CallerOf(services, request), world.iban(iban), 'IBAN', iban);
  });

  v2Route(app, 'PATCH', '/ibans/:iban', async (request, reply) => {
    const caller = v2CallerOf(services, request);
    const { iban } = request.params as { iban: string };
    const found = readable(caller, world.iban(iban), 'IBAN', iban);
    const body = asObject(request.body);
    const errors: Record<string, string> = {};
    const target = linkedFor(services, caller, body?.address, body?.chain, errors);
    if (target !== undefined && target.linked.profile !== found.profile) errors.address = 'The address belongs to another profile than the IBAN';
    if (target === undefined || Object.keys(errors).length > 0) throw v2Validation(errors);
    const moved = world.moveIban(found.iban, target.linked.address, target.chain);
    // Moving to where it already points changes nothing: 304 (the sandbox's choice; a move answers 200 `{}`).
    return moved ? reply.code(200).send({}) : reply.code(304).send();
  });

  v2Route(
    app,
    'GET',
    '/balances/:chain/:address',
    async (request) => {
      v2CallerOf(services, request);
      const params = request.params as { chain: string; address: string };
      const query = request.query as Query;
      const errors: Record<string, string> = {};
      const chain = chainFromRequest(params.chain);
      if (chain === undefined) errors.chain = `Must be one of ${V2_CHAINS.join(', ')}`;
      if (!ADDRESS_FORMAT.test(params.address)) errors.address = 'Must be a 0x-prefixed 20-byte hex address';
      const raw = query.currency;
      const asked = raw === undefined ? ['eur'] : Array.isArray(raw) ? raw : [raw];
      const currencies: V2Currency[] = [];
      for (const c of asked) {
        const known = V2_CURRENCIES.find((k) => k === c);
        if (known === undefined) errors.currency = `Must be one of ${V2_CURRENCIES.join(', ')}`;
        else if (!currencies.includes(known)) currencies.push(known);
      }
      if (chain === undefined || Object.keys(errors).length > 0) throw v2Validation(errors);
      // Token balances are public on chain: any address can be asked about.
      const address = world.address(params.address)?.address ?? params.address;
      return {
        address,
        chain,
        balances: currencies.map((currency) => ({ currency, amount: formatAmount(world.balance(params.address, chain, currency)) })),
      };
    },
    { headerOptional: true },
  );
};
