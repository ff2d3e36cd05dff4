// The floor of paygate's dependencies: import got, fp-ts and io-ts, then make the same two requests
// (client-credentials token, GET /balances) with got and decode the answer with io-ts in a TaskEither.
import { finish, mark, settings } from './common.mjs';

const started = performance.now();
const { default: got } = await import('got');
const TE = await import('fp-ts/lib/TaskEither.js');
const t = await import('io-ts/lib/index.js');
const imported = performance.now();
mark('import');
const Balances = t.array(t.type({ address: t.string, chain: t.string, network: t.string, balances: t.array(t.type({ currency: t.string, amount: t.string })) }));
const call = TE.tryCatch(async () => {
  const token = await got
    .post(`${settings.baseUrl}/auth/token`, {
      form: { grant_type: 'client_credentials', client_id: settings.clientId, client_secret: settings.clientSecret },
      timeout: { request: 10_000 },
    })
    .json();
  const body = await got(`${settings.baseUrl}/balances`, { headers: { authorization: `Bearer ${token.access_token}` }, timeout: { request: 10_000 } }).json();
  return Balances.decode(body);
}, String);
const result = await call();
finish(started, imported, result._tag === 'Right' && result.right._tag === 'Right');
