import { randomBytes } from 'node:crypto';
import { startSandbox } from '@paygate/sandbox';
import { createWebLoginApp } from './app.js';

/**
 * The runnable demo: a paygate sandbox (Monerium and Money Button emulators) and the app in
 * front of it. `PORT` picks the app's port (default 3000), `SANDBOX_PORT` the sandbox's (default any).
 */
const sandbox = await startSandbox({ providers: ['monerium', 'moneybutton'], port: Number(process.env.SANDBOX_PORT ?? 0) });
const app = createWebLoginApp({
  monerium: { environment: { baseUrl: sandbox.urls.monerium }, clientId: sandbox.fixtures.monerium.clients.public.clientId },
  moneybutton: { baseUrl: sandbox.urls.moneybutton, clientId: sandbox.fixtures.moneybutton.app.clientId },
  sessionSecret: randomBytes(32).toString('base64url'),
});
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 3000) });

const address = app.server.address();
const port = address !== null && typeof address === 'object' ? address.port : 0;
// The sandbox's seeded demo users (throwaway local accounts), as `paygate-sandbox` prints them too.
const accounts = [
  ...sandbox.fixtures.monerium.users.map((u) => `  Monerium      ${u.email} / ${u.password}`),
  ...sandbox.fixtures.moneybutton.users.map((u) => `  Money Button  ${u.email} / ${u.password}`),
];
process.stdout.write(`web-login: http://127.0.0.1:${port}\nsandbox:   ${sandbox.urls.monerium.replace(/\/monerium$/, '')}\nsandbox accounts:\n${accounts.join('\n')}\n`);

const stop = async () => {
  await app.close();
  await sandbox.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
