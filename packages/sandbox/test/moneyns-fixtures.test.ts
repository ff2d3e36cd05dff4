import { createPublicKey } from 'node:crypto';
import test from 'ava';
import { createMoneyNsEmulator } from '../src/moneyns/index.js';
import { manualClock, seededRandom, testPlatformKeyPair } from './_provider-harness.js';

const context = (seed: number) => ({ clock: manualClock(), random: seededRandom(seed), baseUrl: () => 'http://127.0.0.1:1/moneyns' });

test('by default the platform gets a fresh 2048-bit RSA key pair and the spare pair differs from it', (t) => {
  const { fixtures } = createMoneyNsEmulator(context(1), {});
  const platformKey = createPublicKey(fixtures.platform.publicKeyPem);
  t.is(platformKey.asymmetricKeyType, 'rsa');
  t.is(platformKey.asymmetricKeyDetails?.modulusLength, 2048);
  t.regex(fixtures.platform.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
  t.is(createPublicKey(fixtures.otherKeyPair.publicKeyPem).asymmetricKeyDetails?.modulusLength, 2048);
  t.not(fixtures.otherKeyPair.publicKeyPem, fixtures.platform.publicKeyPem);
});

test('users cover every account state and are the same for the same seed', (t) => {
  const first = createMoneyNsEmulator(context(3), { platformKeyPair: testPlatformKeyPair() }).fixtures;
  const again = createMoneyNsEmulator(context(3), { platformKeyPair: testPlatformKeyPair() }).fixtures;
  t.deepEqual(again.users, first.users);
  t.deepEqual(
    Object.values(first.users).map((user) => user.state),
    ['active', 'inactive', 'locked', 'active'],
  );
  t.true(first.platform.userEmails.includes(first.users.active.email));
  t.false(first.platform.userEmails.includes(first.users.unlinked.email));
  t.regex(first.users.active.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
});

test('platformKeyPair is used as given and a mismatched pair is refused', (t) => {
  const pair = testPlatformKeyPair();
  const { fixtures } = createMoneyNsEmulator(context(1), { platformKeyPair: pair });
  t.is(fixtures.platform.publicKeyPem, pair.publicKeyPem);
  t.is(fixtures.platform.privateKeyPem, pair.privateKeyPem);
  const other = fixtures.otherKeyPair;
  t.throws(() => createMoneyNsEmulator(context(1), { platformKeyPair: { privateKeyPem: other.privateKeyPem, publicKeyPem: pair.publicKeyPem } }), {
    instanceOf: TypeError,
  });
});

test('sessionTtlSeconds must be a positive integer', (t) => {
  t.throws(() => createMoneyNsEmulator(context(1), { sessionTtlSeconds: 0, platformKeyPair: testPlatformKeyPair() }), {
    instanceOf: RangeError,
  });
});
