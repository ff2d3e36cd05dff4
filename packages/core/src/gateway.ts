import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import { type GatewayError, invalidInput, isGatewayError } from './errors.js';
import { DecimalString, type Money } from './money.js';

/** What a gateway can do; an aggregator branches on these instead of on provider names. */
export const CapabilityCodec = t.keyof({
  balances: null,
  payments: null,
  pay: null,
  watch: null,
  checkout: null,
});
export type Capability = t.TypeOf<typeof CapabilityCodec>;

export const PaymentStatusCodec = t.keyof({
  pending: null,
  processing: null,
  completed: null,
  failed: null,
  rejected: null,
});
export type PaymentStatus = t.TypeOf<typeof PaymentStatusCodec>;

const NonEmptyString = t.refinement(t.string, (s) => s.length > 0, 'NonEmptyString');

export const BalanceCodec = t.intersection([
  t.type({ amount: DecimalString, currency: t.string }),
  t.partial({
    /** The account the balance belongs to: a blockchain address, wallet id or IBAN. */
    account: t.string,
    chain: t.string,
    network: t.string,
  }),
]);
export interface Balance extends Money {
  readonly account?: string;
  readonly chain?: string;
  readonly network?: string;
}

export const CounterpartCodec = t.partial({ name: t.string, identifier: t.string });
export interface Counterpart {
  readonly name?: string;
  /** IBAN, paymail or address of the other side. */
  readonly identifier?: string;
}

/** The provider-neutral fields of a payment; adapters check theirs against this codec. */
export const PaymentCodec = t.intersection([
  t.type({
    id: NonEmptyString,
    status: PaymentStatusCodec,
    amount: t.type({ amount: DecimalString, currency: t.string }),
    createdAt: t.string,
  }),
  t.partial({
    direction: t.keyof({ incoming: null, outgoing: null }),
    counterpart: CounterpartCodec,
    memo: t.string,
  }),
]);

export interface Payment<Raw = unknown> {
  readonly id: string;
  readonly status: PaymentStatus;
  readonly amount: Money;
  /** RFC 3339. */
  readonly createdAt: string;
  readonly direction?: 'incoming' | 'outgoing';
  readonly counterpart?: Counterpart;
  readonly memo?: string;
  /** The provider's own decoded object, fully typed by the adapter. */
  readonly raw: Raw;
}

export interface PaymentQuery {
  /** Items per page (the adapter may cap it). */
  readonly limit?: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
  readonly status?: PaymentStatus;
}

export interface Page<A> {
  readonly items: ReadonlyArray<A>;
  /** Absent on the last page. */
  readonly nextCursor?: string;
}

export const PaymentRequestCodec = t.intersection([
  t.type({
    amount: t.string,
    currency: t.string,
    to: t.union([
      t.intersection([
        t.type({ kind: t.literal('iban'), iban: t.string }),
        t.partial({ name: t.string, companyName: t.string, firstName: t.string, lastName: t.string }),
      ]),
      t.type({ kind: t.literal('address'), address: t.string }),
    ]),
  }),
  t.partial({ memo: t.string }),
]);
/** A payment the app asks for. Provider specifics (signer, source address) come from the adapter's config. */
export type PaymentRequest = t.TypeOf<typeof PaymentRequestCodec>;

export interface PaymentEvent<Raw = unknown> {
  readonly paymentId: string;
  readonly status: PaymentStatus;
  readonly payment: Payment<Raw>;
}

export interface Subscription {
  /** Stops delivery, closes sockets and clears timers. Safe to call twice. */
  unsubscribe(): Promise<void>;
}

export interface WatchOptions {
  /** Connection problems the subscription is recovering from (it keeps trying until unsubscribed). */
  readonly onError?: (error: GatewayError) => void;
  /**
   * The feed is live: events from now on will be delivered. Called again after each recovery.
   * Trigger what you want to observe after this, or it may happen before the feed listens.
   */
  readonly onLive?: () => void;
}

export interface PaymentsGateway<Raw = unknown> {
  /** `monerium`, `moneybutton`, `moneyns`, … */
  readonly provider: string;
  readonly capabilities: ReadonlySet<Capability>;
  balances(): TE.TaskEither<GatewayError, ReadonlyArray<Balance>>;
  payments(query?: PaymentQuery): TE.TaskEither<GatewayError, Page<Payment<Raw>>>;
  payment(id: string): TE.TaskEither<GatewayError, Payment<Raw>>;
  pay(request: PaymentRequest): TE.TaskEither<GatewayError, Payment<Raw>>;
  /**
   * Live payment events. Returns `Left(Unsupported)` where the provider has no such feed
   * (a departure from DESIGN.md's bare `Subscription`: an error must be a value, not a throw).
   */
  watch(handler: (event: PaymentEvent<Raw>) => void, options?: WatchOptions): E.Either<GatewayError, Subscription>;
}

/**
 * A gateway built from arguments that cannot work (a JavaScript caller passing something that is
 * not a client): every operation answers `error` and sends nothing. Gateway factories return it
 * instead of a gateway whose methods would throw.
 */
export const refusedGateway = <Raw = never>(provider: string, given: GatewayError): PaymentsGateway<Raw> => {
  const error = isGatewayError(given) ? given : invalidInput('error', 'must be a GatewayError');
  return {
    provider: typeof provider === 'string' ? provider : '',
    capabilities: new Set<Capability>(),
    balances: () => TE.left(error),
    payments: () => TE.left(error),
    payment: () => TE.left(error),
    pay: () => TE.left(error),
    watch: () => E.left(error),
  };
};

/** Whether `value` has every named method: the runtime check of a client passed to a gateway factory. */
export const hasMethods = (value: unknown, names: ReadonlyArray<string>): boolean =>
  typeof value === 'object' && value !== null && Array.isArray(names) && names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
