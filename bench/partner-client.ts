import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { GatewayError } from '@paygate/core';
import { createMoneriumClient, type MoneriumClient, type MoneriumClientSettings } from '@paygate/monerium';
import type { RemoteSandbox } from './remote-sandbox.js';

/**
 * A `@paygate/monerium` client of the sandbox's partner (confidential) client: client credentials,
 * access to both seeded profiles, read and write. Every other setting is the library's default.
 * Throws on refused settings: a benchmark stops at the first failure.
 */
export const createPartnerClient = (
  sandbox: RemoteSandbox,
  settings: Partial<Omit<MoneriumClientSettings, 'environment' | 'auth'>> = {},
): MoneriumClient => {
  const { clientId, clientSecret } = sandbox.fixtures.clients.confidential;
  const created = createMoneriumClient({
    environment: { baseUrl: sandbox.baseUrl, wsUrl: sandbox.wsUrl },
    auth: { kind: 'client_credentials', clientId, clientSecret },
    ...settings,
  });
  if (E.isLeft(created)) throw new Error(`${created.left._tag}: ${created.left.message}`);
  return created.right;
};

/** Runs a TaskEither and throws on `Left`: a benchmark stops at the first failed operation. */
export const orThrow = async <A>(task: TE.TaskEither<GatewayError, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`${result.left._tag}: ${result.left.message}`);
  return result.right;
};
