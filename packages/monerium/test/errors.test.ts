import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import test, { type ExecutionContext } from 'ava';
import { basicClient, left, partnerClient, pkceClient, signIn, startMonerium, newClient } from './_sandbox.js';

/** A stand-in for Monerium that answers every request with one canned response. */
const cannedServer = async (t: ExecutionContext, status: number, body: string, contentType = 'application/json; charset=utf-8') => {
  const server: Server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': contentType });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return newClient({
    environment: { baseUrl: `http://127.0.0.1:${port}` },
    auth: { kind: 'basic', email: 'user@example.com', password: 'password' },
  });
};

test('400 validation errors become ProviderError with the per-field errors in details', async (t) => {
  const sandbox = await startMonerium(t);
  const error = await left(t, basicClient(sandbox).orders({ limit: 5, cursor: 'no-such-cursor' }));
  t.like(error, { _tag: 'ProviderError', provider: 'monerium', status: 400, code: 'Bad Request', retryable: false });
  t.like(error._tag === 'ProviderError' ? error.details : undefined, { errors: { cursor: 'Unknown cursor' } });
  t.regex(error.message, /Validation errors/);
});

test('401 on Basic credentials is AuthError bad_credentials', async (t) => {
  const client = await cannedServer(t, 401, JSON.stringify({ code: 401, status: 'Unauthorized', message: 'Not authenticated' }));
  t.like(await left(t, client.orders()), { _tag: 'AuthError', reason: 'bad_credentials', status: 401 });
});

test('the documented 400 "Incorrect username or password" on Basic credentials is AuthError bad_credentials', async (t) => {
  const client = await cannedServer(t, 400, JSON.stringify({ code: 400, status: 'Bad Request', message: 'Incorrect username or password' }));
  t.like(await left(t, client.orders()), { _tag: 'AuthError', reason: 'bad_credentials', status: 400 });
});

test('401 on a Bearer token that cannot be renewed ends the session as AuthError', async (t) => {
  const sandbox = await startMonerium(t);
  const token = 'not-a-real-access-token-123';
  const client = newClient({
    environment: { baseUrl: sandbox.urls.monerium },
    auth: { kind: 'tokens', tokens: { accessToken: token, tokenType: 'Bearer', extra: {} } },
  });
  const error = await left(t, client.orders());
  t.like(error, { _tag: 'AuthError', reason: 'session_expired' });
  t.false(JSON.stringify(error).includes(token));
});

test('403 "User … is forbidden" without a scope challenge is AuthError forbidden with status 403', async (t) => {
  const sandbox = await startMonerium(t);
  const other = sandbox.fixtures.monerium.users[1]?.defaultProfile ?? '';
  const error = await left(t, basicClient(sandbox, 0).profile(other));
  t.like(error, { _tag: 'AuthError', reason: 'forbidden', status: 403 });
  t.regex(error.message, /forbidden/);
});

test('403 with an RFC 6750 insufficient_scope challenge names the missing scope', async (t) => {
  const sandbox = await startMonerium(t);
  const client = pkceClient(sandbox, { scope: 'orders:read' });
  await signIn(t, sandbox, client);
  const error = await left(t, client.uploadSupportingDocument({ filename: 'a.pdf', contentType: 'application/pdf', data: new Uint8Array([1]) }));
  t.like(error, { _tag: 'AuthError', reason: 'insufficient_scope', status: 403, scope: 'orders:write' });
});

test('404 for a missing order is ProviderError with the documented details', async (t) => {
  const sandbox = await startMonerium(t);
  const id = '9158065a-6a8b-11eb-9376-a683e7c51eb8';
  const error = await left(t, partnerClient(sandbox).order(id));
  t.like(error, {
    _tag: 'ProviderError',
    status: 404,
    code: 'Not Found',
    retryable: false,
    details: { id, resource: 'order' },
  });
  t.regex(error.message, /Order not found/);
});

test('500 with errorId (the documented example) is a retryable ProviderError carrying the errorId', async (t) => {
  const client = await cannedServer(
    t,
    500,
    JSON.stringify({ code: 500, status: 'Internal Server Error', message: 'Unknown error', errorId: '7326c964-6e23-11eb-98d8-acde48001122' }),
  );
  t.like(await left(t, client.tokens()), {
    _tag: 'ProviderError',
    provider: 'monerium',
    status: 500,
    code: 'Internal Server Error',
    errorId: '7326c964-6e23-11eb-98d8-acde48001122',
    retryable: true,
  });
});

test('a 500 from the sandbox fault is a retryable ProviderError', async (t) => {
  const sandbox = await startMonerium(t);
  sandbox.admin.faults.set([{ provider: 'monerium', route: 'GET /tokens', kind: 'status', status: 500 }]);
  t.like(await left(t, basicClient(sandbox).tokens()), { _tag: 'ProviderError', status: 500, code: 'Internal Server Error', retryable: true });
});

test('an error body of another shape is a ProviderError with just the status', async (t) => {
  const client = await cannedServer(t, 418, '<html>teapot</html>', 'text/html');
  const error = await left(t, client.tokens());
  t.like(error, { _tag: 'ProviderError', status: 418, retryable: false });
  t.is(error._tag === 'ProviderError' ? error.code : 'x', undefined);
});

test('a 2xx body that breaks the documented shape is a DecodeError naming the path', async (t) => {
  const sandbox = await startMonerium(t);
  const client = basicClient(sandbox);
  sandbox.admin.faults.set([{ provider: 'monerium', route: 'GET /auth/context', kind: 'bad-shape' }]);
  t.like(await left(t, client.authContext()), { _tag: 'DecodeError', provider: 'monerium' });
  sandbox.admin.faults.set([{ provider: 'monerium', route: 'GET /tokens', kind: 'malformed-json' }]);
  t.like(await left(t, client.tokens()), { _tag: 'DecodeError', provider: 'monerium' });
});

test('a redeem order with a wrong state in a 2xx answer is a DecodeError at that path', async (t) => {
  const order = {
    id: 'o1',
    profile: 'p1',
    kind: 'redeem',
    address: '0x61d1Df91F98282e5AdC8224943E0336Ec8612d66',
    amount: '1',
    currency: 'eur',
    counterpart: { identifier: { standard: 'iban', iban: 'GR16' }, details: {} },
    meta: { state: 'exploded', placedBy: 'u', placedAt: '2021-02-13T14:30:22.035561Z' },
  };
  const client = await cannedServer(t, 200, JSON.stringify(order));
  t.like(await left(t, client.order('o1')), { _tag: 'DecodeError', path: 'meta.state' });
});
