import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts/lib/index.js';
import { decodeWith, type GatewayError, type TokenSet, TokenSetCodec, tokenSetFingerprint } from '@paygate/core';
import { type KeyRing, open, seal } from './encryption.js';
import { badEntry, STORE_NAME } from './errors.js';

/**
 * How one session is written to Redis: a versioned JSON envelope, either the TokenSet in clear
 * (`alg: "none"`) or sealed with AES-256-GCM (`alg: "A256GCM"`). The version lets a later
 * format coexist with entries already stored. `fp` (core's `tokenSetFingerprint`, a SHA-256
 * digest of the two tokens) is what the compare-and-set script compares, since it cannot open a
 * sealed entry; entries written before it existed have none.
 */
const PlainEnvelopeCodec = t.type({ v: t.literal(1), alg: t.literal('none'), tokens: t.unknown });

const SealedEnvelopeCodec = t.type({
  v: t.literal(1),
  alg: t.literal('A256GCM'),
  kid: t.string,
  iv: t.string,
  tag: t.string,
  ct: t.string,
});

const EnvelopeCodec = t.union([PlainEnvelopeCodec, SealedEnvelopeCodec]);

const decodeTokenSet = decodeWith(TokenSetCodec, STORE_NAME);

/** A value that is not a TokenSet is `InvalidInput` on `tokens` (from `tokenSetFingerprint`), never stored. */
export const encodeEntry = (ring: KeyRing | undefined, sessionKey: string, tokens: TokenSet): E.Either<GatewayError, string> =>
  E.map((fp: string) =>
    ring === undefined
      ? JSON.stringify({ v: 1, alg: 'none', fp, tokens })
      : JSON.stringify({ ...seal(ring, sessionKey, JSON.stringify(tokens)), fp }),
  )(tokenSetFingerprint(tokens));

const parseJson = (text: string, path: string): E.Either<GatewayError, unknown> => {
  try {
    return E.right(JSON.parse(text) as unknown);
  } catch {
    return E.left(badEntry(path, 'it is not JSON'));
  }
};

/**
 * Reads an entry back. With encryption configured, an entry in clear is refused: otherwise
 * anyone able to write to Redis could plant a session of their choosing.
 */
export const decodeEntry = (ring: KeyRing | undefined, sessionKey: string, stored: string): E.Either<GatewayError, TokenSet> => {
  const json = parseJson(stored, '');
  if (E.isLeft(json)) return json;
  const envelope = EnvelopeCodec.decode(json.right);
  if (E.isLeft(envelope)) return E.left(badEntry('', 'it is not a paygate session envelope (version 1)'));
  const entry = envelope.right;
  if (entry.alg === 'none') {
    if (ring !== undefined) return E.left(badEntry('alg', 'it is not encrypted but this store requires encryption'));
    return decodeTokenSet(entry.tokens);
  }
  if (ring === undefined) return E.left(badEntry('alg', 'it is encrypted but this store has no encryptionKey'));
  const plaintext = open(ring, sessionKey, entry);
  if (E.isLeft(plaintext)) return plaintext;
  const tokens = parseJson(plaintext.right, 'ct');
  return E.isLeft(tokens) ? tokens : decodeTokenSet(tokens.right);
};
