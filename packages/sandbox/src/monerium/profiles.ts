import type { FastifyInstance } from 'fastify';
import { requireProfile, requireScope } from './caller.js';
import { DOCUMENTED_TOKENS } from './fixtures.js';
import { callerOf, type Services } from './services.js';

/** `/auth/context`, profiles, balances and the token list. */
export const registerProfileRoutes = (app: FastifyInstance, services: Services): void => {
  const { ledger } = services;

  app.get('/auth/context', async (request) => {
    const caller = callerOf(services, request);
    return {
      userId: caller.userId,
      email: caller.email,
      name: caller.name,
      roles: [],
      auth: { method: caller.method, subject: caller.subject, verified: true },
      defaultProfile: caller.defaultProfile,
      profiles: caller.profiles.map((access) => {
        const profile = ledger.profile(access.id);
        return { id: access.id, type: profile?.kind ?? 'personal', name: profile?.name ?? '', perms: [...access.perms] };
      }),
    };
  });

  // Not in the v1.3 reference: the caller's profiles, as the auth context lists them.
  app.get('/profiles', async (request) => {
    const caller = callerOf(services, request);
    requireScope(caller, 'orders:read');
    return caller.profiles.flatMap((access) => {
      const profile = ledger.profile(access.id);
      return profile === undefined ? [] : [{ id: profile.id, name: profile.name, kind: profile.kind }];
    });
  });

  app.get<{ Params: { profile: string } }>('/profiles/:profile', async (request) => {
    const caller = callerOf(services, request);
    requireScope(caller, 'orders:read');
    return structuredClone(requireProfile(caller, ledger, request.params.profile, 'read'));
  });

  // The quickstart's `GET /balances`: the balances of the caller's default profile.
  app.get('/balances', async (request) => {
    const caller = callerOf(services, request);
    requireScope(caller, 'orders:read');
    return ledger.balancesOf(requireProfile(caller, ledger, caller.defaultProfile, 'read').id);
  });

  app.get<{ Params: { profile: string } }>('/profiles/:profile/balances', async (request) => {
    const caller = callerOf(services, request);
    requireScope(caller, 'orders:read');
    return ledger.balancesOf(requireProfile(caller, ledger, request.params.profile, 'read').id);
  });

  app.get('/tokens', async (request) => {
    callerOf(services, request);
    return DOCUMENTED_TOKENS;
  });
};
