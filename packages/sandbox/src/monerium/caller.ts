import type { IncomingHttpHeaders } from 'node:http';
import { errorBody, forbidden, MoneriumHttpError, resourceNotFound } from './errors.js';
import type { MoneriumConfidentialClient, MoneriumFixtures, MoneriumUserFixture, ProfileAccess } from './fixtures.js';
import type { Ledger } from './ledger.js';
import type { MoneriumProfile, Permission } from './model.js';
import type { Sessions } from './sessions.js';

/** Who is calling the API, however they authenticated. */
export interface Caller {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  /** The name shown in 403 messages (`User <subject> is forbidden`). */
  readonly subject: string;
  readonly method: 'password' | 'bearer' | 'apiKey';
  /** Null: not limited by OAuth scope (Basic auth, or a token requested without scope). */
  readonly scopes: ReadonlySet<string> | null;
  readonly profiles: ReadonlyArray<ProfileAccess>;
  readonly defaultProfile: string;
}

export interface Directory {
  readonly users: ReadonlyArray<MoneriumUserFixture>;
  readonly confidential: MoneriumConfidentialClient;
}

export const directoryOf = (fixtures: MoneriumFixtures): Directory => ({ users: fixtures.users, confidential: fixtures.clients.confidential });

export const findUserByEmail = (directory: Directory, email: string): MoneriumUserFixture | undefined =>
  directory.users.find((user) => user.email.toLowerCase() === email.toLowerCase());

const unauthorized = (message: string, challenge: string): MoneriumHttpError =>
  new MoneriumHttpError(errorBody(401, message), { 'www-authenticate': challenge });

// RFC 6750 §3.1: unknown, revoked and expired tokens are all `invalid_token`.
const invalidToken = (): MoneriumHttpError => unauthorized('Invalid or expired access token', 'Bearer error="invalid_token"');

const userCaller = (user: MoneriumUserFixture, method: Caller['method'], scopes: ReadonlySet<string> | null): Caller => ({
  userId: user.userId,
  email: user.email,
  name: user.name,
  subject: user.email,
  method,
  scopes,
  profiles: user.profiles,
  defaultProfile: user.defaultProfile,
});

/** Email and password of a seeded user, or undefined. */
export const checkPassword = (directory: Directory, email: string, password: string): MoneriumUserFixture | undefined => {
  const user = findUserByEmail(directory, email);
  return user !== undefined && user.password === password ? user : undefined;
};

/**
 * Basic (`base64(email:password)`) or Bearer authentication (002_*, "Authentication"). Websocket
 * clients may pass the bearer token as the `access_token` query parameter instead.
 */
export const authenticate = (
  headers: IncomingHttpHeaders,
  queryToken: string | undefined,
  now: number,
  directory: Directory,
  sessions: Sessions,
): Caller => {
  const header = headers.authorization;
  const basic = header === undefined ? null : /^Basic\s+(\S+)\s*$/i.exec(header);
  if (basic !== null) {
    const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon === -1 ? undefined : checkPassword(directory, decoded.slice(0, colon), decoded.slice(colon + 1));
    if (user === undefined) throw unauthorized('Incorrect username or password', 'Basic realm="monerium"');
    return userCaller(user, 'password', null);
  }
  const bearer = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  const token = bearer?.[1] ?? queryToken;
  if (token === undefined) {
    throw unauthorized('Authentication required', header === undefined ? 'Bearer realm="monerium"' : 'Bearer error="invalid_request"');
  }
  const grant = sessions.authenticate(token, now);
  if (grant === undefined) throw invalidToken();
  if (grant.kind === 'client') {
    const client = directory.confidential;
    return {
      userId: client.userId,
      email: client.email,
      name: client.name,
      subject: client.email,
      method: 'apiKey',
      scopes: grant.scopes,
      profiles: client.profiles,
      defaultProfile: client.profile,
    };
  }
  const user = directory.users.find((u) => u.userId === grant.userId);
  if (user === undefined) throw invalidToken();
  return { ...userCaller(user, 'bearer', grant.scopes), defaultProfile: grant.profile };
};

/** `orders:write` includes reading; anything else must be granted explicitly. */
export const requireScope = (caller: Caller, scope: 'orders:read' | 'orders:write'): void => {
  if (caller.scopes === null || caller.scopes.has(scope) || (scope === 'orders:read' && caller.scopes.has('orders:write'))) return;
  throw forbidden(caller.subject, `the access token lacks the ${scope} scope`, {
    'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"`,
  });
};

/** The profile if the caller may `perm` it: 404 when it does not exist, 403 when it is someone else's. */
export const requireProfile = (caller: Caller, ledger: Ledger, profileId: string, perm: Permission): MoneriumProfile => {
  const profile = ledger.profile(profileId);
  if (profile === undefined) throw resourceNotFound('profile', profileId);
  const access = caller.profiles.find((p) => p.id === profileId);
  if (access === undefined) throw forbidden(caller.subject, `no access to profile ${profileId}`);
  if (!access.perms.includes(perm)) throw forbidden(caller.subject, `no ${perm} permission on profile ${profileId}`);
  return profile;
};

export const canRead = (caller: Caller) => (profileId: string): boolean =>
  caller.profiles.some((p) => p.id === profileId && p.perms.includes('read'));
