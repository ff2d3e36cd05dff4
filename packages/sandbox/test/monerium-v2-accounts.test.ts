import test from 'ava';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { MoneriumV2Iban, Sandbox } from '../src/index.js';
import { appTokens, bearer, startV2, userTokens, type V2Tokens, v2, startWithUsers } from './_monerium-v2.js';

const LINK = 'I hereby declare that I am the address owner.';

let sandbox: Sandbox;
let alice: V2Tokens;
let bob: V2Tokens;
test.before(async () => {
  ({ sandbox, alice, bob } = await startWithUsers());
});
test.after.always(() => sandbox.close());

const fx = () => sandbox.fixtures.monerium.v2;
const aliceProfile = () => fx().profiles[0]!.id;
const fresh = () => privateKeyToAccount(generatePrivateKey());

test('GET /addresses lists the caller’s addresses with their v2 chains and filters by profile and chain', async (t) => {
  const all = (await v2(sandbox, '/addresses', { auth: bearer(alice) })).body as { addresses: Array<{ profile: string; address: string; chains: string[] }> };
  const own = fx().addresses.filter((a) => a.profile === aliceProfile());
  t.deepEqual(
    all.addresses.filter((a) => own.some((o) => o.address === a.address)),
    own.map((a) => ({ profile: a.profile, address: a.address, chains: [...a.chains] })),
  );
  t.deepEqual(all.addresses[0]?.chains, ['sepolia', 'chiado']);
  const amoy = (await v2(sandbox, '/addresses?chain=amoy', { auth: bearer(alice) })).body as { addresses: Array<{ chains: string[] }> };
  t.true(amoy.addresses.length > 0 && amoy.addresses.every((a) => a.chains.includes('amoy')));
  // A production chain name is read as its sandbox twin.
  t.deepEqual((await v2(sandbox, '/addresses?chain=polygon', { auth: bearer(alice) })).body, amoy);
  t.deepEqual((await v2(sandbox, `/addresses?profile=${fx().profiles[1]!.id}`, { auth: bearer(alice) })).body, { addresses: [] });
  t.is((await v2(sandbox, '/addresses?chain=mumbai', { auth: bearer(alice) })).status, 400);
});

test('GET /addresses/{address} answers one address; another profile’s is 404', async (t) => {
  const a = fx().addresses[0]!;
  t.deepEqual((await v2(sandbox, `/addresses/${a.address}`, { auth: bearer(alice) })).body, { profile: a.profile, address: a.address, chains: [...a.chains] });
  t.is((await v2(sandbox, `/addresses/${a.address}`, { auth: bearer(bob) })).status, 404);
});

test('POST /addresses links an EOA on one chain with a personal_sign signature (201) and checks message and signature', async (t) => {
  const account = fresh();
  const signature = await account.signMessage({ message: LINK });
  const wrongMessage = await v2(sandbox, '/addresses', { method: 'POST', auth: bearer(alice), body: { address: account.address, chain: 'chiado', message: 'hello', signature } });
  t.is(wrongMessage.status, 400);
  t.truthy((wrongMessage.body as { errors: Record<string, string> }).errors.message);
  const other = await fresh().signMessage({ message: `${LINK} ` });
  const forged = await v2(sandbox, '/addresses', { method: 'POST', auth: bearer(alice), body: { address: account.address, chain: 'chiado', message: LINK, signature: other } });
  t.deepEqual(forged.body, { code: 400, status: 'Bad Request', message: 'Validation errors', errors: { signature: 'invalid signature' } });
  const linked = await v2(sandbox, '/addresses', { method: 'POST', auth: bearer(alice), body: { profile: aliceProfile(), address: account.address, chain: 'gnosis', message: LINK, signature } });
  t.is(linked.status, 201);
  t.like(linked.body, { profile: aliceProfile(), address: account.address, state: 'linked', meta: { linkedBy: fx().users[0]!.userId } });
  t.deepEqual((await v2(sandbox, `/addresses/${account.address}`, { auth: bearer(alice) })).body, { profile: aliceProfile(), address: account.address, chains: ['chiado'] });
  const body = JSON.parse(sandbox.admin.requests().filter((r) => r.path === '/addresses' && r.method === 'POST').at(-1)?.body ?? '{}');
  t.deepEqual(Object.keys(body).sort(), ['address', 'chain', 'message', 'profile', 'signature']);
  // Bob cannot link it to his profile now.
  const taken = await v2(sandbox, '/addresses', { method: 'POST', auth: bearer(bob), body: { address: account.address, chain: 'sepolia', message: LINK, signature } });
  t.is(taken.status, 400);
});

test.serial('a Safe with an on-chain signature ("0x") answers 202, waits in GET /signatures, and is linked once the signature lands', async (t) => {
  const safe = fx().safe;
  const answer = await v2(sandbox, '/addresses', { method: 'POST', auth: bearer(alice), body: { address: safe.address, chain: 'amoy', message: LINK, signature: '0x' } });
  t.is(answer.status, 202);
  t.deepEqual(answer.body, { code: 202, status: 'Accepted' });
  const pending = await v2(sandbox, `/signatures?address=${safe.address}&kind=linkAddress`, { auth: bearer(alice) });
  t.is(pending.headers.get('x-total-count'), '1');
  t.like(pending.body, { total: 1, pending: [{ kind: 'linkAddress', chain: 'amoy', address: safe.address, message: LINK }] });
  t.deepEqual((await v2(sandbox, '/signatures?kind=linkAddress', { auth: bearer(bob) })).body, { pending: [], total: 0 });
  sandbox.admin.monerium.v2.completeSignature(`link:${safe.address}:amoy`);
  t.deepEqual(((await v2(sandbox, `/addresses/${safe.address}`, { auth: bearer(alice) })).body as { chains: string[] }).chains, ['chiado', 'amoy']);
  t.like((await v2(sandbox, `/signatures?address=${safe.address}`, { auth: bearer(alice) })).body, { total: 0 });
});

test.serial('a Safe with its owners’ combined off-chain signatures is linked at once; one owner is not enough', async (t) => {
  const safe = fx().safe;
  const [one, two] = await Promise.all(safe.owners.map((o) => privateKeyToAccount(o.privateKey).signMessage({ message: LINK })));
  const half = await v2(sandbox, '/addresses', { method: 'POST', auth: bearer(alice), body: { address: safe.address, chain: 'sepolia', message: LINK, signature: one } });
  t.is(half.status, 400);
  const full = await v2(sandbox, '/addresses', { method: 'POST', auth: bearer(alice), body: { address: safe.address, chain: 'sepolia', message: LINK, signature: `${one}${two?.slice(2)}` } });
  t.is(full.status, 201);
});

test('GET /ibans and GET /ibans/{iban} (space-grouped, URL-encoded) answer the IBAN objects', async (t) => {
  const list = (await v2(sandbox, '/ibans', { auth: bearer(alice) })).body as { ibans: MoneriumV2Iban[] };
  const seeded = fx().ibans.find((i) => i.profile === aliceProfile())!;
  t.deepEqual(list.ibans, [seeded]);
  t.regex(seeded.iban, /^IS\d{2}( \d{4}){5} \d{2}$/);
  t.deepEqual(Object.keys(seeded).sort(), ['address', 'bic', 'chain', 'emailNotifications', 'iban', 'name', 'profile', 'state']);
  const one = await v2(sandbox, `/ibans/${encodeURIComponent(seeded.iban)}`, { auth: bearer(alice) });
  t.deepEqual(one.body, seeded);
  t.deepEqual(((await v2(sandbox, `/ibans?chain=${seeded.chain}`, { auth: bearer(alice) })).body as { ibans: unknown[] }).ibans.length, 1);
  t.is((await v2(sandbox, `/ibans/${encodeURIComponent(seeded.iban)}`, { auth: bearer(bob) })).status, 404);
});

test('POST /ibans answers 202, the IBAN stays requested until provisioned, then iban state is approved; a second request is 304', async (t) => {
  const own = await startV2({ monerium: { v2: { ibanProvisioningMs: 3_600_000 } } });
  t.teardown(() => own.close());
  const tokens = await appTokens(own, 'private');
  const bobPersonal = own.fixtures.monerium.v2.profiles[2]!;
  // ACME already has one: 304, nothing changes.
  const acme = own.fixtures.monerium.v2.addresses.find((a) => a.profile === own.fixtures.monerium.v2.profiles[1]!.id)!;
  const again = await v2(own, '/ibans', { method: 'POST', auth: bearer(tokens), body: { address: acme.address, chain: acme.chains[0] } });
  t.is(again.status, 304);
  // A new address for Alice's profile cannot get a second IBAN either; link one to a fresh profile through signup instead.
  t.not(bobPersonal.state, 'approved');
  const user = await userTokens(own, own.fixtures.monerium.v2.users[1]);
  const account = fresh();
  const signature = await account.signMessage({ message: LINK });
  t.is((await v2(own, '/addresses', { method: 'POST', auth: bearer(user), body: { profile: bobPersonal.id, address: account.address, chain: 'sepolia', message: LINK, signature } })).status, 201);
  const unapproved = await v2(own, '/ibans', { method: 'POST', auth: bearer(user), body: { address: account.address, chain: 'sepolia' } });
  t.is(unapproved.status, 400);
  own.admin.monerium.v2.approveProfile(bobPersonal.id);
  const requested = await v2(own, '/ibans', { method: 'POST', auth: bearer(user), body: { address: account.address, chain: 'sepolia', emailNotifications: false } });
  t.is(requested.status, 202);
  t.deepEqual(requested.body, { code: 202, status: 'Accepted' });
  const listed = ((await v2(own, `/ibans?profile=${bobPersonal.id}`, { auth: bearer(user) })).body as { ibans: MoneriumV2Iban[] }).ibans;
  t.like(listed[0], { state: 'requested', address: account.address, chain: 'sepolia', profile: bobPersonal.id, emailNotifications: false });
  t.is(own.admin.monerium.v2.provisionIbans(), 1);
  const after = ((await v2(own, `/ibans?profile=${bobPersonal.id}`, { auth: bearer(user) })).body as { ibans: MoneriumV2Iban[] }).ibans;
  t.is(after[0]?.state, 'approved');
  t.is((await v2(own, '/ibans', { method: 'POST', auth: bearer(user), body: { address: account.address, chain: 'sepolia' } })).status, 304);
});

test('with the default test delay of 0 a requested IBAN is approved on its own', async (t) => {
  const own = await startV2();
  t.teardown(() => own.close());
  const user = await userTokens(own, own.fixtures.monerium.v2.users[1]);
  const profile = own.fixtures.monerium.v2.profiles[2]!.id;
  own.admin.monerium.v2.approveProfile(profile);
  const account = fresh();
  await v2(own, '/addresses', { method: 'POST', auth: bearer(user), body: { profile, address: account.address, chain: 'amoy', message: LINK, signature: await account.signMessage({ message: LINK }) } });
  t.is((await v2(own, '/ibans', { method: 'POST', auth: bearer(user), body: { address: account.address, chain: 'amoy' } })).status, 202);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const ibans = ((await v2(own, `/ibans?profile=${profile}`, { auth: bearer(user) })).body as { ibans: MoneriumV2Iban[] }).ibans;
  t.is(ibans[0]?.state, 'approved');
});

test('PATCH /ibans/{iban} moves the IBAN to another linked address (200 {}); the same target is 304; another profile’s address is 400', async (t) => {
  const sandbox = await startV2();
  t.teardown(() => sandbox.close());
  const alice = await userTokens(sandbox);
  const fx = () => sandbox.fixtures.monerium.v2;
  const aliceProfile = () => fx().profiles[0]!.id;
  const seeded = fx().ibans.find((i) => i.profile === aliceProfile())!;
  const target = fx().addresses.find((a) => a.profile === aliceProfile() && a.address !== seeded.address)!;
  const path = `/ibans/${encodeURIComponent(seeded.iban)}`;
  const moved = await v2(sandbox, path, { method: 'PATCH', auth: bearer(alice), body: { address: target.address, chain: target.chains[0] } });
  t.is(moved.status, 200);
  t.deepEqual(moved.body, {});
  t.like((await v2(sandbox, path, { auth: bearer(alice) })).body, { address: target.address, chain: target.chains[0] });
  t.is((await v2(sandbox, path, { method: 'PATCH', auth: bearer(alice), body: { address: target.address, chain: target.chains[0] } })).status, 304);
  const acme = fx().addresses.find((a) => a.profile !== aliceProfile())!;
  t.is((await v2(sandbox, path, { method: 'PATCH', auth: bearer(alice), body: { address: acme.address, chain: acme.chains[0] } })).status, 400);
});

test('GET /balances/{chain}/{address} takes repeated currency (default eur) and answers {address, chain, balances}', async (t) => {
  const acme = fx().addresses.find((a) => a.profile === fx().profiles[1]!.id)!;
  const chain = acme.chains[0]!;
  const expected = (currency: string) => fx().balances.find((b) => b.address === acme.address && b.chain === chain && b.currency === currency)?.amount ?? '0';
  const both = await v2(sandbox, `/balances/${chain}/${acme.address}?currency=eur&currency=gbp`, { auth: bearer(bob) });
  t.deepEqual(both.body, { address: acme.address, chain, balances: [{ currency: 'eur', amount: expected('eur') }, { currency: 'gbp', amount: expected('gbp') }] });
  t.true(sandbox.admin.requests().some((r) => r.path === `/balances/${chain}/${acme.address}` && r.headers.accept === 'application/vnd.monerium.api-v2+json'));
  const plain = await v2(sandbox, `/balances/${chain}/${acme.address}`, { auth: bearer(bob), v2: false });
  t.deepEqual((plain.body as { balances: unknown[] }).balances, [{ currency: 'eur', amount: expected('eur') }]);
  t.is((await v2(sandbox, `/balances/ethereum/${acme.address}`, { auth: bearer(bob) })).status, 200);
  t.is(((await v2(sandbox, `/balances/ethereum/${acme.address}`, { auth: bearer(bob) })).body as { chain: string }).chain, 'sepolia');
  t.is((await v2(sandbox, `/balances/${chain}/${acme.address}?currency=btc`, { auth: bearer(bob) })).status, 400);
  t.is((await v2(sandbox, `/balances/${chain}/${acme.address}`)).status, 401);
});

test('GET /tokens lists tokens per v2 chain without network, decimals as a string, with the sandbox EURe on sepolia', async (t) => {
  const answer = await v2(sandbox, '/tokens');
  const tokens = answer.body as Array<Record<string, string>>;
  t.deepEqual(tokens.find((k) => k.chain === 'sepolia' && k.currency === 'eur'), {
    currency: 'eur',
    ticker: 'EUR',
    symbol: 'EURe',
    chain: 'sepolia',
    address: '0x67b34b93ac295c985e856E5B8A20D83026b580Eb',
    decimals: '18',
  });
  t.true(tokens.every((k) => !('network' in k)));
  t.is((await v2(sandbox, '/tokens', { auth: bearer(alice) })).status, 200);
  t.is((await v2(sandbox, '/tokens', { auth: 'Bearer nope' })).status, 401);
});

test('POST /files takes a PDF or JPEG as multipart `file` and answers the file object; other types are 400', async (t) => {
  const body = new FormData();
  const bytes = Buffer.from('%PDF-1.4 invoice');
  body.set('file', new Blob([bytes], { type: 'application/pdf' }), 'invoice.pdf');
  const answer = await v2(sandbox, '/files', { method: 'POST', auth: bearer(alice), body });
  t.is(answer.status, 200);
  const file = answer.body as { id: string; name: string; type: string; size: number; hash: string; meta: Record<string, string> };
  t.like(file, { name: 'invoice.pdf', type: 'application/pdf', size: bytes.length, meta: { uploadedBy: fx().users[0]!.userId } });
  t.regex(file.id, /^[0-9a-f-]{36}$/);
  t.deepEqual(Object.keys(file.meta).sort(), ['createdAt', 'updatedAt', 'uploadedBy']);
  const text = new FormData();
  text.set('file', new Blob(['hello'], { type: 'text/plain' }), 'note.txt');
  t.is((await v2(sandbox, '/files', { method: 'POST', auth: bearer(alice), body: text })).status, 400);
});

test('swap preview and accept on arbitrumsepolia (USDC ↔ EURe)', async (t) => {
  const preview = await v2(sandbox, '/swap/arbitrumsepolia/usdc/eure?amount=100', { auth: bearer(alice) });
  t.is(preview.status, 200);
  const quote = preview.body as { id: string; buy: { amount: string } };
  t.is(quote.buy.amount, '92');
  t.is((await v2(sandbox, '/swap/sepolia/usdc/eure', { auth: bearer(alice) })).status, 400);
  const accepted = await v2(sandbox, '/swap/accept', { method: 'POST', auth: bearer(alice), body: { id: quote.id } });
  t.like(accepted.body, { id: quote.id, state: 'accepted' });
  t.is((await v2(sandbox, '/swap/accept', { method: 'POST', auth: bearer(alice), body: { id: quote.id } })).status, 409);
});
