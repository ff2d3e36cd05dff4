import { moneriumGateway } from '@paygate/monerium';
import got from 'got';
import { runLoad } from './load.js';
import { createPartnerClient, orThrow } from './partner-client.js';
import { startRemoteSandbox } from './remote-sandbox.js';
const which = process.argv[2] ?? 'paygate';
const op = process.argv[3] ?? 'balances';
const sandbox = await startRemoteSandbox({ autoProcessOrders: false });
const client = createPartnerClient(sandbox);
const gateway = moneriumGateway(client);
const { accessToken } = (await orThrow(client.session())).tokens;
const authorization = `Bearer ${accessToken}`;
const path = op === 'balances' ? '/balances' : '/orders';
const f = which === 'raw'
  ? async () => { await got(`${sandbox.baseUrl}${path}`, { headers: { authorization } }).json(); }
  : op === 'balances' ? async () => { await orThrow(gateway.balances()); } : async () => { await orThrow(client.orders()); };
await runLoad(f, { operations: 300, concurrency: 1 });
const r = await runLoad(f, { operations: 3000, concurrency: 1 });
console.log(which, op, 'cpu/op us', r.cpuUs / 3000, 'elapsed/op us', r.elapsedNs / 3000 / 1000);
await sandbox.close();
