import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GatewayError } from '@paygate/core';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { loadOrCreatePlatformKey, type PlatformKey } from '../src/platform-key.js';
import { pemBody, tempDir } from './_setup.js';

const rightOf = (result: E.Either<GatewayError, PlatformKey>): PlatformKey => {
  if (E.isLeft(result)) throw new Error(`expected Right, got ${JSON.stringify(result.left)}`);
  return result.right;
};

const leftOf = (result: E.Either<GatewayError, PlatformKey>): GatewayError => {
  if (E.isRight(result)) throw new Error('expected Left');
  return result.left;
};

test('a missing key is generated as RSA 2048, written as PKCS#8 PEM with mode 0600', (t) => {
  const path = join(tempDir(t), 'platform-key.pem');

  const key = rightOf(loadOrCreatePlatformKey(path));

  t.true(key.created);
  t.is(statSync(path).mode & 0o777, 0o600);
  t.is(key.mode, 0o600);
  const pem = readFileSync(path, 'utf8');
  t.is(pem, key.privateKeyPem);
  t.true(pem.startsWith('-----BEGIN PRIVATE KEY-----\n'), 'PKCS#8, not PKCS#1 (BEGIN RSA PRIVATE KEY)');
  const parsed = createPrivateKey(pem);
  t.is(parsed.asymmetricKeyType, 'rsa');
  t.is(parsed.asymmetricKeyDetails?.modulusLength, 2048);
  t.is(key.publicKeyPem, createPublicKey(parsed).export({ type: 'spki', format: 'pem' }).toString());
});

test('an existing key is reused as it is', (t) => {
  const path = join(tempDir(t), 'platform-key.pem');
  const first = rightOf(loadOrCreatePlatformKey(path));

  const second = rightOf(loadOrCreatePlatformKey(path));

  t.false(second.created);
  t.is(second.privateKeyPem, first.privateKeyPem);
  t.is(second.publicKeyPem, first.publicKeyPem);
  t.is(readFileSync(path, 'utf8'), first.privateKeyPem);
});

test('the directories of a new key are created, readable by the owner only', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'secrets', 'moneyns', 'platform-key.pem');

  rightOf(loadOrCreatePlatformKey(path));

  t.is(statSync(join(dir, 'secrets', 'moneyns')).mode & 0o777, 0o700);
  t.is(statSync(path).mode & 0o777, 0o600);
});

test('the mode of an existing key is reported, so loose permissions can be warned about', (t) => {
  const path = join(tempDir(t), 'platform-key.pem');
  rightOf(loadOrCreatePlatformKey(path));
  chmodSync(path, 0o644);

  t.is(rightOf(loadOrCreatePlatformKey(path)).mode, 0o644);
});

test('a file that is not a private key is refused without quoting it', (t) => {
  const path = join(tempDir(t), 'platform-key.pem');
  writeFileSync(path, 'token=very-secret-token-value\n', { mode: 0o600 });

  const error = leftOf(loadOrCreatePlatformKey(path));

  t.like(error, { _tag: 'InvalidInput', field: 'platformKey', reason: `${path} is not a PEM private key` });
  t.false(JSON.stringify(error).includes('very-secret-token-value'));
});

test('an RSA key under 2048 bits is refused without quoting it', (t) => {
  const path = join(tempDir(t), 'platform-key.pem');
  const weak = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  writeFileSync(path, weak.privateKey, { mode: 0o600 });

  const error = leftOf(loadOrCreatePlatformKey(path));

  t.like(error, { field: 'platformKey', reason: `${path} must hold an RSA key of at least 2048 bits` });
  t.false(pemBody(weak.privateKey).some((line) => JSON.stringify(error).includes(line)));
});

test('a key path that cannot be used is reported with the system error code', (t) => {
  const blocker = join(tempDir(t), 'not-a-directory');
  writeFileSync(blocker, '');
  const path = join(blocker, 'platform-key.pem');

  const error = leftOf(loadOrCreatePlatformKey(path));

  t.like(error, { field: 'platformKey', reason: `${path} cannot be read (ENOTDIR)` });
});
