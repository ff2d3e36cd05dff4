// Cold start of @paygate/monerium: import, then the first balances() as a partner (client credentials).
import { finish, mark, settings } from './common.mjs';

const started = performance.now();
const { createMoneriumClient } = await import('@paygate/monerium');
const imported = performance.now();
mark('import');
const client = createMoneriumClient({
  environment: { baseUrl: settings.baseUrl, wsUrl: settings.wsUrl },
  auth: { kind: 'client_credentials', clientId: settings.clientId, clientSecret: settings.clientSecret },
});
const result = await client.balances()();
finish(started, imported, result._tag === 'Right');
