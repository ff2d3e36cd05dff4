import { performance } from 'node:perf_hooks';
import { observeAttempt, subscribePaygateHooks } from '@paygate/core';
import { moneriumGateway } from '@paygate/monerium';
import { count, WARMUP_ROUNDS } from './config.js';
import { cpuPerOperation, runLoad } from './load.js';
import { createPartnerClient, orThrow } from './partner-client.js';
import { startRemoteSandbox } from './remote-sandbox.js';
import { type Goal, progress, publish, runShape } from './report.js';
import { describeStability, interleaveUntilStable } from './rounds.js';
import { formatCount, formatNs, formatRatio, median } from './stats.js';

// 11. What core's request lifecycle hooks cost: nothing measurable while no one listens (one
// `hasSubscribers` check per attempt), and how much a subscriber adds.

/** "Zero cost when unused": the unused check may cost at most this share of a request's CPU. */
const UNUSED_SHARE_GOAL = 0.005;
const OPERATIONS = count(500, 40, 20);
const MIN_ROUNDS = count(4, 1, 1);
const MAX_ROUNDS = count(10, 2, 1);
const CHECKS = count(2_000_000, 100_000, 10_000);

const sandbox = await startRemoteSandbox({ autoProcessOrders: false });
try {
  const gateway = moneriumGateway(createPartnerClient(sandbox));
  const balances = async () => {
    await orThrow(gateway.balances());
  };
  const load = { operations: OPERATIONS, concurrency: 1 };

  progress('gateway.balances() without and with a subscriber');
  // The subscriber does what the cheapest real one would: read the event.
  let seen = 0;
  const observed = async () => {
    const unsubscribe = subscribePaygateHooks({
      onRequestStart: (event) => {
        seen += event.attempt;
      },
      onRequestEnd: (event) => {
        seen += event.status ?? 0;
      },
    });
    try {
      return await runLoad(balances, load);
    } finally {
      unsubscribe();
    }
  };
  const rounds = await interleaveUntilStable(
    () => runLoad(balances, load),
    observed,
    (without, withHooks) => cpuPerOperation(withHooks) / cpuPerOperation(without),
    { minRounds: MIN_ROUNDS, maxRounds: MAX_ROUNDS, warmup: WARMUP_ROUNDS },
  );
  if (seen === 0) throw new Error('the subscriber saw no request: the with-hooks side measured nothing');
  const requestCpuNs = median(rounds.baseline.map(cpuPerOperation));

  progress(`the unused check, ${formatCount(CHECKS)} calls`);
  // What a request pays for the hooks while no one listens: `observeAttempt` answering undefined.
  const request = { method: 'GET', path: '/balances' };
  const checkRounds: number[] = [];
  for (let round = 0; round < 5; round += 1) {
    let ended = 0;
    const startedCpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < CHECKS; i += 1) {
      if (observeAttempt('monerium', request, 1) !== undefined) ended += 1;
    }
    const cpu = process.cpuUsage(startedCpu);
    if (ended !== 0 || performance.now() < started) throw new Error('a subscriber was listening during the unused check');
    checkRounds.push(((cpu.user + cpu.system) * 1000) / CHECKS);
  }
  const unusedNs = median(checkRounds);
  const unusedShare = unusedNs / requestCpuNs;

  const goals: Goal[] = [
    {
      what: 'request hooks unused: CPU of the check per request attempt, share of the request',
      measured: `${(unusedShare * 100).toFixed(3)} % (${formatNs(unusedNs)} of ${formatNs(requestCpuNs)})`,
      target: `≤ ${(UNUSED_SHARE_GOAL * 100).toFixed(1)} %`,
      met: unusedShare <= UNUSED_SHARE_GOAL,
    },
  ];
  publish({
    id: 'hooks',
    title: '11. Request lifecycle hooks: cost unused and used',
    method: [
      runShape(
        `\`gateway.balances()\` (Monerium, partner client credentials) at concurrency 1, ${formatCount(OPERATIONS)} operations per round, ` +
          `${MIN_ROUNDS} to ${MAX_ROUNDS} interleaved rounds without and with a \`subscribePaygateHooks\` subscriber (` +
          '`onRequestStart`/`onRequestEnd` reading the event); ' +
          `then ${formatCount(CHECKS)} calls of \`observeAttempt\` with no subscriber, the only hook work a request ` +
          'does while nobody listens (5 rounds, median CPU per call).',
      ),
    ],
    tables: [
      {
        header: ['measure', 'value'],
        rows: [
          ['client CPU per request, no subscriber', formatNs(requestCpuNs)],
          ['client CPU per request, with a subscriber ÷ without', `${formatRatio(rounds.stability.median)} (${describeStability(rounds.stability)})`],
          ['hook check per attempt, no subscriber', formatNs(unusedNs)],
        ],
      },
    ],
    goals,
    notes: [
      'Unused, the hooks cost one `hasSubscribers` test of two diagnostics channels per attempt: no event object, path template or ' +
        'timestamp is built. The with-subscriber ratio is informational (a real exporter does more than read the event).',
    ],
  });
} finally {
  await sandbox.close();
}
