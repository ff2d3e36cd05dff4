import test from 'ava';
import type { MoneriumOrder, Sandbox } from '../src/index.js';
import { basic, BENEFICIARY_IBAN, bearer, call, eventually, form, redeemPayload, rfc822z, startMonerium, type TokenBody } from './_monerium.js';

const orders = (body: unknown): MoneriumOrder[] => body as MoneriumOrder[];

const newestFirst = (list: ReadonlyArray<MoneriumOrder>): boolean =>
  list.every((order, i) => {
    const next = list[i + 1];
    return next === undefined || order.meta.placedAt > next.meta.placedAt || (order.meta.placedAt === next.meta.placedAt && order.id > next.id);
  });

/** A client-credentials token for the confidential partner app, which sees every profile's orders. */
const partnerToken = async (sandbox: Sandbox): Promise<TokenBody> => {
  const partner = sandbox.fixtures.monerium.clients.confidential;
  const answer = await call(sandbox, '/auth/token', form({ grant_type: 'client_credentials', client_id: partner.clientId, client_secret: partner.clientSecret }));
  return answer.body as TokenBody;
};

test('GET /orders lists the caller orders newest first with the documented fields', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const alice = sandbox.fixtures.monerium.users[0]!;
  const answer = await call(sandbox, '/orders', { auth: basic(alice) });
  const list = orders(answer.body);
  const expected = sandbox.fixtures.monerium.orders.filter((o) => o.profile === alice.defaultProfile);
  t.true(list.length >= 10);
  t.deepEqual(list, expected);
  t.true(newestFirst(list));
  const first = list[0]!;
  for (const field of ['id', 'profile', 'kind', 'address', 'amount', 'currency', 'counterpart', 'meta'] as const) t.not(first[field], undefined, field);
  t.regex(first.meta.placedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  t.truthy(first.meta.cursor);
  t.deepEqual([...new Set(list.map((o) => o.meta.state))].sort(), ['pending', 'placed', 'processed', 'rejected']);
  const rejected = list.find((o) => o.meta.state === 'rejected')!;
  t.truthy(rejected.rejectedReason);
  t.truthy(rejected.meta.rejectedAt);
  t.truthy(list.find((o) => o.meta.state === 'processed')?.meta.approvedAt);
});

test('the seeded orders are enough to page through and sorted newest first', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const seeded = sandbox.fixtures.monerium.orders;
  t.true(seeded.length >= 25);
  t.true(newestFirst(seeded));
  t.true(seeded.some((o) => o.kind === 'issue') && seeded.some((o) => o.kind === 'redeem'));
});

test('paging with limit and cursor returns every order once, in order', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const token = await partnerToken(sandbox);
  const all = orders((await call(sandbox, '/orders', { auth: bearer(token) })).body);
  t.true(all.length >= 25);
  const walked: MoneriumOrder[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const query = new URLSearchParams({ limit: '4', ...(cursor === undefined ? {} : { cursor }) });
    const chunk = orders((await call(sandbox, `/orders?${query}`, { auth: bearer(token) })).body);
    t.true(chunk.length <= 4);
    walked.push(...chunk);
    if (chunk.length < 4) break;
    cursor = chunk.at(-1)?.meta.cursor;
  }
  t.deepEqual(
    walked.map((o) => o.id),
    all.map((o) => o.id),
  );
});

test('a bad limit, an unknown cursor or a bad state is a validation error', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const auth = basic(sandbox.fixtures.monerium.users[0]!);
  const answer = await call(sandbox, '/orders?limit=0&cursor=nope&state=done', { auth });
  t.deepEqual(answer.body, {
    code: 400,
    status: 'Bad Request',
    message: 'Validation errors',
    errors: { limit: 'Must be a positive integer', cursor: 'Unknown cursor', state: 'Must be one of placed, pending, processed, rejected' },
  });
});

test('every documented order filter narrows the list', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const alice = sandbox.fixtures.monerium.users[0]!;
  const auth = basic(alice);
  const all = orders((await call(sandbox, '/orders', { auth })).body);
  const sample = all.find((o) => o.txHashes.length > 0 && o.memo !== undefined) ?? all.find((o) => o.txHashes.length > 0)!;
  const memoOrder = all.find((o) => o.memo !== undefined)!;
  const cases: ReadonlyArray<[string, string, (o: MoneriumOrder) => boolean]> = [
    ['address', sample.address.toLowerCase(), (o) => o.address === sample.address],
    ['txHash', sample.txHashes[0]!, (o) => o.txHashes.includes(sample.txHashes[0]!)],
    ['memo', memoOrder.memo!, (o) => o.memo === memoOrder.memo],
    ['profile', alice.defaultProfile, (o) => o.profile === alice.defaultProfile],
    ['accountId', sample.accountId, (o) => o.accountId === sample.accountId],
    ['state', 'processed', (o) => o.meta.state === 'processed'],
  ];
  for (const [name, value, keep] of cases) {
    const filtered = orders((await call(sandbox, `/orders?${new URLSearchParams({ [name]: value })}`, { auth })).body);
    t.true(filtered.length > 0, name);
    t.deepEqual(filtered, all.filter(keep), name);
  }
  const foreign = await call(sandbox, `/orders?profile=${sandbox.fixtures.monerium.users[1]!.defaultProfile}`, { auth });
  t.deepEqual(foreign.body, [], "another user's profile filters to nothing");
});

test("a profile's order list holds only that profile's orders", async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const partner = sandbox.fixtures.monerium.clients.confidential;
  const token = await partnerToken(sandbox);
  const profile = partner.profiles[1]!.id;
  const list = orders((await call(sandbox, `/profiles/${profile}/orders`, { auth: bearer(token) })).body);
  t.true(list.length > 0);
  t.true(list.every((o) => o.profile === profile));
  const alice = sandbox.fixtures.monerium.users[0]!;
  t.is((await call(sandbox, `/profiles/${partner.profile}/orders`, { auth: basic(alice) })).status, 403);
});

test('an order is readable by id and another user cannot see it', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const [alice, bob] = sandbox.fixtures.monerium.users;
  const order = sandbox.fixtures.monerium.orders.find((o) => o.profile === alice!.defaultProfile)!;
  const mine = await call(sandbox, `/orders/${order.id}`, { auth: basic(alice!) });
  t.deepEqual(mine.body, order);
  const theirs = await call(sandbox, `/orders/${order.id}`, { auth: basic(bob!) });
  t.is(theirs.status, 404);
});

test('a signed redeem order is placed, debits the balance and is processed', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const alice = sandbox.fixtures.monerium.users[0]!;
  const address = sandbox.fixtures.monerium.addresses.find((a) => a.profile === alice.defaultProfile)!;
  const chain = address.chains[0]!;
  const before = sandbox.admin.monerium.balance(address.address, chain, 'eur');
  const payload = await redeemPayload(sandbox, { address, amount: '1000', extra: { memo: 'rent' } });
  const answer = await call(sandbox, '/orders', { method: 'POST', auth: basic(alice), body: JSON.stringify(payload) });
  t.is(answer.status, 201);
  const placed = answer.body as MoneriumOrder;
  t.like(placed, {
    profile: alice.defaultProfile,
    kind: 'redeem',
    address: address.address,
    amount: '1000',
    currency: 'eur',
    chain,
    memo: 'rent',
    counterpart: { identifier: { standard: 'iban', iban: BENEFICIARY_IBAN }, details: { firstName: 'Jane', lastName: 'Doe', name: 'Jane Doe' } },
    meta: { state: 'placed', placedBy: alice.userId },
  });
  t.is(Number(sandbox.admin.monerium.balance(address.address, chain, 'eur')), Number(before) - 1000);
  t.true(await eventually(async () => ((await call(sandbox, `/orders/${placed.id}`, { auth: basic(alice) })).body as MoneriumOrder).meta.state === 'processed'));
  const processed = (await call(sandbox, `/orders/${placed.id}`, { auth: basic(alice) })).body as MoneriumOrder;
  t.truthy(processed.meta.approvedAt);
  t.is(processed.txHashes.length, 1);
  const newest = orders((await call(sandbox, '/orders?limit=1', { auth: basic(alice) })).body);
  t.is(newest[0]?.id, placed.id);
});

test('a redeem order on the profile path works and the message may type the IBAN without spaces', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const bob = sandbox.fixtures.monerium.users[1]!;
  const address = sandbox.fixtures.monerium.addresses.find((a) => a.profile === bob.defaultProfile)!;
  const message = `Send EUR 12.5 to ${BENEFICIARY_IBAN.replace(/ /g, '')} at ${rfc822z(sandbox.admin.clock.now())}`;
  const payload = await redeemPayload(sandbox, { address, amount: '12.5', message });
  const answer = await call(sandbox, `/profiles/${bob.defaultProfile}/orders`, { method: 'POST', auth: basic(bob), body: JSON.stringify(payload) });
  t.is(answer.status, 201);
  t.like(answer.body, { amount: '12.5', profile: bob.defaultProfile });
  const wrongProfile = await call(sandbox, `/profiles/${bob.profiles[1]!.id}/orders`, {
    method: 'POST',
    auth: basic(bob),
    body: JSON.stringify(await redeemPayload(sandbox, { address })),
  });
  t.like(wrongProfile.body, { code: 400, errors: { address: 'Address is not linked to the profile' } });
});

const rejects = test.macro(
  async (t, change: (input: { sandbox: Awaited<ReturnType<typeof startMonerium>> }) => Promise<Record<string, unknown>>, errors: Record<string, string>) => {
    const sandbox = await startMonerium();
    t.teardown(() => sandbox.close());
    const alice = sandbox.fixtures.monerium.users[0]!;
    const address = sandbox.fixtures.monerium.addresses.find((a) => a.profile === alice.defaultProfile)!;
    const before = sandbox.admin.monerium.balance(address.address, address.chains[0]!, 'eur');
    const answer = await call(sandbox, '/orders', { method: 'POST', auth: basic(alice), body: JSON.stringify(await change({ sandbox })) });
    t.is(answer.status, 400);
    t.deepEqual(answer.body, { code: 400, status: 'Bad Request', message: 'Validation errors', errors });
    t.is(sandbox.admin.monerium.balance(address.address, address.chains[0]!, 'eur'), before, 'nothing was debited');
  },
);

const aliceAddress = (sandbox: Awaited<ReturnType<typeof startMonerium>>) =>
  sandbox.fixtures.monerium.addresses.find((a) => a.profile === sandbox.fixtures.monerium.users[0]!.defaultProfile)!;

test('a redeem signed by another key is rejected', rejects, async ({ sandbox }) =>
  redeemPayload(sandbox, { address: aliceAddress(sandbox), signWith: `0x${'77'.repeat(32)}` }),
  { signature: 'The signature was not made by the address' },
);

test('a redeem whose message was altered after signing is rejected', rejects, async ({ sandbox }) => {
  const now = rfc822z(sandbox.admin.clock.now());
  return redeemPayload(sandbox, { address: aliceAddress(sandbox), amount: '100', signText: `Send EUR 10 to ${BENEFICIARY_IBAN} at ${now}` });
}, { signature: 'The signature was not made by the address' });

test('a redeem with a stale timestamp is rejected', rejects, async ({ sandbox }) =>
  redeemPayload(sandbox, { address: aliceAddress(sandbox), at: sandbox.admin.clock.now() - 6 * 60_000 }),
  { message: 'The timestamp is more than 5 minutes from the current time' },
);

test('a redeem with a timestamp in another format is rejected', rejects, async ({ sandbox }) =>
  redeemPayload(sandbox, { address: aliceAddress(sandbox), message: `Send EUR 10 to ${BENEFICIARY_IBAN} at ${new Date(sandbox.admin.clock.now()).toISOString()}` }),
  { message: 'The timestamp must be RFC 822 with a numeric zone, e.g. Thu, 29 Dec 2022 14:58 +00:00' },
);

test('a redeem to an IBAN with a wrong checksum is rejected', rejects, async ({ sandbox }) =>
  redeemPayload(sandbox, { address: aliceAddress(sandbox), iban: 'GR1701101250000000012300695' }),
  { 'counterpart.identifier.iban': 'Invalid IBAN' },
);

test('a redeem above the balance is rejected', rejects, async ({ sandbox }) =>
  redeemPayload(sandbox, { address: aliceAddress(sandbox), amount: '99999999' }),
  { amount: 'Insufficient balance' },
);

test('a redeem whose message names another amount is rejected', rejects, async ({ sandbox }) =>
  redeemPayload(sandbox, {
    address: aliceAddress(sandbox),
    amount: '10',
    message: `Send EUR 10.00 to ${BENEFICIARY_IBAN} at ${rfc822z(sandbox.admin.clock.now())}`,
  }),
  { message: 'The amount does not match the order' },
);

test('a redeem with bad fields reports each of them', rejects, async ({ sandbox }) => {
  const payload = await redeemPayload(sandbox, { address: aliceAddress(sandbox) });
  return {
    ...payload,
    kind: 'issue',
    amount: '-5',
    currency: 'btc',
    counterpart: { identifier: { standard: 'iban', iban: BENEFICIARY_IBAN }, details: { firstName: 'Jane' } },
    address: '0x0000000000000000000000000000000000000001',
  };
}, {
  kind: 'Only redeem orders can be placed',
  amount: 'Must be a positive decimal string with at most two decimals',
  currency: 'Must be one of eur, usd, gbp, isk',
  'counterpart.details': 'Either firstName and lastName, or companyName, is required',
  address: 'Address is not linked to the profile',
  message: 'The amount does not match the order',
  signature: 'The signature was not made by the address',
});

test('a redeem to a company only needs the company name', async (t) => {
  const sandbox = await startMonerium();
  t.teardown(() => sandbox.close());
  const alice = sandbox.fixtures.monerium.users[0]!;
  const payload = await redeemPayload(sandbox, { address: aliceAddress(sandbox) });
  const body = { ...payload, counterpart: { identifier: { standard: 'iban', iban: BENEFICIARY_IBAN }, details: { companyName: 'Company name' } } };
  const answer = await call(sandbox, '/orders', { method: 'POST', auth: basic(alice), body: JSON.stringify(body) });
  t.is(answer.status, 201);
  t.deepEqual((answer.body as MoneriumOrder).counterpart.details, { name: 'Company name', companyName: 'Company name' });
});

test('rejectOrder rejects with a reason and refunds a redeem', async (t) => {
  const sandbox = await startMonerium({ monerium: { autoProcessOrders: false } });
  t.teardown(() => sandbox.close());
  const alice = sandbox.fixtures.monerium.users[0]!;
  const address = aliceAddress(sandbox);
  const before = sandbox.admin.monerium.balance(address.address, address.chains[0]!, 'eur');
  const placed = (await call(sandbox, '/orders', { method: 'POST', auth: basic(alice), body: JSON.stringify(await redeemPayload(sandbox, { address, amount: '5' })) }))
    .body as MoneriumOrder;
  t.not(sandbox.admin.monerium.balance(address.address, address.chains[0]!, 'eur'), before);
  const rejected = sandbox.admin.monerium.rejectOrder(placed.id, 'IBAN does not match beneficiary name');
  t.like(rejected, { rejectedReason: 'IBAN does not match beneficiary name', meta: { state: 'rejected' } });
  t.truthy(rejected.meta.rejectedAt);
  t.deepEqual((await call(sandbox, `/orders/${placed.id}`, { auth: basic(alice) })).body, rejected);
  t.is(sandbox.admin.monerium.balance(address.address, address.chains[0]!, 'eur'), before);
  t.throws(() => sandbox.admin.monerium.rejectOrder(placed.id, 'again'));
  t.throws(() => sandbox.admin.monerium.rejectOrder('nope', 'x'));
});

test('without auto-processing an order moves only when advanced', async (t) => {
  const sandbox = await startMonerium({ monerium: { autoProcessOrders: false } });
  t.teardown(() => sandbox.close());
  const alice = sandbox.fixtures.monerium.users[0]!;
  const address = aliceAddress(sandbox);
  const issue = sandbox.admin.monerium.placeIssueOrder({ profile: alice.defaultProfile, address: address.address, amount: '250', currency: 'EUR' });
  t.like(issue, { kind: 'issue', amount: '250', currency: 'eur', meta: { state: 'placed', placedBy: '00000000-0000-0000-0000-000000000000' } });
  const before = Number(sandbox.admin.monerium.balance(address.address, issue.chain, 'eur'));
  t.is(sandbox.admin.monerium.advanceOrder(issue.id).meta.state, 'pending');
  t.is(((await call(sandbox, `/orders/${issue.id}`, { auth: basic(alice) })).body as MoneriumOrder).meta.state, 'pending');
  const processed = sandbox.admin.monerium.advanceOrder(issue.id);
  t.is(processed.meta.state, 'processed');
  t.is(Number(sandbox.admin.monerium.balance(address.address, issue.chain, 'eur')), before + 250, 'an issue credits the address');
  t.throws(() => sandbox.admin.monerium.advanceOrder(issue.id));
  t.throws(() => sandbox.admin.monerium.placeIssueOrder({ profile: alice.defaultProfile, address: '0x0000000000000000000000000000000000000001', amount: '1', currency: 'eur' }));
});
