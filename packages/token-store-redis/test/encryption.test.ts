import { randomBytes } from 'node:crypto';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { buildRedisTokenStore } from '../src/index.js';
import { left, right, sampleTokens, storeFor } from './_fixtures.js';
import { sharedRedis } from './_redis.js';

const redis = sharedRedis();

const keyA = randomBytes(32);
const keyB = randomBytes(32);

const envelopeAt = async (key: string) => JSON.parse((await redis.raw.get(key)) ?? 'null') as Record<string, unknown>;

test('an encrypted entry round-trips and holds no token in clear', async (t) => {
  const store = storeFor({ redis: redis.url, encryptionKey: keyA });
  const tokens = sampleTokens('sealed');
  right(await store.set('e:roundtrip', tokens, 60_000)());
  t.deepEqual(right(await store.get('e:roundtrip')()), tokens);
  const stored = (await redis.raw.get('paygate:e:roundtrip')) ?? '';
  t.false(stored.includes(tokens.accessToken));
  t.false(stored.includes(tokens.refreshToken ?? 'missing'));
  t.false(stored.includes('profile-1'));
  right(await store.close()());
});

test('the envelope is v1 A256GCM with a key id, a 12-byte IV and a 16-byte tag', async (t) => {
  const store = storeFor({ redis: redis.url, encryptionKey: keyA });
  right(await store.set('e:envelope', sampleTokens('envelope'))());
  const envelope = await envelopeAt('paygate:e:envelope');
  t.deepEqual(Object.keys(envelope).sort(), ['alg', 'ct', 'fp', 'iv', 'kid', 'tag', 'v']);
  t.is(envelope.v, 1);
  t.is(envelope.alg, 'A256GCM');
  t.regex(String(envelope.kid), /^[A-Za-z0-9_-]{11}$/);
  t.is(Buffer.from(String(envelope.iv), 'base64url').length, 12);
  t.is(Buffer.from(String(envelope.tag), 'base64url').length, 16);
  right(await store.close()());
});

test('every write uses a fresh IV', async (t) => {
  const store = storeFor({ redis: redis.url, encryptionKey: keyA });
  right(await store.set('e:iv', sampleTokens('iv'))());
  const first = await envelopeAt('paygate:e:iv');
  right(await store.set('e:iv', sampleTokens('iv'))());
  const second = await envelopeAt('paygate:e:iv');
  t.not(first.iv, second.iv);
  t.not(first.ct, second.ct);
  right(await store.close()());
});

test('the same key given as Buffer, hex and base64 reads the same entries', async (t) => {
  const writer = storeFor({ redis: redis.url, encryptionKey: keyA });
  right(await writer.set('e:forms', sampleTokens('forms'))());
  for (const form of [keyA.toString('hex'), keyA.toString('base64'), keyA.toString('base64url')]) {
    const reader = storeFor({ redis: redis.url, encryptionKey: form });
    t.deepEqual(right(await reader.get('e:forms')()), sampleTokens('forms'));
    right(await reader.close()());
  }
  right(await writer.close()());
});

test('after rotation old entries are read with the previous key and rewritten with the new one', async (t) => {
  const before = storeFor({ redis: redis.url, encryptionKey: keyA });
  right(await before.set('e:rotate', sampleTokens('old'))());
  const oldKid = (await envelopeAt('paygate:e:rotate')).kid;

  const rotated = storeFor({ redis: redis.url, encryptionKey: { current: keyB, previous: [keyA] } });
  t.deepEqual(right(await rotated.get('e:rotate')()), sampleTokens('old'));
  right(await rotated.set('e:rotate', sampleTokens('new'))());
  const newKid = (await envelopeAt('paygate:e:rotate')).kid;
  t.not(newKid, oldKid);

  // Once rewritten, the entry no longer needs the old key...
  const onlyB = storeFor({ redis: redis.url, encryptionKey: keyB });
  t.deepEqual(right(await onlyB.get('e:rotate')()), sampleTokens('new'));
  // ...and a store still on the old key alone cannot read it.
  t.like(left(await before.get('e:rotate')()), { _tag: 'DecodeError', provider: 'token-store-redis', path: 'kid' });
  for (const store of [before, rotated, onlyB]) right(await store.close()());
});

test('reading with the wrong key is a DecodeError, not a crash', async (t) => {
  const writer = storeFor({ redis: redis.url, encryptionKey: keyA });
  const reader = storeFor({ redis: redis.url, encryptionKey: keyB });
  right(await writer.set('e:wrong', sampleTokens('wrong'))());
  const error = left(await reader.get('e:wrong')());
  t.like(error, { _tag: 'DecodeError', provider: 'token-store-redis', path: 'kid' });
  t.false(JSON.stringify(error).includes('access-token'));
  right(await writer.close()());
  right(await reader.close()());
});

test('an entry copied under another session key does not open', async (t) => {
  const store = storeFor({ redis: redis.url, encryptionKey: keyA });
  right(await store.set('e:victim', sampleTokens('victim'))());
  await redis.raw.set('paygate:e:attacker', (await redis.raw.get('paygate:e:victim')) ?? '');
  t.like(left(await store.get('e:attacker')()), { _tag: 'DecodeError', path: 'ct' });
  right(await store.close()());
});

test('a store with encryption refuses an entry stored in clear', async (t) => {
  const plain = storeFor({ redis: redis.url });
  const sealed = storeFor({ redis: redis.url, encryptionKey: keyA });
  right(await plain.set('e:clear', sampleTokens('clear'))());
  t.like(left(await sealed.get('e:clear')()), { _tag: 'DecodeError', path: 'alg' });
  right(await plain.close()());
  right(await sealed.close()());
});

test('a store without encryption reports an encrypted entry as a DecodeError', async (t) => {
  const plain = storeFor({ redis: redis.url });
  const sealed = storeFor({ redis: redis.url, encryptionKey: keyA });
  right(await sealed.set('e:no-key', sampleTokens('no-key'))());
  t.like(left(await plain.get('e:no-key')()), { _tag: 'DecodeError', path: 'alg' });
  right(await plain.close()());
  right(await sealed.close()());
});

test('a malformed key is InvalidInput that does not quote the key', (t) => {
  const secretish = `${keyA.toString('hex').slice(0, 60)}zzzz`;
  for (const [encryptionKey, field] of [
    [secretish, 'encryptionKey.current'],
    [randomBytes(16), 'encryptionKey.current'],
    [{ current: keyA, previous: [keyB, 'nope'] }, 'encryptionKey.previous.1'],
  ] as const) {
    const created = buildRedisTokenStore({ redis: redis.url, encryptionKey });
    t.true(E.isLeft(created) && created.left._tag === 'InvalidInput' && created.left.field === field, field);
    t.false(JSON.stringify(created).includes(secretish));
  }
});
