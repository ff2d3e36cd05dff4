import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runContractTests } from '@paygate/contract-tests';
import { createMemoryTokenStore } from '@paygate/core';
import { startSandbox } from '@paygate/sandbox';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { createMoneyButtonClient, moneyButtonGateway } from '../src/index.js';
import { signInHeadless } from './_setup.js';

const REQUEST_TIMEOUT_MS = 500;

runContractTests(test, {
  name: 'moneybutton',
  capabilities: ['balances', 'payments', 'watch'],
  setup: async () => {
    const sandbox = await startSandbox({ providers: ['moneybutton'] });
    const { app, otherApp, users } = sandbox.fixtures.moneybutton;
    // Sign in with the default timeout (a busy machine must not fail the setup), then work
    // through a client on the same session with the short timeout the suite exercises.
    const tokenStore = createMemoryTokenStore();
    const { refreshToken, accessToken } = await signInHeadless(sandbox, { settings: { tokenStore } });
    const created = createMoneyButtonClient({
      baseUrl: sandbox.urls.moneybutton,
      clientId: app.clientId,
      scope: [],
      tokenStore,
      http: { timeoutMs: REQUEST_TIMEOUT_MS, backoffBaseMs: 5, maxBackoffMs: 20 },
    });
    if (E.isLeft(created)) throw new Error(created.left.message);
    const client = created.right;
    const gateway = moneyButtonGateway(client, { webhook: { secret: app.webhookSecret } });
    const handler = gateway.webhookHandler;
    if (handler === undefined) throw new Error('the gateway exposes no webhook handler');
    const server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    sandbox.admin.moneybutton.setWebhookUrl(`http://127.0.0.1:${port}/webhooks/moneybutton`);
    sandbox.admin.clearRequests();
    return {
      gateway,
      sandbox,
      secrets: [
        app.clientSecret,
        app.webhookSecret,
        otherApp.clientSecret,
        refreshToken,
        accessToken,
        ...users.map((user) => user.password),
      ],
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      revokeCredentials: async () => sandbox.admin.moneybutton.revokeAll(),
      triggerPaymentEvent: async () => {
        await sandbox.admin.moneybutton.pay({ toUserId: users[0].id, amount: '2.5', currency: 'USD' }).delivered;
      },
      teardown: async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await sandbox.close();
      },
    };
  },
});
