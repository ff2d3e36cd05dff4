import { runContractTests } from '@paygate/contract-tests';
import test from 'ava';
import { moneyNsGateway } from '../src/index.js';
import { platformClient, startWorld } from './_setup.js';

const REQUEST_TIMEOUT_MS = 500;

runContractTests(test, {
  name: 'moneyns',
  capabilities: ['checkout'],
  setup: async () => {
    const world = await startWorld();
    const gateway = moneyNsGateway(platformClient(world, { http: { timeoutMs: REQUEST_TIMEOUT_MS } }));
    return {
      gateway,
      sandbox: world.sandbox,
      secrets: [
        world.platform.privateKeyPem,
        ...world.platform.privateKeyPem.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----')),
        ...Object.values(world.users).map((user) => user.password),
      ],
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      revokeCredentials: async () => world.sandbox.admin.moneyns.revokeAll(),
      teardown: () => world.close(),
    };
  },
});
