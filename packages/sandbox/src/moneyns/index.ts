import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ProviderContext, ProviderEmulator } from '../context.js';
import { MoneyNsAccounts } from './accounts.js';
import { createMoneyNsAdmin, type MoneyNsAdmin } from './admin.js';
import { checkoutErrorPage } from './checkout-page.js';
import { registerCheckoutRoute } from './checkout-route.js';
import { registerSessionProbe } from './session-route.js';
import { createMoneyNsFixtures, type MoneyNsFixtures, type MoneyNsKeyPair } from './fixtures.js';
import { sendFlatError } from './flat-error.js';
import { acceptRawJsonBodies } from './json-body.js';
import { registerLoginRoutes } from './login-routes.js';
import { MoneyNsSessions } from './sessions.js';

export type { MoneyNsAdmin, MoneyNsRegisterPlatformOptions } from './admin.js';
export type { MoneyNsFixtures, MoneyNsKeyPair, MoneyNsPlatform, MoneyNsUser, MoneyNsUserState } from './fixtures.js';
export type { MoneyNsError } from './flat-error.js';
export type { MoneyNsSessionResponse } from './sessions.js';

export interface MoneyNsEmulatorOptions {
  /** Session lifetime (`ttl` of login responses); the documented value is 1209600 (14 days). */
  readonly sessionTtlSeconds?: number;
  /**
   * The platform's RS512 key pair (PEM). Default: a fresh 2048-bit pair on every start. Pass one to
   * keep a platform key across restarts, or to spare tests the key generation.
   */
  readonly platformKeyPair?: MoneyNsKeyPair;
}

const DEFAULT_SESSION_TTL_SECONDS = 1_209_600;

interface StatusError {
  readonly statusCode?: number;
}

/** The MoneyNS emulator: user and platform (RS512 JWT) login, plus a stand-in checkout page. */
export function createMoneyNsEmulator(
  ctx: ProviderContext,
  options: MoneyNsEmulatorOptions,
): ProviderEmulator<MoneyNsFixtures, MoneyNsAdmin> {
  const ttl = options.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new RangeError('sessionTtlSeconds must be a positive integer');
  const fixtures = createMoneyNsFixtures(ctx.random, options.platformKeyPair);
  const accounts = new MoneyNsAccounts(fixtures);
  const sessions = new MoneyNsSessions(ctx.random, ttl);
  // Per-request time, so a clock-skew fault limited to one route only moves that route's checks.
  const now = (request: FastifyRequest): number => (ctx.requestClock?.(request) ?? ctx.clock).now();

  const plugin = async (app: FastifyInstance): Promise<void> => {
    acceptRawJsonBodies(app);
    // Unreadable bodies (wrong media type, too large, bad JSON) get MoneyNS's flat 400.
    app.setErrorHandler(async (error: StatusError, request, reply) => {
      const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? 400 : 500;
      if (request.url.split('?')[0]?.endsWith('/checkout')) {
        return reply.code(status).type('text/html; charset=utf-8').send(checkoutErrorPage('Error', 'The request failed.'));
      }
      return sendFlatError(reply, status, status === 400 ? 'Malformed request body' : 'Internal server error');
    });
    app.setNotFoundHandler(async (_request, reply) => sendFlatError(reply, 404, 'Not found'));
    registerLoginRoutes(app, accounts, sessions, now);
    registerCheckoutRoute(app, accounts, now);
    registerSessionProbe(app, accounts, sessions, now);
  };

  return {
    fixtures,
    admin: createMoneyNsAdmin(accounts, sessions),
    plugin,
    close: async () => undefined,
  };
}
