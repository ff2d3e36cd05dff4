import { parseSiweMessage } from 'viem/siwe';
import { recoverSigner, sameAddress } from '../monerium/signatures.js';
import { chainOfEvmId, type V2Chain } from './model.js';
import type { World } from './world.js';

/** The resource every Monerium SIWE message must list (fact sheet §2.1). */
export const MONERIUM_SIWE_RESOURCE = 'https://monerium.com/siwe';
/** How far `Issued At` may lie in the future (clock drift between wallet and server). */
const ISSUED_AT_SKEW_MS = 5 * 60_000;

export type SiweOutcome =
  | { readonly ok: true; readonly address: string; readonly profile: string; readonly chain: V2Chain }
  | { readonly ok: false; readonly malformed: boolean; readonly reason: string };

const fail = (reason: string, malformed = false): SiweOutcome => ({ ok: false, malformed, reason });

/**
 * Verifies an EIP-4361 sign-in for Monerium: the message parses, its `domain` is the app's
 * (the authority of the redirect URI), it has not expired (`Expiration Time` is required), is
 * valid now (`Not Before`, `Issued At`), lists `https://monerium.com/siwe` and two more resources
 * (the app's privacy policy and terms), its `Chain ID` is one the address is linked on, its nonce
 * was never used, and the EIP-191 signature recovers to its address, which must be linked.
 */
export const verifySiwe = async (
  message: string,
  signature: string,
  context: { readonly now: number; readonly domain: string; readonly world: World },
): Promise<SiweOutcome> => {
  const fields = parseSiweMessage(message);
  const { address, domain, nonce, chainId, expirationTime, issuedAt, notBefore, resources, version, uri } = fields;
  if (address === undefined || domain === undefined || nonce === undefined || chainId === undefined || uri === undefined || issuedAt === undefined) {
    return fail('message is not an EIP-4361 message', true);
  }
  if (version !== '1') return fail('Version must be 1', true);
  if (nonce.length < 8) return fail('Nonce must be at least 8 alphanumeric characters', true);
  if (expirationTime === undefined) return fail('Expiration Time is required', true);
  if (Number.isNaN(expirationTime.getTime()) || Number.isNaN(issuedAt.getTime()) || (notBefore !== undefined && Number.isNaN(notBefore.getTime()))) {
    return fail('timestamps must be RFC 3339', true);
  }
  const others = (resources ?? []).filter((r) => r !== MONERIUM_SIWE_RESOURCE);
  if (!(resources ?? []).includes(MONERIUM_SIWE_RESOURCE) || others.length < 2) {
    return fail(`Resources must list ${MONERIUM_SIWE_RESOURCE} and the app's privacy policy and terms URLs`, true);
  }
  if (domain.toLowerCase() !== context.domain.toLowerCase()) return fail(`domain ${domain} is not the app's (${context.domain})`);
  if (expirationTime.getTime() <= context.now) return fail('the message has expired');
  if (notBefore !== undefined && notBefore.getTime() > context.now) return fail('the message is not valid yet (Not Before)');
  if (issuedAt.getTime() > context.now + ISSUED_AT_SKEW_MS) return fail('Issued At lies in the future');
  const signer = await recoverSigner(message, signature);
  if (signer === undefined || !sameAddress(signer, address)) return fail('invalid signature');
  const linked = context.world.address(address);
  if (linked === undefined) return fail('the address is not linked to a Monerium profile');
  const chain = chainOfEvmId(chainId);
  if (chain === undefined || !linked.chains.includes(chain)) return fail(`the address is not linked on chain id ${chainId}`);
  if (!context.world.useNonce(nonce)) return fail('the nonce was already used');
  return { ok: true, address: linked.address, profile: linked.profile, chain };
};
