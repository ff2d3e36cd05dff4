import type { HttpResponse } from '@paygate/core';
import test from 'ava';
import { mapMoneyNsError } from '../src/errors.js';

const response = (status: number, body: unknown): HttpResponse => ({ status, headers: {}, body, isJson: typeof body !== 'string' });

test('a login answered 401 {error} is AuthError inactive', (t) => {
  const error = mapMoneyNsError('login')(response(401, { error: 'Account is not active' }), 'moneyns');
  t.like(error, { _tag: 'AuthError', reason: 'inactive', status: 401 });
  t.regex(error.message, /inactive.*Account is not active/);
});

test('a login answered 403 {error} is AuthError bad_credentials', (t) => {
  t.like(mapMoneyNsError('login')(response(403, { error: 'Invalid credentials' }), 'moneyns'), {
    _tag: 'AuthError',
    reason: 'bad_credentials',
    status: 403,
  });
});

test('a login answered 423 {error} is AuthError locked', (t) => {
  t.like(mapMoneyNsError('login')(response(423, { error: 'Account locked' }), 'moneyns'), {
    _tag: 'AuthError',
    reason: 'locked',
    status: 423,
  });
});

test('a 401 from a private endpoint is AuthError invalid_token, so the session is renewed', (t) => {
  t.like(mapMoneyNsError('api')(response(401, { error: 'Unauthenticated' }), 'moneyns'), {
    _tag: 'AuthError',
    reason: 'invalid_token',
    status: 401,
  });
});

test('a 423 from a private endpoint is AuthError locked', (t) => {
  t.like(mapMoneyNsError('api')(response(423, { error: 'Account locked' }), 'moneyns'), { _tag: 'AuthError', reason: 'locked' });
});

test('any other {error} answer is a ProviderError carrying the message', (t) => {
  const error = mapMoneyNsError('login')(response(400, { error: 'The email field is required.' }), 'moneyns');
  t.deepEqual(error, {
    _tag: 'ProviderError',
    provider: 'moneyns',
    status: 400,
    retryable: false,
    message: 'MoneyNS answered 400 (MoneyNS: The email field is required.)',
    details: { error: 'The email field is required.' },
  });
});

test('a 500 is a retryable ProviderError', (t) => {
  t.like(mapMoneyNsError('api')(response(500, { error: 'Server Error' }), 'moneyns'), {
    _tag: 'ProviderError',
    status: 500,
    retryable: true,
  });
});

test('a body that is not {error} gives a ProviderError without provider text', (t) => {
  const error = mapMoneyNsError('api')(response(404, '<html>Not Found</html>'), 'moneyns');
  t.deepEqual(error, {
    _tag: 'ProviderError',
    provider: 'moneyns',
    status: 404,
    retryable: false,
    message: 'MoneyNS answered 404',
  });
});

test('a very long provider message is cut short', (t) => {
  const error = mapMoneyNsError('login')(response(403, { error: 'x'.repeat(5000) }), 'moneyns');
  t.true(error.message.length < 300);
});

test('the record’s error texts map by status: 401 inactive, 403 bad credentials, 423 locked', (t) => {
  const login = mapMoneyNsError('login');
  t.like(login(response(401, { error: 'The account is inactive.' }), 'moneyns'), { _tag: 'AuthError', reason: 'inactive' });
  t.like(login(response(403, { error: 'The provided credentials are incorrect.' }), 'moneyns'), {
    _tag: 'AuthError',
    reason: 'bad_credentials',
    message: 'MoneyNS refused the login: bad credentials (MoneyNS: The provided credentials are incorrect.)',
  });
  t.like(login(response(423, { error: 'The account is locke' }), 'moneyns'), { _tag: 'AuthError', reason: 'locked' });
});

test('a private endpoint answered 403 ("User … is forbidden") is AuthError forbidden, not a session problem', (t) => {
  const error = mapMoneyNsError('api')(response(403, { error: 'User 66de494e is forbidden' }), 'moneyns');
  t.like(error, { _tag: 'AuthError', reason: 'forbidden', status: 403 });
  t.regex(error.message, /User 66de494e is forbidden/);
});
