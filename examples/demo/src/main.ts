import { startSandbox } from '@paygate/sandbox';
import { moneriumDemo } from './monerium.js';
import { moneriumV2Demo } from './monerium-v2.js';
import { moneyButtonDemo } from './moneybutton.js';
import { moneyNsDemo } from './moneyns.js';
import { StepFailed } from './run.js';

/**
 * `pnpm demo`: starts the embedded sandbox and runs each provider through paygate, printing what
 * it does. Exits 0 when every step worked, 1 with the failing step and its typed error otherwise.
 */
const main = async (): Promise<number> => {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const sandbox = await startSandbox({ monerium: { orderTransitionMs: 400 } });
  log(`sandbox running: ${Object.entries(sandbox.urls).map(([p, u]) => `${p} ${u}`).join(', ')}`);
  try {
    await moneriumDemo(sandbox, log);
    await moneriumV2Demo(sandbox, log);
    await moneyButtonDemo(sandbox, log);
    await moneyNsDemo(sandbox, log);
    log('\ndemo finished: every provider answered through the same typed interface');
    return 0;
  } catch (error) {
    process.stderr.write(`\ndemo failed: ${error instanceof StepFailed ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await sandbox.close();
  }
};

process.exitCode = await main();
