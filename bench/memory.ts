import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { moneriumGateway } from '@paygate/monerium';
import { count, QUICK } from './config.js';
import { runLoad } from './load.js';
import { type Feed, openPaygateFeed } from './order-feeds.js';
import { createPartnerClient, orThrow } from './partner-client.js';
import { startRemoteSandbox } from './remote-sandbox.js';
import { type Goal, progress, publish, runShape } from './report.js';
import { formatBytes, formatCount } from './stats.js';

// 6. Heap and RSS after 100,000 requests and 100,000 websocket events.

const REQUESTS = count(100_000, 200, 100);
const EVENTS = count(100_000, 200, 100);
/** Snapshots per phase (one in the quick smoke run). */
const STEPS = QUICK ? 1 : 5;
const CONCURRENCY = 32;
const WARMUP = count(2_000, 100, 100);
const LIMIT = 10 * 1024 * 1024;

/** `global.gc` when run with --expose-gc (run.js does); otherwise the flag is set now and gc fetched from a fresh context. */
const collect: () => void = (() => {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

interface Snapshot {
  readonly label: string;
  readonly requests: number;
  readonly events: number;
  readonly heapUsed: number;
  readonly rss: number;
  readonly external: number;
}

const snapshot = (label: string, requests: number, events: number): Snapshot => {
  collect();
  collect();
  const usage = process.memoryUsage();
  return { label, requests, events, heapUsed: usage.heapUsed, rss: usage.rss, external: usage.external + usage.arrayBuffers };
};

const sandbox = await startRemoteSandbox({ autoProcessOrders: false });
try {
  const client = createPartnerClient(sandbox);
  const gateway = moneriumGateway(client);
  const target = sandbox.fixtures.addresses[0];
  const someOrder = sandbox.fixtures.orders[0];
  if (target === undefined || someOrder === undefined) throw new Error('the fixtures lack an address or an order');

  let received = 0;
  let waiter: { until: number; resolve: () => void } | undefined;
  let feed: Feed | undefined = await openPaygateFeed(client, { profile: target.profile }, {
    onMemo: (memo) => {
      if (!memo.startsWith('bench ')) return;
      received++;
      if (waiter !== undefined && received >= waiter.until) waiter.resolve();
    },
  });
  const events = async (n: number) => {
    const reached = new Promise<void>((resolve) => {
      waiter = { until: received + n, resolve };
    });
    await sandbox.placeIssueOrders({ count: n });
    await reached;
  };
  let sent = 0;
  const requests = async (n: number) => {
    await runLoad(
      async () => {
        // Alternating a list and a single read: different codecs, both through the token manager.
        if (sent++ % 2 === 0) await orThrow(gateway.balances());
        else await orThrow(gateway.payment(someOrder.id));
      },
      { operations: n, concurrency: CONCURRENCY },
    );
  };

  progress(`warm-up: ${WARMUP} requests and ${WARMUP} events`);
  await requests(WARMUP);
  await events(WARMUP);
  await sandbox.clearRequests();
  const baseline = snapshot('after warm-up (baseline)', 0, 0);
  const snapshots: Snapshot[] = [baseline];

  for (let step = 1; step <= STEPS; step++) {
    progress(`requests ${formatCount((REQUESTS * step) / STEPS)} of ${formatCount(REQUESTS)}`);
    await requests(REQUESTS / STEPS);
    // The sandbox records every request; its log is not ours to keep growing.
    await sandbox.clearRequests();
    snapshots.push(snapshot(`${formatCount((REQUESTS * step) / STEPS)} requests`, (REQUESTS * step) / STEPS, 0));
  }
  for (let step = 1; step <= STEPS; step++) {
    progress(`events ${formatCount((EVENTS * step) / STEPS)} of ${formatCount(EVENTS)}`);
    await events(EVENTS / STEPS);
    snapshots.push(snapshot(`+ ${formatCount((EVENTS * step) / STEPS)} events`, REQUESTS, (EVENTS * step) / STEPS));
  }
  const loaded = snapshots[snapshots.length - 1] ?? baseline;
  await feed.close();
  // Nothing of the subscription may stay reachable from here, or the snapshot would still count it.
  feed = undefined;
  const unsubscribed = snapshot('after unsubscribing the feed', REQUESTS, EVENTS);
  snapshots.push(unsubscribed);

  const heapGrowth = loaded.heapUsed - baseline.heapUsed;
  const rssGrowth = loaded.rss - baseline.rss;
  const afterRequests = snapshots[STEPS] ?? baseline;
  const requestGrowth = afterRequests.heapUsed - baseline.heapUsed;
  const eventGrowth = loaded.heapUsed - afterRequests.heapUsed;
  const retainedBySubscription = loaded.heapUsed - unsubscribed.heapUsed;
  const goals: Goal[] = [
    {
      what: `heap growth after ${formatCount(REQUESTS)} requests and ${formatCount(EVENTS)} events (after gc)`,
      measured: formatBytes(heapGrowth),
      target: '< 10 MiB',
      met: heapGrowth < LIMIT,
    },
    { what: 'RSS growth over the same', measured: formatBytes(rssGrowth), target: '< 10 MiB', met: rssGrowth < LIMIT },
  ];

  const notes: string[] = [
    `Requests: ${formatBytes(requestGrowth)} of heap growth over ${formatCount(REQUESTS)} requests ` +
      `(${formatBytes(requestGrowth / (REQUESTS / 1000))} per 1,000). Events: ${formatBytes(eventGrowth)} over ${formatCount(EVENTS)} events ` +
      `(${formatBytes(eventGrowth / (EVENTS / 1000))} per 1,000); unsubscribing the feed released ${formatBytes(retainedBySubscription)}.`,
  ];
  if (eventGrowth > LIMIT / 2 && retainedBySubscription > eventGrowth / 2) {
    notes.push(
      '**Leak in a long-lived `watchOrders` subscription:** heap grows linearly with the number of distinct orders seen and is ' +
        'released only when the subscription ends. watchOrders keeps, per order id, its latest state and the set of states ' +
        'already delivered (the map that makes each (order, state) be delivered once); nothing ever removes an entry, not even for ' +
        'orders in a final state (processed, rejected). A subscription that runs for months grows without bound.',
    );
  }

  publish({
    id: 'memory',
    title: '6. Memory',
    method: [
      runShape(
        `One process, one client, one \`gateway.watch\`-style subscription (\`client.watchOrders\` on a profile) for the whole run. ` +
          `After a warm-up (${formatCount(WARMUP)} requests, ${formatCount(WARMUP)} events) the baseline is taken; then ` +
          `${formatCount(REQUESTS)} requests (\`gateway.balances()\` and \`gateway.payment(id)\` alternating, ${CONCURRENCY} at a time), then ` +
          `${formatCount(EVENTS)} order events (each a new order placed through the sandbox's admin hook). Every snapshot is taken ` +
          'after two full garbage collections (`--expose-gc`). The sandbox runs in its own process, so its growth is not counted.',
      ),
    ],
    tables: [
      {
        header: ['after', 'heap used', 'Δ heap', 'RSS', 'Δ RSS', 'external + array buffers'],
        rows: snapshots.map((s) => [
          s.label,
          formatBytes(s.heapUsed),
          formatBytes(s.heapUsed - baseline.heapUsed),
          formatBytes(s.rss),
          formatBytes(s.rss - baseline.rss),
          formatBytes(s.external),
        ]),
      },
    ],
    goals,
    notes,
  });
} finally {
  await sandbox.close();
}
