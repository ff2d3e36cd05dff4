import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { createMoneyNsClient } from '../src/index.js';
import { rsaKeyPair } from './_keys.js';

const USER = { email: 'a@example.com', password: 'canary-password-1' };

test('"." and ".." as the platform code are refused: the code goes into the login path', (t) => {
  const { privateKeyPem } = rsaKeyPair();
  for (const platform of ['.', '..', 'a/b', '%2e%2e']) {
    const result = createMoneyNsClient({ baseUrl: 'http://127.0.0.1:9', auth: { platform, privateKeyPem, subject: { email: 'a@b.c' } } });
    t.like(result, { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'auth.platform' } }, platform);
  }
});

test('plain http to a non-loopback base URL, a fragment or a query is refused', (t) => {
  for (const baseUrl of ['http://api.example.com', 'https://api.example.com/#x', 'https://api.example.com/?a=1']) {
    t.like(createMoneyNsClient({ baseUrl, auth: USER }), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'baseUrl' } }, baseUrl);
  }
});

test('null settings, a non-function clock and NaN HTTP settings are InvalidInput, never a throw', (t) => {
  t.like(createMoneyNsClient(null as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'settings' } });
  t.like(createMoneyNsClient({ auth: USER, now: 5 as never }), { _tag: 'Left', left: { field: 'now' } });
  t.like(createMoneyNsClient({ auth: USER, http: { timeoutMs: Number.NaN } }), { _tag: 'Left', left: { field: 'http.timeoutMs' } });
  t.like(createMoneyNsClient({ auth: USER, http: { maxRetries: Number.POSITIVE_INFINITY } }), { _tag: 'Left', left: { field: 'http.maxRetries' } });
  t.like(createMoneyNsClient({ auth: USER, renewBeforeSeconds: 1e21 }), { _tag: 'Left', left: { field: 'renewBeforeSeconds' } });
  t.true(E.isRight(createMoneyNsClient({ baseUrl: 'http://127.0.0.1:9', auth: USER })));
});

test('checkout token helpers refuse claims, keys and clocks they cannot use, never throwing', async (t) => {
  const { signCheckoutToken, buildCheckoutToken, checkoutTokenClaims } = await import('../src/index.js');
  t.like(signCheckoutToken({}, undefined as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'checkout' } });
  t.like(signCheckoutToken(undefined as never, { secret: 's'.repeat(32) }), { _tag: 'Left', left: { field: 'claims' } });
  t.like(signCheckoutToken({ n: 10n } as never, { secret: 's'.repeat(32) }, 'HS256'), { _tag: 'Left', left: { field: 'claims' } });
  t.like(buildCheckoutToken({ kind: 'purchase' } as never, { secret: 's'.repeat(32) }, null as never), { _tag: 'Left', left: { field: 'options' } });
  t.like(checkoutTokenClaims({ kind: 'purchase' } as never, Number.NaN), { _tag: 'Left', left: { field: 'now' } });
});
