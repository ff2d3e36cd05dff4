// One app instance, run as a child process: a TokenManager on the shared Redis store whose
// refresh goes to a real (slow) token endpoint. On "go" it asks for an access token and reports.
import * as E from 'fp-ts/lib/Either.js';
import { createTokenManager, refreshTokenGrant } from '@paygate/core';
import { createRedisTokenStore } from '../src/index.js';

export interface RefreshWorkerInput {
  readonly redisUrl: string;
  readonly tokenEndpoint: string;
  readonly key: string;
  readonly lockTtlMs: number;
}

export type RefreshWorkerMessage = { readonly ready: true } | { readonly result: E.Either<string, string> };

const input = JSON.parse(process.argv[2] ?? '{}') as RefreshWorkerInput;
const store = createRedisTokenStore({ redis: input.redisUrl });
const origin = new URL(input.tokenEndpoint).origin;
const server = { issuer: origin, authorizationEndpoint: `${origin}/authorize`, tokenEndpoint: input.tokenEndpoint };
const manager = createTokenManager({
  key: input.key,
  store,
  lockTtlMs: input.lockTtlMs,
  refresh: (tokens) =>
    refreshTokenGrant(server, { clientId: 'worker-client', clientAuth: 'none' }, tokens.refreshToken ?? '', {}, { timeoutMs: 10_000 }),
});

const send = (message: RefreshWorkerMessage) => new Promise<void>((resolve) => process.send?.(message, () => resolve()));

process.once('message', async () => {
  const token = await manager.getAccessToken()();
  await send({ result: E.isRight(token) ? E.right(token.right) : E.left(`${token.left._tag}: ${token.left.message}`) });
  await store.close()();
  process.disconnect();
});
await send({ ready: true });
