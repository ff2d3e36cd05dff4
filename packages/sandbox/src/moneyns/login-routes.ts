import type { FastifyInstance, FastifyRequest } from 'fastify';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { MoneyNsAccounts } from './accounts.js';
import { sendFlatError } from './flat-error.js';
import { readJsonBody } from './json-body.js';
import { completeLogin } from './login.js';
import { verifyPlatformJwt } from './platform-jwt.js';
import type { MoneyNsSessions } from './sessions.js';

interface PlatformParams {
  readonly platform: string;
}

function passwordsEqual(given: string, expected: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function credentialsOf(body: unknown): { email: string; password: string } | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { email, password } = body as Record<string, unknown>;
  if (typeof email !== 'string' || typeof password !== 'string' || email === '' || password === '') return undefined;
  return { email, password };
}

/** `POST /api/v1/authenticate` (email + password) and `POST /api/v1/authenticate-jwt/{platform}`. */
export function registerLoginRoutes(
  app: FastifyInstance,
  accounts: MoneyNsAccounts,
  sessions: MoneyNsSessions,
  now: (request: FastifyRequest) => number,
): void {
  app.post('/api/v1/authenticate', async (request, reply) => {
    const body = readJsonBody(request.body);
    const credentials = body.ok ? credentialsOf(body.value) : undefined;
    if (credentials === undefined) {
      return sendFlatError(reply, 400, 'The body must be a JSON object with string email and password');
    }
    const user = accounts.byEmail(credentials.email);
    // Compare even for unknown emails so the timing does not tell which accounts exist.
    const matches = passwordsEqual(credentials.password, user?.password ?? '');
    if (user === undefined || !matches) return sendFlatError(reply, 403, 'The provided credentials are incorrect.');
    return completeLogin(reply, user, accounts, sessions, now(request));
  });

  // A bad, expired or foreign JWT is a bad credential: 403, like a wrong password.
  app.post<{ Params: PlatformParams }>('/api/v1/authenticate-jwt/:platform', async (request, reply) => {
    const platform = accounts.platform(request.params.platform);
    if (platform === undefined) return sendFlatError(reply, 404, 'Platform not found');
    const token = request.headers.token;
    if (typeof token !== 'string' || token.trim() === '') {
      return sendFlatError(reply, 400, 'The Token header is required');
    }
    const at = now(request);
    const check = verifyPlatformJwt(token.trim(), platform.publicKey, at);
    // The record's text for every refused credential (a bad, expired or foreign JWT alike).
    if (!check.ok) return sendFlatError(reply, 403, 'The provided credentials are incorrect.');
    const user = 'email' in check.subject ? accounts.byEmail(check.subject.email) : accounts.byId(check.subject.id);
    if (user === undefined || !accounts.isMember(request.params.platform, user)) {
      return sendFlatError(reply, 403, 'The provided credentials are incorrect.');
    }
    return completeLogin(reply, user, accounts, sessions, at);
  });
}
