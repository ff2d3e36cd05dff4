import { randomBytes } from 'node:crypto';
import { type Sandbox, startSandbox } from '@paygate/sandbox';
import type { TokenStore } from '@paygate/core';
import type { FastifyInstance } from 'fastify';
import { createWebLoginApp } from '../src/app.js';

export interface Running {
  readonly sandbox: Sandbox;
  readonly app: FastifyInstance;
  /** The app's origin, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  close(): Promise<void>;
}

/** A sandbox with both providers and the app in front of it, each on its own ephemeral port. */
export const startApp = async (options: { readonly tokenStore?: TokenStore } = {}): Promise<Running> => {
  const sandbox = await startSandbox({ providers: ['monerium', 'moneybutton'] });
  const app = createWebLoginApp({
    monerium: { environment: { baseUrl: sandbox.urls.monerium }, clientId: sandbox.fixtures.monerium.clients.public.clientId },
    moneybutton: { baseUrl: sandbox.urls.moneybutton, clientId: sandbox.fixtures.moneybutton.app.clientId },
    sessionSecret: randomBytes(32).toString('hex'),
    ...(options.tokenStore === undefined ? {} : { tokenStore: options.tokenStore }),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the app has no TCP address');
  return {
    sandbox,
    app,
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await app.close();
      await sandbox.close();
    },
  };
};
