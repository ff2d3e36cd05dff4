// Cold start of @paygate/monerium: import, then the first balances() as a partner (client credentials).
import { finish, mark, settings } from './common.mjs';

const started = performance.now();
const { createMoneriumClient } = await import('@paygate/monerium');
const imported = performance.now();
mark('import');
const created = createMoneriumClient({
  environment: { baseUrl: settings.baseUrl, wsUrl: settings.wsUrl },
  auth: { kind: 'client_credentials', clientId: settings.clientId, clientSecret: settings.clientSecret },
});
const result = created._tag === 'Right' ? await created.right.balances()() : created;
finish(started, imported, result._tag === 'Right');
