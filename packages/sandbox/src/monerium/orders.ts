import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Caller, canRead, requireProfile, requireScope } from './caller.js';
import { resourceNotFound, validationError } from './errors.js';
import { type MoneriumOrder, ORDER_STATES, SANDBOX_NETWORKS } from './model.js';
import type { OrderFilter } from './order-book.js';
import { validateRedeem } from './redeem.js';
import { callerOf, type Services } from './services.js';

const FILTERS = ['address', 'txHash', 'memo', 'profile', 'accountId', 'state'] as const;

type Query = Record<string, string | string[] | undefined>;

/**
 * The documented filters plus the project's paging decision: `limit=<n>` and
 * `cursor=<meta.cursor of the last order of the previous page>`; no `limit`, no paging.
 */
const readListQuery = (query: Query, services: Services): { filter: OrderFilter; limit?: number; after?: string } => {
  const errors: Record<string, string> = {};
  const one = (name: string): string | undefined => {
    const value = query[name];
    if (Array.isArray(value)) {
      errors[name] = 'Must be given once';
      return undefined;
    }
    return value;
  };
  const filter: OrderFilter = {};
  for (const name of FILTERS) {
    const value = one(name);
    if (value === undefined) continue;
    if (name === 'state') {
      const state = ORDER_STATES.find((s) => s === value);
      if (state === undefined) errors.state = `Must be one of ${ORDER_STATES.join(', ')}`;
      else filter.state = state;
    } else filter[name] = value;
  }
  const limitText = one('limit');
  const limit = limitText === undefined ? undefined : /^[1-9][0-9]{0,8}$/.test(limitText) ? Number(limitText) : Number.NaN;
  if (limit !== undefined && Number.isNaN(limit)) errors.limit = 'Must be a positive integer';
  const cursor = one('cursor');
  const after = cursor === undefined ? undefined : services.book.orderIdForCursor(cursor);
  if (cursor !== undefined && after === undefined) errors.cursor = 'Unknown cursor';
  if (Object.keys(errors).length > 0) throw validationError(errors);
  return { filter, ...(limit === undefined ? {} : { limit }), ...(after === undefined ? {} : { after }) };
};

export const registerOrderRoutes = (app: FastifyInstance, services: Services): void => {
  const { book, ledger } = services;

  const list = (caller: Caller, query: Query, profile?: string): MoneriumOrder[] => {
    const { filter, ...page } = readListQuery(query, services);
    const scoped = profile === undefined ? filter : { ...filter, profile };
    // A filter on another profile than the path's cannot match anything.
    if (profile !== undefined && filter.profile !== undefined && filter.profile !== profile) return [];
    return book.list(scoped, canRead(caller), page);
  };

  app.get('/orders', async (request) => {
    const caller = callerOf(services, request);
    requireScope(caller, 'orders:read');
    return list(caller, request.query as Query);
  });

  app.get<{ Params: { profile: string } }>('/profiles/:profile/orders', async (request) => {
    const caller = callerOf(services, request);
    requireScope(caller, 'orders:read');
    requireProfile(caller, ledger, request.params.profile, 'read');
    return list(caller, request.query as Query, request.params.profile);
  });

  app.get<{ Params: { id: string } }>('/orders/:id', async (request) => {
    const caller = callerOf(services, request);
    requireScope(caller, 'orders:read');
    const order = book.get(request.params.id);
    // Someone else's order is as missing as one that never existed.
    if (order === undefined || !canRead(caller)(order.profile)) throw resourceNotFound('order', request.params.id);
    return order;
  });

  const place = async (request: FastifyRequest, reply: FastifyReply, pathProfile?: string) => {
    const caller = callerOf(services, request);
    requireScope(caller, 'orders:write');
    if (pathProfile !== undefined) requireProfile(caller, ledger, pathProfile, 'write');
    const now = services.clockOf(request).now();
    const redeem = await validateRedeem(request.body, {
      now,
      ledger,
      mayUseProfile: (profile) =>
        (pathProfile === undefined || profile === pathProfile) && caller.profiles.some((p) => p.id === profile && p.perms.includes('write')),
      documentExists: (id) => services.documents.has(id),
    });
    const { linked, chain, currency } = redeem;
    const account = ledger.account(linked.address, chain, currency);
    // "The address will be debited for the order amount".
    ledger.adjust(linked.address, chain, currency, -redeem.cents);
    const order = book.place(
      {
        id: services.random.uuid(),
        profile: linked.profile,
        accountId: account?.id ?? '',
        address: linked.address,
        kind: 'redeem',
        chain,
        network: SANDBOX_NETWORKS[chain],
        amount: redeem.amount,
        currency,
        counterpart: { identifier: { standard: 'iban', iban: redeem.iban }, details: redeem.details },
        ...(redeem.memo === undefined ? {} : { memo: redeem.memo }),
        ...(redeem.supportingDocumentId === undefined ? {} : { supportingDocumentId: redeem.supportingDocumentId }),
        placedBy: caller.userId,
      },
      now,
    );
    return reply.code(201).send(order);
  };

  app.post('/orders', async (request, reply) => place(request, reply));
  app.post<{ Params: { profile: string } }>('/profiles/:profile/orders', async (request, reply) => place(request, reply, request.params.profile));
};
