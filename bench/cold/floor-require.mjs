// The floor again, with fp-ts and io-ts loaded by require() (as paygate's bundles load them) instead
// of an ES import: Node's ESM loader detects and lexes every CommonJS file it imports, require() does
// not. got is ESM-only, so it stays an import. Same two requests as floor.mjs.
import { createRequire } from 'node:module';
import { finish, mark, settings } from './common.mjs';

const started = performance.now();
const require = createRequire(import.meta.url);
const { default: got } = await import('got');
const TE = require('fp-ts/lib/TaskEither.js');
const t = require('io-ts/lib/index.js');
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
