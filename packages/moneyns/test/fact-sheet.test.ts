import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test, { type ExecutionContext } from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { type CheckoutTokenInput, checkoutTokenClaims, createMoneyNsClient, type MoneyNsClient } from '../src/index.js';

/** Every example body of moneyns-public.md (see __fixtures__/README.md), decoded as a server would send it. */
const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

/** A MoneyNS stand-in answering every login with one recorded body. */
const answering = async (t: ExecutionContext, status: number, body: string): Promise<MoneyNsClient> => {
  const server = http.createServer((req, res) => {
    req.resume();
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  const created = createMoneyNsClient({
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    auth: { email: 'john@email.com', password: 'secret password' },
    http: { timeoutMs: 5_000 },
  });
  if (E.isLeft(created)) throw new Error(created.left.message);
  return created.right;
};

for (const name of ['login-200.json', 'login-200-authentication-page.json', 'login-200-older.json']) {
  test(`the login answer ${name} decodes into a 14-day session`, async (t) => {
    const client = await answering(t, 200, fixture(name));
    const session = await client.session()();
    if (E.isLeft(session)) return t.fail(session.left.message);
    const { data } = JSON.parse(fixture(name)) as { data: Record<string, unknown> };
    t.like(session.right, { id: data.id, userId: data.userId, ttl: 1_209_600, created: data.created });
    t.is(session.right.until, data.until as string | undefined);
    if (data.until !== undefined) {
      t.true(Math.abs(Date.parse(String(data.until)) - Date.parse(String(data.created)) - 1_209_600_000) < 1_000, 'until = created + 14 days');
    }
  });
}

const refusals: ReadonlyArray<[string, number, string, RegExp]> = [
  ['error-401.json', 401, 'inactive', /The account is inactive\./],
  ['error-403.json', 403, 'bad_credentials', /The provided credentials are incorrect\./],
  ['error-423.json', 423, 'locked', /The account is locke/],
];

for (const [name, status, reason, text] of refusals) {
  test(`the error body ${name} is AuthError ${reason} carrying the provider's text`, async (t) => {
    const client = await answering(t, status, fixture(name));
    const session = await client.session()();
    t.like(session, { _tag: 'Left', left: { _tag: 'AuthError', reason, status } });
    t.regex(E.isLeft(session) ? session.left.message : '', text);
  });
}

test('the older generation’s 400 {message, errors} keeps its message', async (t) => {
  const client = await answering(t, 400, fixture('error-400-older.json'));
  const session = await client.session()();
  t.like(session, { _tag: 'Left', left: { _tag: 'ProviderError', status: 400, details: { error: 'jwt must be provided' } } });
});

for (const [name, kind] of [
  ['checkout-purchase.json', 'purchase'],
  ['checkout-invoice.json', 'invoice'],
] as const) {
  test(`the checkout payload ${name} is accepted by the builder as a ${kind} and signed as given, plus expire`, (t) => {
    const payload = JSON.parse(fixture(name)) as Record<string, unknown>;
    const claims = checkoutTokenClaims({ kind, ...payload } as CheckoutTokenInput, 1_700_000_000_000);
    t.deepEqual(claims, E.right({ ...payload, expire: 1_700_003_600 }));
  });
}
