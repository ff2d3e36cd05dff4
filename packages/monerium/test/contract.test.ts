import { runContractTests } from '@paygate/contract-tests';
import { completeAuthorizationHeadless, startSandbox } from '@paygate/sandbox';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { privateKeyToAccount } from 'viem/accounts';
import { moneriumGateway, signerFromViemAccount } from '../src/index.js';
import { environmentOf, REDIRECT_URI, newClient } from './_sandbox.js';

const REQUEST_TIMEOUT_MS = 500;

runContractTests(test, {
  name: 'monerium',
  capabilities: ['balances', 'payments', 'pay', 'watch'],
  setup: async () => {
    const sandbox = await startSandbox({ providers: ['monerium'], monerium: { orderTransitionMs: 50 } });
    const { users, clients, addresses } = sandbox.fixtures.monerium;
    const user = users[0];
    const wallet = addresses.find((a) => a.profile === user?.defaultProfile);
    if (user === undefined || wallet === undefined) throw new Error('the sandbox seeds a user with a linked address');
    const client = newClient({
      environment: environmentOf(sandbox),
      auth: { kind: 'authorization_code', clientId: clients.public.clientId, redirectUri: REDIRECT_URI, scope: 'orders:read orders:write' },
      http: { timeoutMs: REQUEST_TIMEOUT_MS, backoffBaseMs: 5, maxBackoffMs: 20 },
    });
    const pending = client.authorizationUrl();
    if (E.isLeft(pending)) throw new Error(pending.left.message);
    const callback = await completeAuthorizationHeadless(pending.right.url, { email: user.email, password: user.password, redirectUri: REDIRECT_URI });
    const session = await client.finishAuthorization(callback, pending.right)();
    if (E.isLeft(session)) throw new Error(session.left.message);
    const signer = signerFromViemAccount(privateKeyToAccount(wallet.privateKey));
    const chain = wallet.chains[0] ?? 'ethereum';
    const gateway = moneriumGateway(client, { signer, address: wallet.address, chain, network: sandbox.fixtures.monerium.networks[chain], profile: user.defaultProfile });
    sandbox.admin.clearRequests();
    return {
      gateway,
      sandbox,
      secrets: [
        ...users.map((u) => u.password),
        clients.confidential.clientSecret,
        wallet.privateKey,
        session.right.tokens.accessToken,
        ...(session.right.tokens.refreshToken === undefined ? [] : [session.right.tokens.refreshToken]),
      ],
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      revokeCredentials: async () => sandbox.admin.monerium.revokeAll(),
      triggerPaymentEvent: async () => {
        sandbox.admin.monerium.placeIssueOrder({ profile: user.defaultProfile, address: wallet.address, amount: '12.5', currency: 'eur', chain });
      },
      teardown: () => sandbox.close(),
    };
  },
});
