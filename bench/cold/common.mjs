// Shared by the cold-start scenarios: the sandbox's address and credentials from the environment,
// and the one line each scenario prints when its first balances() call has been answered.
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const settings = {
  baseUrl: process.env.BENCH_BASE_URL ?? '',
  wsUrl: process.env.BENCH_WS_URL ?? '',
  clientId: process.env.BENCH_CLIENT_ID ?? '',
  clientSecret: process.env.BENCH_CLIENT_SECRET ?? '',
};

const modulesFile = process.env.BENCH_MODULES_FILE;
const cjsCache = createRequire(import.meta.url).cache;

/** Under the module census: the CommonJS modules loaded so far, tagged with the step (ESM ones come from hooks.mjs). */
export const mark = (step) => {
  if (modulesFile === undefined || modulesFile === '') return;
  const lines = Object.keys(cjsCache).map((path) => `cjs ${step} ${path}`);
  appendFileSync(modulesFile, `mark ${step}\n${lines.join('\n')}\n`);
};

/**
 * `started`: performance.now() when the scenario's first line ran (Node's own bootstrap before it);
 * `imported`: after the imports; the call ends now. Prints one JSON line and exits at once (no
 * keep-alive socket may hold the process).
 */
export const finish = (started, imported, ok) => {
  const answered = performance.now();
  mark('call');
  process.stdout.write(`${JSON.stringify({ ok, bootMs: started, importMs: imported - started, callMs: answered - imported, answeredMs: answered })}\n`);
  process.exit(ok ? 0 : 1);
};
