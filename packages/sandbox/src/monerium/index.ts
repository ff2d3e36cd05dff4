import type { FastifyError, FastifyInstance } from 'fastify';
import type { ProviderContext, ProviderEmulator } from '../context.js';
import { formatAmount, parseAmount } from './amounts.js';
import { registerAddressRoutes } from './addresses.js';
import { directoryOf } from './caller.js';
import { registerDocumentRoutes, SupportingDocuments } from './documents.js';
import { endpointNotFound, errorBody, MoneriumHttpError } from './errors.js';
import { createMoneriumV2, type MoneriumV2, type MoneriumV2Admin, type MoneriumV2Fixtures, type MoneriumV2Options } from '../monerium-v2/index.js';
import { acceptsV2 } from '../monerium-v2/model.js';
import { createRandom } from '../random.js';
import { type MoneriumFixtures as MoneriumV13Fixtures, seedFixtures } from './fixtures.js';
import { Ledger } from './ledger.js';
import { type Chain, CURRENCIES, type MoneriumOrder, SANDBOX_NETWORKS, SYSTEM_ID } from './model.js';
import { type AuthorizationRequestRecord, registerOAuthRoutes } from './oauth.js';
import { OrderBook } from './order-book.js';
import { registerOrderRoutes } from './orders.js';
import { registerParsers } from './parsers.js';
import { registerProfileRoutes } from './profiles.js';
import type { Services } from './services.js';
import { Sessions } from './sessions.js';
import { OrderFeed, v13FeedSource } from './websocket.js';

export type {
  MoneriumAddressFixture,
  MoneriumBalanceFixture,
  MoneriumConfidentialClient,
  MoneriumPublicClient,
  MoneriumUserFixture,
  ProfileAccess,
} from './fixtures.js';
export type { Chain, Currency, MoneriumAccount, MoneriumBalances, MoneriumOrder, MoneriumProfile, MoneriumToken, OrderState } from './model.js';
export type { AuthorizationRequestRecord } from './oauth.js';
export type { SupportingDocument } from './documents.js';
export { LINK_MESSAGE } from './addresses.js';

export interface MoneriumOptions {
  /** Delay between the placed → pending → processed steps of new orders (default 1000; 0 = back to back). */
  orderTransitionMs?: number;
  /** Lifetime of access tokens (default 3600, as documented). */
  accessTokenTtlSeconds?: number;
  /** When false, new orders stay in each state until `admin.monerium.advanceOrder` (default true). */
  autoProcessOrders?: boolean;
  /** Websocket PING interval; a client that has not answered the previous ping is dropped (default 30000). */
  websocketPingMs?: number;
  /**
   * How `/auth/token` reports errors. The record shows both and does not say which holds when
   * (monerium-v2.md §2.2): `oauth` (default) is RFC 6749 `{error, error_description}`, `monerium`
   * is the API's one error shape `{code, status, message, details: {error}}`.
   */
  tokenErrorShape?: 'oauth' | 'monerium';
  /** API v2 settings (IBAN provisioning delay, webhook retry schedule, …). */
  v2?: MoneriumV2Options;
}

/** The seeded v1.3 world, and under `v2` the seeded v2 world (same people, profiles and keys). */
export type MoneriumFixtures = MoneriumV13Fixtures & { readonly v2: MoneriumV2Fixtures };

export interface PlaceIssueOrderInput {
  profile: string;
  address: string;
  amount: string;
  currency: string;
  chain?: Chain;
  memo?: string;
}

/** Test hooks into the Monerium emulator. They throw on misuse (unknown ids, impossible steps). */
export interface MoneriumAdmin {
  /** Every access token issued so far is expired from now on (requests answer 401 `invalid_token`). */
  expireAccessTokens(): void;
  /** Every access and refresh token issued so far is revoked. */
  revokeAll(): void;
  /** Rejects an order that is not final (`rejectedReason`, `meta.rejectedAt`); a redeem is refunded. */
  rejectOrder(id: string, reason: string): MoneriumOrder;
  /** An incoming SEPA payment: a new `issue` order in state `placed` that then runs its course. */
  placeIssueOrder(input: PlaceIssueOrderInput): MoneriumOrder;
  /** Moves an order one step (placed → pending → processed), e.g. with `autoProcessOrders: false`. */
  advanceOrder(id: string): MoneriumOrder;
  /** The current balance of an address on a chain, as a decimal string. */
  balance(address: string, chain: Chain, currency: string): string;
  /** The parameters of every accepted `/auth` request, in order. */
  authorizationRequests(): ReadonlyArray<AuthorizationRequestRecord>;
  /** Test hooks of API v2. */
  readonly v2: MoneriumV2Admin;
}

const PAYER = {
  identifier: { standard: 'iban' as const, iban: 'GR16 0110 1250 0000 0001 2300 695' },
  details: { name: 'Sandbox Payer', firstName: 'Sandbox', lastName: 'Payer' },
};

/** The Monerium API v1.3 emulator, served by the sandbox under `/monerium`. */
export const createMoneriumEmulator = (
  ctx: ProviderContext,
  options: MoneriumOptions = {},
): ProviderEmulator<MoneriumFixtures, MoneriumAdmin> => {
  const { random, clock } = ctx;
  const ledger = new Ledger(random);
  const book = new OrderBook(random, clock, ledger, {
    transitionMs: options.orderTransitionMs ?? 1000,
    autoProcess: options.autoProcessOrders ?? true,
  });
  const v13Fixtures = seedFixtures(random, ledger, book);
  const sessions = new Sessions(random, options.accessTokenTtlSeconds ?? 3600);
  // v2 draws from a stream of its own (seeded from a seed-derived secret), so v1.3 ids stay as they were.
  const v2: MoneriumV2 = createMoneriumV2(
    {
      random: createRandom(`monerium-v2/${v13Fixtures.clients.confidential.clientSecret}`),
      clock,
      clockOf: (request) => ctx.requestClock?.(request) ?? clock,
      sessions,
      baseUrl: () => ctx.baseUrl(),
      v1: v13Fixtures,
      defaults: { orderTransitionMs: options.orderTransitionMs ?? 1000, autoProcessOrders: options.autoProcessOrders ?? true },
      websocketPingMs: options.websocketPingMs ?? 30_000,
    },
    options.v2,
  );
  const fixtures: MoneriumFixtures = { ...v13Fixtures, v2: v2.fixtures };
  const directory = directoryOf(fixtures);
  const authorizations: AuthorizationRequestRecord[] = [];
  const services: Services = {
    random,
    clockOf: (request) => ctx.requestClock?.(request) ?? clock,
    directory,
    sessions,
    ledger,
    book,
    documents: new SupportingDocuments(),
  };
  const pingIntervalMs = options.websocketPingMs ?? 30_000;
  const feed = new OrderFeed(v13FeedSource({ book, ledger, sessions, directory, pingIntervalMs }), pingIntervalMs);

  const admin: MoneriumAdmin = {
    expireAccessTokens: () => sessions.expireAccessTokens(),
    revokeAll: () => sessions.revokeAll(),
    rejectOrder: (id, reason) => book.reject(id, reason),
    advanceOrder: (id) => book.advance(id),
    placeIssueOrder(input) {
      const linked = ledger.linkedAddress(input.address);
      if (linked === undefined || linked.profile !== input.profile) throw new Error(`address ${input.address} is not linked to profile ${input.profile}`);
      const currency = CURRENCIES.find((c) => c === input.currency.toLowerCase());
      if (currency === undefined) throw new Error(`unknown currency ${input.currency}`);
      const cents = parseAmount(input.amount);
      if (cents === undefined || cents === 0n) throw new Error(`amount must be a positive decimal string, got ${input.amount}`);
      const chain = input.chain ?? linked.chains[0];
      if (chain === undefined || !linked.chains.includes(chain)) throw new Error(`address ${input.address} is not linked on ${String(input.chain)}`);
      const account = ledger.openAccount(linked.profile, linked.address, chain, currency);
      return book.place(
        {
          id: random.uuid(),
          profile: linked.profile,
          accountId: account.id,
          address: linked.address,
          kind: 'issue',
          chain,
          network: SANDBOX_NETWORKS[chain],
          amount: formatAmount(cents),
          currency,
          counterpart: structuredClone(PAYER),
          ...(input.memo === undefined ? {} : { memo: input.memo }),
          placedBy: SYSTEM_ID,
        },
        clock.now(),
      );
    },
    balance(address, chain, currency) {
      const known = CURRENCIES.find((c) => c === currency.toLowerCase());
      if (known === undefined) throw new Error(`unknown currency ${currency}`);
      return formatAmount(ledger.balance(address, chain, known));
    },
    authorizationRequests: () => authorizations.map((record) => ({ ...record, params: { ...record.params } })),
    v2: v2.admin,
  };

  const plugin = async (app: FastifyInstance): Promise<void> => {
    registerParsers(app);
    app.setErrorHandler((error: FastifyError | MoneriumHttpError, request, reply) => {
      const status = error instanceof MoneriumHttpError ? error.body.code : error.statusCode;
      // The token endpoint speaks OAuth (RFC 6749 §5.2) even about a body it could not read.
      if (status !== undefined && status < 500 && request.url.slice(app.prefix.length).split('?')[0] === '/auth/token') {
        return reply.code(400).header('cache-control', 'no-store').send({ error: 'invalid_request', error_description: error.message });
      }
      if (error instanceof MoneriumHttpError) return reply.code(error.body.code).headers(error.headers).send(error.body);
      if (status !== undefined && status >= 400 && status < 500) return reply.code(status).send(errorBody(status, error.message));
      // v2 documents 500 as `{code, status}` only.
      if (acceptsV2(request.headers.accept)) return reply.code(500).send({ code: 500, status: 'Internal Server Error' });
      // "The error ID is available for internal server errors": never the internal message itself.
      return reply.code(500).send(errorBody(500, 'Unknown error', { errorId: random.uuid() }));
    });
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.slice(app.prefix.length).split('?')[0] || '/';
      if (acceptsV2(request.headers.accept)) return reply.code(404).send(errorBody(404, `Endpoint not found: ${path}`));
      return reply.code(404).send(endpointNotFound(path));
    });
    registerOAuthRoutes(app, { clockOf: services.clockOf, random, directory, clients: [fixtures.clients.public, fixtures.clients.confidential], sessions, ledger, authorizations, tokenErrorShape: options.tokenErrorShape ?? 'oauth', delegate: v2.auth });
    v2.register(app);
    registerProfileRoutes(app, services);
    registerAddressRoutes(app, services);
    registerOrderRoutes(app, services);
    registerDocumentRoutes(app, services);
  };

  return {
    fixtures,
    admin,
    plugin,
    upgrade: (upgrade) => (v2.claimsUpgrade(upgrade) ? v2.upgrade(upgrade) : feed.upgrade(upgrade)),
    close: async () => {
      v2.close();
      feed.close();
      book.close();
    },
  };
};
