import { join } from 'node:path';
import type { GatewayError } from '@paygate/core';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { gatewayConfigFrom, loadGatewayConfig, parseConfigText, readConfigFile, resolveEnvReferences } from '../src/config.js';
import { tempDir } from './_setup.js';

const leftOf = <A>(result: E.Either<GatewayError, A>): GatewayError => {
  if (E.isRight(result)) throw new Error(`expected Left, got ${JSON.stringify(result.right)}`);
  return result.left;
};

const file = {
  use: 'monerium',
  providers: {
    monerium: {
      environment: 'sandbox',
      auth: { kind: 'client_credentials', clientId: 'partner', clientSecret: { env: 'MONERIUM_CLIENT_SECRET' } },
    },
    moneybutton: { clientId: { env: 'MONEYBUTTON_CLIENT_ID' } },
  },
};

test('the config is { provider: use, ...providers[use] } with env references replaced', (t) => {
  const result = gatewayConfigFrom(file, { MONERIUM_CLIENT_SECRET: 's3cret-value' });

  t.deepEqual(result, {
    _tag: 'Right',
    right: {
      provider: 'monerium',
      environment: 'sandbox',
      auth: { kind: 'client_credentials', clientId: 'partner', clientSecret: 's3cret-value' },
    },
  });
});

test('a missing environment variable names the JSON path and the variable', (t) => {
  const error = leftOf(gatewayConfigFrom(file, {}));

  t.like(error, {
    _tag: 'InvalidInput',
    field: 'providers.monerium.auth.clientSecret',
    reason: 'environment variable MONERIUM_CLIENT_SECRET is not set',
  });
});

test('an empty environment variable is refused like a missing one', (t) => {
  const error = leftOf(gatewayConfigFrom(file, { MONERIUM_CLIENT_SECRET: '' }));

  t.like(error, { field: 'providers.monerium.auth.clientSecret', reason: 'environment variable MONERIUM_CLIENT_SECRET is empty' });
});

test('only the used provider needs its variables set', (t) => {
  const result = gatewayConfigFrom({ ...file, use: 'moneybutton' }, { MONEYBUTTON_CLIENT_ID: 'app-1' });

  t.deepEqual(result, E.right({ provider: 'moneybutton', clientId: 'app-1' }));
});

test('use itself may come from the environment', (t) => {
  const result = gatewayConfigFrom({ ...file, use: { env: 'PAYGATE_PROVIDER' } }, { PAYGATE_PROVIDER: 'moneybutton', MONEYBUTTON_CLIENT_ID: 'app-1' });

  t.deepEqual(result, E.right({ provider: 'moneybutton', clientId: 'app-1' }));
});

test('references inside arrays are named by their index', (t) => {
  const error = leftOf(resolveEnvReferences({ scope: ['payments:read', { env: 'EXTRA_SCOPE' }] }, {}, 'providers.moneybutton'));

  t.like(error, { field: 'providers.moneybutton.scope.1', reason: 'environment variable EXTRA_SCOPE is not set' });
});

test('an env reference that names no variable is refused', (t) => {
  const error = leftOf(resolveEnvReferences({ clientId: { env: 'not a name' } }, {}, 'providers.moneybutton'));

  t.like(error, { field: 'providers.moneybutton.clientId', reason: '"env" must name an environment variable (letters, digits and _)' });
});

test('an object with more keys than env is ordinary configuration', (t) => {
  t.deepEqual(resolveEnvReferences({ env: 'X', other: 1 }, {}), E.right({ env: 'X', other: 1 }));
});

test('use naming no entry under providers lists the configured ones', (t) => {
  const error = leftOf(gatewayConfigFrom({ ...file, use: 'paypal' }, {}));

  t.like(error, { field: 'use', reason: '"paypal" has no entry under "providers" (configured: monerium, moneybutton)' });
});

test('use naming an inherited property is not an entry', (t) => {
  const error = leftOf(gatewayConfigFrom({ ...file, use: 'constructor' }, {}));

  t.like(error, { field: 'use' });
});

test('a provider field inside the entry is refused so that use alone decides', (t) => {
  const error = leftOf(gatewayConfigFrom({ use: 'moneyns', providers: { moneyns: { provider: 'monerium' } } }, {}));

  t.like(error, { field: 'providers.moneyns.provider', reason: 'is taken from "use"; remove it from the entry' });
});

test('a config that is not an object, or lacks providers, says which part is wrong', (t) => {
  t.like(leftOf(gatewayConfigFrom([], {})), { field: '(root)' });
  t.like(leftOf(gatewayConfigFrom({ use: 'monerium' }, {})), { field: 'providers' });
  t.like(leftOf(gatewayConfigFrom({ use: 7, providers: {} }, {})), { field: 'use' });
  t.like(leftOf(gatewayConfigFrom({ use: 'x', providers: { x: 'y' } }, {})), { field: 'providers.x' });
});

test('invalid JSON is reported without quoting the text around the error', (t) => {
  const error = leftOf(parseConfigText('{ "clientSecret": "hunter2-very-secret" oops }'));

  t.like(error, { field: '(file)', reason: 'is not valid JSON' });
  t.false(JSON.stringify(error).includes('hunter2'));
});

test('a file that cannot be read reports the system error code', (t) => {
  const error = leftOf(readConfigFile(join(tempDir(t), 'missing.json')));

  t.like(error, { field: '(file)', reason: 'cannot be read (ENOENT)' });
});

test('loadGatewayConfig reads, parses and resolves in one step', (t) => {
  const result = loadGatewayConfig(new URL('../gateway.json', import.meta.url).pathname, {
    MONEYNS_PLATFORM: 'acme',
    MONEYNS_PLATFORM_KEY: 'pem',
    MONEYNS_EMAIL: 'john@email.com',
    MONERIUM_CLIENT_ID: 'id',
    MONERIUM_CLIENT_SECRET: 'secret',
  });

  t.deepEqual(result, E.right({ provider: 'monerium', apiVersion: 'v2', environment: 'production', auth: { kind: 'client_credentials', clientId: 'id', clientSecret: 'secret' } }));
});
