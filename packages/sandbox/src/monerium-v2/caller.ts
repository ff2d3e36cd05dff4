import type { FastifyRequest } from 'fastify';
import type { Clock } from '../context.js';
import type { Sessions } from '../monerium/sessions.js';
import { v2Error, v2Forbidden, v2NotFound, v2Unauthorized } from './errors.js';
import type { V2Profile, V2ProfileAccess } from './model.js';
import type { World } from './world.js';

/** Who calls a v2 endpoint: a signed-in user (OAuth app) or a Private/Whitelabel app's client credentials. */
export interface V2Caller {
  readonly kind: 'user' | 'client';
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly clientId: string;
  readonly whitelabel: boolean;
  /** Live list: a Whitelabel app's new profiles appear here. */
  readonly profiles: V2ProfileAccess[];
  readonly defaultProfile: string;
}

export interface V2Services {
  readonly world: World;
  readonly sessions: Sessions;
  readonly clockOf: (request: FastifyRequest) => Clock;
}

/**
 * Bearer tokens only: v2 documents no Basic auth (fact sheet §7), so the sandbox answers Basic
 * with 401 like any missing token. Tokens are shared with v1.3 (one token store, one server).
 */
export const v2CallerOf = (services: V2Services, request: FastifyRequest): V2Caller =>
  v2CallerOfHeader(services, request.headers.authorization, services.clockOf(request).now());

/** The caller behind an `Authorization` header value at `now` (throws the documented 401). */
export const v2CallerOfHeader = (services: V2Services, authorization: string | undefined, now: number): V2Caller => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (match?.[1] === undefined) throw v2Unauthorized();
  const grant = services.sessions.authenticate(match[1], now);
  if (grant === undefined) throw v2Unauthorized();
  const { world } = services;
  if (grant.kind === 'client') {
    const client = world.credentialClients.find((c) => c.clientId === grant.clientId);
    if (client === undefined) throw v2Unauthorized();
    return {
      kind: 'client',
      userId: client.userId,
      email: client.email,
      name: client.name,
      clientId: client.clientId,
      whitelabel: client.whitelabel,
      profiles: client.profiles,
      defaultProfile: client.defaultProfile,
    };
  }
  const user = world.users.find((u) => u.userId === grant.userId);
  if (user === undefined) throw v2Unauthorized();
  return {
    kind: 'user',
    userId: user.userId,
    email: user.email,
    name: user.name,
    clientId: grant.clientId,
    whitelabel: false,
    profiles: user.profiles,
    defaultProfile: user.defaultProfile,
  };
};

export const mayRead = (caller: V2Caller, profile: string): boolean => caller.profiles.some((p) => p.id === profile && p.perms.includes('read'));
export const mayWrite = (caller: V2Caller, profile: string): boolean => caller.profiles.some((p) => p.id === profile && p.perms.includes('write'));

/** The profile if the caller may use it: 404 when it does not exist, 403 when it is someone else's. */
export const requireV2Profile = (world: World, caller: V2Caller, id: string, perm: 'read' | 'write'): V2Profile => {
  const profile = world.profile(id);
  if (profile === undefined) throw v2NotFound('Profile', id);
  if (!(perm === 'read' ? mayRead(caller, id) : mayWrite(caller, id))) throw v2Forbidden(`User ${caller.email} is forbidden to ${perm} profile ${id}`);
  return structuredClone(profile);
};

/** Whitelabel-only endpoints answer other apps with the partner-privilege 403 (fact sheet §3). */
export const requireWhitelabel = (caller: V2Caller): void => {
  if (!caller.whitelabel) throw v2Error(403, 'Forbidden: this endpoint requires Whitelabel partner privileges');
};
