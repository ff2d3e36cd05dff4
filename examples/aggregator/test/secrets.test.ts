import type { Sandbox } from '@paygate/sandbox';
import test, { type ExecutionContext } from 'ava';
import type { SandboxEnvironment } from '../src/sandbox-env.js';
import { environmentOf, type Run, run, sandboxConfigUsing, sandboxFor } from './_setup.js';

const pemBody = (pem: string): string[] => pem.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----'));

/**
 * Everything secret this run could have seen: the seeded credentials and keys, the variables
 * handed to the program, and every token the sandbox received in a header or a form body.
 */
const secretsOf = (sandbox: Sandbox, env: SandboxEnvironment, extra: ReadonlyArray<string> = []): string[] => {
  const { monerium, moneybutton, moneyns } = sandbox.fixtures;
  const seen = sandbox.admin.requests().flatMap((request) => {
    const headers = [request.headers.authorization, request.headers.token]
      .filter((value): value is string => value !== undefined)
      .map((value) => value.replace(/^(Bearer|Basic) /i, ''));
    const form = request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')
      ? [...new URLSearchParams(request.body).entries()].filter(([key]) => key !== 'grant_type' && key !== 'scope').map(([, value]) => value)
      : [];
    return [...headers, ...form];
  });
  return [
    monerium.clients.confidential.clientSecret,
    ...monerium.users.map((user) => user.password),
    ...monerium.addresses.map((address) => address.privateKey),
    moneybutton.app.clientSecret,
    moneybutton.app.webhookSecret,
    moneybutton.otherApp.clientSecret,
    ...moneybutton.users.map((user) => user.password),
    ...Object.values(moneyns.users).map((user) => user.password),
    ...pemBody(moneyns.platform.privateKeyPem),
    env.MONERIUM_CLIENT_SECRET ?? '',
    env.MONEYBUTTON_REFRESH_TOKEN ?? '',
    ...pemBody(env.MONEYNS_PLATFORM_KEY ?? ''),
    ...seen,
    ...extra,
  ].filter((secret) => secret.length >= 6);
};

const assertNoSecret = (t: ExecutionContext, result: Run, secrets: ReadonlyArray<string>): void => {
  const output = result.stdout + result.stderr;
  const leaked = secrets.filter((secret) => output.includes(secret));
  t.deepEqual(leaked, [], 'no secret appears in stdout or stderr');
};

test('the reports of all three providers print no secret, key or token', async (t) => {
  const sandbox = await sandboxFor(t);
  const env = await environmentOf(t, sandbox);
  const results: Run[] = [];
  for (const use of ['monerium', 'moneybutton', 'moneyns']) results.push(await run([sandboxConfigUsing(t, use)], env));

  t.deepEqual(
    results.map((result) => result.code),
    [0, 0, 0],
  );
  const secrets = secretsOf(sandbox, env);
  const bearer = sandbox.admin.requests().find((r) => r.provider === 'monerium' && r.path === '/balances')?.headers.authorization;
  t.true(bearer !== undefined && secrets.includes(bearer.replace(/^Bearer /, '')), 'the access tokens sent are among the secrets searched for');
  for (const result of results) assertNoSecret(t, result, secrets);
});

test('a client secret Monerium refuses is not printed', async (t) => {
  const sandbox = await sandboxFor(t);
  const env = await environmentOf(t, sandbox);
  const wrongSecret = 'wrong-partner-secret-7f3a9c';

  const result = await run([sandboxConfigUsing(t, 'monerium')], { ...env, MONERIUM_CLIENT_SECRET: wrongSecret });

  t.is(result.code, 1);
  t.regex(result.stdout, /\nbalances: failed: AuthError invalid_client\b/);
  assertNoSecret(t, result, secretsOf(sandbox, env, [wrongSecret]));
});

test('a refresh token Money Button revoked is not printed', async (t) => {
  const sandbox = await sandboxFor(t);
  const env = await environmentOf(t, sandbox);
  sandbox.admin.moneybutton.revokeAll();

  const result = await run([sandboxConfigUsing(t, 'moneybutton')], env);

  t.is(result.code, 1);
  t.regex(result.stdout, /\nbalances: failed: AuthError /);
  assertNoSecret(t, result, secretsOf(sandbox, env));
});

test('a config error prints the variable name, never a value', async (t) => {
  const sandbox = await sandboxFor(t);
  const env = await environmentOf(t, sandbox);
  const { MONERIUM_CLIENT_ID: _dropped, ...withoutClientId } = env;

  const result = await run([sandboxConfigUsing(t, 'monerium')], withoutClientId);

  t.is(result.code, 1);
  t.true(result.stderr.endsWith(': providers.monerium.auth.clientId: environment variable MONERIUM_CLIENT_ID is not set\n'));
  assertNoSecret(t, result, secretsOf(sandbox, env));
});
