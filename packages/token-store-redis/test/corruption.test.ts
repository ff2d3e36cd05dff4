import { createCipheriv, randomBytes } from 'node:crypto';
import test from 'ava';
import { createTokenManager } from '@paygate/core';
import { left, right, sampleTokens, storeFor } from './_fixtures.js';
import { sharedRedis } from './_redis.js';

const redis = sharedRedis();

const key = randomBytes(32);
const SECRET_MARKER = 'leaky-secret-value-7731';

const readCorrupted = async (sessionKey: string, stored: string, encrypted = false) => {
  const store = storeFor({ redis: redis.url, ...(encrypted ? { encryptionKey: key } : {}) });
  await redis.raw.set(`paygate:${sessionKey}`, stored);
  const error = left(await store.get(sessionKey)());
  right(await store.close()());
  return error;
};

const cases: ReadonlyArray<[string, string, string]> = [
  ['text that is not JSON', `not json ${SECRET_MARKER}`, ''],
  ['a bare TokenSet without envelope', JSON.stringify({ ...sampleTokens(), accessToken: SECRET_MARKER }), ''],
  ['an envelope of an unknown version', JSON.stringify({ v: 2, alg: 'none', tokens: { accessToken: SECRET_MARKER } }), ''],
  ['a TokenSet of the wrong shape', JSON.stringify({ v: 1, alg: 'none', tokens: { accessToken: 42, tokenType: 'Bearer', extra: {}, refreshToken: SECRET_MARKER } }), 'accessToken'],
  ['a TokenSet missing extra', JSON.stringify({ v: 1, alg: 'none', tokens: { accessToken: SECRET_MARKER, tokenType: 'Bearer' } }), 'extra'],
];

for (const [what, stored, path] of cases) {
  test(`${what} is a DecodeError at '${path}' that does not echo the entry`, async (t) => {
    const error = await readCorrupted(`c:${what}`, stored);
    t.like(error, { _tag: 'DecodeError', provider: 'token-store-redis', path });
    t.false(JSON.stringify(error).includes(SECRET_MARKER));
  });
}

test('a tampered ciphertext is a DecodeError', async (t) => {
  const writer = storeFor({ redis: redis.url, encryptionKey: key });
  right(await writer.set('c:tampered', sampleTokens('tampered'))());
  const envelope = JSON.parse((await redis.raw.get('paygate:c:tampered')) ?? '{}') as Record<string, string>;
  const ct = Buffer.from(envelope.ct ?? '', 'base64url');
  ct[0] = (ct[0] ?? 0) ^ 0xff;
  const error = await readCorrupted('c:tampered', JSON.stringify({ ...envelope, ct: ct.toString('base64url') }), true);
  t.like(error, { _tag: 'DecodeError', path: 'ct' });
  right(await writer.close()());
});

test('an envelope with a truncated IV is a DecodeError', async (t) => {
  const writer = storeFor({ redis: redis.url, encryptionKey: key });
  right(await writer.set('c:iv', sampleTokens('iv'))());
  const envelope = JSON.parse((await redis.raw.get('paygate:c:iv')) ?? '{}') as Record<string, string>;
  const error = await readCorrupted('c:iv', JSON.stringify({ ...envelope, iv: 'AAAA' }), true);
  t.like(error, { _tag: 'DecodeError', path: 'iv' });
  right(await writer.close()());
});

test('a sealed entry whose plaintext is not a TokenSet is a DecodeError', async (t) => {
  // Seals by hand with the documented envelope format (README "Encryption envelope").
  const writer = storeFor({ redis: redis.url, encryptionKey: key });
  right(await writer.set('c:plaintext', sampleTokens('plaintext'))());
  const { kid } = JSON.parse((await redis.raw.get('paygate:c:plaintext')) ?? '{}') as { kid: string };
  right(await writer.close()());
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`paygate-token-store:v1:${kid}:c:plaintext`));
  const ct = Buffer.concat([cipher.update(`{"accessToken":"${SECRET_MARKER}"}`), cipher.final()]);
  const envelope = { v: 1, alg: 'A256GCM', kid, iv: iv.toString('base64url'), tag: cipher.getAuthTag().toString('base64url'), ct: ct.toString('base64url') };
  const error = await readCorrupted('c:plaintext', JSON.stringify(envelope), true);
  t.like(error, { _tag: 'DecodeError', path: 'tokenType' });
  t.false(JSON.stringify(error).includes(SECRET_MARKER));
});

test('a session key holding another Redis type is a TransportError store', async (t) => {
  const store = storeFor({ redis: redis.url });
  await redis.raw.hset('paygate:c:hash', 'field', 'value');
  t.like(left(await store.get('c:hash')()), { _tag: 'TransportError', kind: 'store' });
  right(await store.close()());
});

test('the token manager hands a corrupted session back as its DecodeError', async (t) => {
  const store = storeFor({ redis: redis.url });
  await redis.raw.set('paygate:c:manager', '{"v":1,"alg":"none","tokens":null}');
  const manager = createTokenManager({ key: 'c:manager', store });
  t.like(left(await manager.getAccessToken()()), { _tag: 'DecodeError', provider: 'token-store-redis' });
  // Writing a new session over it recovers.
  right(await manager.setTokens(sampleTokens('recovered'))());
  t.is(right(await manager.getAccessToken()()), sampleTokens('recovered').accessToken);
  right(await store.close()());
});
