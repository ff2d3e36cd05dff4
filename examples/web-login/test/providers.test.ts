import { createMemoryTokenStore } from '@paygate/core';
import test from 'ava';
import { moneriumSignIn } from '../src/monerium-sign-in.js';
import { moneyButtonSignIn } from '../src/moneybutton-sign-in.js';

const options = { redirectUri: 'http://127.0.0.1:3000/callback', tokenStore: createMemoryTokenStore() };

test('a provider whose settings cannot work refuses to connect with InvalidInput naming the setting', (t) => {
  t.like(moneriumSignIn({ environment: { baseUrl: 'not a url' }, clientId: 'app' }).connect(options), {
    _tag: 'Left',
    left: { _tag: 'InvalidInput', field: 'environment.baseUrl' },
  });
  t.like(moneyButtonSignIn({ baseUrl: 'not a url', clientId: 'app' }).connect(options), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'baseUrl' } });
});

test('providers with working settings connect', (t) => {
  t.like(moneriumSignIn({ environment: 'sandbox', clientId: 'app' }).connect(options), { _tag: 'Right' });
  t.like(moneyButtonSignIn({ clientId: 'app' }).connect(options), { _tag: 'Right' });
});
