import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runContractTests } from '@paygate/contract-tests';
import { completeAuthorizationHeadless, startSandbox } from '@paygate/sandbox';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { privateKeyToAccount } from 'viem/accounts';
import { createMoneriumV2Client, createWebhookReceiver, moneriumV2Gateway, v2 } from '../src/index.js';
import { V2_REDIRECT } from './_v2-sandbox.js';
import { viemSigner } from './_signer.js';

const REQUEST_TIMEOUT_MS = 500;

/** `watch` fed by a webhook receiver, and without one by the order websocket. */
for (const feed of ['webhooks', 'websocket'] as const) {
runContractTests(test, {
  name: `monerium v2 (${feed})`,
  capabilities: ['balances', 'payments', 'pay', 'watch'],
  setup: async () => {
    const sandbox = await startSandbox({
      providers: ['monerium'],
      monerium: { orderTransitionMs: 50, v2: { ibanProvisioningMs: 0, webhookRetryScheduleMs: Array.from({ length: 10 }, () => 20), webhookTimeoutMs: 2000 } },
    });
    const fixtures = sandbox.fixtures.monerium.v2;
    const user = fixtures.users[0];
    const wallet = fixtures.addresses.find((a) => a.profile === user?.defaultProfile);
    const iban = fixtures.ibans.find((i) => i.profile === user?.defaultProfile);
    if (user === undefined || wallet === undefined || iban === undefined) throw new Error('the v2 sandbox seeds a user with a linked address and an IBAN');
    const http = { timeoutMs: REQUEST_TIMEOUT_MS, backoffBaseMs: 5, maxBackoffMs: 20 };
    const client = createMoneriumV2Client({
      environment: { baseUrl: sandbox.urls.monerium },
      auth: { kind: 'authorization_code', clientId: fixtures.clients.app.clientId, redirectUri: V2_REDIRECT },
      http,
    });
    if (E.isLeft(client)) throw new Error(client.left.message);
    const pending = client.right.authorizationUrl();
    if (E.isLeft(pending)) throw new Error(pending.left.message);
    const callback = await completeAuthorizationHeadless(pending.right.url, { email: user.email, password: user.password, redirectUri: V2_REDIRECT });
    const session = await client.right.finishAuthorization(callback, pending.right)();
    if (E.isLeft(session)) throw new Error(session.left.message);

    // v2 delivers events by webhook: a receiver on a local port, subscribed by the Private app.
    const secret = v2.generateWebhookSecret();
    const receiver = createWebhookReceiver({ secret });
    if (E.isLeft(receiver)) throw new Error(receiver.left.message);
    const server = createServer(receiver.right.listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const admin = createMoneriumV2Client({
      environment: { baseUrl: sandbox.urls.monerium },
      auth: { kind: 'client_credentials', clientId: fixtures.clients.private.clientId, clientSecret: fixtures.clients.private.clientSecret },
      http: { timeoutMs: 5_000 },
    });
    if (E.isLeft(admin)) throw new Error(admin.left.message);
    const subscribed = await admin.right.createWebhook({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, secret, types: ['order.created', 'order.updated'] })();
    if (E.isLeft(subscribed)) throw new Error(subscribed.left.message);

    const signer = viemSigner(privateKeyToAccount(wallet.privateKey));
    const gateway = moneriumV2Gateway(client.right, { signer, chain: wallet.chains[0] ?? 'sepolia', profile: user.defaultProfile, ...(feed === 'webhooks' ? { webhooks: receiver.right } : {}) });
    sandbox.admin.clearRequests();
    return {
      gateway,
      sandbox,
      secrets: [
        ...fixtures.users.map((u) => u.password),
        fixtures.clients.private.clientSecret,
        fixtures.clients.whitelabel.clientSecret,
        wallet.privateKey,
        secret,
        session.right.tokens.accessToken,
        ...(session.right.tokens.refreshToken === undefined ? [] : [session.right.tokens.refreshToken]),
      ],
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      revokeCredentials: async () => sandbox.admin.monerium.revokeAll(),
      triggerPaymentEvent: async () => {
        sandbox.admin.monerium.v2.incomingPayment({ iban: iban.iban, amount: '12.5' });
      },
      teardown: async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await sandbox.close();
      },
    };
  },
});
}
