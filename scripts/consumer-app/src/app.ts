// A user's app, type-checked and run by scripts/test/consumer-smoke.test.ts in a plain npm
// project that installed the packed tarballs. It touches every package's public surface.
import type { ContractOptions } from '@paygate/contract-tests';
import { createMemoryTokenStore, createRegistry, type GatewayError, match } from '@paygate/core';
import { adapter as monerium, createMoneriumClient } from '@paygate/monerium';
import { adapter as moneyButton } from '@paygate/moneybutton';
import { adapter as moneyNs } from '@paygate/moneyns';
import { completeAuthorizationHeadless, type Sandbox, startSandbox } from '@paygate/sandbox';
import type { RedisTokenStoreOptions } from '@paygate/token-store-redis';
import * as E from 'fp-ts/lib/Either.js';

const describe = match<string>({
  InvalidInput: (e) => `InvalidInput ${e.field}`,
  AuthError: (e) => `AuthError ${e.reason}`,
  ProviderError: (e) => `ProviderError ${e.status}`,
  DecodeError: (e) => `DecodeError ${e.path}`,
  TransportError: (e) => `TransportError ${e.kind}`,
  Unsupported: (e) => `Unsupported ${e.capability}`,
});

const signInAndReadBalances = async (sandbox: Sandbox): Promise<E.Either<GatewayError | string, number>> => {
  const { users, clients } = sandbox.fixtures.monerium;
  const alice = users[0];
  if (alice === undefined) return E.left('no seeded user');
  const redirectUri = 'http://127.0.0.1:3000/callback';
  const created = createMoneriumClient({
    environment: { baseUrl: sandbox.urls.monerium },
    auth: { kind: 'authorization_code', clientId: clients.public.clientId, redirectUri },
    tokenStore: createMemoryTokenStore(),
  });
  if (E.isLeft(created)) return created;
  const client = created.right;
  const pending = client.authorizationUrl();
  if (E.isLeft(pending)) return pending;
  const callbackUrl = await completeAuthorizationHeadless(pending.right.url, { email: alice.email, password: alice.password, redirectUri });
  const session = await client.finishAuthorization(callbackUrl, pending.right)();
  if (E.isLeft(session)) return session;
  const balances = await client.balances()();
  return E.isLeft(balances) ? balances : E.right(balances.right.length);
};

const sandbox = await startSandbox({ providers: ['monerium'] });
try {
  const balances = await signInAndReadBalances(sandbox);
  const registry = createRegistry([monerium, moneyButton, moneyNs]);
  const refused = registry.create({ provider: 'monerium', environment: 'production', auth: { kind: 'client_credentials' } });
  const redisOptions: Pick<RedisTokenStoreOptions, 'redis'> = { redis: 'redis://127.0.0.1:6379' };
  const contract: Pick<ContractOptions, 'name'> = { name: 'consumer' };
  console.log(
    JSON.stringify({
      balances: E.isRight(balances) ? balances.right : typeof balances.left === 'string' ? balances.left : describe(balances.left),
      refused: E.isLeft(refused) ? describe(refused.left) : 'created',
      typesOnly: [typeof redisOptions.redis, contract.name],
    }),
  );
} finally {
  await sandbox.close();
}
