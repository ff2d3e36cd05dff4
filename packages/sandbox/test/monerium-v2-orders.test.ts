import test from 'ava';
import { privateKeyToAccount } from 'viem/accounts';
import type { MoneriumV2Order, Sandbox } from '../src/index.js';
import { bearer, BENEFICIARY_SHORT, minuteStamp, orderBody, startV2, userTokens, type V2Tokens, v2, startWithUsers } from './_monerium-v2.js';

let sandbox: Sandbox;
let alice: V2Tokens;
let bob: V2Tokens;
test.before(async () => {
  ({ sandbox, alice, bob } = await startWithUsers({ monerium: { v2: { autoProcessOrders: false } } }));
});
test.after.always(() => sandbox.close());
// Tests that compare balances run serially: the others place orders from the same addresses.

const fx = () => sandbox.fixtures.monerium.v2;
/** Alice's first address: linked on sepolia and chiado, with EUR on both. */
const source = () => fx().addresses[0]!;
const balance = (chain = 'sepolia', address: string = source().address) => sandbox.admin.monerium.v2.balance(address, chain, 'eur');
const post = (body: unknown, auth = alice) => v2(sandbox, '/orders', { method: 'POST', auth: bearer(auth), body });
const uuid = () => crypto.randomUUID();

test('GET /orders answers {orders} newest first with the v2 order fields, only the caller’s', async (t) => {
  const answer = (await v2(sandbox, '/orders', { auth: bearer(alice) })).body as { orders: MoneriumV2Order[] };
  const seeded = fx().orders.filter((o) => o.profile === fx().profiles[0]!.id);
  t.deepEqual(
    answer.orders.filter((o) => seeded.some((s) => s.id === o.id)),
    seeded,
  );
  t.true(answer.orders.every((o) => o.profile === fx().profiles[0]!.id));
  const first = seeded[0]!;
  for (const field of ['id', 'kind', 'profile', 'address', 'chain', 'currency', 'amount', 'counterpart', 'memo', 'state', 'meta'] as const) t.not(first[field], undefined, field);
  t.regex(first.meta.placedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  t.false('accountId' in first || 'network' in first);
});

test('GET /orders filters by state, profile, address, memo and txHash; a bad state is 400', async (t) => {
  const all = fx().orders;
  const processed = (await v2(sandbox, '/orders?state=processed', { auth: bearer(bob) })).body as { orders: MoneriumV2Order[] };
  t.true(processed.orders.length > 0 && processed.orders.every((o) => o.state === 'processed'));
  const hashed = all.find((o) => o.meta.txHashes !== undefined && o.profile === fx().profiles[1]!.id)!;
  const byHash = (await v2(sandbox, `/orders?txHash=${hashed.meta.txHashes![0]}`, { auth: bearer(bob) })).body as { orders: MoneriumV2Order[] };
  t.deepEqual(byHash.orders.map((o) => o.id), [hashed.id]);
  const withMemo = all.find((o) => o.memo.startsWith('Invoice'))!;
  t.deepEqual(((await v2(sandbox, `/orders?memo=${encodeURIComponent(withMemo.memo)}`, { auth: bearer(alice) })).body as { orders: MoneriumV2Order[] }).orders.map((o) => o.id), [withMemo.id]);
  const byAddress = (await v2(sandbox, `/orders?address=${hashed.address}`, { auth: bearer(bob) })).body as { orders: MoneriumV2Order[] };
  t.true(byAddress.orders.every((o) => o.address === hashed.address));
  t.deepEqual((await v2(sandbox, `/orders?profile=${fx().profiles[0]!.id}`, { auth: bearer(bob) })).body, { orders: [] });
  t.is((await v2(sandbox, '/orders?state=done', { auth: bearer(bob) })).status, 400);
});

test.serial('a SEPA redeem signed over the §4 message is placed (200), debits the balance and runs placed → pending → processed', async (t) => {
  const before = balance();
  const id = uuid();
  const answer = await post(await orderBody(sandbox, { key: source().privateKey, amount: '12.5', extra: { id } }));
  t.is(answer.status, 200);
  const order = answer.body as MoneriumV2Order;
  t.like(order, {
    id,
    kind: 'redeem',
    profile: source().profile,
    address: source().address,
    chain: 'sepolia',
    currency: 'eur',
    amount: '12.5',
    memo: 'Powered by Monerium',
    state: 'placed',
    counterpart: { identifier: { standard: 'iban', iban: 'EE38 2200 2210 2014 5685' }, details: { firstName: 'Jane', lastName: 'Doe', country: 'EE' } },
  });
  t.is(Number(balance()), Number(before) - 12.5);
  t.like(sandbox.admin.monerium.v2.advanceOrder(id), { state: 'pending' });
  const processed = sandbox.admin.monerium.v2.advanceOrder(id);
  t.is(processed.state, 'processed');
  t.truthy(processed.meta.processedAt);
  t.is(processed.meta.txHashes?.length, 1);
  t.deepEqual((await v2(sandbox, `/orders/${id}`, { auth: bearer(alice) })).body, processed);
  t.is((await v2(sandbox, `/orders/${id}`, { auth: bearer(bob) })).status, 404);
});

test('the message may name the IBAN in its short form and carry an offset or fractional timestamp', async (t) => {
  const now = sandbox.admin.clock.now();
  t.is((await post(await orderBody(sandbox, { key: source().privateKey, messageIban: BENEFICIARY_SHORT }))).status, 200);
  const at = new Date(now).toISOString();
  const message = `Send EUR 1 to EE382200221020145685 at ${at}`;
  t.is((await post(await orderBody(sandbox, { key: source().privateKey, amount: '1', message }))).status, 200);
});

test('message errors: an expired or RFC 822 timestamp is "timestamp is expired"; spaces in the IBAN or another amount are refused', async (t) => {
  const now = sandbox.admin.clock.now();
  const errorsOf = async (input: Parameters<typeof orderBody>[1]) => ((await post(await orderBody(sandbox, input))).body as { errors: Record<string, string> }).errors;
  t.is((await errorsOf({ key: source().privateKey, at: now - 6 * 60_000 })).message, 'timestamp is expired');
  t.is((await errorsOf({ key: source().privateKey, message: 'Send EUR 10 to EE382200221020145685 at Thu, 29 Dec 2022 14:58 +00:00' })).message, 'timestamp is expired');
  t.regex((await errorsOf({ key: source().privateKey, messageIban: 'EE38 2200 2210 2014 5685' })).message ?? '', /IBAN/);
  t.regex((await errorsOf({ key: source().privateKey, message: `Send EUR 11 to EE382200221020145685 at ${minuteStamp(now)}` })).message ?? '', /amount/);
  // A future timestamp is allowed.
  t.is((await post(await orderBody(sandbox, { key: source().privateKey, amount: '2', at: now + 30 * 60_000 }))).status, 200);
});

test('a signature by another key is 400 with signature: "invalid signature"; bad fields are reported together', async (t) => {
  const other = fx().addresses.find((a) => a.profile !== source().profile)!;
  const body = await orderBody(sandbox, { key: source().privateKey });
  const signature = await privateKeyToAccount(other.privateKey).signMessage({ message: body.message as string });
  const answer = await post({ ...body, signature });
  t.is(answer.status, 400);
  t.deepEqual(answer.body, { code: 400, status: 'Bad Request', message: 'Validation errors', errors: { signature: 'invalid signature' } });
  const bad = await post({ ...body, currency: 'EUR', chain: 'mumbai', kind: 'issue', memo: 'abc', referenceNumber: 'x'.repeat(36) });
  t.deepEqual(Object.keys((bad.body as { errors: object }).errors).sort(), ['chain', 'currency', 'kind', 'memo', 'referenceNumber']);
  const notMine = await post(await orderBody(sandbox, { key: other.privateKey, chain: other.chains[0]! }));
  t.like((notMine.body as { errors: Record<string, string> }).errors, { address: 'Address is not linked to a profile you may use' });
});

test.serial('the client-chosen id makes placement idempotent: the same payload answers the same order and debits once; another payload is 409', async (t) => {
  const id = uuid();
  const body = await orderBody(sandbox, { key: source().privateKey, amount: '3', chain: 'chiado', extra: { id } });
  const before = balance('chiado');
  const first = await post(body);
  const second = await post(body);
  t.is(first.status, 200);
  t.is(second.status, 200);
  t.deepEqual(second.body, first.body);
  t.is(Number(balance('chiado')), Number(before) - 3);
  // Even after the message timestamp expired, the repeat is recognised rather than refused.
  sandbox.admin.clock.advance(10 * 60_000);
  t.teardown(() => sandbox.admin.clock.advance(-10 * 60_000));
  t.is((await post(body)).status, 200);
  const conflict = await post({ ...body, amount: '4' });
  t.is(conflict.status, 409);
  t.like(conflict.body, { code: 409, status: 'Conflict' });
  t.is(((await v2(sandbox, '/orders', { auth: bearer(alice) })).body as { orders: MoneriumV2Order[] }).orders.filter((o) => o.id === id).length, 1);
  t.is((await post({ ...body, id: 'not-a-uuid' })).status, 400);
});

test.serial('two identical placements racing with one id place one order and debit once', async (t) => {
  const id = uuid();
  const body = await orderBody(sandbox, { key: source().privateKey, amount: '6', chain: 'chiado', extra: { id } });
  const before = balance('chiado');
  const answers = await Promise.all([post(body), post(body), post(body)]);
  t.deepEqual(answers.map((a) => a.status), [200, 200, 200]);
  t.deepEqual(answers[1]!.body, answers[0]!.body);
  t.deepEqual(answers[2]!.body, answers[0]!.body);
  t.is(Number(balance('chiado')), Number(before) - 6);
});

test('referenceNumber wins over memo; a memo alone is kept', async (t) => {
  const both = (await post(await orderBody(sandbox, { key: source().privateKey, extra: { memo: 'Invoice 77', referenceNumber: 'RF18539007547034' } }))).body as MoneriumV2Order;
  t.like(both, { memo: 'RF18539007547034', referenceNumber: 'RF18539007547034' });
  const memo = (await post(await orderBody(sandbox, { key: source().privateKey, extra: { memo: 'Invoice 78' } }))).body as MoneriumV2Order;
  t.is(memo.memo, 'Invoice 78');
  t.false('referenceNumber' in memo);
});

test('from EUR 15,000 a supporting document uploaded with POST /files is required', async (t) => {
  const own = await startV2();
  t.teardown(() => own.close());
  const tokens = await userTokens(own);
  const key = own.fixtures.monerium.v2.addresses[0]!;
  // Enough money for the test: an incoming SEPA payment to Alice's IBAN, minted where the IBAN points.
  const iban = own.fixtures.monerium.v2.ibans.find((i) => i.profile === key.profile)!;
  own.admin.monerium.v2.incomingPayment({ iban: iban.iban, amount: '20000', memo: `sepolia:${key.address}` });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const missing = await v2(own, '/orders', { method: 'POST', auth: bearer(tokens), body: await orderBody(own, { key: key.privateKey, amount: '15000' }) });
  t.is(missing.status, 400);
  t.truthy((missing.body as { errors: Record<string, string> }).errors.supportingDocumentId);
  const form = new FormData();
  form.set('file', new Blob([Buffer.from('%PDF-1.4 contract')], { type: 'application/pdf' }), 'contract.pdf');
  const file = (await v2(own, '/files', { method: 'POST', auth: bearer(tokens), body: form })).body as { id: string };
  const placed = await v2(own, '/orders', { method: 'POST', auth: bearer(tokens), body: await orderBody(own, { key: key.privateKey, amount: '15000', extra: { supportingDocumentId: file.id } }) });
  t.is(placed.status, 200);
  t.is((placed.body as MoneriumV2Order).meta.supportingDocumentId, file.id);
});

test.serial('a cross-chain redeem signs "… to <ADDRESS> on <CHAIN> at …"; once processed, an issue order mints on the target chain', async (t) => {
  const target = fx().addresses.find((a) => a.profile === source().profile && a.chains.includes('amoy'))!;
  const before = balance('amoy', target.address);
  const body = await orderBody(sandbox, { key: source().privateKey, amount: '5', crossChain: { address: target.address, chain: 'amoy' } });
  t.is(body.message, `Send EUR 5 to ${target.address} on amoy at ${minuteStamp(sandbox.admin.clock.now())}`);
  const redeem = (await post(body)).body as MoneriumV2Order;
  t.like(redeem, { kind: 'redeem', counterpart: { identifier: { standard: 'chain', address: target.address, chain: 'amoy' }, details: {} } });
  sandbox.admin.monerium.v2.advanceOrder(redeem.id);
  sandbox.admin.monerium.v2.advanceOrder(redeem.id);
  const issue = ((await v2(sandbox, `/orders?address=${target.address}`, { auth: bearer(alice) })).body as { orders: MoneriumV2Order[] }).orders.find(
    (o) => o.kind === 'issue' && o.counterpart.identifier.standard === 'chain' && o.state === 'placed',
  )!;
  t.like(issue, { chain: 'amoy', amount: '5', counterpart: { identifier: { address: source().address, chain: 'sepolia' } } });
  sandbox.admin.monerium.v2.advanceOrder(issue.id);
  sandbox.admin.monerium.v2.advanceOrder(issue.id);
  t.is(Number(balance('amoy', target.address)), Number(before) + 5);
  // The SEPA form of the message does not fit a cross-chain order.
  const wrong = await post({ ...(await orderBody(sandbox, { key: source().privateKey, crossChain: { address: target.address, chain: 'amoy' } })), message: `Send EUR 10 to ${target.address} at ${minuteStamp(sandbox.admin.clock.now())}` });
  t.is(wrong.status, 400);
});

test('a Safe order signed on chain ("0x") answers 202, waits in /signatures with its id, and exists once the signature lands', async (t) => {
  const safe = fx().safe;
  const id = uuid();
  const message = `Send EUR 7 to EE382200221020145685 at ${minuteStamp(sandbox.admin.clock.now())}`;
  const body = {
    id,
    address: safe.address,
    currency: 'eur',
    chain: 'chiado',
    kind: 'redeem',
    amount: '7',
    counterpart: { identifier: { standard: 'iban', iban: 'EE382200221020145685' }, details: { companyName: 'Globex GmbH', country: 'DE' } },
    message,
    signature: '0x',
  };
  const answer = await post(body);
  t.is(answer.status, 202);
  t.deepEqual(answer.body, { code: 202, status: 'Accepted' });
  t.is((await post(body)).status, 202);
  const pending = await v2(sandbox, `/signatures?kind=order&chain=chiado`, { auth: bearer(alice) });
  t.like(pending.body, { pending: [{ id, kind: 'order', chain: 'chiado', address: safe.address, amount: '7', currency: 'eur', message }] });
  t.is((await v2(sandbox, `/orders/${id}`, { auth: bearer(alice) })).status, 404);
  sandbox.admin.monerium.v2.completeSignature(id);
  const order = await v2(sandbox, `/orders/${id}`, { auth: bearer(alice) });
  t.like(order.body, { id, state: 'placed', address: safe.address });
  t.is((await post(body)).status, 200);
});

test('an order above the balance is refused with amount: "Insufficient balance"', async (t) => {
  const form = new FormData();
  form.set('file', new Blob([Buffer.from('%PDF-1.4 contract')], { type: 'application/pdf' }), 'contract.pdf');
  const file = (await v2(sandbox, '/files', { method: 'POST', auth: bearer(alice), body: form })).body as { id: string };
  const answer = await post(await orderBody(sandbox, { key: source().privateKey, amount: '9999999', extra: { supportingDocumentId: file.id } }));
  t.is(answer.status, 400);
  t.like(answer.body, { errors: { amount: 'Insufficient balance' } });
});

test.serial('rejectOrder rejects with meta.rejectedReason and refunds a redeem', async (t) => {
  const before = balance();
  const order = (await post(await orderBody(sandbox, { key: source().privateKey, amount: '4' }))).body as MoneriumV2Order;
  const rejected = sandbox.admin.monerium.v2.rejectOrder(order.id, 'Beneficiary bank refused');
  t.like(rejected, { state: 'rejected', meta: { rejectedReason: 'Beneficiary bank refused' } });
  t.is(balance(), before);
});
