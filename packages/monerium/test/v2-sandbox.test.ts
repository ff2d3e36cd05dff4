import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { privateKeyToAccount } from 'viem/accounts';
import { createWebhookReceiver, v2 } from '../src/index.js';
import { right } from './_v2-server.js';
import { signedIn, startV2Sandbox, v2AppClient, v2PrivateClient } from './_v2-sandbox.js';
import { viemSigner } from './_signer.js';

test('PKCE through the portal, then auth context, profiles, addresses, balances, IBANs, tokens against the v2 sandbox', async (t) => {
  const sandbox = await startV2Sandbox(t);
  const client = await signedIn(sandbox);
  const alice = sandbox.fixtures.monerium.v2.users[0];
  if (alice === undefined) return t.fail();
  const context = await right(t, client.authContext());
  t.is(context.userId, alice.userId);
  const profiles = await right(t, client.profiles());
  t.true(profiles.some((p) => p.id === alice.defaultProfile));
  await right(t, client.profile(alice.defaultProfile));
  const addresses = await right(t, client.addresses());
  const first = addresses[0];
  if (first === undefined) return t.fail('no linked address');
  const balances = await right(t, client.balances(first.chains[0] ?? 'sepolia', first.address, ['eur']));
  t.is(balances.address.toLowerCase(), first.address.toLowerCase());
  await right(t, client.ibans());
  t.true((await right(t, client.tokens())).length > 0);
  t.true((await right(t, client.countries())).countries.length > 0);
});

test('SIWE sign-in with a linked wallet against the v2 sandbox', async (t) => {
  const sandbox = await startV2Sandbox(t);
  const wallet = sandbox.fixtures.monerium.v2.addresses[0];
  if (wallet === undefined) return t.fail();
  const app = sandbox.fixtures.monerium.v2.clients.app;
  const client = v2AppClient(sandbox);
  const session = await client.signInWithEthereum({
    signer: viemSigner(privateKeyToAccount(wallet.privateKey)),
    chain: wallet.chains[0] ?? 'sepolia',
    appName: app.name,
    privacyPolicyUrl: app.privacyPolicyUrl,
    termsOfServiceUrl: app.termsUrl,
  })();
  if (E.isLeft(session)) return t.fail(JSON.stringify(session.left));
  t.truthy((await right(t, client.authContext())).userId);
});

test('SEPA and cross-chain redeems are placed once and read back by id on the v2 sandbox', async (t) => {
  const sandbox = await startV2Sandbox(t);
  const wallet = sandbox.fixtures.monerium.v2.addresses[0];
  if (wallet === undefined) return t.fail();
  const signer = viemSigner(privateKeyToAccount(wallet.privateKey));
  const owner = sandbox.fixtures.monerium.v2.users.find((u) => u.defaultProfile === wallet.profile);
  const client = await signedIn(sandbox, owner, { signer });
  const chain = wallet.chains[0] ?? 'sepolia';
  const sepa = await right(
    t,
    client.placeOrder({ amount: '1.25', address: wallet.address, chain, counterpart: { kind: 'iban', iban: 'EE38 2200 2210 2014 5685', firstName: 'Jane', lastName: 'Doe', country: 'EE' }, memo: 'paygate v2 test' }),
  );
  if (sepa._tag !== 'placed') return t.fail('expected placed');
  t.is((await right(t, client.order(sepa.order.id))).id, sepa.order.id);
  const otherChain = wallet.chains.find((c) => c !== chain) ?? 'chiado';
  const cross = await right(t, client.placeOrder({ amount: '1', address: wallet.address, chain, counterpart: { kind: 'chain', address: wallet.address, chain: otherChain } }));
  t.is(cross._tag, 'placed');
  // The same id again: Monerium knows it, the existing order comes back, nothing new is placed.
  // Redeem orders only: the sandbox books the cross-chain redeem's mint (an issue order on the
  // other chain) whenever it processes it, which may fall between the two reads.
  const redeems = async () => (await right(t, client.orders({ address: wallet.address }))).filter((order) => order.kind === 'redeem').length;
  const before = await redeems();
  const again = await right(
    t,
    client.placeOrder({ id: sepa.order.id, amount: '1.25', address: wallet.address, chain, counterpart: { kind: 'iban', iban: 'EE38 2200 2210 2014 5685', firstName: 'Jane', lastName: 'Doe', country: 'EE' } }),
  );
  t.like(again, { _tag: 'placed', order: { id: sepa.order.id } });
  t.is(await redeems(), before);
});

test('a webhook subscription created through the API delivers a verified order event to our receiver', async (t) => {
  const sandbox = await startV2Sandbox(t);
  const secret = v2.generateWebhookSecret();
  const receiver = createWebhookReceiver({ secret });
  if (E.isLeft(receiver)) return t.fail();
  const server = createServer(receiver.right.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const types: string[] = [];
  receiver.right.subscribe((event) => {
    types.push(event.type);
  });
  const client = v2PrivateClient(sandbox);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const subscription = await right(t, client.createWebhook({ url, secret, types: ['order.created', 'order.updated'] }));
  t.is(subscription.url, url);
  t.true((await right(t, client.webhooks())).some((s) => s.id === subscription.id));
  const iban = sandbox.fixtures.monerium.v2.ibans[0];
  if (iban === undefined) return t.fail();
  sandbox.admin.monerium.v2.incomingPayment({ iban: iban.iban, amount: '3' });
  await sandbox.admin.monerium.v2.webhooksSettled();
  t.true(types.some((type) => type.startsWith('order.')), `received: ${types.join(', ')}`);
});
