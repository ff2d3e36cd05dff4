import { randomBytes } from 'node:crypto';
import { type Sandbox, startSandbox } from '@paygate/sandbox';
import { createMemoryTokenStore, type TokenStore } from '@paygate/core';
import type { FastifyInstance } from 'fastify';
import { createWebLoginApp } from '../src/app.js';
import { createSessionStore } from '../src/sessions.js';

export interface Running {
  readonly sandbox: Sandbox;
  readonly app: FastifyInstance;
  /** The app's origin, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** How many browser sessions the app holds. */
  sessions(): number;
  close(): Promise<void>;
}

/** A sandbox with both providers and the app in front of it, each on its own ephemeral port. */
export const startApp = async (options: { readonly tokenStore?: TokenStore; readonly maxSessions?: number } = {}): Promise<Running> => {
  const sandbox = await startSandbox({ providers: ['monerium', 'moneybutton'] });
  const sessionStore = createSessionStore({
    tokenStore: options.tokenStore ?? createMemoryTokenStore(),
    ...(options.maxSessions === undefined ? {} : { maxSessions: options.maxSessions }),
  });
  const app = createWebLoginApp({
    monerium: { environment: { baseUrl: sandbox.urls.monerium }, clientId: sandbox.fixtures.monerium.clients.public.clientId },
    moneybutton: { baseUrl: sandbox.urls.moneybutton, clientId: sandbox.fixtures.moneybutton.app.clientId },
    sessionSecret: randomBytes(32).toString('hex'),
    sessionStore,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the app has no TCP address');
  return {
    sandbox,
    app,
    url: `http://127.0.0.1:${address.port}`,
    sessions: () => sessionStore.size(),
    close: async () => {
      await app.close();
      await sandbox.close();
    },
  };
};
