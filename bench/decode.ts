import { performance } from 'node:perf_hooks';
import * as E from 'fp-ts/lib/Either.js';
import got from 'got';
import * as t from 'io-ts/lib/index.js';
import { decodeWith } from '@paygate/core';
import { OrderCodec } from '@paygate/monerium';
import { count } from './config.js';
import { cpuPerOperation, runLoad } from './load.js';
import { createPartnerClient, orThrow } from './partner-client.js';
import { startRemoteSandbox } from './remote-sandbox.js';
import { type Goal, progress, publish, runShape } from './report.js';
import { roundRobin } from './rounds.js';
import { formatBytes, formatNs, formatRatio, median, summarize } from './stats.js';

// 4. io-ts decoding of a 100-order page against JSON.parse alone, and its share of a whole request.

const PAGE = 100;
const SHARE_LIMIT = 0.1;
const ITERATIONS = count(1_000, 50, 50);
const REQUESTS = count(200, 20, 20);
const ROUNDS = count(7, 1, 1);

const sandbox = await startRemoteSandbox({ autoProcessOrders: false });
try {
  const client = createPartnerClient(sandbox);
  const seeded = (await orThrow(client.orders())).orders.length;
  if (seeded < PAGE) await sandbox.placeIssueOrders({ count: PAGE - seeded });
  const { accessToken } = (await orThrow(client.session())).tokens;
  // The page exactly as the sandbox sends it: what the client's got call receives as text.
  const body = await got(`${sandbox.baseUrl}/orders`, { searchParams: { limit: PAGE }, headers: { authorization: `Bearer ${accessToken}` } }).text();
  const parsed: unknown = JSON.parse(body);
  if (!Array.isArray(parsed) || parsed.length !== PAGE) throw new Error(`expected a page of ${PAGE} orders`);
  // The codec and decoder the client uses for GET /orders.
  const decodePage = decodeWith(t.array(OrderCodec), 'monerium');
  if (E.isLeft(decodePage(parsed))) throw new Error('the sandbox page does not decode');

  let sink = 0;
  /** CPU ns per decode of the page, per round: the CPU share compares CPU with CPU (wall time inflates under load). */
  const decodeCpu: number[] = [];
  const perCall = (work: () => number, cpuSamples?: number[]) => async () => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < ITERATIONS; i++) sink += work();
    const wall = ((performance.now() - t0) * 1e6) / ITERATIONS;
    const cpu = process.cpuUsage(cpu0);
    cpuSamples?.push(((cpu.user + cpu.system) * 1000) / ITERATIONS);
    return wall;
  };
  const parseOnly = perCall(() => (JSON.parse(body) as unknown[]).length);
  const parseAndDecode = perCall(() => {
    const page = decodePage(JSON.parse(body));
    return E.isRight(page) ? page.right.length : 0;
  });
  const decodeOnly = perCall(() => {
    const page = decodePage(parsed);
    return E.isRight(page) ? page.right.length : 0;
  }, decodeCpu);
  let requestCpu: number[] = [];
  const request = async () => {
    const run = await runLoad(
      async () => {
        await orThrow(client.orders({ limit: PAGE }));
      },
      { operations: REQUESTS, concurrency: 1 },
    );
    requestCpu = [...requestCpu, cpuPerOperation(run)];
    return summarize(run.latencies).median;
  };

  progress(`${ROUNDS} rotated rounds: ${ITERATIONS} parses/decodes and ${REQUESTS} requests each`);
  const [parseNs = [], fullNs = [], decodeNs = [], requestNs = []] = await roundRobin([parseOnly, parseAndDecode, decodeOnly, request], {
    rounds: ROUNDS,
    warmup: 1,
  });
  // Reading `sink` keeps the loops' results observable, so V8 cannot drop them as dead code.
  if (sink === -1) process.stdout.write('');

  const parse = median(parseNs);
  const full = median(fullNs);
  const decode = median(decodeNs);
  const requestTime = median(requestNs);
  const cpuPerRequest = median(requestCpu.slice(requestCpu.length - ROUNDS));
  const share = decode / requestTime;
  // The warm-up round's sample is dropped, like roundRobin drops its result.
  const decodeCpuNs = median(decodeCpu.slice(decodeCpu.length - ROUNDS));
  const cpuShare = decodeCpuNs / cpuPerRequest;
  const row = (name: string, samples: ReadonlyArray<number>, ratio: string) => {
    const s = summarize(samples);
    return [name, formatNs(s.min), formatNs(s.median), formatNs(s.max), ratio];
  };
  const goals: Goal[] = [
    {
      what: `decoding's share of a ${PAGE}-order request (wall time)`,
      measured: `${(share * 100).toFixed(1)} %`,
      target: `≤ ${SHARE_LIMIT * 100} % (else flagged)`,
      met: share <= SHARE_LIMIT,
    },
    {
      what: `decoding's share of the client's CPU per ${PAGE}-order request`,
      measured: `${(cpuShare * 100).toFixed(1)} %`,
      target: `≤ ${SHARE_LIMIT * 100} % (else flagged)`,
      met: cpuShare <= SHARE_LIMIT,
    },
  ];

  publish({
    id: 'decode',
    title: '4. Decoding',
    method: [
      runShape(
        `A real ${PAGE}-order page from the sandbox (\`GET /orders?limit=${PAGE}\`, ${formatBytes(Buffer.byteLength(body))} of JSON), ` +
          "decoded with the client's own decoder (`decodeWith(t.array(OrderCodec))` from @paygate/core and @paygate/monerium). " +
          `${ROUNDS} rotated rounds after a warm-up; each round times ${ITERATIONS.toLocaleString('en-US')} parses/decodes per variant and ` +
          `${REQUESTS} sequential \`client.orders({ limit: ${PAGE} })\` requests (their median). Min / median / max are over rounds. ` +
          'The CPU share divides the decode loop\'s CPU time (`process.cpuUsage`) by the client\'s CPU per request, CPU by CPU: ' +
          'on a loaded machine a wall-time decode would be inflated by preemption.',
      ),
    ],
    tables: [
      {
        header: ['what', 'min', 'median', 'max', 'vs JSON.parse'],
        rows: [
          row('JSON.parse alone', parseNs, '1.00×'),
          row('JSON.parse + io-ts decode', fullNs, formatRatio(full / parse)),
          row('io-ts decode alone (parsed page)', decodeNs, formatRatio(decode / parse)),
          row(`whole request, client.orders({ limit: ${PAGE} })`, requestNs, formatRatio(requestTime / parse)),
        ],
      },
      {
        caption: 'Share of decoding in one request:',
        header: ['measure', 'request', 'decode', 'share'],
        rows: [
          ['wall time (median request latency)', formatNs(requestTime), formatNs(decode), `${(share * 100).toFixed(1)} %`],
          ['client CPU per request (decode: its CPU time)', formatNs(cpuPerRequest), formatNs(decodeCpuNs), `${(cpuShare * 100).toFixed(1)} %`],
        ],
      },
    ],
    goals,
    notes: [
      share > SHARE_LIMIT || cpuShare > SHARE_LIMIT
        ? `**Decoding is over the 10 % line:** ${(share * 100).toFixed(1)} % of a ${PAGE}-order request's wall time and ` +
          `${(cpuShare * 100).toFixed(1)} % of the client's CPU for it (the lead decides what to do about it). The wall-time share ` +
          'shrinks when the server or the network is slow and grows on a fast one; the CPU share is what the client process pays.'
        : `Decoding is under the 10 % line: ${(share * 100).toFixed(1)} % of a ${PAGE}-order request's wall time, ` +
          `${(cpuShare * 100).toFixed(1)} % of the client's CPU for it.`,
    ],
  });
} finally {
  await sandbox.close();
}
