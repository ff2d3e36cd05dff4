import test from 'ava';
import { environmentOf, run, sandboxFor, writeConfig } from './_setup.js';

test('monerium v2 is chosen by "apiVersion" in the config: v2 requests with the v2 Accept header', async (t) => {
  const sandbox = await sandboxFor(t);
  const env = await environmentOf(t, sandbox);
  const config = writeConfig(t, {
    use: 'monerium',
    providers: {
      monerium: {
        apiVersion: 'v2',
        environment: { baseUrl: { env: 'MONERIUM_BASE_URL' } },
        auth: { kind: 'client_credentials', clientId: { env: 'MONERIUM_V2_CLIENT_ID' }, clientSecret: { env: 'MONERIUM_V2_CLIENT_SECRET' } },
      },
    },
  });
  sandbox.admin.clearRequests();
  const result = await run([config], env);
  t.is(result.code, 0, result.stderr);
  t.true(result.stdout.startsWith('provider:     monerium\ncapabilities: balances, payments, pay, watch\nbalances:\n'));
  const requests = sandbox.admin.requests();
  t.is(requests[0]?.path, '/auth/token');
  t.true(requests.some((r) => r.path === '/addresses'));
  t.true(requests.some((r) => r.path.startsWith('/balances/')));
  t.true(requests.some((r) => r.path === '/orders'));
  for (const r of requests.filter((r) => r.path !== '/auth/token')) t.is(r.headers.accept, 'application/vnd.monerium.api-v2+json');
});
