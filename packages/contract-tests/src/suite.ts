import {
  BalanceCodec,
  type Capability,
  type GatewayError,
  isGatewayError,
  type PaymentEvent,
  PaymentCodec,
  type PaymentRequest,
  type PaymentsGateway,
} from '@paygate/core';
import type { ExecutionContext, TestFn } from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { ContractEnvironment, ContractOptions } from './environment.js';
import { activeHandles, eventually } from './handles.js';
import { leakedSecrets } from './leaks.js';

const DEFAULT_MISSING_ID = '5f0c2b1e-0000-4000-8000-00000000dead';
const DEFAULT_INVALID_PAYMENT: PaymentRequest = {
  amount: '-10',
  currency: 'EURO',
  to: { kind: 'iban', iban: 'XX00 0000', name: 'Nobody' },
};
const VALID_LOOKING_PAYMENT: PaymentRequest = {
  amount: '1',
  currency: 'EUR',
  to: { kind: 'iban', iban: 'GR1601101250000000012300695', name: 'Contract Test' },
};

type Run = <A>(task: TE.TaskEither<GatewayError, A>) => Promise<E.Either<GatewayError, A>>;

interface Context {
  readonly env: ContractEnvironment;
  readonly gateway: PaymentsGateway;
  /** Runs a task, failing the test if it throws or rejects instead of returning an Either. */
  readonly run: Run;
}

const requestCount = (env: ContractEnvironment) => env.sandbox.admin.requests().length;

/**
 * Registers the adapter contract as ava tests. Each test gets a fresh environment from `setup`,
 * and every error any test sees is checked for the environment's secrets.
 */
export const runContractTests = (test: TestFn, options: ContractOptions): void => {
  const { name, capabilities } = options;
  const declared = new Set<Capability>(capabilities);
  const missingId = options.missingPaymentId ?? DEFAULT_MISSING_ID;
  const invalidPayment = options.invalidPaymentRequest ?? DEFAULT_INVALID_PAYMENT;
  const readCapability = (['balances', 'payments'] as const).find((c) => declared.has(c));

  const contract = (
    title: string,
    body: (t: ExecutionContext, context: Context) => Promise<void>,
    serial = false,
  ): void => {
    const register = serial ? test.serial : test;
    register(`${name} contract: ${title}`, async (t) => {
      const env = await options.setup();
      const seen: unknown[] = [];
      const run: Run = async (task) => {
        try {
          const result = await task();
          if (E.isLeft(result)) seen.push(result.left);
          return result;
        } catch (thrown) {
          seen.push(thrown);
          t.fail(`the adapter threw instead of returning a Left: ${String(thrown)}`);
          return E.left({ _tag: 'TransportError', kind: 'protocol', attempts: 0, message: 'threw' });
        }
      };
      try {
        await body(t, { env, gateway: env.gateway, run });
        for (const error of seen) t.deepEqual(leakedSecrets(error, env.secrets), [], 'an error contains a seeded secret');
      } finally {
        env.sandbox.admin.faults.clear();
        await env.teardown();
      }
    });
  };

  const read = (gateway: PaymentsGateway): TE.TaskEither<GatewayError, unknown> =>
    readCapability === 'payments' ? gateway.payments({ limit: 5 }) : gateway.balances();

  if (declared.has('balances')) {
    contract('balances decode to the core Balance type', async (t, { gateway, run }) => {
      const result = await run(gateway.balances());
      if (E.isLeft(result)) return t.fail(`balances failed: ${result.left.message}`);
      t.true(result.right.length > 0, 'the sandbox user has at least one balance');
      for (const balance of result.right) t.true(E.isRight(BalanceCodec.decode(balance)), JSON.stringify(balance));
    });
  }

  if (declared.has('payments')) {
    contract('payments decode to the core Payment type', async (t, { gateway, run }) => {
      const result = await run(gateway.payments({ limit: 10 }));
      if (E.isLeft(result)) return t.fail(`payments failed: ${result.left.message}`);
      t.true(result.right.items.length > 0);
      for (const payment of result.right.items) {
        const { raw: _raw, ...neutral } = payment;
        t.true(E.isRight(PaymentCodec.decode(neutral)), JSON.stringify(neutral));
      }
    });

    contract('paging is stable and complete', async (t, { gateway, run }) => {
      const walk = async (): Promise<string[]> => {
        const ids: string[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 200; page++) {
          const result = await run(gateway.payments({ limit: 4, ...(cursor === undefined ? {} : { cursor }) }));
          if (E.isLeft(result)) {
            t.fail(`page ${page} failed: ${result.left.message}`);
            return ids;
          }
          ids.push(...result.right.items.map((p) => p.id));
          cursor = result.right.nextCursor;
          if (cursor === undefined) return ids;
        }
        t.fail('paging did not end within 200 pages');
        return ids;
      };
      const first = await walk();
      const second = await walk();
      t.true(first.length > 4, 'the sandbox seeds more than one page of payments');
      t.is(new Set(first).size, first.length, 'no payment appears twice across pages');
      t.deepEqual(second, first, 'walking the pages again gives the same sequence');
      const single = await run(gateway.payments({ limit: 1000 }));
      if (E.isLeft(single)) return t.fail(single.left.message);
      t.deepEqual(new Set(single.right.items.map((p) => p.id)), new Set(first), 'no payment is missing from the pages');
    });

    contract('a missing payment is a ProviderError with status 404', async (t, { gateway, run }) => {
      const result = await run(gateway.payment(missingId));
      t.like(result, { _tag: 'Left', left: { _tag: 'ProviderError', status: 404 } });
    });
  }

  if (declared.has('pay')) {
    contract('bad input to pay is InvalidInput and sends nothing', async (t, { env, gateway, run }) => {
      env.sandbox.admin.clearRequests();
      const result = await run(gateway.pay(invalidPayment));
      t.like(result, { _tag: 'Left', left: { _tag: 'InvalidInput' } });
      t.is(requestCount(env), 0);
    });
  }

  const undeclared: ReadonlyArray<[Capability, (g: PaymentsGateway) => Promise<E.Either<GatewayError, unknown>> | E.Either<GatewayError, unknown>]> = [
    ['balances', (g) => g.balances()()],
    ['payments', (g) => g.payments()()],
    ['pay', (g) => g.pay(VALID_LOOKING_PAYMENT)()],
    ['watch', (g) => g.watch(() => undefined)],
  ];
  for (const [capability, call] of undeclared) {
    if (declared.has(capability)) continue;
    contract(`undeclared ${capability} answers Unsupported and sends nothing`, async (t, { env, gateway }) => {
      env.sandbox.admin.clearRequests();
      const result = await call(gateway);
      t.like(result, { _tag: 'Left', left: { _tag: 'Unsupported', capability } });
      t.false(gateway.capabilities.has(capability));
      t.is(requestCount(env), 0);
    });
  }

  if (readCapability !== undefined) {
    contract('revoked credentials give AuthError', async (t, { env, gateway, run }) => {
      t.true(E.isRight(await run(read(gateway))), 'works before revocation');
      await env.revokeCredentials();
      const result = await run(read(gateway));
      t.like(result, { _tag: 'Left', left: { _tag: 'AuthError' } });
    });

    contract('a 503 from the provider is a TransportError, not a throw', async (t, { env, gateway, run }) => {
      t.true(E.isRight(await run(read(gateway))), 'works before the fault');
      env.sandbox.admin.faults.set([{ kind: 'status', status: 503 }]);
      const result = await run(read(gateway));
      t.like(result, { _tag: 'Left', left: { _tag: 'TransportError' } });
    });

    contract('a provider slower than the timeout is a TransportError', async (t, { env, gateway, run }) => {
      t.true(E.isRight(await run(read(gateway))), 'works before the fault');
      env.sandbox.admin.faults.set([{ kind: 'latency', ms: env.requestTimeoutMs + 400 }]);
      const result = await run(read(gateway));
      t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', kind: 'timeout' } });
    });

    contract('a malformed body is a DecodeError', async (t, { env, gateway, run }) => {
      t.true(E.isRight(await run(read(gateway))), 'works before the fault');
      env.sandbox.admin.faults.set([{ kind: 'malformed-json' }]);
      const result = await run(read(gateway));
      t.like(result, { _tag: 'Left', left: { _tag: 'DecodeError' } });
    });
  }

  contract('errors carry no seeded secret', async (t, { env, gateway, run }) => {
    const errors: unknown[] = [];
    const collect = (result: E.Either<GatewayError, unknown>) => {
      if (E.isLeft(result)) errors.push(result.left);
    };
    collect(await run(gateway.payment(missingId)));
    collect(await run(gateway.pay(invalidPayment)));
    if (readCapability !== undefined) {
      env.sandbox.admin.faults.set([{ kind: 'malformed-json' }]);
      collect(await run(read(gateway)));
      env.sandbox.admin.faults.clear();
      await env.revokeCredentials();
      collect(await run(read(gateway)));
    }
    t.true(errors.length >= 2);
    t.true(errors.every(isGatewayError), 'every failure is a GatewayError');
    for (const error of errors) t.deepEqual(leakedSecrets(error, env.secrets), []);
  });

  if (declared.has('watch')) {
    contract(
      'watch delivers a triggered event once and unsubscribe leaves no open handle',
      async (t, { env, gateway, run }) => {
        const trigger = env.triggerPaymentEvent;
        if (trigger === undefined) return t.fail('a gateway declaring watch must provide triggerPaymentEvent');
        if (readCapability !== undefined) await run(read(gateway));
        const before = activeHandles();
        const events: PaymentEvent[] = [];
        let live = false;
        const subscription = gateway.watch((event) => events.push(event), {
          onLive: () => {
            live = true;
          },
        });
        if (E.isLeft(subscription)) return t.fail(`watch failed: ${subscription.left.message}`);
        t.true(await eventually(() => live, 5_000), 'the feed reported it is live');
        await trigger();
        t.true(await eventually(() => events.length > 0, 5_000), 'an event arrived');
        // Give a duplicate (a second socket, a replayed catch-up) the chance to show up.
        await new Promise((resolve) => setTimeout(resolve, 300));
        const keys = events.map((e) => `${e.paymentId}:${e.status}`);
        t.is(new Set(keys).size, keys.length, `no event twice: ${keys.join(', ')}`);
        await subscription.right.unsubscribe();
        await subscription.right.unsubscribe();
        const settled = await eventually(() => {
          const now = activeHandles();
          return Object.entries(now).every(([kind, n]) => n <= (before[kind] ?? 0));
        }, 3_000);
        t.true(settled, `handles left open: before ${JSON.stringify(before)}, after ${JSON.stringify(activeHandles())}`);
      },
      true,
    );
  }
};
