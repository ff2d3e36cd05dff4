import * as monerium from '@paygate/monerium';
import { type Goal, publish, runShape } from './report.js';

// 10. The same goals for a Monerium API v2 client of @paygate/monerium against @monerium/sdk 3.5.0
// (a dev dependency under the alias @monerium/sdk-v3) — once @paygate/monerium has one.

/** A v2 client is recognised by a function export whose name says so (e.g. `createMoneriumV2Client`). */
const v2Exports = Object.entries(monerium)
  .filter(([name, value]) => typeof value === 'function' && /v2/i.test(name) && /client/i.test(name))
  .map(([name]) => name);

const sdkV3 = await import('@monerium/sdk-v3').then(
  (module) => (typeof module.MoneriumClient === 'function' ? 'installed (MoneriumClient found)' : 'installed, but without MoneriumClient'),
  (error: unknown) => `not importable: ${String(error)}`,
);

const goals: Goal[] =
  v2Exports.length === 0
    ? [
        {
          what: 'v2 adapter vs @monerium/sdk 3.5.0 (reads CPU/op and throughput, overhead, session, websocket, cold start)',
          measured: 'not yet: @paygate/monerium exports no v2 client',
          target: 'the goals above, for v2',
          met: false,
        },
      ]
    : [
        {
          what: 'v2 adapter vs @monerium/sdk 3.5.0',
          measured: `v2 client found (${v2Exports.join(', ')}); the comparison is not written yet`,
          target: 'the goals above, for v2',
          met: false,
        },
      ];

publish({
  id: 'v2',
  title: '10. Monerium API v2: @paygate/monerium against @monerium/sdk 3.5.0',
  method: [
    runShape(
      'Runs only when `@paygate/monerium` exports a v2 client (a function export whose name contains `v2` and `client`); ' +
        `the baseline \`@monerium/sdk\` 3.5.0 is ${sdkV3}.`,
    ),
  ],
  tables: [],
  goals,
  notes: [
    v2Exports.length === 0
      ? 'Not yet: no v2 client in `@paygate/monerium` (exports checked at run time). When it lands, this section runs the read, ' +
        'session and cold-start comparisons of sections 2, 8 and 9 against `@monerium/sdk-v3` (whose v2 calls need an address and ' +
        'chain for `getBalances` and the sandbox\'s v2 routes).'
      : `Found ${v2Exports.join(', ')}; the v2 comparison still has to be written against its API.`,
  ],
});
