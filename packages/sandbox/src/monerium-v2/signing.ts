import { recoverSigner, SIGNATURE_FORMAT, sameAddress } from '../monerium/signatures.js';
import type { World } from './world.js';

/** What a signature on a link or an order amounts to (fact sheet §3 addresses, §4 signing). */
export type SignatureCheck = { readonly kind: 'valid' } | { readonly kind: 'on-chain' } | { readonly kind: 'invalid'; readonly reason: string };

const COMBINED = /^0x(?:[0-9a-fA-F]{130})+$/;

/**
 * An EOA signs with EIP-191 `personal_sign` (`0x` + 130 hex). A Safe answers `"0x"` when its owners
 * sign on chain (Monerium waits: 202 and an entry in `GET /signatures`), or the owners' signatures
 * concatenated, at least `threshold` distinct owners. The sandbox checks each owner's part as an
 * EIP-191 signature of the same message (a real Safe verifies through ERC-1271 on chain).
 */
export const checkSignature = async (world: World, address: string, message: string, signature: string): Promise<SignatureCheck> => {
  const safe = world.safe(address);
  if (safe === undefined) {
    if (!SIGNATURE_FORMAT.test(signature)) return { kind: 'invalid', reason: 'invalid signature' };
    const signer = await recoverSigner(message, signature);
    return signer !== undefined && sameAddress(signer, address) ? { kind: 'valid' } : { kind: 'invalid', reason: 'invalid signature' };
  }
  if (signature === '0x') return { kind: 'on-chain' };
  if (!COMBINED.test(signature)) return { kind: 'invalid', reason: 'invalid signature' };
  const owners = new Set<string>();
  for (let i = 2; i < signature.length; i += 130) {
    const signer = await recoverSigner(message, `0x${signature.slice(i, i + 130)}`);
    const owner = signer === undefined ? undefined : safe.owners.find((o) => sameAddress(o, signer));
    if (owner === undefined) return { kind: 'invalid', reason: 'invalid signature' };
    owners.add(owner.toLowerCase());
  }
  return owners.size >= safe.threshold ? { kind: 'valid' } : { kind: 'invalid', reason: `the Safe needs ${safe.threshold} owner signatures` };
};
