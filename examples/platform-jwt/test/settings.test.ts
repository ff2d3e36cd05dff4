import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { EXIT_FAILED, EXIT_USAGE } from '../src/cli.js';
import { settingsFromEnv } from '../src/settings.js';
import { runCli, tempDir } from './_setup.js';

const required = { MONEYNS_PLATFORM: 'acme', MONEYNS_EMAIL: 'john@email.com', CHECKOUT_LANDING: 'https://shop.example/thanks' };

test('settings come from the environment, with ./platform-key.pem, en and light by default', (t) => {
  t.deepEqual(
    settingsFromEnv(required, '/srv/job'),
    E.right({
      keyPath: '/srv/job/platform-key.pem',
      platform: 'acme',
      email: 'john@email.com',
      landing: 'https://shop.example/thanks',
      lang: 'en',
      display: 'light',
      symbol: 'ETH',
      amount: '10',
    }),
  );
});

test('the optional variables override the defaults; a relative key path starts at the working directory', (t) => {
  const env = {
    ...required,
    MONEYNS_PLATFORM_KEY_PATH: 'keys/acme.pem',
    MONEYNS_BASE_URL: 'https://moneyns.example/api/v1',
    MONEYNS_CHECKOUT_URL: 'https://checkout.moneyns.example/',
    CHECKOUT_LANG: 'ro',
    CHECKOUT_DISPLAY: 'dark',
    CHECKOUT_SYMBOL: 'USDT',
    CHECKOUT_AMOUNT: '25.5',
  };

  t.like(settingsFromEnv(env, '/srv/job'), {
    right: {
      keyPath: '/srv/job/keys/acme.pem',
      baseUrl: 'https://moneyns.example/api/v1',
      checkoutUrl: 'https://checkout.moneyns.example/',
      lang: 'ro',
      display: 'dark',
      symbol: 'USDT',
      amount: '25.5',
    },
  });
  t.like(settingsFromEnv({ ...env, MONEYNS_PLATFORM_KEY_PATH: '/etc/acme.pem' }, '/srv/job'), { right: { keyPath: '/etc/acme.pem' } });
});

test('a missing required variable exits 1 naming it', async (t) => {
  const { MONEYNS_EMAIL: _dropped, ...env } = required;

  const result = await runCli([], env, tempDir(t));

  t.is(result.code, EXIT_FAILED);
  t.is(result.stderr, 'platform-jwt: MONEYNS_EMAIL: is not set\n');
  t.is(result.stdout, '');
});

test('an unknown CHECKOUT_DISPLAY is named with the accepted values', (t) => {
  t.like(settingsFromEnv({ ...required, CHECKOUT_DISPLAY: 'sepia' }, '/'), {
    left: { field: 'CHECKOUT_DISPLAY', reason: 'must be one of light, dark' },
  });
});

test('an unknown argument exits 2 with the usage', async (t) => {
  const result = await runCli(['--open'], {}, tempDir(t));

  t.is(result.code, EXIT_USAGE);
  t.true(result.stderr.startsWith('unknown argument --open\n\nusage: node dist/main.js [--sandbox]'));
});
