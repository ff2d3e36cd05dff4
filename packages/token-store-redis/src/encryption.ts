import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { type GatewayError, invalidInput } from '@paygate/core';
import { badEntry } from './errors.js';

/** A 256-bit key: a 32-byte Buffer, 64 hex characters, or base64 / base64url of 32 bytes. */
export type EncryptionKey = string | Buffer;

/** Rotation: new entries are sealed with `current`; entries sealed with any `previous` key still open. */
export interface EncryptionKeys {
  readonly current: EncryptionKey;
  readonly previous?: ReadonlyArray<EncryptionKey>;
}

interface ParsedKey {
  readonly id: string;
  readonly bytes: Buffer;
}

export interface KeyRing {
  readonly current: ParsedKey;
  readonly byId: ReadonlyMap<string, Buffer>;
}

/** The sealed form of one entry, stored as JSON (see README "Encryption envelope"). */
export interface SealedEnvelope {
  readonly v: 1;
  readonly alg: 'A256GCM';
  readonly kid: string;
  readonly iv: string;
  readonly tag: string;
  readonly ct: string;
}

const KEY_BYTES = 32;
// NIST SP 800-38D §8.2: a random 96-bit IV per message keeps GCM's nonce-reuse risk negligible.
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

const keyBytes = (key: EncryptionKey): Buffer | undefined => {
  if (Buffer.isBuffer(key)) return key.length === KEY_BYTES ? Buffer.from(key) : undefined;
  if (typeof key !== 'string') return undefined;
  if (HEX_KEY.test(key)) return Buffer.from(key, 'hex');
  if (!BASE64_KEY.test(key)) return undefined;
  const decoded = Buffer.from(key.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return decoded.length === KEY_BYTES ? decoded : undefined;
};

/**
 * The key id written into each envelope: a truncated HMAC of a fixed label under the key. It
 * identifies the key without revealing anything usable about it, and needs no naming by the user.
 */
const keyId = (bytes: Buffer): string =>
  createHmac('sha256', bytes).update('paygate token-store key id').digest('base64url').slice(0, 11);

const parseKey = (key: EncryptionKey, field: string): E.Either<GatewayError, ParsedKey> => {
  const bytes = keyBytes(key);
  return bytes === undefined
    ? E.left(invalidInput(field, 'must be 32 bytes: a Buffer, 64 hex characters, or base64 of 32 bytes'))
    : E.right({ id: keyId(bytes), bytes });
};

const isKeyList = (value: EncryptionKey | EncryptionKeys): value is EncryptionKeys =>
  typeof value === 'object' && !Buffer.isBuffer(value);

export const createKeyRing = (config: EncryptionKey | EncryptionKeys): E.Either<GatewayError, KeyRing> => {
  const { current, previous = [] } = isKeyList(config) ? config : { current: config };
  const parsedCurrent = parseKey(current, 'encryptionKey.current');
  if (E.isLeft(parsedCurrent)) return parsedCurrent;
  const byId = new Map<string, Buffer>([[parsedCurrent.right.id, parsedCurrent.right.bytes]]);
  for (const [i, key] of previous.entries()) {
    const parsed = parseKey(key, `encryptionKey.previous.${i}`);
    if (E.isLeft(parsed)) return parsed;
    if (!byId.has(parsed.right.id)) byId.set(parsed.right.id, parsed.right.bytes);
  }
  return E.right({ current: parsedCurrent.right, byId });
};

/**
 * Additional authenticated data: the envelope version, key id and the session key. Binding the
 * session key means an entry copied under another session's key fails to open instead of
 * handing one user's tokens to another session.
 */
const aad = (kid: string, sessionKey: string): Buffer => Buffer.from(`paygate-token-store:v1:${kid}:${sessionKey}`, 'utf8');

export const seal = (ring: KeyRing, sessionKey: string, plaintext: string): SealedEnvelope => {
  const { id, bytes } = ring.current;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', bytes, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(id, sessionKey));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    v: 1,
    alg: 'A256GCM',
    kid: id,
    iv: iv.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
    ct: ct.toString('base64url'),
  };
};

export const open = (ring: KeyRing, sessionKey: string, envelope: SealedEnvelope): E.Either<GatewayError, string> => {
  const key = ring.byId.get(envelope.kid);
  if (key === undefined) return E.left(badEntry('kid', 'it was encrypted with a key this store does not have'));
  const iv = Buffer.from(envelope.iv, 'base64url');
  const tag = Buffer.from(envelope.tag, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    return E.left(badEntry(iv.length !== IV_BYTES ? 'iv' : 'tag', 'the envelope is malformed'));
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(envelope.kid, sessionKey));
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([decipher.update(Buffer.from(envelope.ct, 'base64url')), decipher.final()]);
    return E.right(plain.toString('utf8'));
  } catch {
    // GCM authentication failed: the entry was altered, or sealed for another session key.
    return E.left(badEntry('ct', 'decryption failed (the entry was altered or belongs to another key)'));
  }
};
