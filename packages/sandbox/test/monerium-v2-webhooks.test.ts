import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import test from 'ava';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { type ReceivedWebhook, type Sandbox, startWebhookReceiver, type WebhookReceiver } from '../src/index.js';
import { appTokens, bearer, orderBody, startV2, userTokens, type V2Tokens, v2 } from './_monerium-v2.js';

const secret = (bytes = 32): string => `whsec_${randomBytes(bytes).toString('base64')}`;

/** Standard Webhooks verification, written here from the fact sheet (§5), independent of the sandbox's code. */
const verified = (delivery: ReceivedWebhook, whsec: string): boolean => {
  const id = delivery.headers['webhook-id'];
  const stamp = delivery.headers['webhook-timestamp'];
  const header = delivery.headers['webhook-signature'];
  if (typeof id !== 'string' || typeof stamp !== 'string' || typeof header !== 'string') return false;
  const key = Buffer.from(whsec.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${stamp}.${delivery.body}`).digest();
  return header.split(' ').some((part) => {
    const [version, value = ''] = part.split(',');
    const given = Buffer.from(value, 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
};

interface Setup {
  readonly sandbox: Sandbox;
  readonly receiver: WebhookReceiver;
  readonly app: V2Tokens;
}

const setup = async (t: { teardown(fn: () => Promise<void> | void): void }, retrySchedule?: number[]): Promise<Setup> => {
  const sandbox = await startV2({ monerium: { v2: { ...(retrySchedule === undefined ? {} : { webhookRetryScheduleMs: retrySchedule }) } } });
  const receiver = await startWebhookReceiver();
  t.teardown(async () => {
    await sandbox.close();
    await receiver.close();
  });
  return { sandbox, receiver, app: await appTokens(sandbox, 'private') };
};

const subscribe = (s: Setup, whsec: string, types?: string[]) =>
  v2(s.sandbox, '/webhooks', { method: 'POST', auth: bearer(s.app), body: { url: s.receiver.url, secret: whsec, ...(types === undefined ? {} : { types }) } });

test('POST /webhooks sends a signed subscription.created handshake first and answers 201 with the subscription (default types)', async (t) => {
  const s = await setup(t);
  const whsec = secret();
  const answer = await subscribe(s, whsec);
  t.is(answer.status, 201);
  const subscription = answer.body as { id: string; url: string; types: string[]; state: string };
  t.deepEqual(subscription, { id: subscription.id, url: s.receiver.url, types: ['iban.updated', 'profile.updated'], state: 'active' });
  t.is(s.receiver.received.length, 1);
  const handshake = s.receiver.received[0]!;
  t.true(verified(handshake, whsec));
  t.regex(String(handshake.headers['webhook-timestamp']), /^\d{10}$/);
  t.is(Math.abs(Number(handshake.headers['webhook-timestamp']) - Math.floor(s.sandbox.admin.clock.now() / 1000)) <= 2, true);
  t.regex(String(handshake.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]+=*$/);
  const body = JSON.parse(handshake.body) as { type: string; timestamp: string };
  t.deepEqual(Object.keys(body).sort(), ['timestamp', 'type']);
  t.is(body.type, 'subscription.created');
  t.deepEqual((await v2(s.sandbox, '/webhooks', { auth: bearer(s.app) })).body, { subscriptions: [subscription] });
});

test('without a 200 to the handshake the subscription is not created', async (t) => {
  const s = await setup(t);
  s.receiver.respondWith([500]);
  const answer = await subscribe(s, secret());
  t.is(answer.status, 400);
  t.deepEqual((await v2(s.sandbox, '/webhooks', { auth: bearer(s.app) })).body, { subscriptions: [] });
});

test('POST /webhooks checks the url, the whsec_ secret (24–64 bytes) and the types; OAuth-app users get 403', async (t) => {
  const s = await setup(t);
  const bad = await v2(s.sandbox, '/webhooks', { method: 'POST', auth: bearer(s.app), body: { url: 'ftp://x', secret: secret(16), types: ['order.deleted'] } });
  t.is(bad.status, 400);
  t.deepEqual(Object.keys((bad.body as { errors: object }).errors).sort(), ['secret', 'types', 'url']);
  t.is((await subscribe(s, `whsec_${randomBytes(65).toString('base64')}`)).status, 400);
  t.is((await subscribe(s, randomBytes(32).toString('base64'))).status, 400);
  const user = await userTokens(s.sandbox);
  t.is((await v2(s.sandbox, '/webhooks', { auth: bearer(user) })).status, 403);
  t.is(s.receiver.received.length, 0);
});

test('PATCH /webhooks/{id} changes types and state (with a handshake when active); an unknown id is 404', async (t) => {
  const s = await setup(t);
  const id = ((await subscribe(s, secret())).body as { id: string }).id;
  const patched = await v2(s.sandbox, `/webhooks/${id}`, { method: 'PATCH', auth: bearer(s.app), body: { types: ['order.created', 'order.updated'] } });
  t.is(patched.status, 200);
  t.like(patched.body, { id, types: ['order.created', 'order.updated'], state: 'active' });
  t.is(s.receiver.received.length, 2);
  const off = await v2(s.sandbox, `/webhooks/${id}`, { method: 'PATCH', auth: bearer(s.app), body: { state: 'inactive' } });
  t.like(off.body, { state: 'inactive' });
  t.is(s.receiver.received.length, 2);
  t.is((await v2(s.sandbox, '/webhooks/00000000-0000-4000-8000-000000000000', { method: 'PATCH', auth: bearer(s.app), body: { state: 'active' } })).status, 404);
  t.is((await v2(s.sandbox, `/webhooks/${id}`, { method: 'PATCH', auth: bearer(s.app), body: { state: 'paused' } })).status, 400);
});

test('order.created and order.updated carry the order, signed; other types are not sent', async (t) => {
  const s = await setup(t);
  const whsec = secret(48);
  await subscribe(s, whsec, ['order.created', 'order.updated']);
  const alice = await userTokens(s.sandbox);
  const key = s.sandbox.fixtures.monerium.v2.addresses[0]!;
  const placed = await v2(s.sandbox, '/orders', { method: 'POST', auth: bearer(alice), body: await orderBody(s.sandbox, { key: key.privateKey, amount: '2' }) });
  t.is(placed.status, 200);
  // handshake + order.created + order.updated (processed; the sandbox moves orders at once here)
  const received = await s.receiver.waitFor(3);
  const events = received.slice(1).map((r) => JSON.parse(r.body) as { type: string; timestamp: string; data: { id: string; state: string } });
  t.deepEqual(events.map((e) => e.type), ['order.created', 'order.updated']);
  t.deepEqual(events.map((e) => e.data.state), ['placed', 'processed']);
  t.true(events.every((e) => e.data.id === (placed.body as { id: string }).id));
  t.true(received.every((r) => verified(r, whsec)));
  t.not(received[1]!.headers['webhook-id'], received[2]!.headers['webhook-id']);
  await s.sandbox.admin.monerium.v2.webhooksSettled();
  t.is(s.receiver.received.length, 3);
});

test('iban.updated is sent when an IBAN moves (state approved); profile.error carries field errors; other profiles’ events are not sent', async (t) => {
  const s = await setup(t);
  const whsec = secret();
  await subscribe(s, whsec, ['iban.updated', 'profile.updated', 'profile.error']);
  // Bob's personal profile is not one the Private app acts for.
  const profile = s.sandbox.fixtures.monerium.v2.profiles[2]!.id;
  const alice = await userTokens(s.sandbox);
  const aliceIban = s.sandbox.fixtures.monerium.v2.ibans[0]!;
  const other = s.sandbox.fixtures.monerium.v2.addresses.find((a) => a.profile === aliceIban.profile && a.address !== aliceIban.address)!;
  await v2(s.sandbox, `/ibans/${encodeURIComponent(aliceIban.iban)}`, { method: 'PATCH', auth: bearer(alice), body: { address: other.address, chain: other.chains[0] } });
  const [, moved] = await s.receiver.waitFor(2);
  const event = JSON.parse(moved!.body) as { type: string; data: Record<string, unknown> };
  t.is(event.type, 'iban.updated');
  t.like(event.data, { iban: aliceIban.iban, address: other.address, chain: other.chains[0], state: 'approved', profile: aliceIban.profile });
  t.true(verified(moved!, whsec));
  // Events of profiles the app may not read are not sent to it.
  s.sandbox.admin.monerium.v2.approveProfile(profile);
  s.sandbox.admin.monerium.v2.profileError(aliceIban.profile, [{ field: 'personal.birthday', reason: 'Must be a date' }]);
  const [, , error] = await s.receiver.waitFor(3);
  t.deepEqual(JSON.parse(error!.body).data, { id: aliceIban.profile, kind: 'personal', errors: [{ field: 'personal.birthday', reason: 'Must be a date' }] });
  await s.sandbox.admin.monerium.v2.webhooksSettled();
  t.is(s.receiver.received.length, 3);
});

test('a failed delivery is retried with the same webhook-id until it gets 200, each attempt signed anew', async (t) => {
  const s = await setup(t);
  const whsec = secret();
  await subscribe(s, whsec, ['profile.updated']);
  s.receiver.respondWith([503, 500]);
  const profileA = s.sandbox.fixtures.monerium.v2.profiles[1]!;
  s.sandbox.admin.monerium.v2.rejectProfile(profileA.id);
  const received = await s.receiver.waitFor(4);
  await s.sandbox.admin.monerium.v2.webhooksSettled();
  const deliveries = received.slice(1);
  t.is(deliveries.length, 3);
  t.is(new Set(deliveries.map((d) => d.headers['webhook-id'])).size, 1);
  t.true(deliveries.every((d) => verified(d, whsec)));
  t.is(new Set(deliveries.map((d) => d.body)).size, 1);
  const attempts = s.sandbox.admin.monerium.v2.webhookAttempts().filter((a) => a.type === 'profile.updated');
  t.deepEqual(attempts.map((a) => [a.attempt, a.status]), [[0, 503], [1, 500], [2, 200]]);
});

test('a receiver that never answers 200 gets at most 10 retries', async (t) => {
  const s = await setup(t, Array.from({ length: 15 }, () => 5));
  await subscribe(s, secret(), ['profile.updated']);
  s.receiver.respondWith([], 500);
  s.sandbox.admin.monerium.v2.rejectProfile(s.sandbox.fixtures.monerium.v2.profiles[1]!.id);
  await s.receiver.waitFor(2);
  await s.sandbox.admin.monerium.v2.webhooksSettled();
  t.is(s.receiver.received.length, 1 + 11);
  t.is(new Set(s.receiver.received.slice(1).map((r) => r.headers['webhook-id'])).size, 1);
});

test('webhook faults: duplicate, bad-signature, timestamp-skew and drop (then retried)', async (t) => {
  const s = await setup(t);
  const whsec = secret();
  await subscribe(s, whsec, ['profile.updated']);
  const v2admin = s.sandbox.admin.monerium.v2;
  const profile = s.sandbox.fixtures.monerium.v2.profiles[1]!.id;

  v2admin.webhookFaults.set([{ kind: 'duplicate', times: 1 }]);
  v2admin.rejectProfile(profile);
  const [, a, b] = await s.receiver.waitFor(3);
  t.is(a!.headers['webhook-id'], b!.headers['webhook-id']);
  t.is(a!.body, b!.body);

  v2admin.webhookFaults.set([{ kind: 'bad-signature', times: 1 }]);
  v2admin.approveProfile(profile);
  const [, , , forged] = await s.receiver.waitFor(4);
  t.false(verified(forged!, whsec));

  v2admin.webhookFaults.set([{ kind: 'timestamp-skew', ms: -600_000, times: 1 }]);
  v2admin.rejectProfile(profile);
  const [, , , , stale] = await s.receiver.waitFor(5);
  t.true(verified(stale!, whsec));
  t.true(Math.floor(s.sandbox.admin.clock.now() / 1000) - Number(stale!.headers['webhook-timestamp']) >= 599);

  v2admin.webhookFaults.set([{ kind: 'drop', times: 1, type: 'profile.updated' }]);
  v2admin.approveProfile(profile);
  const [, , , , , retried] = await s.receiver.waitFor(6);
  await v2admin.webhooksSettled();
  const last = v2admin.webhookAttempts().filter((x) => x.webhookId === retried!.headers['webhook-id']);
  t.deepEqual(last.map((x) => [x.attempt, x.status ?? x.error]), [[0, 'dropped by a sandbox fault'], [1, 200]]);
  t.deepEqual(v2admin.webhookFaults.list(), [{ kind: 'drop', times: 1, type: 'profile.updated' }]);
  t.throws(() => v2admin.webhookFaults.set([{ kind: 'explode' } as never]));
});

test('a webhook handshake can be failed by a fault, so the subscription is refused', async (t) => {
  const s = await setup(t);
  s.sandbox.admin.monerium.v2.webhookFaults.set([{ kind: 'drop', type: 'subscription.created' }]);
  t.is((await subscribe(s, secret())).status, 400);
  t.is(s.receiver.received.length, 0);
});

test('a Whitelabel app hears its onboarded profile: profile.updated on approval and iban.updated once the IBAN is provisioned', async (t) => {
  const s = await setup(t);
  const wl = await appTokens(s.sandbox, 'whitelabel');
  const whsec = secret();
  const sub = await v2(s.sandbox, '/webhooks', { method: 'POST', auth: bearer(wl), body: { url: s.receiver.url, secret: whsec, types: ['profile.updated', 'iban.updated'] } });
  t.is(sub.status, 201);
  const profile = ((await v2(s.sandbox, '/profiles', { method: 'POST', auth: bearer(wl), body: { kind: 'corporate' } })).body as { id: string }).id;
  s.sandbox.admin.monerium.v2.approveProfile(profile);
  const account = privateKeyToAccount(generatePrivateKey());
  const link = 'I hereby declare that I am the address owner.';
  const linked = await v2(s.sandbox, '/addresses', { method: 'POST', auth: bearer(wl), body: { profile, address: account.address, chain: 'basesepolia', message: link, signature: await account.signMessage({ message: link }) } });
  t.is(linked.status, 201);
  t.is((await v2(s.sandbox, '/ibans', { method: 'POST', auth: bearer(wl), body: { address: account.address, chain: 'basesepolia' } })).status, 202);
  const received = await s.receiver.waitFor(3);
  await s.sandbox.admin.monerium.v2.webhooksSettled();
  const events = received.slice(1).map((r) => JSON.parse(r.body) as { type: string; data: { id?: string; state: string; chain?: string } });
  t.deepEqual(events.map((e) => e.type), ['profile.updated', 'iban.updated']);
  t.like(events[0]?.data, { id: profile, state: 'approved' });
  t.like(events[1]?.data, { state: 'approved', chain: 'basesepolia', address: account.address, profile });
  t.true(received.every((r) => verified(r, whsec)));
});

test('a delayed delivery is sent late, and closing the sandbox cancels one still waiting', async (t) => {
  const s = await setup(t);
  await subscribe(s, secret(), ['profile.updated']);
  const admin = s.sandbox.admin.monerium.v2;
  admin.webhookFaults.set([{ kind: 'delay', ms: 50, times: 1 }]);
  const started = Date.now();
  admin.rejectProfile(s.sandbox.fixtures.monerium.v2.profiles[1]!.id);
  await s.receiver.waitFor(2);
  t.true(Date.now() - started >= 45);
  admin.webhookFaults.set([{ kind: 'delay', ms: 60_000 }]);
  admin.approveProfile(s.sandbox.fixtures.monerium.v2.profiles[1]!.id);
  await s.sandbox.close();
  await admin.webhooksSettled();
  t.is(s.receiver.received.length, 2);
});
