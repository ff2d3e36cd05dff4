// One app instance, run as a child process: a Monerium client on the shared Redis store that
// fires `requests` concurrent balance calls when the parent says go, and reports the outcome.
import * as E from 'fp-ts/lib/Either.js';
import type { TokenSet } from '@paygate/core';
import { createMoneriumClient } from '@paygate/monerium';
import { createRedisTokenStore } from '../src/index.js';

export interface WorkerInput {
  readonly redisUrl: string;
  readonly baseUrl: string;
  readonly clientId: string;
  readonly tokens: TokenSet;
  readonly requests: number;
}

export type WorkerMessage = { readonly ready: true } | { readonly ok: number; readonly errors: ReadonlyArray<string> };

const input = JSON.parse(process.argv[2] ?? '{}') as WorkerInput;
// The test is about one refresh under contention, not about Redis latency: with CI running every
// suite at once on two cores, a command can wait past the 1 s default before this process runs it.
const tokenStore = createRedisTokenStore({ redis: input.redisUrl, commandTimeoutMs: 10_000 });
const created = createMoneriumClient({
  environment: { baseUrl: input.baseUrl, wsUrl: input.baseUrl.replace(/^http/, 'ws') },
  auth: { kind: 'tokens', tokens: input.tokens, clientId: input.clientId },
  tokenStore,
});
if (E.isLeft(created)) throw new Error(`settings refused: ${created.left.message}`);
const client = created.right;

const send = (message: WorkerMessage) => new Promise<void>((resolve) => process.send?.(message, () => resolve()));

process.once('message', async () => {
  const results = await Promise.all(Array.from({ length: input.requests }, () => client.balances()()));
  const errors = results.flatMap((r) => (E.isLeft(r) ? [`${r.left._tag}: ${r.left.message}`] : []));
  await send({ ok: results.length - errors.length, errors: errors.slice(0, 5) });
  await tokenStore.close()();
  process.disconnect();
});
await send({ ready: true });
