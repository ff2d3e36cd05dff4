import type { FastifyInstance } from 'fastify';
import type { ProviderContext, ProviderEmulator } from '../context.js';
import { type MoneyButtonAdmin, createMoneyButtonAdmin } from './admin.js';
import { apiErrorDocument, sendApiDocument } from './api-errors.js';
import { registerApiV1Routes } from './api-v1-routes.js';
import { registerApiV2Routes } from './api-v2-routes.js';
import { authorizeErrorPage } from './authorize-pages.js';
import { registerAuthorizeRoutes } from './authorize-routes.js';
import { BearerGuard } from './bearer.js';
import { createMoneyButtonFixtures, type MoneyButtonFixtures } from './fixtures.js';
import { acceptFormBodies } from './form-body.js';
import { MoneyButtonGrants } from './grants.js';
import { MoneyButtonLedger } from './ledger.js';
import { requestNowOf } from './request-now.js';
import { registerTokenRoute } from './token-route.js';
import { WebhookSender } from './webhooks.js';

export type { MoneyButtonAdmin, MoneyButtonPayRequest, MoneyButtonPayResult } from './admin.js';
export type { ApiErrorDocument, ApiErrorObject } from './api-errors.js';
export type { MoneyButtonCurrency } from './exchange.js';
export type {
  MoneyButtonApp,
  MoneyButtonAsset,
  MoneyButtonBalance,
  MoneyButtonClient,
  MoneyButtonFixtures,
  MoneyButtonPayment,
  MoneyButtonPaymentOutput,
  MoneyButtonPaymentStatus,
  MoneyButtonUser,
  MoneyButtonWallet,
} from './fixtures.js';
export type { MoneyButtonScope } from './scopes.js';
export { MONEY_BUTTON_SCOPES } from './scopes.js';
export type { PaymentJson } from './v2-shapes.js';
export type { WebhookDelivery } from './webhooks.js';

export interface MoneyButtonEmulatorOptions {
  /** `expires_in` of access tokens; the documented default is one hour. */
  readonly accessTokenTtlSeconds?: number;
  /**
   * How `/oauth/v1/token` reports errors; the record shows both (moneybutton-public.md "Token
   * errors"): `oauth` (default) is RFC 6749 `{error, error_description}`, `jsonapi` the JSON:API
   * document `{errors: [{id, status, title, detail}]}` with the code spelled out in `detail`
   * (`Invalid grant: …`).
   */
  readonly tokenErrorShape?: 'oauth' | 'jsonapi';
}

const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 3600;

interface StatusError {
  readonly statusCode?: number;
  readonly message?: string;
}

/** The Money Button emulator: OAuth (`/oauth/v1/*`), API v1 (JSON:API) and v2, and webhooks. */
export function createMoneyButtonEmulator(
  ctx: ProviderContext,
  options: MoneyButtonEmulatorOptions,
): ProviderEmulator<MoneyButtonFixtures, MoneyButtonAdmin> {
  const ttl = options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new RangeError('accessTokenTtlSeconds must be a positive integer');
  const fixtures = createMoneyButtonFixtures(ctx.random, ctx.clock.now());
  const clients = [fixtures.app, fixtures.otherApp];
  const now = requestNowOf(ctx);
  const ledger = new MoneyButtonLedger(fixtures, ctx.random);
  const grants = new MoneyButtonGrants(ctx.random, ttl);
  const webhooks = new WebhookSender(fixtures.app.webhookSecret, ctx.clock);
  const guard = new BearerGuard(grants, ctx.random, now);

  const plugin = async (app: FastifyInstance): Promise<void> => {
    acceptFormBodies(app);
    // Body-parsing and other framework errors answer in the error format of the route's API.
    app.setErrorHandler(async (error: StatusError, request, reply) => {
      const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
      const detail = status < 500 ? (error.message ?? 'Bad request') : 'Internal server error';
      const path = request.url.split('?')[0] ?? '';
      if (path.endsWith('/oauth/v1/token')) {
        return reply.code(400).send({ error: 'invalid_request', error_description: detail });
      }
      if (path.endsWith('/oauth/v1/authorize')) {
        return reply.code(status).type('text/html; charset=utf-8').send(authorizeErrorPage(detail));
      }
      const version = path.includes('/api/v2/') ? 'v2' : 'v1';
      return sendApiDocument(reply, version, status, apiErrorDocument(ctx.random, status, detail));
    });
    app.setNotFoundHandler(async (request, reply) => {
      const version = request.url.includes('/api/v2/') ? 'v2' : 'v1';
      const detail = `No route ${request.method} ${request.url.split('?')[0] ?? ''}`;
      return sendApiDocument(reply, version, 404, apiErrorDocument(ctx.random, 404, detail));
    });
    registerAuthorizeRoutes(app, clients, ledger, grants, now);
    registerTokenRoute(app, clients, grants, now, options.tokenErrorShape === 'jsonapi' ? { kind: 'jsonapi', random: ctx.random } : { kind: 'oauth' });
    registerApiV1Routes(app, ctx, ledger, guard);
    registerApiV2Routes(app, ctx, ledger, guard, now);
  };

  return {
    fixtures,
    admin: createMoneyButtonAdmin(ledger, grants, webhooks, ctx.clock),
    plugin,
    close: async () => webhooks.close(),
  };
}
