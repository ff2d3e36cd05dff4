import * as E from 'fp-ts/lib/Either.js';
import { type GatewayError, invalidInput } from '@paygate/core';

const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
/** EIP-191 personal_sign output: r (32 bytes), s (32 bytes), v (1 byte) as 0x-prefixed hex. */
const SIGNATURE = /^0x[0-9a-fA-F]{130}$/;
const CHAIN_NAME = /^[a-z0-9][a-z0-9-]*$/;

export const isEvmAddress = (value: unknown): value is string => typeof value === 'string' && EVM_ADDRESS.test(value);

export const sameAddress = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export const checkAddress = (value: unknown, field = 'address'): E.Either<GatewayError, string> =>
  isEvmAddress(value) ? E.right(value) : E.left(invalidInput(field, 'must be 0x followed by 40 hex characters'));

export const checkSignature = (value: unknown, field = 'signature'): E.Either<GatewayError, string> =>
  typeof value === 'string' && SIGNATURE.test(value)
    ? E.right(value)
    : E.left(invalidInput(field, 'must be 0x followed by 130 hex characters (an EIP-191 signature)'));

/** Chain (`ethereum`, `gnosis`, `polygon`) and network (`mainnet`, `chiado`, …) names as Monerium writes them. */
export const checkChainName = (value: unknown, field: string): E.Either<GatewayError, string> =>
  typeof value === 'string' && CHAIN_NAME.test(value)
    ? E.right(value)
    : E.left(invalidInput(field, 'must be a lower-case name such as "ethereum" or "mainnet"'));
