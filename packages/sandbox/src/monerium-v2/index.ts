import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock, Random } from '../context.js';
import { formatAmount, parseAmount } from '../monerium/amounts.js';
import type { MoneriumFixtures } from '../monerium/fixtures.js';
import type { AuthDelegate, AuthorizationRequestRecord } from '../monerium/oauth.js';
import type { Sessions } from '../monerium/sessions.js';
import { registerV2AccountRoutes } from './accounts.js';
import { createV2Auth, type TokenErrorShape } from './auth.js';
import type { V2Services } from './caller.js';
import { type MoneriumV2Fixtures, seedV2 } from './fixtures.js';
import { registerV2MiscRoutes } from './misc.js';
import { chainFromRequest, timestamp, type V2Chain, type V2Currency, V2_CURRENCIES, type V2Order, type V2Profile } from './model.js';
import { crossChainIssue, registerV2OrderRoutes } from './orders.js';
import { registerV2ProfileRoutes } from './profiles.js';
import { installVersionRouting } from './routing.js';
import { DEFAULT_RETRY_SCHEDULE_MS, type WebhookAttempt, type WebhookFault, Webhooks, registerV2WebhookRoutes } from './webhooks.js';
import { claimsUpgrade, v2FeedSource } from './websocket.js';
import { World } from './world.js';
import type { WebSocketUpgrade } from '../context.js';
import { OrderFeed } from '../monerium/websocket.js';

export type { TokenErrorShape } from './auth.js';
export type { MoneriumV2AddressFixture, MoneriumV2Country, MoneriumV2Fixtures, MoneriumV2SafeFixture } from './fixtures.js';
export type {
  CounterpartDetails,
  CounterpartIdentifier,
  PendingSignature,
  V2Address,
  V2Chain,
  V2Currency,
  V2File,
  V2Iban,
  V2Order,
  V2Profile,
  V2Token,
  WebhookSubscription,
  WebhookType,
} from './model.js';
export { CHAIN_TABLE, V2_MEDIA_TYPE } from './model.js';
export { MONERIUM_SIWE_RESOURCE } from './siwe.js';
export { DEFAULT_RETRY_SCHEDULE_MS, type WebhookAttempt, type WebhookFault } from './webhooks.js';

/** Settings of the v2 emulator (`startSandbox({ monerium: { v2: … } })`). */
export interface MoneriumV2Options {
  /** Delay between placed → pending → processed (default: `monerium.orderTransitionMs`, else 1000). */
  orderTransitionMs?: number;
  /** When false, orders wait for `admin.monerium.v2.advanceOrder` (default: `monerium.autoProcessOrders`, else true). */
  autoProcessOrders?: boolean;
  /** How long a requested IBAN stays `requested` before `approved` (default 3000: "seconds"; 0 in tests). */
  ibanProvisioningMs?: number;
  /** Waits between webhook retries, at most 10 used (default: 5 s … 4 h, about 12 h in all). Compress it in tests. */
  webhookRetryScheduleMs?: ReadonlyArray<number>;
  /** Per-attempt timeout of a webhook delivery (default 5000). */
  webhookTimeoutMs?: number;
  /** Body of token-endpoint errors: `monerium` `{code,status,message}` (OpenAPI, default) or `oauth` `{error,error_description}` (docs). */
  tokenErrorShape?: TokenErrorShape;
}

/** Incoming SEPA payment to a profile's IBAN (an `issue` order). */
export interface IncomingPaymentInput {
  /** The IBAN paid into, with or without spaces. */
  iban: string;
  amount: string;
  /** `<chain>:<address>` sends the mint to another address of the same profile (fact sheet §3 orders). */
  memo?: string;
  payer?: string;
}

/** Test hooks into the v2 emulator (`sandbox.admin.monerium.v2`). They throw on misuse. */
export interface MoneriumV2Admin {
  /** Turns every `requested` IBAN `approved` now (and sends `iban.updated`); returns how many. */
  provisionIbans(): number;
  /** Moves an order one step (placed → pending → processed). */
  advanceOrder(id: string): V2Order;
  /** Rejects an order that is not final; a redeem is refunded. */
  rejectOrder(id: string, reason: string): V2Order;
  /** An incoming SEPA payment: a new issue order that then runs its course. */
  incomingPayment(input: IncomingPaymentInput): V2Order;
  /** The Safe's on-chain signature landed: the pending link or order (by order id, or `link:<address>:<chain>`) goes ahead. */
  completeSignature(id: string): void;
  /** Approves every section of a profile (sends `profile.updated`). */
  approveProfile(id: string): V2Profile;
  /** Rejects a profile (sends `profile.updated`). */
  rejectProfile(id: string): V2Profile;
  /** Sends `profile.error` with these field errors. */
  profileError(id: string, errors: ReadonlyArray<{ field: string; reason: string }>): void;
  /** Switches the token-endpoint error body at runtime. */
  setTokenErrorShape(shape: TokenErrorShape): void;
  /** Faults on outgoing webhook deliveries (replace, clear, read). */
  readonly webhookFaults: { set(faults: ReadonlyArray<WebhookFault>): void; clear(): void; list(): ReadonlyArray<WebhookFault> };
  /** Every delivery attempt so far, in order (handshakes included). */
  webhookAttempts(): ReadonlyArray<WebhookAttempt>;
  /** Resolves once no webhook delivery is in flight or waiting for a retry. */
  webhooksSettled(): Promise<void>;
  /** Token balance of an address on a chain, as a decimal string. */
  balance(address: string, chain: string, currency: string): string;
  /** The parameters of every accepted v2 `/auth` request, in order. */
  authorizationRequests(): ReadonlyArray<AuthorizationRequestRecord>;
}

export interface MoneriumV2Deps {
  readonly random: Random;
  readonly clock: Clock;
  readonly clockOf: (request: FastifyRequest) => Clock;
  readonly sessions: Sessions;
  readonly baseUrl: () => string;
  readonly v1: MoneriumFixtures;
  readonly defaults: { readonly orderTransitionMs: number; readonly autoProcessOrders: boolean };
  /** PING interval of the v2 order websocket (the v1.3 setting). */
  readonly websocketPingMs: number;
}

export interface MoneriumV2 {
  readonly fixtures: MoneriumV2Fixtures;
  readonly admin: MoneriumV2Admin;
  readonly auth: AuthDelegate;
  register(app: FastifyInstance): void;
  /** Whether a websocket upgrade is v2's (the v2 Accept header, or a v2 client's token). */
  claimsUpgrade(upgrade: WebSocketUpgrade): boolean;
  upgrade(upgrade: WebSocketUpgrade): void;
  close(): void;
}

/**
 * Monerium API v2 beside v1.3 in the same scope: requests with the v2 `Accept` header reach
 * these routes. Its state is its own, seeded from the same people, profiles and keys as v1.3.
 */
export const createMoneriumV2 = (deps: MoneriumV2Deps, options: MoneriumV2Options = {}): MoneriumV2 => {
  const world = new World(deps.random, deps.clock, {
    orderTransitionMs: options.orderTransitionMs ?? deps.defaults.orderTransitionMs,
    autoProcessOrders: options.autoProcessOrders ?? deps.defaults.autoProcessOrders,
    ibanProvisioningMs: options.ibanProvisioningMs ?? 3000,
  });
  const fixtures = seedV2(deps.random, world, deps.v1);
  world.onProcessed = (order) => crossChainIssue(world, order);
  const services: V2Services = { world, sessions: deps.sessions, clockOf: deps.clockOf };
  let tokenErrorShape: TokenErrorShape = options.tokenErrorShape ?? 'monerium';
  const authorizations: AuthorizationRequestRecord[] = [];
  const auth = createV2Auth({
    world,
    sessions: deps.sessions,
    random: deps.random,
    clockOf: deps.clockOf,
    baseUrl: deps.baseUrl,
    tokenErrorShape: () => tokenErrorShape,
    authorizations,
  });
  const webhooks = new Webhooks(
    world,
    deps.random,
    { retryScheduleMs: options.webhookRetryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS, timeoutMs: options.webhookTimeoutMs ?? 5000 },
    (clientId, profile) => world.credentialClients.some((c) => c.clientId === clientId && c.profiles.some((p) => p.id === profile)),
  );

  const feed = new OrderFeed(v2FeedSource(services), deps.websocketPingMs);

  const currencyOf = (text: string): V2Currency => {
    const currency = V2_CURRENCIES.find((c) => c === text.toLowerCase());
    if (currency === undefined) throw new Error(`unknown currency ${text}`);
    return currency;
  };
  const chainOf = (text: string): V2Chain => {
    const chain = chainFromRequest(text);
    if (chain === undefined) throw new Error(`unknown chain ${text}`);
    return chain;
  };

  const admin: MoneriumV2Admin = {
    provisionIbans: () => world.provisionAll(),
    advanceOrder: (id) => world.advanceOrder(id),
    rejectOrder: (id, reason) => world.rejectOrder(id, reason),
    incomingPayment(input) {
      const iban = world.iban(input.iban);
      if (iban === undefined || iban.state !== 'approved') throw new Error(`no approved IBAN ${input.iban}`);
      const cents = parseAmount(input.amount);
      if (cents === undefined || cents === 0n) throw new Error(`amount must be a positive decimal string, got ${input.amount}`);
      // An incoming SEPA memo `<chain>:<address>` sends the mint to that address of the same profile.
      const [memoChain, memoAddress] = (input.memo ?? '').split(':');
      const redirect = memoChain === undefined || memoAddress === undefined ? undefined : world.address(memoAddress);
      const redirectChain = memoChain === undefined ? undefined : chainFromRequest(memoChain);
      const target =
        redirect !== undefined && redirectChain !== undefined && redirect.profile === iban.profile && redirect.chains.includes(redirectChain)
          ? { address: redirect.address, chain: redirectChain }
          : { address: iban.address, chain: iban.chain };
      return world.placeOrder(
        {
          id: deps.random.uuid(),
          kind: 'issue',
          profile: iban.profile,
          address: target.address,
          chain: target.chain,
          currency: 'eur',
          amount: formatAmount(cents),
          counterpart: { identifier: { standard: 'iban', iban: 'DE89 3704 0044 0532 0130 00' }, details: { name: input.payer ?? 'Sandbox Payer' } },
          memo: input.memo ?? 'Powered by Monerium',
          state: 'placed',
          meta: { placedAt: timestamp(deps.clock.now()) },
        },
        '',
      );
    },
    completeSignature: (id) => world.completeSignature(id.startsWith('link:') ? id.toLowerCase() : `order:${id.toLowerCase()}`),
    approveProfile: (id) =>
      world.updateProfile(id, (profile) => {
        profile.state = 'approved';
        profile.details.state = 'approved';
        profile.form.state = 'approved';
        for (const v of profile.verifications) v.state = 'approved';
      }),
    rejectProfile: (id) =>
      world.updateProfile(id, (profile) => {
        profile.state = 'rejected';
      }),
    profileError(id, errors) {
      const profile = world.profile(id);
      if (profile === undefined) throw new Error(`unknown profile ${id}`);
      world.emit('profile.error', id, { id, kind: profile.kind, errors: errors.map((e) => ({ ...e })) });
    },
    setTokenErrorShape(shape) {
      tokenErrorShape = shape;
    },
    webhookFaults: { set: (faults) => webhooks.setFaults(faults), clear: () => webhooks.setFaults([]), list: () => webhooks.listFaults() },
    webhookAttempts: () => webhooks.log(),
    webhooksSettled: () => webhooks.settled(),
    balance: (address, chain, currency) => formatAmount(world.balance(address, chainOf(chain), currencyOf(currency))),
    authorizationRequests: () => authorizations.map((r) => ({ ...r, params: { ...r.params } })),
  };

  const register = (app: FastifyInstance): void => {
    installVersionRouting(app);
    auth.registerPortal(app);
    registerV2ProfileRoutes(app, services);
    registerV2AccountRoutes(app, services);
    registerV2OrderRoutes(app, services);
    registerV2MiscRoutes(app, services, fixtures);
    registerV2WebhookRoutes(app, services, webhooks);
  };

  return {
    fixtures,
    admin,
    auth,
    register,
    claimsUpgrade: (upgrade) => claimsUpgrade(services, upgrade),
    upgrade: (upgrade) => feed.upgrade(upgrade),
    close: () => {
      feed.close();
      webhooks.close();
      world.close();
    },
  };
};

