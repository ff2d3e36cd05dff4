// Cold start of @monerium/sdk 2.15.0: import, getAccess() with client credentials, getBalances().
// The SDK has no base-URL option: its sandbox host is rewritten to ours in the global fetch.
import { finish, mark, settings } from './common.mjs';

const started = performance.now();
const SDK_SANDBOX_API = 'https://api.monerium.dev';
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  return url.startsWith(SDK_SANDBOX_API) ? realFetch(`${settings.baseUrl}${url.slice(SDK_SANDBOX_API.length)}`, init) : realFetch(input, init);
};
const { MoneriumClient } = await import('@monerium/sdk');
const imported = performance.now();
mark('import');
const sdk = new MoneriumClient({ environment: 'sandbox', clientId: settings.clientId, clientSecret: settings.clientSecret });
let ok = false;
try {
  ok = (await sdk.getAccess()) && Array.isArray(await sdk.getBalances());
} catch {
  ok = false;
}
finish(started, imported, ok);
