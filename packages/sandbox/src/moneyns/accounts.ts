import { createPublicKey, type KeyObject } from 'node:crypto';
import type { MoneyNsFixtures, MoneyNsUser, MoneyNsUserState } from './fixtures.js';

interface Platform {
  readonly publicKey: KeyObject;
  readonly memberIds: ReadonlySet<string>;
  /** The shared secret for HS256/384/512 checkout tokens, when the platform chose one. */
  readonly checkoutSecret: string | undefined;
}

/** Users, their current states and login counts, and the platforms allowed to log them in. */
export class MoneyNsAccounts {
  private readonly users: ReadonlyArray<MoneyNsUser>;
  private readonly states = new Map<string, MoneyNsUserState>();
  private readonly logins = new Map<string, number>();
  private readonly platforms = new Map<string, Platform>();

  constructor(fixtures: MoneyNsFixtures) {
    this.users = Object.values(fixtures.users);
    for (const user of this.users) this.states.set(user.id, user.state);
    this.registerPlatform(fixtures.platform.name, fixtures.platform.publicKeyPem, fixtures.platform.userEmails, fixtures.platform.checkoutSecret);
  }

  byEmail(email: string): MoneyNsUser | undefined {
    const wanted = email.trim().toLowerCase();
    return this.users.find((user) => user.email.toLowerCase() === wanted);
  }

  byId(id: string): MoneyNsUser | undefined {
    return this.users.find((user) => user.id === id);
  }

  stateOf(user: MoneyNsUser): MoneyNsUserState {
    return this.states.get(user.id) ?? user.state;
  }

  setState(email: string, state: MoneyNsUserState): void {
    const user = this.byEmail(email);
    if (user === undefined) throw new TypeError(`setUserState: unknown MoneyNS user ${email}`);
    this.states.set(user.id, state);
  }

  recordLogin(user: MoneyNsUser): void {
    this.logins.set(user.id, (this.logins.get(user.id) ?? 0) + 1);
  }

  loginCount(email: string): number {
    const user = this.byEmail(email);
    return user === undefined ? 0 : (this.logins.get(user.id) ?? 0);
  }

  platform(name: string): Platform | undefined {
    return this.platforms.get(name);
  }

  isMember(platformName: string, user: MoneyNsUser): boolean {
    return this.platforms.get(platformName)?.memberIds.has(user.id) ?? false;
  }

  /** Registers (or re-keys) a platform; RS512 needs an RSA key of at least 2048 bits. */
  registerPlatform(name: string, publicKeyPem: string, userEmails?: ReadonlyArray<string>, checkoutSecret?: string): void {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) throw new TypeError('registerPlatform: the name must be a URL path segment');
    let publicKey: KeyObject;
    try {
      publicKey = createPublicKey(publicKeyPem);
    } catch {
      throw new TypeError('registerPlatform: publicKeyPem is not a PEM public key');
    }
    const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
    if (publicKey.asymmetricKeyType !== 'rsa' || bits < 2048) {
      throw new TypeError('registerPlatform: the key must be an RSA key of at least 2048 bits');
    }
    const members = userEmails === undefined ? this.users : userEmails.map((email) => this.byEmail(email));
    const memberIds = new Set<string>();
    for (const member of members) {
      if (member === undefined) throw new TypeError('registerPlatform: userEmails names an unknown user');
      memberIds.add(member.id);
    }
    this.platforms.set(name, { publicKey, memberIds, checkoutSecret });
  }
}
