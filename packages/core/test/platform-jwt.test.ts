import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import jwt from 'jsonwebtoken';
import { signPlatformJwt } from '../src/auth/index.js';
import type { GatewayError } from '../src/errors.js';

const pem = { type: 'pkcs8', format: 'pem' } as const;
const rsa = (modulusLength: number) =>
  generateKeyPairSync('rsa', { modulusLength, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: pem });

/** The PEM body (base64 lines) must not leak through any error, not even a fragment of it. */
const assertKeyAbsent = (t: { false(value: boolean, message?: string): void }, error: GatewayError, keyPem: string) => {
  const lines = keyPem.split('\n').filter((line) => line.length > 20 && !line.startsWith('-----'));
  for (const shown of [JSON.stringify(error), inspect(error, { depth: null })]) {
    t.false(shown.includes('PRIVATE KEY'), 'PEM armour in error');
    for (const line of lines) t.false(shown.includes(line.slice(0, 16)), 'PEM body in error');
  }
};

test('signs RS512 with exactly the given claims, verifiable with the public key', (t) => {
  const { privateKey, publicKey } = rsa(2048);
  const claims = { email: 'john@email.com', expire: 1_700_000_000 };
  const signed = signPlatformJwt(privateKey, claims);
  if (E.isLeft(signed)) return t.fail(signed.left.message);
  const verified = jwt.verify(signed.right, publicKey, { algorithms: ['RS512'], complete: true });
  t.is(verified.header.alg, 'RS512');
  t.deepEqual(verified.payload, claims);
});

test('id-based platform claims are signed unchanged too', (t) => {
  const { privateKey, publicKey } = rsa(2048);
  const signed = signPlatformJwt(privateKey, { id: 'xxxxxxxx-xxxx', expire: 123_456_789 });
  if (E.isLeft(signed)) return t.fail(signed.left.message);
  t.deepEqual(jwt.verify(signed.right, publicKey, { algorithms: ['RS512'] }), { id: 'xxxxxxxx-xxxx', expire: 123_456_789 });
});

test('a 1024-bit RSA key is refused without echoing the key', (t) => {
  const { privateKey } = rsa(1024);
  const signed = signPlatformJwt(privateKey, { email: 'john@email.com', expire: 1 });
  if (E.isRight(signed)) return t.fail('a 1024-bit key was used');
  t.like(signed.left, { _tag: 'InvalidInput', field: 'privateKeyPem' });
  t.regex(signed.left.message, /2048/);
  assertKeyAbsent(t, signed.left, privateKey);
});

test('an EC key is refused without echoing the key', (t) => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: pem });
  const signed = signPlatformJwt(privateKey, { email: 'john@email.com', expire: 1 });
  if (E.isRight(signed)) return t.fail('an EC key was used for RS512');
  t.like(signed.left, { _tag: 'InvalidInput', field: 'privateKeyPem' });
  assertKeyAbsent(t, signed.left, privateKey);
});

test('an unreadable PEM is refused without echoing it', (t) => {
  const { privateKey } = rsa(2048);
  const damaged = privateKey.replace(/[A-Za-z]{8}/, 'AAAAAAAA').slice(0, -40);
  const signed = signPlatformJwt(damaged, { email: 'john@email.com', expire: 1 });
  if (E.isRight(signed)) return t.fail('a damaged key was used');
  t.like(signed.left, { _tag: 'InvalidInput', field: 'privateKeyPem' });
  assertKeyAbsent(t, signed.left, damaged);
});

test('a non-numeric registered claim is refused as invalid claims', (t) => {
  const { privateKey } = rsa(2048);
  const signed = signPlatformJwt(privateKey, { email: 'john@email.com', exp: 'tomorrow' });
  t.like(E.isLeft(signed) ? signed.left : undefined, { _tag: 'InvalidInput', field: 'claims' });
});
