import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMoneriumV2Client, createWebhookReceiver, moneriumV2Gateway, signerFromViemAccount, v2 } from '@paygate/monerium';
import type { Sandbox } from '@paygate/sandbox';
import { privateKeyToAccount } from 'viem/accounts';
import { balancesTable } from './monerium.js';
import { step, unwrap } from './run.js';
import { heading } from './table.js';

const REDIRECT_URI = 'http://127.0.0.1/callback';
const BENEFICIARY_IBAN = 'EE38 2200 2210 2014 5685';

/**
 * Monerium API v2: Sign-In with Ethereum by a linked wallet (no portal), the profile's IBAN, a
 * webhook subscription whose deliveries are verified (Standard Webhooks) by our receiver, and a
 * SEPA and a cross-chain redeem followed to `processed` through those webhooks.
 */
export const moneriumV2Demo = async (sandbox: Sandbox, log: (line: string) => void): Promise<void> => {
  const fixtures = sandbox.fixtures.monerium.v2;
  const user = fixtures.users[0];
  const wallet = fixtures.addresses.find((a) => a.profile === user?.defaultProfile);
  if (user === undefined || wallet === undefined) throw new Error('the v2 sandbox has no user with a linked address');
  log(heading('Monerium API v2'));

  const signer = unwrap('viem signer', signerFromViemAccount(privateKeyToAccount(wallet.privateKey)));
  const client = unwrap(
    'v2 client',
    createMoneriumV2Client({
      environment: { baseUrl: sandbox.urls.monerium },
      auth: { kind: 'authorization_code', clientId: fixtures.clients.app.clientId, redirectUri: REDIRECT_URI },
      signer,
    }),
  );
  const chain = wallet.chains[0] ?? 'sepolia';
  const otherChain = wallet.chains.find((c) => c !== chain) ?? 'chiado';
  await step(
    'sign in with Ethereum (SIWE)',
    client.signInWithEthereum({
      signer,
      chain,
      appName: fixtures.clients.app.name,
      privacyPolicyUrl: fixtures.clients.app.privacyPolicyUrl,
      termsOfServiceUrl: fixtures.clients.app.termsUrl,
    }),
  );
  const context = await step('auth context', client.authContext());
  log(`signed in with Ethereum as ${context.email ?? context.userId} by ${wallet.address} on ${chain}`);

  const requested = await step('request an IBAN', client.requestIban({ address: wallet.address, chain }));
  const ibans = await step('IBANs', client.ibans({ profile: user.defaultProfile }));
  log(`IBAN request: ${requested._tag}; IBANs: ${ibans.map((i) => `${i.iban} → ${i.chain}:${i.address.slice(0, 10)}…`).join(', ')}`);

  // Webhooks are for Private/Whitelabel apps: the sandbox's Private app subscribes our receiver.
  const secret = v2.generateWebhookSecret();
  const receiver = unwrap('webhook receiver', createWebhookReceiver({ secret }));
  const server = createServer(receiver.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const admin = unwrap(
      'v2 app client',
      createMoneriumV2Client({
        environment: { baseUrl: sandbox.urls.monerium },
        auth: { kind: 'client_credentials', clientId: fixtures.clients.private.clientId, clientSecret: fixtures.clients.private.clientSecret },
      }),
    );
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/monerium-webhooks`;
    const subscription = await step('subscribe to webhooks', admin.createWebhook({ url, secret, types: ['order.created', 'order.updated'] }));
    log(`webhook subscription ${subscription.id} → ${url} (handshake answered, deliveries verified with the whsec_ secret)`);

    const gateway = moneriumV2Gateway(client, { signer, chain, profile: user.defaultProfile, webhooks: receiver });
    log('\nbalances:');
    log(balancesTable(await step('balances', gateway.balances())));

    const states = new Map<string, string[]>();
    const done = new Set<string>();
    let wake: () => void = () => undefined;
    const subscription2 = unwrap(
      'watch via webhooks',
      gateway.watch((event) => {
        const list = states.get(event.paymentId) ?? [];
        list.push(event.payment.raw && 'state' in event.payment.raw ? event.payment.raw.state : event.status);
        states.set(event.paymentId, list);
        if (event.status === 'completed' || event.status === 'rejected') done.add(event.paymentId);
        wake();
      }),
    );
    const settled = (ids: ReadonlyArray<string>, ms: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`orders not processed within ${ms} ms (webhooks seen: ${JSON.stringify([...states])})`)), ms);
        wake = () => {
          if (ids.every((id) => done.has(id))) {
            clearTimeout(timer);
            resolve();
          }
        };
        wake();
      });

    log(`\nSEPA redeem of 2 EUR to ${BENEFICIARY_IBAN} and cross-chain redeem of 1 EUR ${chain} → ${otherChain}:`);
    const sepa = await step('SEPA redeem', gateway.pay({ amount: '2', currency: 'EUR', to: { kind: 'iban', iban: BENEFICIARY_IBAN, firstName: 'Jane', lastName: 'Doe' }, memo: 'paygate v2 demo' }));
    const cross = await step('cross-chain redeem', gateway.pay({ amount: '1', currency: 'EUR', to: { kind: 'address', address: `${otherChain}:${wallet.address}` } }));
    await settled([sepa.id, cross.id], 20_000);
    await subscription2.unsubscribe();
    log(`SEPA order ${sepa.id} went ${(states.get(sepa.id) ?? []).join(' → ')} (seen through verified webhooks)`);
    log(`cross-chain order ${cross.id} went ${(states.get(cross.id) ?? []).join(' → ')} (seen through verified webhooks)`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
};
