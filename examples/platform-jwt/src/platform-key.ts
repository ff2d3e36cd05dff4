import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type GatewayError, invalidInput } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';

/** NOTES.md, MoneyNS: platform JWTs are RS512 with a 2048-bit RSA key. */
export const PLATFORM_KEY_BITS = 2048;

/** Only the owner may read or write the private key. */
export const PLATFORM_KEY_MODE = 0o600;

export interface PlatformKey {
  readonly path: string;
  /** PKCS#8 PEM. */
  readonly privateKeyPem: string;
  /** SPKI PEM: what MoneyNS is given when the platform is registered. */
  readonly publicKeyPem: string;
  /** True when this call generated the key (it cannot be registered with MoneyNS yet). */
  readonly created: boolean;
  /** Permission bits of the file; anything beyond 0600 means other users can read the key. */
  readonly mode: number;
}

/** The field of every key error: the file, named by its path (never by its contents). */
const FIELD = 'platformKey';

const errnoOf = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? 'unknown error';

const checkRsaKey = (path: string, pem: string): E.Either<GatewayError, KeyObject> => {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    // The parser's message is not passed on: it could quote part of the file.
    return E.left(invalidInput(FIELD, `${path} is not a PEM private key`));
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < PLATFORM_KEY_BITS) {
    return E.left(invalidInput(FIELD, `${path} must hold an RSA key of at least ${PLATFORM_KEY_BITS} bits`));
  }
  return E.right(key);
};

const publicPemOf = (key: KeyObject): string => createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();

const readKey = (path: string): E.Either<GatewayError, PlatformKey> => {
  let pem: string;
  let mode: number;
  try {
    pem = readFileSync(path, 'utf8');
    mode = statSync(path).mode & 0o777;
  } catch (error) {
    return E.left(invalidInput(FIELD, `${path} cannot be read (${errnoOf(error)})`));
  }
  return E.map((key: KeyObject) => ({ path, privateKeyPem: pem, publicKeyPem: publicPemOf(key), created: false, mode }))(
    checkRsaKey(path, pem),
  );
};

const generateKey = (path: string): E.Either<GatewayError, PlatformKey> => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: PLATFORM_KEY_BITS,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // `wx`: never overwrite a key that appeared meanwhile (another run of the job made it).
    writeFileSync(path, privateKey, { mode: PLATFORM_KEY_MODE, flag: 'wx' });
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') return readKey(path);
    return E.left(invalidInput(FIELD, `${path} cannot be written (${errnoOf(error)})`));
  }
  return E.right({ path, privateKeyPem: privateKey, publicKeyPem: publicKey, created: true, mode: statSync(path).mode & 0o777 });
};

/** Only a file that is not there is made; one that cannot be looked at is reported by `readKey`. */
const isMissing = (path: string): boolean => {
  try {
    statSync(path);
    return false;
  } catch (error) {
    return errnoOf(error) === 'ENOENT';
  }
};

/**
 * The platform's private key at `path`: read when the file exists (it must be an RSA key of at
 * least 2048 bits), otherwise generated as RSA 2048, written as PKCS#8 PEM with mode 0600.
 * Errors name the file, never its contents.
 */
export const loadOrCreatePlatformKey = (path: string): E.Either<GatewayError, PlatformKey> =>
  isMissing(path) ? generateKey(path) : readKey(path);
