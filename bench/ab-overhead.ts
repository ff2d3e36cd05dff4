// Paired A/B for issue 18: raw got, a base build of @paygate/monerium and the current build in one
// process, rotated rounds, client CPU/op (user + system, and user alone) per side; medians of the
// per-round paired ratios and ratios of the sums. The base build is two copied bundles (see the
// README's issue-18 notes: bench/dist/ab/base/{core,monerium}, monerium's `@paygate/core` imports
// pointed at the copied core):
//
//   node --import tsx bench/ab-overhead.ts bal|ord <concurrency> <rounds> [operations per round]
import got from 'got';
import * as E from 'fp-ts/lib/Either.js';
import * as cur from '@paygate/monerium';

import { startRemoteSandbox } from './remote-sandbox.js';
import { roundRobin } from './rounds.js';

const base = (await import(process.env.AB_BASE ?? './dist/ab/base/monerium/index.js')) as typeof cur;
const [op = 'bal', concArg = '64', roundsArg = '10', nArg = ''] = process.argv.slice(2);
const conc = Number(concArg);
const n = nArg === '' ? (conc === 1 ? 500 : 2000) : Number(nArg);
const runLoad = async (operation: () => Promise<void>, { operations, concurrency }: { operations: number; concurrency: number }) => {
  let started = 0;
  const worker = async () => { while (started < operations) { started++; await operation(); } };
  const cpu0 = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const cpu = process.cpuUsage(cpu0);
  return { user: cpu.user / operations, total: (cpu.user + cpu.system) / operations };
};
const sandbox = await startRemoteSandbox({ autoProcessOrders: false });
const make = (m: typeof cur) => {
  const { clientId, clientSecret } = sandbox.fixtures.clients.confidential;
  const created = m.createMoneriumClient({
    environment: { baseUrl: sandbox.baseUrl, wsUrl: sandbox.wsUrl },
    auth: { kind: 'client_credentials', clientId, clientSecret },
  });
  if (E.isLeft(created)) throw new Error(created.left.message);
  return { client: created.right, gateway: m.moneriumGateway(created.right) };
};
const ok = async (task: () => Promise<E.Either<unknown, unknown>>) => {
  const r = await task();
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left));
};
try {
  const A = make(base);
  const B = make(cur);
  const s = await B.client.session()();
  if (E.isLeft(s)) throw new Error('session');
  const authorization = `Bearer ${s.right.tokens.accessToken}`;
  const path = op === 'bal' ? '/balances' : '/orders';
  const raw = async () => {
    await got(`${sandbox.baseUrl}${path}`, { headers: { authorization } }).json();
  };
  const side = (x: ReturnType<typeof make>) =>
    op === 'bal' ? () => ok(x.gateway.balances()) : () => ok(x.client.orders());
  const fns = [raw, side(A), side(B)];
  const results = await roundRobin(
    fns.map((fn) => () => runLoad(fn, { operations: n, concurrency: conc })),
    { rounds: Number(roundsArg), warmup: 1 },
  );
  const report = (label: string, cpu: number[][]) => {
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length / 2) - 1] ?? NaN;
  const ratio = (i: number, j: number) => med(cpu[i]!.map((v, k) => v / cpu[j]![k]!));
  const sum = (i: number) => cpu[i]!.reduce((a, b) => a + b, 0);
  const us = (i: number) => med(cpu[i]!).toFixed(0);
  console.log(`  ${label}: raw ${us(0)}µs base ${us(1)}µs new ${us(2)}µs | median paired base/raw ${ratio(1, 0).toFixed(3)} new/raw ${ratio(2, 0).toFixed(3)} new/base ${ratio(2, 1).toFixed(3)} | sums base/raw ${(sum(1) / sum(0)).toFixed(3)} new/raw ${(sum(2) / sum(0)).toFixed(3)} new/base ${(sum(2) / sum(1)).toFixed(3)}`);
  };
  const load = (await import('node:os')).loadavg().map((x) => x.toFixed(1)).join('/');
  console.log(`${op} c=${conc} n=${n} rounds=${roundsArg} load=${load}`);
  report('total', results.map((runs) => runs.map((r) => r.total)));
  report('user ', results.map((runs) => runs.map((r) => r.user)));
} finally {
  await sandbox.close();
}
