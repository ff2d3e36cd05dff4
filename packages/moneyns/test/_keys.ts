import { generateKeyPairSync, verify } from 'node:crypto';

export interface KeyPair {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

export const rsaKeyPair = (modulusLength = 2048): KeyPair => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
};

export const ecPrivateKeyPem = (): string =>
  generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
    .privateKey;

const decodePart = (part: string | undefined): unknown => JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));

/** Splits a compact JWT and checks its RS512 signature (RSASSA-PKCS1-v1_5 with SHA-512) against a public key. */
export const readJwt = (jwt: string, publicKeyPem: string): { header: unknown; payload: unknown; valid: boolean } => {
  const [header, payload, signature] = jwt.split('.');
  const valid = verify('sha512', Buffer.from(`${header}.${payload}`), publicKeyPem, Buffer.from(signature ?? '', 'base64url'));
  return { header: decodePart(header), payload: decodePart(payload), valid };
};
