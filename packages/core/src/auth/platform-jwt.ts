import { createPrivateKey, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import * as E from 'fp-ts/lib/Either.js';
import type JsonWebToken from 'jsonwebtoken';
import { type GatewayError, invalidInput } from '../errors.js';

/** RS512 needs an RSA key; below 2048 bits it is not considered safe (NIST SP 800-131A). */
const MIN_RSA_BITS = 2048;

/**
 * Every error here is written by us: neither the key text nor a parser message that might quote
 * it ever reaches a `GatewayError`.
 */
const rsaPrivateKey = (privateKeyPem: string): E.Either<GatewayError, KeyObject> => {
  if (typeof privateKeyPem !== 'string' || privateKeyPem.length === 0) {
    return E.left(invalidInput('privateKeyPem', 'must be a PEM-encoded private key'));
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: privateKeyPem, format: 'pem' });
  } catch {
    return E.left(invalidInput('privateKeyPem', 'is not a readable PEM private key'));
  }
  if (key.asymmetricKeyType !== 'rsa') {
    return E.left(invalidInput('privateKeyPem', `must be an RSA key for RS512, not ${key.asymmetricKeyType ?? 'unknown'}`));
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    return E.left(invalidInput('privateKeyPem', `must be at least ${MIN_RSA_BITS} bits, got ${bits}`));
  }
  return E.right(key);
};

/**
 * jsonwebtoken (and semver, jws, lodash.* under it: ~75 CommonJS modules) is loaded on the first
 * signature, not when `@paygate/core` is imported: only a platform login signs a JWT.
 */
let jsonwebtoken: typeof JsonWebToken | undefined;
const loadJsonwebtoken = (): typeof JsonWebToken => {
  jsonwebtoken ??= createRequire(import.meta.url)('jsonwebtoken') as typeof JsonWebToken;
  return jsonwebtoken;
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Signs a platform login JWT with RS512 (MoneyNS `authenticate-jwt`: claims `{email, expire}` or
 * `{id, expire}`, where `expire` is a custom Unix-seconds claim, not `exp`). The token carries
 * exactly the claims given: no `iat` is added, since the provider documents none.
 */
export const signPlatformJwt = (
  privateKeyPem: string,
  claims: Readonly<Record<string, unknown>>,
): E.Either<GatewayError, string> => {
  if (!isPlainObject(claims)) return E.left(invalidInput('claims', 'must be an object'));
  const key = rsaPrivateKey(privateKeyPem);
  if (E.isLeft(key)) return key;
  const jwt = loadJsonwebtoken();
  try {
    return E.right(jwt.sign({ ...claims }, key.right, { algorithm: 'RS512', noTimestamp: true }));
  } catch {
    // jsonwebtoken validates registered claims (`exp`, `nbf` must be numbers…).
    return E.left(invalidInput('claims', 'jsonwebtoken refused the claims (registered claims such as exp must be numeric)'));
  }
};
