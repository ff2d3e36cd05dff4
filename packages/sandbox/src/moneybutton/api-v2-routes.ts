import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ProviderContext } from '../context.js';
import { sendApiDocument, sendApiError } from './api-errors.js';
import { assetChangesOf, assetFieldsOf } from './asset-input.js';
import type { BearerGuard } from './bearer.js';
import type { MoneyButtonPayment } from './fixtures.js';
import type { MoneyButtonLedger } from './ledger.js';
import { pageRequestOf } from './paging.js';
import type { RequestNow } from './request-now.js';
import { paramsOf } from './request-params.js';
import { assetJson, historyEntryJson, paymentByIdJson, paymentJson, walletBalancesJson } from './v2-shapes.js';

interface WalletParams {
  readonly walletId: string;
}

interface PaymentParams {
  readonly paymentId: string;
}

interface AssetParams {
  readonly assetId: string;
}

function sendJson(reply: FastifyReply, status: number, body: object): FastifyReply {
  return sendApiDocument(reply, 'v2', status, body);
}

/** API v2 (plain camelCase JSON) for the token's user: wallets, payments, assets. */
export function registerApiV2Routes(
  app: FastifyInstance,
  ctx: ProviderContext,
  ledger: MoneyButtonLedger,
  guard: BearerGuard,
  now: RequestNow,
): void {
  const fail = (reply: FastifyReply, status: number, detail: string): FastifyReply =>
    sendApiError(reply, ctx.random, 'v2', status, detail);

  app.get<{ Params: WalletParams }>('/api/v2/me/wallets/:walletId/balances', async (request, reply) => {
    const userId = guard.user(request, reply, 'users.balance:read', 'v2');
    if (userId === undefined) return reply;
    const wallet = ledger.wallet(userId, request.params.walletId);
    if (wallet === undefined) return fail(reply, 404, `Wallet ${request.params.walletId} not found`);
    return sendJson(reply, 200, walletBalancesJson(wallet));
  });

  // The payment list and the history page the same payments; only the list's name and entry shape differ.
  const paymentsPage =
    (listName: 'payments' | 'history', entryJson: (payment: MoneyButtonPayment, userId: string) => object) =>
    async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const userId = guard.user(request, reply, 'payments:read', 'v2');
      if (userId === undefined) return reply;
      const page = pageRequestOf(paramsOf(request.query));
      if (!page.ok) return fail(reply, 400, page.detail);
      const all = ledger.paymentsOf(userId);
      return sendJson(reply, 200, {
        [listName]: all.slice(page.offset, page.offset + page.limit).map((payment) => entryJson(payment, userId)),
        total: all.length,
        limit: page.limit,
        offset: page.offset,
      });
    };

  app.get('/api/v2/me/payments', paymentsPage('payments', paymentJson));
  app.get('/api/v2/me/payments/history', paymentsPage('history', historyEntryJson));

  app.get<{ Params: PaymentParams }>('/api/v2/me/payments/:paymentId', async (request, reply) => {
    const userId = guard.user(request, reply, 'payments:read', 'v2');
    if (userId === undefined) return reply;
    const payment = ledger.paymentOf(userId, request.params.paymentId);
    if (payment === undefined) return fail(reply, 404, `Payment ${request.params.paymentId} not found`);
    return sendJson(reply, 200, paymentByIdJson(payment));
  });

  app.get('/api/v2/me/assets', async (request, reply) => {
    const userId = guard.user(request, reply, 'users.asset:read', 'v2');
    if (userId === undefined) return reply;
    return sendJson(reply, 200, { assets: ledger.assetsOf(userId).map(assetJson) });
  });

  app.post('/api/v2/me/assets', async (request, reply) => {
    const userId = guard.user(request, reply, 'users.asset:write', 'v2');
    if (userId === undefined) return reply;
    const fields = assetFieldsOf(request.body);
    if (!fields.ok) return fail(reply, 400, fields.detail);
    return sendJson(reply, 201, assetJson(ledger.createAsset(userId, fields.value, now(request))));
  });

  app.put<{ Params: AssetParams }>('/api/v2/me/assets/:assetId', async (request, reply) => {
    const userId = guard.user(request, reply, 'users.asset:write', 'v2');
    if (userId === undefined) return reply;
    const asset = ledger.assetOf(userId, request.params.assetId);
    if (asset === undefined) return fail(reply, 404, `Asset ${request.params.assetId} not found`);
    const changes = assetChangesOf(request.body);
    if (!changes.ok) return fail(reply, 400, changes.detail);
    return sendJson(reply, 200, assetJson(ledger.updateAsset(asset, changes.value, now(request))));
  });
}
