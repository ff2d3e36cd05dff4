import type { FastifyInstance } from 'fastify';
import { requireProfile, requireScope } from './caller.js';
import { validationError } from './errors.js';
import { CHAINS, type Chain, CURRENCIES, type Currency, rfc3339, SANDBOX_NETWORKS } from './model.js';
import { asObject } from './payload.js';
import { callerOf, type Services } from './services.js';
import { ADDRESS_FORMAT, recoverSigner, SIGNATURE_FORMAT, sameAddress } from './signatures.js';

/** The message a wallet signs to prove it owns the address it links (NOTES.md). */
export const LINK_MESSAGE = 'I hereby declare that I am the address owner.';

/** `chain` + optional `network`, checked against the sandbox's networks. */
const chainOf = (value: unknown, network: unknown, field: string, errors: Record<string, string>): Chain | undefined => {
  const chain = CHAINS.find((c) => c === value);
  if (chain === undefined) {
    errors[field] = `Must be one of ${CHAINS.join(', ')}`;
    return undefined;
  }
  if (network !== undefined && network !== SANDBOX_NETWORKS[chain]) errors[field.replace(/chain$/, 'network')] = `Must be ${SANDBOX_NETWORKS[chain]} for ${chain} in the sandbox`;
  return chain;
};

/**
 * `POST /profiles/{id}/addresses`: `{address, message, signature, chain?, network?, accounts?}`
 * where `signature` is the EIP-191 signature of LINK_MESSAGE by `address`.
 */
export const registerAddressRoutes = (app: FastifyInstance, services: Services): void => {
  app.post<{ Params: { profile: string } }>('/profiles/:profile/addresses', async (request, reply) => {
    const caller = callerOf(services, request);
    requireScope(caller, 'orders:write');
    const profile = requireProfile(caller, services.ledger, request.params.profile, 'write');
    const body = asObject(request.body);
    if (body === undefined) throw validationError({ body: 'A JSON object is required' });
    const errors: Record<string, string> = {};

    const address = typeof body.address === 'string' ? body.address : undefined;
    if (address === undefined) errors.address = 'This field is required';
    else if (!ADDRESS_FORMAT.test(address)) errors.address = 'Must be a 0x-prefixed 20-byte hex address';
    if (body.message !== LINK_MESSAGE) errors.message = `Must be exactly "${LINK_MESSAGE}"`;
    const signature = typeof body.signature === 'string' ? body.signature : undefined;
    if (signature === undefined) errors.signature = 'This field is required';
    else if (!SIGNATURE_FORMAT.test(signature)) errors.signature = 'Must be 0x followed by 130 hex characters';

    const chains = new Set<Chain>();
    const currencies = new Set<Currency>();
    if (body.chain !== undefined) {
      const chain = chainOf(body.chain, body.network, 'chain', errors);
      if (chain !== undefined) chains.add(chain);
    }
    if (body.accounts !== undefined) {
      if (!Array.isArray(body.accounts)) errors.accounts = 'Must be an array';
      else
        body.accounts.forEach((entry: unknown, i) => {
          const account = asObject(entry);
          const currency = CURRENCIES.find((c) => c === account?.currency);
          if (currency === undefined) errors[`accounts.${i}.currency`] = `Must be one of ${CURRENCIES.join(', ')}`;
          else currencies.add(currency);
          if (account?.chain !== undefined) {
            const chain = chainOf(account.chain, account.network, `accounts.${i}.chain`, errors);
            if (chain !== undefined) chains.add(chain);
          }
        });
    }
    if (chains.size === 0) chains.add('ethereum');
    if (currencies.size === 0) currencies.add('eur');

    if (address !== undefined && ADDRESS_FORMAT.test(address)) {
      const owner = services.ledger.linkedAddress(address);
      if (owner !== undefined && owner.profile !== profile.id) errors.address = 'The address is linked to another profile';
    }
    let signer: string | undefined;
    if (typeof body.message === 'string' && signature !== undefined && SIGNATURE_FORMAT.test(signature) && address !== undefined && ADDRESS_FORMAT.test(address)) {
      signer = await recoverSigner(body.message, signature);
      if (signer === undefined) errors.signature = 'Invalid signature';
      else if (!sameAddress(signer, address)) errors.signature = 'The signature was not made by the address';
    }
    if (Object.keys(errors).length > 0 || signer === undefined) throw validationError(errors);

    const linked = services.ledger.link(profile.id, signer, [...chains], [...currencies], caller.userId, rfc3339(services.clockOf(request).now()));
    return reply.code(201).send({
      profile: linked.profile,
      address: linked.address,
      chains: [...linked.chains],
      state: 'linked',
      meta: { linkedBy: linked.linkedBy, linkedAt: linked.linkedAt },
    });
  });
};
