// The floor's first call, shared by floor.mjs and floor-require.mjs (which differ only in how they
// load fp-ts and io-ts): a client-credentials token and GET /balances with got, the answer decoded
// with io-ts inside a TaskEither. Imports nothing itself, so loading it costs the floor nothing.
import { finish, mark, settings } from './common.mjs';

export const floorCall = async (started, { got, TE, t }) => {
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
};
