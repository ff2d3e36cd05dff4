import test from 'ava';
import Fastify from 'fastify';
import { isValidIBAN } from 'ibantools';
import { privateKeyToAccount } from 'viem/accounts';
import { LINK_MESSAGE } from '../src/index.js';
import { createMoneriumEmulator } from '../src/monerium/index.js';
import { createRandom } from '../src/random.js';
import { basic, bearer, call, startMonerium, userTokens } from './_monerium.js';

test('Basic auth with email and password reads orders, as in the documented curl example', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const alice = sandbox.fixtures.monerium.users[0]!;
  const answer = await call(sandbox, '/orders', { auth: basic(alice) });
  t.is(answer.status, 200);
  t.regex(answer.headers.get('content-type') ?? '', /^application\/json; charset=utf-8/);
  t.true(Array.isArray(answer.body));
});

test('missing or wrong credentials are 401 in the documented error shape', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const alice = sandbox.fixtures.monerium.users[0]!;
  const none = await call(sandbox, '/orders');
  t.is(none.status, 401);
  t.is(none.headers.get('www-authenticate'), 'Bearer realm="monerium"');
  t.like(none.body, { code: 401, status: 'Unauthorized' });
  const wrong = await call(sandbox, '/orders', { auth: basic({ email: alice.email, password: 'nope' }) });
  t.is(wrong.status, 401);
  t.deepEqual(wrong.body, { code: 401, status: 'Unauthorized', message: 'Incorrect username or password' });
  t.false(wrong.text.includes(alice.password));
  const garbage = await call(sandbox, '/orders', { auth: 'Bearer ' });
  t.is(garbage.status, 401);
});

test('the auth context has the documented shape', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const bob = sandbox.fixtures.monerium.users[1]!;
  const answer = await call(sandbox, '/auth/context', { auth: basic(bob) });
  t.is(answer.status, 200);
  t.deepEqual(Object.keys(answer.body as object), ['userId', 'email', 'name', 'roles', 'auth', 'defaultProfile', 'profiles']);
  t.like(answer.body, {
    userId: bob.userId,
    email: bob.email,
    roles: [],
    auth: { method: 'password', subject: bob.email, verified: true },
    defaultProfile: bob.defaultProfile,
  });
  const profiles = (answer.body as { profiles: Array<{ id: string; type: string; name: string; perms: string[] }> }).profiles;
  t.deepEqual(
    profiles.map((p) => p.id),
    bob.profiles.map((p) => p.id),
  );
  t.is(profiles[0]?.type, 'corporate');
  t.deepEqual(profiles[0]?.perms, ['read', 'write']);
});

test('a profile has the documented shape with valid IBANs', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const [alice, bob] = sandbox.fixtures.monerium.users;
  const personal = await call(sandbox, `/profiles/${alice!.defaultProfile}`, { auth: basic(alice!) });
  t.is(personal.status, 200);
  t.like(personal.body, { id: alice!.defaultProfile, name: 'Alice Andersen', kyc: { state: 'confirmed', outcome: 'approved' } });
  const corporate = await call(sandbox, `/profiles/${bob!.defaultProfile}`, { auth: basic(bob!) });
  t.like(corporate.body, { name: 'ACME INC', kind: 'corporate' });
  type Account = { address: string; currency: string; standard?: string; iban?: string; sortCode?: string; accountNumber?: string };
  const accounts = [...(personal.body as { accounts: Account[] }).accounts, ...(corporate.body as { accounts: Account[] }).accounts];
  const ibans = accounts.filter((a) => a.standard === 'iban');
  t.true(ibans.length >= 3);
  for (const account of ibans) t.true(isValidIBAN(account.iban ?? ''), account.iban);
  t.true(accounts.some((a) => a.standard === 'scan' && /^\d{6}$/.test(a.sortCode ?? '') && /^\d{8}$/.test(a.accountNumber ?? '')));
  t.true(accounts.some((a) => a.standard === undefined && a.iban === undefined), 'an account without bank details');
  t.deepEqual(personal.body, sandbox.fixtures.monerium.profiles[0]);
});

test("another user's profile is 403 and an unknown one the documented 404", async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const [alice, bob] = sandbox.fixtures.monerium.users;
  const foreign = await call(sandbox, `/profiles/${bob!.defaultProfile}`, { auth: basic(alice!) });
  t.is(foreign.status, 403);
  t.deepEqual(Object.keys(foreign.body as object), ['code', 'status', 'message']);
  t.like(foreign.body, { code: 403, status: 'Forbidden' });
  const id = '9158065a-6a8b-11eb-9376-a683e7c51eb8';
  const missing = await call(sandbox, `/profiles/${id}`, { auth: basic(alice!) });
  t.deepEqual(missing.body, { code: 404, status: 'Not Found', message: `Profile not found: ${id}`, details: { id, resource: 'profile' } });
});

test('GET /profiles lists the caller profiles with id, name and kind', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const bob = sandbox.fixtures.monerium.users[1]!;
  const answer = await call(sandbox, '/profiles', { auth: basic(bob) });
  t.deepEqual(answer.body, [
    { id: bob.profiles[0]!.id, name: 'ACME INC', kind: 'corporate' },
    { id: bob.profiles[1]!.id, name: 'Bob Brown', kind: 'personal' },
  ]);
});

test('balances list every linked address and chain with its currencies', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const { users, balances: seeded, addresses } = sandbox.fixtures.monerium;
  const alice = users[0]!;
  const mine = await call(sandbox, '/balances', { auth: basic(alice) });
  const byProfile = await call(sandbox, `/profiles/${alice.defaultProfile}/balances`, { auth: basic(alice) });
  t.is(mine.status, 200);
  t.deepEqual(mine.body, byProfile.body);
  type Entry = { id: string; address: string; chain: string; network: string; balances: Array<{ currency: string; amount: string }> };
  const entries = mine.body as Entry[];
  const own = addresses.filter((a) => a.profile === alice.defaultProfile);
  t.is(entries.length, own.reduce((n, a) => n + a.chains.length, 0));
  for (const entry of entries) {
    t.deepEqual(Object.keys(entry), ['id', 'address', 'chain', 'network', 'balances']);
    t.regex(entry.id, /^[0-9a-f-]{36}$/);
    t.is(entry.network, sandbox.fixtures.monerium.networks[entry.chain as 'ethereum']);
    for (const balance of entry.balances) {
      const fixture = seeded.find((b) => b.address === entry.address && b.chain === entry.chain && b.currency === balance.currency);
      t.is(fixture?.amount, balance.amount);
      t.regex(balance.amount, /^\d+(\.\d{1,2})?$/);
    }
  }
  const empty = await call(sandbox, `/profiles/${users[1]!.profiles[1]!.id}/balances`, { auth: basic(users[1]!) });
  t.deepEqual(empty.body, []);
});

test('tokens are the documented list', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const answer = await call(sandbox, '/tokens', { auth: basic(sandbox.fixtures.monerium.users[0]!) });
  t.deepEqual(answer.body, [
    { currency: 'eur', ticker: 'EUR', symbol: 'EURe', chain: 'ethereum', network: 'rinkeby', address: '0x25c13fc529dc4afe4d488bd1f2ee5e1ec4918e0b', decimals: 18 },
    { currency: 'gbp', ticker: 'GBP', symbol: 'GBPe', chain: 'ethereum', network: 'rinkeby', address: '0x01df10e345d0364d3a5b8422a66af6305803bd1e', decimals: 18 },
    { currency: 'isk', ticker: 'ISK', symbol: 'ISKe', chain: 'ethereum', network: 'rinkeby', address: '0x0c9d7a0d8bf4bc9d15f577bbf650ebc8044a71db', decimals: 18 },
    { currency: 'usd', ticker: 'USD', symbol: 'USDe', chain: 'ethereum', network: 'rinkeby', address: '0x09c0a236e1227500f495cb0731c4af69b49639a5', decimals: 18 },
  ]);
});

test('an unknown endpoint is the documented 404', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const answer = await call(sandbox, '/does-not-exist?x=1');
  t.is(answer.status, 404);
  t.deepEqual(answer.body, {
    code: 404,
    status: 'Not Found',
    message: 'Endpoint not found: /does-not-exist',
    details: { id: '/does-not-exist', resource: 'endpoint' },
  });
});

test('a missing order is the documented 404', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const id = '9158065a-6a8b-11eb-9376-a683e7c51eb8';
  const answer = await call(sandbox, `/orders/${id}`, { auth: basic(sandbox.fixtures.monerium.users[0]!) });
  t.is(answer.status, 404);
  t.deepEqual(answer.body, { code: 404, status: 'Not Found', message: `Order not found: ${id}`, details: { id, resource: 'order' } });
});

test('malformed, non-UTF-8 and oversized bodies get well-formed 400 and 413 errors', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const auth = basic(sandbox.fixtures.monerium.users[0]!);
  const malformed = await call(sandbox, '/orders', { method: 'POST', body: '{"kind":', auth });
  t.deepEqual(malformed.body, { code: 400, status: 'Bad Request', message: 'Request body is not valid JSON' });
  const latin1 = await call(sandbox, '/orders', { method: 'POST', body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]), headers: { 'content-type': 'application/json' }, auth });
  t.deepEqual(latin1.body, { code: 400, status: 'Bad Request', message: 'Request body is not valid UTF-8' });
  const huge = await call(sandbox, '/orders', { method: 'POST', body: `"${'a'.repeat(1024 * 1024 + 10)}"`, auth });
  t.is(huge.status, 413);
  t.like(huge.body, { code: 413, status: 'Payload Too Large' });
  const media = await call(sandbox, '/orders', { method: 'POST', body: 'x', headers: { 'content-type': 'text/csv' }, auth });
  t.is(media.status, 415);
  t.like(media.body, { code: 415 });
});

test('linking an address verifies the EIP-191 signature of the fixed message', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const alice = sandbox.fixtures.monerium.users[0]!;
  const wallet = privateKeyToAccount(`0x${'5a'.repeat(32)}`);
  const signature = await wallet.signMessage({ message: LINK_MESSAGE });
  const answer = await call(sandbox, `/profiles/${alice.defaultProfile}/addresses`, {
    method: 'POST',
    auth: basic(alice),
    body: JSON.stringify({ address: wallet.address.toLowerCase(), message: LINK_MESSAGE, signature, chain: 'gnosis', network: 'chiado' }),
  });
  t.is(answer.status, 201);
  t.like(answer.body, { profile: alice.defaultProfile, address: wallet.address, chains: ['gnosis'], state: 'linked', meta: { linkedBy: alice.userId } });
  const profile = await call(sandbox, `/profiles/${alice.defaultProfile}`, { auth: basic(alice) });
  t.true((profile.body as { accounts: Array<{ address: string; chain: string }> }).accounts.some((a) => a.address === wallet.address && a.chain === 'gnosis'));
  const balances = await call(sandbox, '/balances', { auth: basic(alice) });
  t.true((balances.body as Array<{ address: string; balances: Array<{ amount: string }> }>).some((b) => b.address === wallet.address && b.balances[0]?.amount === '0'));
});

test('linking rejects a wrong signer, an altered message and an address of another profile', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const alice = sandbox.fixtures.monerium.users[0]!;
  const wallet = privateKeyToAccount(`0x${'5b'.repeat(32)}`);
  const intruder = privateKeyToAccount(`0x${'5c'.repeat(32)}`);
  const link = (body: unknown) => call(sandbox, `/profiles/${alice.defaultProfile}/addresses`, { method: 'POST', auth: basic(alice), body: JSON.stringify(body) });
  const wrongSigner = await link({ address: wallet.address, message: LINK_MESSAGE, signature: await intruder.signMessage({ message: LINK_MESSAGE }) });
  t.deepEqual(wrongSigner.body, {
    code: 400,
    status: 'Bad Request',
    message: 'Validation errors',
    errors: { signature: 'The signature was not made by the address' },
  });
  const altered = `${LINK_MESSAGE} `;
  const alteredMessage = await link({ address: wallet.address, message: altered, signature: await wallet.signMessage({ message: altered }) });
  t.like(alteredMessage.body, { code: 400, errors: { message: `Must be exactly "${LINK_MESSAGE}"` } });
  const acme = sandbox.fixtures.monerium.addresses.find((a) => a.profile !== alice.defaultProfile)!;
  const owner = privateKeyToAccount(acme.privateKey);
  const taken = await link({ address: acme.address, message: LINK_MESSAGE, signature: await owner.signMessage({ message: LINK_MESSAGE }) });
  t.like(taken.body, { code: 400, errors: { address: 'The address is linked to another profile' } });
  const garbage = await link({ address: 'nope', message: LINK_MESSAGE, signature: '0x12', chain: 'bitcoin' });
  t.like(garbage.body, { errors: { address: 'Must be a 0x-prefixed 20-byte hex address', signature: 'Must be 0x followed by 130 hex characters', chain: 'Must be one of ethereum, gnosis, polygon' } });
});

test('linking needs write access to the profile', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const [alice, bob] = sandbox.fixtures.monerium.users;
  const other = await call(sandbox, `/profiles/${bob!.defaultProfile}/addresses`, { method: 'POST', auth: basic(alice!), body: '{}' });
  t.is(other.status, 403);
  const readOnly = await userTokens(sandbox);
  const scoped = await call(sandbox, `/profiles/${alice!.defaultProfile}/addresses`, { method: 'POST', auth: bearer(readOnly), body: '{}' });
  t.is(scoped.status, 403);
});

test('a supporting document upload returns the file object', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const alice = sandbox.fixtures.monerium.users[0]!;
  const body = new FormData();
  body.append('file', new Blob(['%PDF-1.4 invoice'], { type: 'application/pdf' }), 'invoice.pdf');
  const answer = await call(sandbox, '/files/supporting-documents', { method: 'POST', body, auth: basic(alice) });
  t.is(answer.status, 201);
  t.like(answer.body, { name: 'invoice.pdf', type: 'application/pdf', size: 16, meta: { uploadedBy: alice.userId } });
  t.regex((answer.body as { id: string }).id, /^[0-9a-f]{8}-[0-9a-f]{4}-4/);
  t.regex((answer.body as { hash: string }).hash, /^[0-9a-f]{64}$/);
  const recorded = sandbox.admin.requests().at(-1);
  t.true(recorded?.body.includes('%PDF-1.4 invoice'));
});

test('a supporting document upload without a file is a validation error', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const auth = basic(sandbox.fixtures.monerium.users[0]!);
  const body = new FormData();
  body.append('note', 'no file here');
  const answer = await call(sandbox, '/files/supporting-documents', { method: 'POST', body, auth });
  t.deepEqual(answer.body, { code: 400, status: 'Bad Request', message: 'Validation errors', errors: { file: 'This field is required' } });
  const json = await call(sandbox, '/files/supporting-documents', { method: 'POST', body: '{}', auth });
  t.is(json.status, 400);
  const broken = await call(sandbox, '/files/supporting-documents', {
    method: 'POST',
    body: 'not multipart at all',
    headers: { 'content-type': 'multipart/form-data; boundary=zzz' },
    auth,
  });
  t.deepEqual(broken.body, { code: 400, status: 'Bad Request', message: 'Malformed multipart body' });
});

test('an unexpected failure is the documented 500 with an errorId and no internal message', async (t) => {
  const emulator = createMoneriumEmulator({ clock: { now: () => Date.now() }, random: createRandom(1), baseUrl: () => '' }, {});
  const app = Fastify();
  t.teardown(async () => {
    await emulator.close();
    await app.close();
  });
  await app.register(
    async (scope) => {
      await emulator.plugin(scope);
      scope.get('/explode', async () => {
        throw new Error('internal detail');
      });
    },
    { prefix: '/monerium' },
  );
  const answer = await app.inject('/monerium/explode');
  t.is(answer.statusCode, 500);
  const body = answer.json<Record<string, unknown>>();
  t.deepEqual(Object.keys(body), ['code', 'status', 'message', 'errorId']);
  t.like(body, { code: 500, status: 'Internal Server Error', message: 'Unknown error' });
  t.regex(String(body.errorId), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.false(answer.body.includes('internal detail'));
});
