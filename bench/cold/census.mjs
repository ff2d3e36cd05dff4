// `node --import ./census.mjs <scenario>`: records every ES module the scenario loads (one line per
// module in BENCH_MODULES_FILE) through a module.register hook on Node's loader thread.
import { register } from 'node:module';

register('./census-hooks.mjs', import.meta.url, { data: { file: process.env.BENCH_MODULES_FILE } });
