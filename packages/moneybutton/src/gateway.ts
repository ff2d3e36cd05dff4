import {
  type Balance,
  type Capability,
  defineAdapter,
  type GatewayAdapter,
  hasMethods,
  refusedGateway,
  type GatewayError,
  invalidInput,
  isAuthError,
  isInvalidInput,
  isProviderError,
  type Page,
  type Payment,
  type PaymentEvent,
  type PaymentQuery,
  type PaymentsGateway,
  providerError,
  type Subscription,
  unsupported,
  type WatchOptions,
} from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import { createMoneyButtonClient, type MoneyButtonClient } from './client.js';
import { PROVIDER } from './errors.js';
import { type MoneyButtonPayment, type MoneyButtonPaymentsPage, gatewayPayment } from './payment.js';
import { MoneyButtonScopeCodec } from './scopes.js';
import type { WalletSelector } from './wallets.js';
import {
  buildWebhookHandler,
  type WebhookFailure,
  type WebhookHandlerOptions,
  type WebhookRequestHandler,
  webhookHandler,
} from './webhook-handler.js';

export interface MoneyButtonWebhookOptions extends WebhookHandlerOptions {
  /** The app's webhook secret, as Money Button puts it in every webhook body. */
  readonly secret: string;
}

export interface MoneyButtonGatewayOptions {
  /** Enables `watch`: events come from the webhook handler the gateway exposes. */
  readonly webhook?: MoneyButtonWebhookOptions;
  /** `user` (default): API v1 user balance; `wallet`: API v2 balances of `walletId`. */
  readonly balanceSource?: 'user' | 'wallet';
  /** For `balanceSource: 'wallet'`; default `active`. */
  readonly walletId?: WalletSelector;
}

export interface MoneyButtonGateway extends PaymentsGateway<MoneyButtonPayment> {
  readonly client: MoneyButtonClient;
  /**
   * Mount at the app's webhook URL (node:http, Express, …); undefined without `webhook` options.
   * `watch` subscribers receive what it accepts, each (payment, status) once.
   */
  readonly webhookHandler: WebhookRequestHandler | undefined;
}

/** The largest `limit` sent in one request (larger `limit`s are fetched in pages). */
export const MAX_PAGE_LIMIT = 100;
/** At most this many requests for one `payments()` call; a server that keeps answering short pages is stopped there. */
export const MAX_PAGES_PER_CALL = 20;
const DEFAULT_LIMIT = 20;

interface Subscriber {
  readonly handler: (event: PaymentEvent<MoneyButtonPayment>) => void;
  readonly onError: ((error: GatewayError) => void) | undefined;
}

/** A server without API v2 payments answers these for the route itself. */
const lacksV2 = (error: GatewayError): boolean => isProviderError(error) && [404, 405, 501].includes(error.status);

/**
 * Whether a failed v2 read is worth trying on API v1: anything but an auth error (the same
 * token would be refused there too, and a session problem must surface as one) or bad input.
 */
const fallsBackToV1 = (error: GatewayError): boolean => !isAuthError(error) && !isInvalidInput(error);

const checkQuery = (query: PaymentQuery): E.Either<GatewayError, { limit: number; offset: number }> => {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const most = MAX_PAGE_LIMIT * MAX_PAGES_PER_CALL;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > most) {
    return E.left(invalidInput('limit', `must be a whole number from 1 to ${most}`));
  }
  if (query.cursor === undefined) return E.right({ limit, offset: 0 });
  if (!/^(0|[1-9]\d{0,14})$/.test(query.cursor)) {
    return E.left(invalidInput('cursor', 'must be the nextCursor of a previous page'));
  }
  return E.right({ limit, offset: Number(query.cursor) });
};

/**
 * The PaymentsGateway of Money Button: balances, payments (API v2, or API v1 whenever v2 fails
 * with anything but an auth error), and payment events from webhooks. Payments start in the user's browser (the Money Button
 * widget), so `pay` is Unsupported and sends nothing.
 */
const CLIENT_METHODS = ['userIdentity', 'userBalance', 'walletBalances', 'payments', 'payment', 'paymentsV2', 'paymentV2'];

/** What a gateway built from arguments that cannot work answers: every call the refusal, no webhook handler. */
const refusedMoneyButtonGateway = (client: MoneyButtonClient, error: GatewayError): MoneyButtonGateway => ({
  ...refusedGateway<MoneyButtonPayment>(PROVIDER, error),
  client,
  webhookHandler: undefined,
});

export const moneyButtonGateway = (client: MoneyButtonClient, options: MoneyButtonGatewayOptions = {}): MoneyButtonGateway => {
  if (!hasMethods(client, CLIENT_METHODS)) return refusedMoneyButtonGateway(client, invalidInput('client', 'must be a Money Button client'));
  if (typeof options !== 'object' || options === null) return refusedMoneyButtonGateway(client, invalidInput('options', 'must be an object'));
  if (options.webhook !== undefined && (typeof options.webhook !== 'object' || options.webhook === null)) {
    return refusedMoneyButtonGateway(client, invalidInput('webhook', 'must be an object'));
  }
  const subscribers = new Set<Subscriber>();
  let v2Payments = true;

  const dispatch = (event: PaymentEvent<MoneyButtonPayment>): void => {
    for (const subscriber of [...subscribers]) {
      try {
        subscriber.handler(event);
      } catch {
        // One subscriber's failure is not the sender's problem, nor the other subscribers'.
      }
    }
  };

  const report = (failure: WebhookFailure): void => {
    if (failure.kind === 'rejected') {
      for (const subscriber of [...subscribers]) {
        try {
          subscriber.onError?.(failure.error);
        } catch {
          // As for events: a subscriber's failure stays with that subscriber.
        }
      }
    }
    options.webhook?.onError?.(failure);
  };

  // Options that cannot work (a NaN body limit) make `watch` answer the InvalidInput; the exposed
  // handler is then `webhookHandler`'s refusing one, which answers 500 without reading a body.
  const webhook = options.webhook;
  const webhookOptions: WebhookHandlerOptions | undefined =
    webhook === undefined
      ? undefined
      : {
          ...(webhook.maxBodyBytes === undefined ? {} : { maxBodyBytes: webhook.maxBodyBytes }),
          ...(webhook.dedupeCapacity === undefined ? {} : { dedupeCapacity: webhook.dedupeCapacity }),
          onError: report,
        };
  const built = webhook === undefined ? undefined : buildWebhookHandler(webhook.secret, dispatch, webhookOptions);
  const handler =
    built === undefined || webhook === undefined
      ? undefined
      : E.isRight(built)
        ? built.right
        : webhookHandler(webhook.secret, dispatch, webhookOptions);

  const capabilities: ReadonlySet<Capability> = new Set<Capability>(
    handler === undefined ? ['balances', 'payments'] : ['balances', 'payments', 'watch'],
  );

  /**
   * API v2 first; on any v2 failure that is not an auth error, the same page from API v1. A
   * server whose v2 route is missing (404, 405, 501) is asked on v1 only from then on.
   */
  const paymentsPage = (limit: number, offset: number): TE.TaskEither<GatewayError, MoneyButtonPaymentsPage> => {
    const v1 = () => client.payments({ limit, offset });
    if (!v2Payments) return v1();
    return pipe(
      client.paymentsV2({ limit, offset }),
      TE.orElse((error) => {
        if (!fallsBackToV1(error)) return TE.left(error);
        if (lacksV2(error)) v2Payments = false;
        return v1();
      }),
    );
  };

  /**
   * Up to `limit` payments from `offset`, in pages of at most MAX_PAGE_LIMIT. Ends on the last
   * page, on a page larger than asked for (the server ignored paging and sent everything), on an
   * offset already asked for, or on a page with nothing new; a payment is never returned twice.
   * More than MAX_PAGES_PER_CALL requests is a ProviderError (`code: page_cap`) that says where to
   * resume.
   */
  const collect =
    (limit: number, offset: number): TE.TaskEither<GatewayError, { items: MoneyButtonPayment[]; nextOffset?: number }> =>
    async () => {
      const items: MoneyButtonPayment[] = [];
      const seen = new Set<string>();
      const asked = new Set<number>();
      let next: number | undefined = offset;
      while (next !== undefined && items.length < limit && !asked.has(next)) {
        if (asked.size >= MAX_PAGES_PER_CALL) {
          return E.left(
            providerError({
              provider: PROVIDER,
              status: 200,
              code: 'page_cap',
              retryable: false,
              message: `Money Button answered ${asked.size} short pages without reaching ${limit} payments; stopped. Continue from details.nextCursor or ask for fewer`,
              details: { nextCursor: String(next), received: items.length },
            }),
          );
        }
        asked.add(next);
        const page = await paymentsPage(Math.min(MAX_PAGE_LIMIT, limit - items.length), next)();
        if (E.isLeft(page)) return page;
        const fresh: MoneyButtonPayment[] = page.right.items.filter((payment) => !seen.has(payment.id));
        for (const payment of fresh) seen.add(payment.id);
        items.push(...fresh);
        next = fresh.length === 0 ? undefined : page.right.nextOffset;
      }
      return E.right(next === undefined || asked.has(next) ? { items } : { items, nextOffset: next });
    };

  const payments = (query: PaymentQuery = {}): TE.TaskEither<GatewayError, Page<Payment<MoneyButtonPayment>>> =>
    pipe(
      TE.fromEither(checkQuery(query)),
      TE.flatMap(({ limit, offset }) => collect(limit, offset)),
      TE.map(({ items, nextOffset }) => {
        const mapped = items.map((item) => gatewayPayment(item));
        // Money Button has no status filter; it is applied to each page, so a page may come back short.
        const filtered = query.status === undefined ? mapped : mapped.filter((payment) => payment.status === query.status);
        return nextOffset === undefined ? { items: filtered } : { items: filtered, nextCursor: String(nextOffset) };
      }),
    );

  const payment = (id: string): TE.TaskEither<GatewayError, Payment<MoneyButtonPayment>> => {
    const v1 = () => client.payment(id);
    const found = v2Payments
      ? pipe(
          client.paymentV2(id),
          TE.orElse((error) => (fallsBackToV1(error) ? v1() : TE.left(error))),
        )
      : v1();
    return TE.map((raw: MoneyButtonPayment) => gatewayPayment(raw))(found);
  };

  const balances = (): TE.TaskEither<GatewayError, ReadonlyArray<Balance>> => {
    if (options.balanceSource === 'wallet') {
      return pipe(
        client.walletBalances(options.walletId ?? 'active'),
        TE.map((wallet) =>
          wallet.balances.map((balance) => ({ amount: balance.amount, currency: balance.currency, account: wallet.walletId })),
        ),
      );
    }
    return pipe(
      client.userIdentity(),
      TE.flatMap((identity) => client.userBalance(identity.id)),
      TE.map((balance) => [{ amount: balance.amount, currency: balance.currency, account: balance.userId }]),
    );
  };

  const watch = (
    onEvent: (event: PaymentEvent<MoneyButtonPayment>) => void,
    watchOptions?: WatchOptions,
  ): E.Either<GatewayError, Subscription> => {
    if (handler === undefined) return E.left(unsupported(PROVIDER, 'watch'));
    if (built !== undefined && E.isLeft(built)) return built;
    const subscriber: Subscriber = { handler: onEvent, onError: watchOptions?.onError };
    subscribers.add(subscriber);
    // Deliveries reach subscribers as soon as they are registered: the feed is live at once.
    const onLive = watchOptions?.onLive;
    if (onLive !== undefined) queueMicrotask(onLive);
    return E.right({
      unsubscribe: async () => {
        subscribers.delete(subscriber);
      },
    });
  };

  return {
    provider: PROVIDER,
    capabilities,
    client,
    webhookHandler: handler,
    balances,
    payments,
    payment,
    pay: () => TE.left(unsupported(PROVIDER, 'pay')),
    watch,
  };
};

const NonEmptyString = t.refinement(t.string, (s) => s.length > 0, 'NonEmptyString');

/** What the registry decodes: `provider: "moneybutton"` plus the client and gateway settings. */
export const MoneyButtonConfigCodec = t.intersection([
  t.type({ provider: t.literal('moneybutton'), clientId: NonEmptyString }),
  t.partial({
    baseUrl: t.string,
    clientSecret: t.string,
    redirectUri: t.string,
    scope: t.array(MoneyButtonScopeCodec),
    /** Resumes a user's session (see `MoneyButtonSettings.refreshToken`). */
    refreshToken: NonEmptyString,
    sessionKey: NonEmptyString,
    webhookSecret: NonEmptyString,
    balanceSource: t.keyof({ user: null, wallet: null }),
    walletId: NonEmptyString,
    timeoutMs: t.number,
  }),
]);
export type MoneyButtonConfig = t.TypeOf<typeof MoneyButtonConfigCodec>;

/** For `createRegistry([...])`: builds a Money Button gateway from a JSON config. */
export const adapter: GatewayAdapter<MoneyButtonConfig> = defineAdapter({
  id: PROVIDER,
  configCodec: MoneyButtonConfigCodec,
  create: (config) =>
    pipe(
      createMoneyButtonClient({
        clientId: config.clientId,
        scope: config.scope ?? [],
        ...(config.baseUrl === undefined ? {} : { baseUrl: config.baseUrl }),
        ...(config.clientSecret === undefined ? {} : { clientSecret: config.clientSecret }),
        ...(config.redirectUri === undefined ? {} : { redirectUri: config.redirectUri }),
        ...(config.refreshToken === undefined ? {} : { refreshToken: config.refreshToken }),
        ...(config.sessionKey === undefined ? {} : { sessionKey: config.sessionKey }),
        ...(config.timeoutMs === undefined ? {} : { http: { timeoutMs: config.timeoutMs } }),
      }),
      E.map(
        (client): PaymentsGateway =>
          moneyButtonGateway(client, {
            ...(config.webhookSecret === undefined ? {} : { webhook: { secret: config.webhookSecret } }),
            ...(config.balanceSource === undefined ? {} : { balanceSource: config.balanceSource }),
            ...(config.walletId === undefined ? {} : { walletId: config.walletId }),
          }),
      ),
    ),
});
