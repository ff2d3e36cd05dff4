import type { GatewayError } from '@paygate/core';
import test from 'ava';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { client, left, listen, requestsTo, right, signIn, startMoneyButton } from './_setup.js';

test('each endpoint without its scope is AuthError insufficient_scope naming the scope, with no refresh', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox, { scope: ['auth.user_identity:read'] });
  const [alice] = sandbox.fixtures.moneybutton.users;
  const cases: ReadonlyArray<readonly [string, TE.TaskEither<GatewayError, unknown>]> = [
    ['users.profiles:read', mb.userProfile(alice.id)],
    ['users.balance:read', mb.userBalance(alice.id)],
    ['payments:read', mb.payments()],
    ['payments:read', mb.payment('10001')],
    ['users.balance:read', mb.walletBalances('active')],
    ['payments:read', mb.paymentsV2()],
    ['payments:read', mb.paymentHistory()],
    ['payments:read', mb.paymentV2('10001')],
    ['users.asset:read', mb.assets()],
    ['users.asset:write', mb.createAsset({ name: 'Abcde', initialSupply: 1 })],
    ['users.asset:write', mb.updateAsset('501', { name: 'Bcdef' })],
  ];
  for (const [scope, task] of cases) {
    t.like(await left(t, task), { _tag: 'AuthError', reason: 'insufficient_scope', status: 403, scope }, scope);
  }
  t.is(requestsTo(sandbox, '/oauth/v1/token').length, 0, 'a missing scope is not fixed by refreshing');
  t.is(requestsTo(sandbox).length, cases.length);
  t.like(await right(t, mb.userIdentity()), { id: alice.id });
});

test('a 403 JSON:API body naming a scope, without a Bearer challenge, is AuthError forbidden: only the challenge says insufficient_scope', async (t) => {
  const server = await listen(t, (req, res) => {
    res.statusCode = 403;
    res.setHeader('content-type', 'application/vnd.api+json');
    res.end(
      JSON.stringify({
        errors: [{ id: 'e-1', status: '403', title: 'Forbidden', detail: 'This request requires the scope users.balance:read' }],
        jsonapi: { version: '1.0' },
      }),
    );
    req.resume();
  });
  const mb = client(t, { baseUrl: server.url, clientId: 'app', scope: [] });
  await right(t, mb.session.setTokens({ accessToken: 'token-1', tokenType: 'Bearer', extra: {} }));
  const error = await left(t, mb.userBalance('1040'));
  t.like(error, { _tag: 'AuthError', reason: 'forbidden', status: 403 });
});

test('a bare 401 without a challenge is treated as a refused token: refreshed once and retried', async (t) => {
  let calls = 0;
  const server = await listen(t, (req, res) => {
    req.resume();
    if (req.url?.startsWith('/oauth/v1/token') === true) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: 'token-2', token_type: 'Bearer', expires_in: 3600, scope: 'auth.user_identity:read' }));
      return;
    }
    calls += 1;
    const ok = req.headers.authorization === 'Bearer token-2';
    res.statusCode = ok ? 200 : 401;
    res.setHeader('content-type', 'application/vnd.api+json');
    res.end(
      JSON.stringify(
        ok
          ? { data: { type: 'user_identities', id: '7', attributes: { id: '7', name: 'Seven' } } }
          : { errors: [{ id: 'e', status: '401', title: 'Unauthorized', detail: 'Bad token' }] },
      ),
    );
  });
  const mb = client(t, { baseUrl: server.url, clientId: 'app', scope: [] });
  await right(t, mb.session.setTokens({ accessToken: 'token-1', tokenType: 'Bearer', extra: {}, refreshToken: 'r-1' }));
  t.deepEqual(await right(t, mb.userIdentity()), { id: '7', name: 'Seven' });
  t.is(calls, 2);
});
