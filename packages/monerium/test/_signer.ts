import * as E from 'fp-ts/lib/Either.js';
import { type Signer, signerFromViemAccount, type ViemLikeAccount } from '../src/index.js';

/** A test wallet's Signer: these accounts are valid, so a Left is a broken test setup. */
export const viemSigner = (account: ViemLikeAccount): Signer => {
  const signer = signerFromViemAccount(account);
  if (E.isLeft(signer)) throw new Error(`test setup: ${signer.left.message}`);
  return signer.right;
};
