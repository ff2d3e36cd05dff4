import type { MoneyNsAccounts } from './accounts.js';
import type { MoneyNsUserState } from './fixtures.js';
import type { MoneyNsSessions } from './sessions.js';

export interface MoneyNsRegisterPlatformOptions {
  /** Users the platform may log in; default every user. */
  readonly userEmails?: ReadonlyArray<string>;
}

export interface MoneyNsAdmin {
  /** Every session issued so far stops working. */
  expireAccessTokens(): void;
  /** Every session issued so far is revoked (MoneyNS has no refresh tokens). */
  revokeAll(): void;
  /** Changes an account's state: inactive logins answer 401, locked ones 423. */
  setUserState(email: string, state: MoneyNsUserState): void;
  /** Adds a platform, or replaces its key; `publicKeyPem` must be an RSA key of at least 2048 bits. */
  registerPlatform(name: string, publicKeyPem: string, options?: MoneyNsRegisterPlatformOptions): void;
  /** Successful logins (both endpoints) of the user so far; 0 for unknown emails. */
  loginCount(email: string): number;
}

export function createMoneyNsAdmin(accounts: MoneyNsAccounts, sessions: MoneyNsSessions): MoneyNsAdmin {
  return {
    expireAccessTokens: () => sessions.expireAll(),
    revokeAll: () => sessions.revokeAll(),
    setUserState: (email, state) => accounts.setState(email, state),
    registerPlatform: (name, publicKeyPem, options) => accounts.registerPlatform(name, publicKeyPem, options?.userEmails),
    loginCount: (email) => accounts.loginCount(email),
  };
}
