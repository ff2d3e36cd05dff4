import { randomBytes } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { type GatewayError, invalidInput } from '@paygate/core';
import { isEvmAddress } from '../address.js';

/** Fact sheet §2.1: the Resources a Monerium SIWE message must list first. */
export const MONERIUM_SIWE_RESOURCE = 'https://monerium.com/siwe';

export interface SiweMessageParams {
  /** The app's domain (RFC 3986 authority), e.g. `app.example.com`. */
  readonly domain: string;
  /** The app's URI, e.g. `https://app.example.com`. */
  readonly uri: string;
  /** The signing wallet, EIP-55 checksummed as EIP-4361 asks (viem accounts are). */
  readonly address: string;
  /** A linked chain's EVM chain id. */
  readonly chainId: number;
  /** Shown to the user; the SDK writes `Allow <appName> to access my data on Monerium`. */
  readonly statement: string;
  /** The app's privacy policy and terms of service URLs, required by Monerium after its own resource. */
  readonly privacyPolicyUrl: string;
  readonly termsOfServiceUrl: string;
  readonly issuedAt: Date;
  readonly expirationTime: Date;
  /** At least 8 alphanumeric characters; fresh random by default. */
  readonly nonce?: string;
}

const absoluteUrl = (value: unknown, field: string): E.Either<GatewayError, string> => {
  try {
    if (typeof value !== 'string' || value.length > 2048 || /\s/.test(value)) throw new TypeError('not a URL');
    new URL(value);
    return E.right(value);
  } catch {
    return E.left(invalidInput(field, 'must be an absolute URL'));
  }
};

/** A fresh EIP-4361 nonce: 16 random alphanumeric characters. */
export const siweNonce = (): string => randomBytes(8).toString('hex');

/**
 * The EIP-4361 message Monerium's SIWE sign-in takes, line by line as the EIP writes it, with
 * `Expiration Time` and the Resources Monerium requires (its own, then privacy and terms).
 */
export const siweMessage = (params: SiweMessageParams): E.Either<GatewayError, string> => {
  if (typeof params !== 'object' || params === null) return E.left(invalidInput('params', 'must be an object'));
  if (typeof params.domain !== 'string' || params.domain.length > 260 || !/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?$/.test(params.domain)) {
    return E.left(invalidInput('domain', 'must be a host name, optionally with a port'));
  }
  if (!isEvmAddress(params.address)) return E.left(invalidInput('address', 'must be 0x followed by 40 hex characters'));
  if (!Number.isInteger(params.chainId) || params.chainId <= 0) return E.left(invalidInput('chainId', 'must be a positive whole number'));
  if (typeof params.statement !== 'string' || params.statement.includes('\n')) return E.left(invalidInput('statement', 'must be one line'));
  for (const [field, value] of [
    ['uri', params.uri],
    ['privacyPolicyUrl', params.privacyPolicyUrl],
    ['termsOfServiceUrl', params.termsOfServiceUrl],
  ] as const) {
    const checked = absoluteUrl(value, field);
    if (E.isLeft(checked)) return checked;
  }
  const nonce = params.nonce ?? siweNonce();
  if (!/^[A-Za-z0-9]{8,}$/.test(nonce)) return E.left(invalidInput('nonce', 'must be at least 8 letters or digits'));
  if (!(params.expirationTime > params.issuedAt)) return E.left(invalidInput('expirationTime', 'must be after issuedAt'));
  return E.right(
    [
      `${params.domain} wants you to sign in with your Ethereum account:`,
      params.address,
      '',
      params.statement,
      '',
      `URI: ${params.uri}`,
      'Version: 1',
      `Chain ID: ${params.chainId}`,
      `Nonce: ${nonce}`,
      `Issued At: ${params.issuedAt.toISOString()}`,
      `Expiration Time: ${params.expirationTime.toISOString()}`,
      'Resources:',
      `- ${MONERIUM_SIWE_RESOURCE}`,
      `- ${params.privacyPolicyUrl}`,
      `- ${params.termsOfServiceUrl}`,
    ].join('\n'),
  );
};
