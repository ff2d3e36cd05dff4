// The floor of paygate's dependencies: import got, fp-ts and io-ts, then make the same two requests
// (client-credentials token, GET /balances) with got and decode the answer with io-ts in a TaskEither.
import { floorCall } from './floor-call.mjs';

const started = performance.now();
const { default: got } = await import('got');
const TE = await import('fp-ts/lib/TaskEither.js');
const t = await import('io-ts/lib/index.js');
await floorCall(started, { got, TE, t });
