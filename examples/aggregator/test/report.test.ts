import { authError, type Capability, type PaymentQuery, type PaymentsGateway, unsupported } from '@paygate/core';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { buildReport, formatReport, reportSucceeded } from '../src/report.js';

interface Stub {
  readonly gateway: PaymentsGateway;
  readonly calls: string[];
  readonly queries: PaymentQuery[];
}

/** A gateway that answers from memory and records what it was asked. */
const stubGateway = (provider: string, capabilities: ReadonlyArray<Capability>): Stub => {
  const calls: string[] = [];
  const queries: PaymentQuery[] = [];
  const gateway: PaymentsGateway = {
    provider,
    capabilities: new Set(capabilities),
    balances: () => {
      calls.push('balances');
      return TE.right([
        { amount: '12.5', currency: 'EUR', account: 'IS14 0159 2600 7654 5510 7303 39' },
        { amount: '3', currency: 'GBP', account: 'IS14 0159 2600 7654 5510 7303 39' },
      ]);
    },
    payments: (query) => {
      calls.push('payments');
      queries.push(query ?? {});
      return TE.right({
        items: [
          {
            id: 'p-2',
            status: 'completed',
            amount: { amount: '100', currency: 'EUR' },
            createdAt: '2024-02-01T10:00:00Z',
            direction: 'incoming',
            counterpart: { name: 'Globex GmbH', identifier: 'DE89370400440532013000' },
            raw: { providerToken: 'raw-provider-data' },
          },
          {
            id: 'p-1',
            status: 'pending',
            amount: { amount: '7.25', currency: 'EUR' },
            createdAt: '2024-01-31T09:00:00Z',
            raw: { providerToken: 'raw-provider-data' },
          },
        ],
        nextCursor: 'c2',
      });
    },
    payment: () => TE.left(unsupported(provider, 'payments')),
    pay: () => TE.left(unsupported(provider, 'pay')),
    watch: () => E.left(unsupported(provider, 'watch')),
  };
  return { gateway, calls, queries };
};

test('a capability the gateway does not declare is not asked for, even under a provider name that has it', async (t) => {
  const stub = stubGateway('monerium', []);

  const report = await buildReport(stub.gateway)();

  t.deepEqual(stub.calls, []);
  t.deepEqual(report.balances, { _tag: 'Unsupported', capability: 'balances' });
  t.deepEqual(report.payments, { _tag: 'Unsupported', capability: 'payments' });
  t.true(reportSucceeded(report));
});

test('a declared capability is asked for, under any provider name', async (t) => {
  const stub = stubGateway('acme', ['payments', 'balances']);

  const report = await buildReport(stub.gateway)();

  t.deepEqual(stub.calls, ['balances', 'payments']);
  t.is(report.balances._tag, 'Done');
  t.is(report.payments._tag, 'Done');
});

test('payments are asked for one page of ten unless told otherwise', async (t) => {
  const stub = stubGateway('acme', ['payments']);

  await buildReport(stub.gateway)();
  await buildReport(stub.gateway, { pageSize: 3 })();

  t.deepEqual(stub.queries, [{ limit: 10 }, { limit: 3 }]);
});

test('capabilities are listed in the order core defines them', async (t) => {
  const stub = stubGateway('acme', ['checkout', 'watch', 'balances']);

  const report = await buildReport(stub.gateway)();

  t.deepEqual(report.capabilities, ['balances', 'watch', 'checkout']);
});

test('the text report aligns columns and leaves out the ones no row fills', async (t) => {
  const stub = stubGateway('acme', ['balances', 'payments']);

  const text = formatReport(await buildReport(stub.gateway)());

  t.is(
    text,
    [
      'provider:     acme',
      'capabilities: balances, payments',
      'balances:',
      '  EUR  12.5  IS14 0159 2600 7654 5510 7303 39',
      '  GBP  3     IS14 0159 2600 7654 5510 7303 39',
      'payments:',
      '  2024-02-01T10:00:00Z  p-2  completed  incoming  EUR 100   Globex GmbH',
      '  2024-01-31T09:00:00Z  p-1  pending              EUR 7.25',
      '  2 shown; more on the next page',
    ].join('\n'),
  );
  t.false(text.includes('raw-provider-data'));
});

test('a failed capability is shown with its error and makes the report unsuccessful', async (t) => {
  const stub = stubGateway('acme', ['balances', 'payments']);
  const gateway: PaymentsGateway = {
    ...stub.gateway,
    balances: () => TE.left(authError({ reason: 'invalid_client', status: 401, oauthError: 'invalid_client' })),
  };

  const report = await buildReport(gateway)();

  t.false(reportSucceeded(report));
  t.true(formatReport(report).includes('\nbalances: failed: AuthError invalid_client status=401 oauth=invalid_client: Authentication failed: invalid_client\n'));
  t.is(report.payments._tag, 'Done');
});
