import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { Random } from '../context.js';

export type MoneyNsUserState = 'active' | 'inactive' | 'locked';

export interface MoneyNsUser {
  /** The `userId` of login responses (a UUID). */
  readonly id: string;
  readonly email: string;
  readonly password: string;
  readonly name: string;
  /** The state the sandbox starts with; `admin.moneyns.setUserState` changes it later. */
  readonly state: MoneyNsUserState;
}

export interface MoneyNsKeyPair {
  /** PKCS#8 PEM: what a platform signs its RS512 login JWTs with. */
  readonly privateKeyPem: string;
  /** SPKI PEM: what the platform registered with MoneyNS. */
  readonly publicKeyPem: string;
}

export interface MoneyNsPlatform extends MoneyNsKeyPair {
  /** The `{platform}` of `POST /api/v1/authenticate-jwt/{platform}`. */
  readonly name: string;
  /** Users the platform may log in with a JWT. */
  readonly userEmails: ReadonlyArray<string>;
  /** The shared secret for checkout tokens signed with HS256/384/512 (the Partner dashboard's choice). */
  readonly checkoutSecret: string;
}

/** The seeded data the MoneyNS emulator starts with. RSA keys are fresh on every start. */
export interface MoneyNsFixtures {
  readonly users: {
    readonly active: MoneyNsUser;
    /** Logins answer 401. */
    readonly inactive: MoneyNsUser;
    /** Logins answer 423. */
    readonly locked: MoneyNsUser;
    /** Active, but not a user of `platform`: its platform logins answer 403. */
    readonly unlinked: MoneyNsUser;
  };
  readonly platform: MoneyNsPlatform;
  /** A 2048-bit key pair no platform registered, for "signed by another key" cases; made on first read. */
  readonly otherKeyPair: MoneyNsKeyPair;
}

function rsaKeyPair(): MoneyNsKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** Throws unless the PEMs parse and the private key signs what the public key verifies. */
function checkedKeyPair(pair: MoneyNsKeyPair): MoneyNsKeyPair {
  const probe = Buffer.from('paygate sandbox key check');
  let matches: boolean;
  try {
    matches = verify('sha512', probe, createPublicKey(pair.publicKeyPem), sign('sha512', probe, createPrivateKey(pair.privateKeyPem)));
  } catch {
    matches = false;
  }
  if (!matches) throw new TypeError('platformKeyPair must be a matching RSA private and public key in PEM');
  return pair;
}

function user(random: Random, email: string, name: string, state: MoneyNsUserState): MoneyNsUser {
  return { id: random.uuid(), email, password: `ns-${random.hex(8)}`, name, state };
}

/** `platformKeyPair` replaces the key pair otherwise generated for the platform. */
export function createMoneyNsFixtures(random: Random, platformKeyPair?: MoneyNsKeyPair): MoneyNsFixtures {
  const users = {
    active: user(random, 'john@email.com', 'John Active', 'active'),
    inactive: user(random, 'ivy.inactive@email.com', 'Ivy Inactive', 'inactive'),
    locked: user(random, 'lou.locked@email.com', 'Lou Locked', 'locked'),
    unlinked: user(random, 'una.unlinked@email.com', 'Una Unlinked', 'active'),
  };
  const platform: MoneyNsPlatform = {
    name: 'paygate',
    userEmails: [users.active.email, users.inactive.email, users.locked.email],
    checkoutSecret: random.hex(32),
    ...(platformKeyPair === undefined ? rsaKeyPair() : checkedKeyPair(platformKeyPair)),
  };
  // RSA key generation costs about 0.2 s, so the spare pair is only made for whoever reads it.
  let otherKeyPair: MoneyNsKeyPair | undefined;
  return {
    users,
    platform,
    get otherKeyPair(): MoneyNsKeyPair {
      otherKeyPair ??= rsaKeyPair();
      return otherKeyPair;
    },
  };
}
