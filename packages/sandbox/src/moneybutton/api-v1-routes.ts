import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ProviderContext } from '../context.js';
import { sendApiDocument, sendApiError } from './api-errors.js';
import type { BearerGuard } from './bearer.js';
import type { MoneyButtonLedger } from './ledger.js';
import { pageRequestOf } from './paging.js';
import { paramsOf } from './request-params.js';
import {
  balanceResource,
  includedOutputs,
  paymentResource,
  profileResource,
  userIdentityResource,
} from './v1-resources.js';

interface UserParams {
  readonly userId: string;
}

interface PaymentParams {
  readonly paymentId: string;
}

function sendDocument(reply: FastifyReply, document: object): FastifyReply {
  return sendApiDocument(reply, 'v1', 200, document);
}

/** API v1 (JSON:API): identity, profile, balance and payments of the token's user. */
export function registerApiV1Routes(
  app: FastifyInstance,
  ctx: ProviderContext,
  ledger: MoneyButtonLedger,
  guard: BearerGuard,
): void {
  const notFound = (reply: FastifyReply, what: string): FastifyReply =>
    sendApiError(reply, ctx.random, 'v1', 404, `${what} not found`);

  app.get('/api/v1/auth/user_identity', async (request, reply) => {
    const userId = guard.user(request, reply, 'auth.user_identity:read', 'v1');
    if (userId === undefined) return reply;
    const user = ledger.user(userId);
    if (user === undefined) return notFound(reply, 'User');
    return sendDocument(reply, { data: userIdentityResource(user) });
  });

  // Profiles are public on Money Button: any user's profile is readable with the scope.
  app.get<{ Params: UserParams }>('/api/v1/users/:userId/profile', async (request, reply) => {
    if (guard.user(request, reply, 'users.profiles:read', 'v1') === undefined) return reply;
    const user = ledger.user(request.params.userId);
    if (user === undefined) return notFound(reply, `User ${request.params.userId}`);
    return sendDocument(reply, { data: profileResource(user) });
  });

  app.get<{ Params: UserParams }>('/api/v1/users/:userId/balance', async (request, reply) => {
    const userId = guard.user(request, reply, 'users.balance:read', 'v1');
    if (userId === undefined) return reply;
    const user = ledger.user(request.params.userId);
    if (user === undefined) return notFound(reply, `User ${request.params.userId}`);
    if (user.id !== userId) {
      return sendApiError(reply, ctx.random, 'v1', 403, `User ${userId} is forbidden: a balance can only be read by its owner`);
    }
    const wallet = ledger.activeWallet(user.id);
    return sendDocument(reply, { data: balanceResource(user, BigInt(wallet?.satoshis ?? '0')) });
  });

  app.get('/api/v1/payments', async (request, reply) => {
    const userId = guard.user(request, reply, 'payments:read', 'v1');
    if (userId === undefined) return reply;
    const page = pageRequestOf(paramsOf(request.query));
    if (!page.ok) return sendApiError(reply, ctx.random, 'v1', 400, page.detail);
    const all = ledger.paymentsOf(userId);
    const payments = all.slice(page.offset, page.offset + page.limit);
    const link = (offset: number): string => `${ctx.baseUrl()}/api/v1/payments?limit=${page.limit}&offset=${offset}`;
    const lastOffset = Math.max(0, Math.floor((all.length - 1) / page.limit) * page.limit);
    return sendDocument(reply, {
      data: payments.map(paymentResource),
      included: includedOutputs(payments),
      links: {
        self: link(page.offset),
        first: link(0),
        last: link(lastOffset),
        prev: page.offset > 0 ? link(Math.max(0, page.offset - page.limit)) : null,
        next: page.offset + page.limit < all.length ? link(page.offset + page.limit) : null,
      },
    });
  });

  app.get<{ Params: PaymentParams }>('/api/v1/payments/:paymentId', async (request, reply) => {
    const userId = guard.user(request, reply, 'payments:read', 'v1');
    if (userId === undefined) return reply;
    const payment = ledger.paymentOf(userId, request.params.paymentId);
    if (payment === undefined) return notFound(reply, `Payment ${request.params.paymentId}`);
    return sendDocument(reply, { data: paymentResource(payment), included: includedOutputs([payment]) });
  });
}
