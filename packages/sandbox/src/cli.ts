import { realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Sandbox, startSandbox } from './server.js';

const USAGE = `Usage: paygate-sandbox [--port N] [--seed S]

Serves local emulators of the Monerium, Money Button and MoneyNS APIs on 127.0.0.1 and prints
their base URLs and the seeded sandbox credentials. Stop it with Ctrl-C.

  --port N   port to listen on (default 0: any free port)
  --seed S   seed for fixtures, ids and fault draws (default 1)
  --help     show this text`;

/** What the sandbox serves and the seeded fixtures to use with it (these are sandbox-only secrets). */
export const describe = (sandbox: Sandbox, seed: string | number): string => {
  const { monerium, moneybutton, moneyns } = sandbox.fixtures;
  const lines = [
    'paygate-sandbox is running',
    `  monerium     ${sandbox.urls.monerium}`,
    `  moneybutton  ${sandbox.urls.moneybutton}`,
    `  moneyns      ${sandbox.urls.moneyns}`,
    `  seed         ${seed}`,
    '',
    'Monerium',
    ...monerium.users.map((u) => `  user          ${u.email} / ${u.password}  (default profile ${u.defaultProfile})`),
    `  public client ${monerium.clients.public.clientId}  redirect URIs ${monerium.clients.public.redirectUris.join(' ')}`,
    `  partner       ${monerium.clients.confidential.clientId} / ${monerium.clients.confidential.clientSecret}`,
    ...monerium.addresses.map((a) => `  address       ${a.address} on ${a.chains.join(', ')}  key ${a.privateKey}`),
    '',
    'Monerium API v2 (send Accept: application/vnd.monerium.api-v2+json)',
    `  app client    ${monerium.v2.clients.app.clientId}  (PKCE through the portal, or SIWE)`,
    `  private app   ${monerium.v2.clients.private.clientId} / ${monerium.v2.clients.private.clientSecret}`,
    `  whitelabel    ${monerium.v2.clients.whitelabel.clientId} / ${monerium.v2.clients.whitelabel.clientSecret}`,
    ...monerium.v2.addresses.map((a) => `  address       ${a.address} on ${a.chains.join(', ')}`),
    `  safe          ${monerium.v2.safe.address} on ${monerium.v2.safe.chains.join(', ')}  owner keys ${monerium.v2.safe.owners.map((o) => o.privateKey).join(' ')}`,
    '',
    'Money Button',
    ...moneybutton.users.map((u) => `  user          ${u.email} / ${u.password}  (${u.primaryPaymail})`),
    `  client        ${moneybutton.app.clientId} / ${moneybutton.app.clientSecret}  webhook secret ${moneybutton.app.webhookSecret}`,
    `  other client  ${moneybutton.otherApp.clientId} / ${moneybutton.otherApp.clientSecret}`,
    '',
    'MoneyNS',
    ...Object.entries(moneyns.users).map(([role, u]) => `  user          ${u.email} / ${u.password}  (${role})`),
    `  platform      ${moneyns.platform.name}  (RS512 private key below)`,
    moneyns.platform.privateKeyPem.trim(),
  ];
  return `${lines.join('\n')}\n`;
};

export const main = async (argv: ReadonlyArray<string>): Promise<void> => {
  let values: { port?: string; seed?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { port: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be an integer between 0 and 65535\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const seed = values.seed === undefined ? 1 : /^-?\d+$/.test(values.seed) ? Number(values.seed) : values.seed;

  // Handlers go in before anything is printed: whoever reads the URLs may signal right away.
  let sandbox: Sandbox | undefined;
  const stop = (): void => {
    // Whatever happens while closing, the process is gone within a second.
    setTimeout(() => process.exit(0), 1000).unref();
    (sandbox?.close() ?? Promise.resolve()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  sandbox = await startSandbox({ port, seed });
  process.stdout.write(describe(sandbox, seed));
};

/** True when this module is the program: `node dist/cli.js`, or the `paygate-sandbox` bin that imports it. */
const invokedAsProgram = (): boolean => {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  let real: string;
  try {
    real = realpathSync(entry);
  } catch {
    return false;
  }
  const self = fileURLToPath(import.meta.url);
  return real === self || real === resolve(dirname(self), '../bin/paygate-sandbox.js');
};

if (invokedAsProgram()) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`paygate-sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
