import { recoverMessageAddress } from 'viem/utils';

/** `0x` + r (32 bytes) + s (32 bytes) + v (1 byte), as `personal_sign` returns it. */
export const SIGNATURE_FORMAT = /^0x[0-9a-fA-F]{130}$/;
export const ADDRESS_FORMAT = /^0x[0-9a-fA-F]{40}$/;

/**
 * The address whose key made an EIP-191 `personal_sign` signature over the UTF-8 message, or
 * undefined when no key could have made it.
 */
export const recoverSigner = async (message: string, signature: string): Promise<string | undefined> => {
  if (!SIGNATURE_FORMAT.test(signature)) return undefined;
  try {
    return await recoverMessageAddress({ message, signature: signature as `0x${string}` });
  } catch {
    return undefined;
  }
};

export const sameAddress = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
