// The floor again, with fp-ts and io-ts loaded by require() (as paygate's bundles load them) instead
// of an ES import: Node's ESM loader detects and lexes every CommonJS file it imports, require() does
// not. got is ESM-only, so it stays an import. Same two requests as floor.mjs.
import { createRequire } from 'node:module';
import { floorCall } from './floor-call.mjs';

const started = performance.now();
const require = createRequire(import.meta.url);
const { default: got } = await import('got');
const TE = require('fp-ts/lib/TaskEither.js');
const t = require('io-ts/lib/index.js');
await floorCall(started, { got, TE, t });
