import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { startSandbox } from '@paygate/sandbox';
import type { Command, PlaceIssueOrders, Ready, RemoteSandboxOptions, Reply } from './remote-sandbox.js';

// Entry point of the process `startRemoteSandbox` forks: a Monerium-only sandbox driven over IPC.

const send = (message: Ready | Reply): void => {
  process.send?.(message);
};

const { seed, ...monerium } = JSON.parse(process.argv[2] ?? '{}') as RemoteSandboxOptions;
const sandbox = await startSandbox({ providers: ['monerium'], seed: seed ?? 1, monerium });
const target = sandbox.fixtures.monerium.addresses[0];
if (target === undefined) throw new Error('the sandbox seeded no linked address');
let sequence = 0;
/** Orders this process placed that are still `placed`. */
const stillPlaced = new Set<string>();

const placeOne = (): void => {
  const sentAt = performance.timeOrigin + performance.now();
  const order = sandbox.admin.monerium.placeIssueOrder({
    profile: target.profile,
    address: target.address,
    amount: '1.00',
    currency: 'eur',
    memo: `bench ${sequence++} ${sentAt.toFixed(3)}`,
  });
  stillPlaced.add(order.id);
};

const placeIssueOrders = async ({ count, perSecond, burst = 250 }: PlaceIssueOrders) => {
  const started = performance.now();
  let placed = 0;
  while (placed < count) {
    if (perSecond === undefined) {
      const until = Math.min(count, placed + burst);
      while (placed < until) {
        placeOne();
        placed++;
      }
      // Lets the websocket writes go out between bursts instead of queueing all of them first.
      await nextTurn();
      continue;
    }
    const due = Math.min(count, Math.floor(((performance.now() - started) / 1000) * perSecond) + 1);
    while (placed < due) {
      placeOne();
      placed++;
    }
    if (placed < count) await sleep(1);
  }
  return { count: placed, elapsedMs: performance.now() - started, finishedAt: performance.timeOrigin + performance.now() };
};

const run = async (command: Command): Promise<unknown> => {
  switch (command.op) {
    case 'requestCount':
      return sandbox.admin
        .requests()
        .filter((request) => request.method === command.method && request.path === command.path).length;
    case 'tokenGrants':
      return sandbox.admin
        .requests()
        .filter((request) => request.method === 'POST' && request.path === '/auth/token')
        .map((request) => new URLSearchParams(request.body).get('grant_type') ?? '(none)');
    case 'clearRequests':
      return sandbox.admin.clearRequests();
    case 'expireAccessTokens':
      return sandbox.admin.monerium.expireAccessTokens();
    case 'placeIssueOrders':
      return placeIssueOrders(command.options);
    case 'rejectPlaced': {
      const ids = [...stillPlaced];
      stillPlaced.clear();
      for (const id of ids) sandbox.admin.monerium.rejectOrder(id, 'benchmark round over');
      return ids.length;
    }
    case 'setFaults':
      return sandbox.admin.faults.set(command.rules);
    case 'close':
      await sandbox.close();
      setImmediate(() => process.exit(0));
      return undefined;
  }
};

process.on('message', (message: { id: number; command: Command }) => {
  run(message.command).then(
    (value) => send({ id: message.id, ok: true, value }),
    (error: unknown) => send({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
// The benchmark died or finished without closing us: nothing should keep a port open.
process.on('disconnect', () => {
  void sandbox.close().finally(() => process.exit(0));
});

send({ ready: true, baseUrl: sandbox.urls.monerium, fixtures: sandbox.fixtures.monerium });
