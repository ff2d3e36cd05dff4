import { inspect } from 'node:util';
import type { HttpResponse } from '@paygate/core';
import test from 'ava';
import { mapMoneyButtonError } from '../src/index.js';
import { client, left, listen, right, signIn, startMoneyButton } from './_setup.js';

const response = (status: number, body: unknown, isJson = true): HttpResponse => ({ status, headers: {}, body, isJson });

test('a JSON:API error document becomes a ProviderError with the first error’s code, title and id, and all errors in details', (t) => {
  const errors = [
    { id: 'a1', status: '422', code: 'amount_too_low', title: 'Unprocessable Entity', detail: 'amount must be at least 0.01' },
    { id: 'a2', status: '422', title: 'Unprocessable Entity', detail: 'currency is not supported' },
  ];
  const error = mapMoneyButtonError(response(422, { errors, jsonapi: { version: '1.0' } }), 'moneybutton');
  t.deepEqual(error, {
    _tag: 'ProviderError',
    provider: 'moneybutton',
    status: 422,
    retryable: false,
    code: 'amount_too_low',
    errorId: 'a1',
    details: { errors },
    message: 'moneybutton answered 422: Unprocessable Entity — amount must be at least 0.01',
  });
});

test('without a code, the title is the ProviderError code; numeric ids and statuses are kept as strings', (t) => {
  const error = mapMoneyButtonError(response(404, { errors: [{ id: 7, status: 404, title: 'Not Found', detail: 'Payment 1 not found' }] }), 'moneybutton');
  t.like(error, { _tag: 'ProviderError', status: 404, code: 'Not Found', errorId: '7', details: { errors: [{ id: '7', status: '404' }] } });
});

test('a 5xx is a retryable ProviderError; a body that is not JSON:API keeps only the status', (t) => {
  t.like(mapMoneyButtonError(response(500, '<html>oops</html>', false), 'moneybutton'), {
    _tag: 'ProviderError',
    status: 500,
    retryable: true,
    message: 'moneybutton answered 500',
  });
  const error = mapMoneyButtonError(response(409, { message: 'conflict' }), 'moneybutton');
  t.like(error, { _tag: 'ProviderError', status: 409, retryable: false });
  t.false('code' in error);
  t.false('details' in error);
});

test('a 403 without a scope challenge is AuthError forbidden, even when its text names a scope', (t) => {
  const forbidden = (detail: string) =>
    mapMoneyButtonError(response(403, { errors: [{ id: 'x', status: '403', title: 'Forbidden', detail }] }), 'moneybutton');
  t.like(forbidden('User 1040 is forbidden: a balance can only be read by its owner'), {
    _tag: 'AuthError',
    reason: 'forbidden',
    status: 403,
    message: 'moneybutton answered 403: Forbidden — User 1040 is forbidden: a balance can only be read by its owner',
  });
  t.like(forbidden('This request requires the scope users.asset:write'), { _tag: 'AuthError', reason: 'forbidden' });
  t.like(mapMoneyButtonError(response(403, '<html>no</html>', false), 'moneybutton'), { _tag: 'AuthError', reason: 'forbidden' });
});

test('a 403 with the RFC 6750 insufficient_scope challenge stays insufficient_scope; another user’s balance is forbidden', async (t) => {
  const server = await listen(t, (req, res) => {
    req.resume();
    res.statusCode = 403;
    res.setHeader('www-authenticate', 'Bearer error="insufficient_scope", scope="users.balance:read"');
    res.setHeader('content-type', 'application/vnd.api+json');
    res.end(JSON.stringify({ errors: [{ id: 'e', status: '403', title: 'Forbidden', detail: 'scope' }] }));
  });
  const mb = client(t, { baseUrl: server.url, clientId: 'app', scope: [] });
  await right(t, mb.session.setTokens({ accessToken: 'token-1', tokenType: 'Bearer', extra: {} }));
  t.like(await left(t, mb.userBalance('1040')), { _tag: 'AuthError', reason: 'insufficient_scope', scope: 'users.balance:read' });

  const sandbox = await startMoneyButton(t);
  const { client: alice } = await signIn(t, sandbox);
  const [, bob] = sandbox.fixtures.moneybutton.users;
  t.like(await left(t, alice.userBalance(bob.id)), { _tag: 'AuthError', reason: 'forbidden', status: 403 });
});

test('a provider echoing the access token in its error body does not put it in the error', async (t) => {
  const token = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.secret-token-value';
  const server = await listen(t, (req, res) => {
    req.resume();
    res.statusCode = 400;
    res.setHeader('content-type', 'application/vnd.api+json');
    res.end(
      JSON.stringify({
        errors: [{ id: 'e', status: '400', title: 'Bad Request', detail: `Rejected ${req.headers.authorization ?? ''}` }],
      }),
    );
  });
  const mb = client(t, { baseUrl: server.url, clientId: 'app', scope: [] });
  await right(t, mb.session.setTokens({ accessToken: token, tokenType: 'Bearer', extra: {} }));
  const error = await left(t, mb.userIdentity());
  t.like(error, { _tag: 'ProviderError', status: 400 });
  t.false(JSON.stringify(error).includes(token));
  t.false(inspect(error, { depth: 10 }).includes(token));
});
