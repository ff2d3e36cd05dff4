import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import { unsupported } from '../src/errors.js';
import type { Capability, PaymentsGateway } from '../src/gateway.js';
import { createRegistry, type GatewayAdapter } from '../src/registry.js';

const fakeGateway = (provider: string, capabilities: ReadonlyArray<Capability>, label: string): PaymentsGateway => ({
  provider,
  capabilities: new Set(capabilities),
  balances: () => TE.right([{ amount: label, currency: 'EUR' }]),
  payments: () => TE.right({ items: [] }),
  payment: () => TE.left(unsupported(provider, 'payments')),
  pay: () => TE.left(unsupported(provider, 'pay')),
  watch: () => E.left(unsupported(provider, 'watch')),
});

const Alpha = t.type({ provider: t.literal('alpha'), settings: t.type({ apiKey: t.string, baseUrl: t.string }) });
const Beta = t.type({ provider: t.literal('beta'), region: t.keyof({ eu: null, us: null }) });
const Gamma = t.type({ provider: t.literal('gamma') });

const alpha: GatewayAdapter<t.TypeOf<typeof Alpha>> = {
  id: 'alpha',
  configCodec: Alpha,
  create: (config) => E.right(fakeGateway('alpha', ['balances'], config.settings.baseUrl)),
};
const beta: GatewayAdapter<t.TypeOf<typeof Beta>> = {
  id: 'beta',
  configCodec: Beta,
  create: (config) => E.right(fakeGateway('beta', ['balances', 'payments'], config.region)),
};
const gamma: GatewayAdapter<t.TypeOf<typeof Gamma>> = {
  id: 'gamma',
  configCodec: Gamma,
  create: () => E.left({ _tag: 'InvalidInput', field: 'provider', reason: 'disabled', message: 'gamma is disabled' }),
};

const registry = createRegistry([alpha, beta, gamma]);

test('the provider field picks the adapter and its config is decoded', async (t) => {
  const a = registry.create({ provider: 'alpha', settings: { apiKey: 'k', baseUrl: 'https://a' } });
  const b = registry.create({ provider: 'beta', region: 'eu' });
  if (E.isLeft(a) || E.isLeft(b)) return t.fail('expected both to build');
  t.is(a.right.provider, 'alpha');
  t.is(b.right.provider, 'beta');
  t.deepEqual(await a.right.balances()(), E.right([{ amount: 'https://a', currency: 'EUR' }]));
  t.true(b.right.capabilities.has('payments'));
});

test('switching provider is a change of the config value only', (t) => {
  const configs = [
    { provider: 'alpha', settings: { apiKey: 'k', baseUrl: 'x' } },
    { provider: 'beta', region: 'us' },
  ];
  t.deepEqual(
    configs.map((c) => E.map((g: PaymentsGateway) => g.provider)(registry.create(c))),
    [E.right('alpha'), E.right('beta')],
  );
});

test('an unknown provider is InvalidInput on the provider field listing the known ones', (t) => {
  t.like(registry.create({ provider: 'delta' }), {
    _tag: 'Left',
    left: { _tag: 'InvalidInput', field: 'provider', reason: 'unknown provider "delta"; known: alpha, beta, gamma' },
  });
});

test('a missing provider and a non-object config are InvalidInput', (t) => {
  t.like(registry.create({}), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'provider' } });
  t.like(registry.create('alpha'), { _tag: 'Left', left: { _tag: 'InvalidInput', field: '(root)' } });
  t.like(registry.create(null), { _tag: 'Left', left: { _tag: 'InvalidInput' } });
});

test('an invalid config names the exact failing field', (t) => {
  t.like(registry.create({ provider: 'alpha', settings: { apiKey: 1, baseUrl: 'x' } }), {
    _tag: 'Left',
    left: { _tag: 'InvalidInput', field: 'settings.apiKey', reason: 'expected string, got number' },
  });
  t.like(registry.create({ provider: 'beta', region: 'mars' }), {
    _tag: 'Left',
    left: { _tag: 'InvalidInput', field: 'region' },
  });
});

test("an adapter's own refusal is passed through", (t) => {
  t.like(registry.create({ provider: 'gamma' }), { _tag: 'Left', left: { reason: 'disabled' } });
});
