import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { type GatewayError, invalidInput } from '@paygate/core';
import { checkSignature, isEvmAddress } from './address.js';

/**
 * Whatever holds the private key of a linked address: it signs a UTF-8 message with EIP-191
 * `personal_sign` and answers `0x` + 130 hex characters. A wallet, an HSM or a viem account.
 */
export interface Signer {
  readonly address: string;
  signMessage(message: string): Promise<string>;
}

/** A signer as a JavaScript caller may pass it: an object with an EVM `address` and a `signMessage` function. */
export const checkSigner = (value: unknown, field = 'signer'): E.Either<GatewayError, Signer> =>
  typeof value === 'object' &&
  value !== null &&
  isEvmAddress((value as { address?: unknown }).address) &&
  typeof (value as { signMessage?: unknown }).signMessage === 'function'
    ? E.right(value as Signer)
    : E.left(invalidInput(field, 'must be { address, signMessage(message) } with an EVM address'));

/**
 * The part of a viem `LocalAccount` (`privateKeyToAccount`, `mnemonicToAccount`, …) that signing
 * needs, written structurally so this package never loads viem.
 */
export interface ViemLikeAccount {
  readonly address: string;
  signMessage(args: { message: string }): Promise<string>;
}

export const signerFromViemAccount = (account: ViemLikeAccount): Signer => ({
  address: typeof account === 'object' && account !== null ? account.address : '',
  // async: a wallet that throws synchronously still answers with a rejection, which signWith maps.
  signMessage: async (message) => account.signMessage({ message }),
});

/**
 * Asks the signer for a signature. A signer that throws or answers something that is not a
 * signature becomes `InvalidInput` on `field`; its own error text is not kept (it may quote key
 * material).
 */
export const signWith =
  (signer: Signer, message: string, field = 'signer'): TE.TaskEither<GatewayError, string> =>
  async () => {
    let signature: unknown;
    try {
      signature = await signer.signMessage(message);
    } catch {
      return E.left(invalidInput(field, 'the signer failed to sign the message'));
    }
    return E.mapLeft(() => invalidInput(field, 'the signer did not return an EIP-191 signature'))(
      checkSignature(signature, field),
    );
  };
