import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MoneyNsAccounts } from './accounts.js';
import { sendFlatError } from './flat-error.js';
import type { MoneyNsSessions } from './sessions.js';

const BEARER = /^Bearer[ ]+(\S+)[ ]*$/i;

/**
 * `GET /api/v1/_sandbox/session`: a sandbox-only probe, not a MoneyNS endpoint (the record names
 * none beyond the two logins). It checks a bearer token the way a private endpoint would, so
 * clients can exercise "session refused → log in again": 401 `{error}` for a missing, unknown,
 * expired or revoked token, else `{data: {userId}}`.
 */
export function registerSessionProbe(
  app: FastifyInstance,
  accounts: MoneyNsAccounts,
  sessions: MoneyNsSessions,
  now: (request: FastifyRequest) => number,
): void {
  app.get('/api/v1/_sandbox/session', async (request, reply) => {
    const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
    const userId = token === undefined ? undefined : sessions.userOf(token, now(request));
    if (userId === undefined || accounts.byId(userId) === undefined) return sendFlatError(reply, 401, 'Unauthenticated.');
    return reply.code(200).type('application/json; charset=utf-8').send({ data: { userId } });
  });
}
