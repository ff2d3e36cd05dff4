// Paygate's own CPU per call with the network stubbed out: a fake got answers at once with a body
// recorded from the sandbox; the floor is the fake got plus JSON.parse. The base build is the one
// ab-overhead.ts uses (bench/dist/ab/base, see the README's issue-18 notes):
//
//   node --import tsx bench/overhead-stub.ts bal|ord <concurrency> <rounds> <operations>
import got from 'got';
import * as E from 'fp-ts/lib/Either.js';
import * as cur from '@paygate/monerium';
import { cpuPerOperation, runLoad } from './load.js';
import { startRemoteSandbox } from './remote-sandbox.js';
import { roundRobin } from './rounds.js';

const base = (await import(process.env.AB_BASE ?? './dist/ab/base/monerium/index.js')) as typeof cur;
const [op = 'bal', concArg = '64', roundsArg = '10', nArg = '20000'] = process.argv.slice(2);
// The body is recorded once from the sandbox, then every call is answered from memory.
const sandbox = await startRemoteSandbox({ autoProcessOrders: false });
const recorded = await (async () => {
  try {
    const created = cur.createMoneriumClient({
      environment: { baseUrl: sandbox.baseUrl, wsUrl: sandbox.wsUrl },
      auth: { kind: 'client_credentials', ...sandbox.fixtures.clients.confidential },
    });
    if (E.isLeft(created)) throw new Error(created.left.message);
    const session = await created.right.session()();
    if (E.isLeft(session)) throw new Error(session.left.message);
    const response = await got(`${sandbox.baseUrl}/${op === 'bal' ? 'balances' : 'orders'}`, {
      headers: { authorization: `Bearer ${session.right.tokens.accessToken}` },
    });
    return { headers: response.headers, body: response.body };
  } finally {
    await sandbox.close();
  }
})();
const fakeGot = ((_url: string, _init: unknown) => Promise.resolve({ statusCode: 200, headers: { ...recorded.headers }, body: recorded.body })) as unknown as cur.MoneriumHttpSettings['got'] & { extend: () => unknown };
(fakeGot as unknown as { extend: () => unknown }).extend = () => fakeGot;
const make = (m: typeof cur) => {
  const created = m.createMoneriumClient({
    environment: { baseUrl: 'http://127.0.0.1:1/monerium' },
    auth: { kind: 'tokens', tokens: { accessToken: 'a'.repeat(40), tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000, extra: {} } as never },
    http: { got: fakeGot },
  });
  if (E.isLeft(created)) throw new Error(created.left.message);
  return { client: created.right, gateway: m.moneriumGateway(created.right) };
};
const ok = async (task: () => Promise<E.Either<unknown, unknown>>) => {
  const r = await task();
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left));
};
const A = make(base);
const B = make(cur);
const floor = async () => {
  const r = await fakeGot('x', {});
  JSON.parse((r as unknown as { body: string }).body);
};
const side = (x: ReturnType<typeof make>) => (op === 'bal' ? () => ok(x.gateway.balances()) : () => ok(x.client.orders()));
const fns = [floor, side(A), side(B)];
const conc = Number(concArg);
const results = await roundRobin(fns.map((fn) => () => runLoad(fn, { operations: Number(nArg), concurrency: conc })), { rounds: Number(roundsArg), warmup: 2 });
const cpu = results.map((runs) => runs.map(cpuPerOperation));
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length / 2) - 1] ?? NaN;
const us = (i: number) => (med(cpu[i]!) / 1000).toFixed(2);
const over = (i: number) => (med(cpu[i]!.map((v, k) => v - cpu[0]![k]!)) / 1000).toFixed(2);
const load = (await import('node:os')).loadavg().map((x) => x.toFixed(1)).join('/');
console.log(`${op} c=${conc} load=${load}  floor ${us(0)}µs base ${us(1)}µs (+${over(1)}) new ${us(2)}µs (+${over(2)}) new/base ${med(cpu[2]!.map((v, k) => v / cpu[1]![k]!)).toFixed(3)}`);
