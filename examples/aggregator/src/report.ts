import {
  type Balance,
  type Capability,
  CapabilityCodec,
  type GatewayError,
  type Page,
  type Payment,
  type PaymentsGateway,
} from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import type * as T from 'fp-ts/lib/Task.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { describeError } from './describe-error.js';

/** What became of one part of the report. */
export type Section<A> =
  | { readonly _tag: 'Done'; readonly value: A }
  /** The gateway does not declare the capability, so it was not asked. */
  | { readonly _tag: 'Unsupported'; readonly capability: Capability }
  | { readonly _tag: 'Failed'; readonly error: GatewayError };

export interface Report {
  readonly provider: string;
  /** In the order core lists capabilities. */
  readonly capabilities: ReadonlyArray<Capability>;
  readonly balances: Section<ReadonlyArray<Balance>>;
  readonly payments: Section<Page<Payment>>;
}

export interface ReportOptions {
  /** Payments on the first page (default 10). */
  readonly pageSize?: number;
}

export const DEFAULT_PAGE_SIZE = 10;

const CAPABILITY_ORDER = Object.keys(CapabilityCodec.keys) as ReadonlyArray<Capability>;

/** Asks only for what the gateway declares: a provider is never recognised by its name. */
const section =
  <A>(gateway: PaymentsGateway, capability: Capability, ask: () => TE.TaskEither<GatewayError, A>): T.Task<Section<A>> =>
  async () => {
    if (!gateway.capabilities.has(capability)) return { _tag: 'Unsupported', capability };
    const result = await ask()();
    return E.isRight(result) ? { _tag: 'Done', value: result.right } : { _tag: 'Failed', error: result.left };
  };

/** The same questions for any gateway: who it is, what it can do, balances, the first page of payments. */
export const buildReport =
  (gateway: PaymentsGateway, options: ReportOptions = {}): T.Task<Report> =>
  async () => {
    const limit = options.pageSize ?? DEFAULT_PAGE_SIZE;
    const balances = await section(gateway, 'balances', () => gateway.balances())();
    const payments = await section(gateway, 'payments', () => gateway.payments({ limit }))();
    return {
      provider: gateway.provider,
      capabilities: CAPABILITY_ORDER.filter((capability) => gateway.capabilities.has(capability)),
      balances,
      payments,
    };
  };

/** True when nothing the gateway declared failed. */
export const reportSucceeded = (report: Report): boolean =>
  report.balances._tag !== 'Failed' && report.payments._tag !== 'Failed';

/** Aligned columns; a column no row fills (a provider without that field) is left out. */
const table = (rows: ReadonlyArray<ReadonlyArray<string>>): string[] => {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  const columns = widths.flatMap((width, i) => (width > 0 ? [i] : []));
  return rows.map((row) => `  ${columns.map((i) => (row[i] ?? '').padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd());
};

const balanceRow = (balance: Balance): string[] => [
  balance.currency,
  balance.amount,
  balance.account ?? '',
  [balance.chain, balance.network].filter((part) => part !== undefined).join('/'),
];

const paymentRow = (payment: Payment): string[] => [
  payment.createdAt,
  payment.id,
  payment.status,
  payment.direction ?? '',
  `${payment.amount.currency} ${payment.amount.amount}`,
  payment.counterpart?.name ?? payment.counterpart?.identifier ?? '',
];

const formatSection = <A>(title: string, result: Section<A>, body: (value: A) => string[]): string[] => {
  switch (result._tag) {
    case 'Unsupported':
      return [`${title}: Unsupported (no "${result.capability}" capability)`];
    case 'Failed':
      return [`${title}: failed: ${describeError(result.error)}`];
    case 'Done':
      return [`${title}:`, ...body(result.value)];
  }
};

/** The report as text, one line per balance and per payment. Provider-specific `raw` data is not printed. */
export const formatReport = (report: Report): string =>
  [
    `provider:     ${report.provider}`,
    `capabilities: ${report.capabilities.join(', ') || '(none)'}`,
    ...formatSection('balances', report.balances, (balances) =>
      balances.length === 0 ? ['  (none)'] : table(balances.map(balanceRow)),
    ),
    ...formatSection('payments', report.payments, (page) => [
      ...(page.items.length === 0 ? ['  (none)'] : table(page.items.map(paymentRow))),
      `  ${page.items.length} shown${page.nextCursor === undefined ? '' : '; more on the next page'}`,
    ]),
  ].join('\n');
