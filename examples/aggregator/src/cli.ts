import { isAbsolute, resolve } from 'node:path';
import { type GatewayError, isInvalidInput } from '@paygate/core';
import { startSandbox } from '@paygate/sandbox';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { type Env, FILE_FIELD, loadGatewayConfig } from './config.js';
import { describeError } from './describe-error.js';
import { buildGateway } from './gateway.js';
import { buildReport, formatReport, reportSucceeded } from './report.js';
import { sandboxEnvironment } from './sandbox-env.js';

export interface AggregatorIo {
  /** Where `{ "env": "NAME" }` values come from. */
  readonly env: Env;
  /** Relative config paths start here; default `process.cwd()`. */
  readonly cwd?: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const EXIT_OK = 0;
/** A broken config, or a declared capability that failed. */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export const DEFAULT_CONFIG = 'gateway.json';
export const DEFAULT_SANDBOX_CONFIG = 'gateway.sandbox.json';

export const USAGE = `usage: node dist/main.js [path/to/gateway.json] [--sandbox]

  Prints the provider, its capabilities, balances and the first page of payments of the
  provider that "use" names in the config (default ./${DEFAULT_CONFIG}).

  --sandbox  start a local @paygate/sandbox, fill the environment variables from it and read
             ./${DEFAULT_SANDBOX_CONFIG} (or the path given)
  --help     this text
`;

interface Args {
  readonly path: string | undefined;
  readonly sandbox: boolean;
  readonly help: boolean;
}

const parseArgs = (args: ReadonlyArray<string>): E.Either<string, Args> => {
  let path: string | undefined;
  let sandbox = false;
  let help = false;
  for (const arg of args) {
    if (arg === '--sandbox') sandbox = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg.startsWith('-')) return E.left(`unknown option ${arg}`);
    else if (path === undefined) path = arg;
    else return E.left('give at most one config path');
  }
  return E.right({ path, sandbox, help });
};

const configError = (file: string, error: GatewayError): string => {
  if (!isInvalidInput(error)) return `${file}: ${describeError(error)}`;
  return error.field === FILE_FIELD ? `${file}: ${error.reason}` : `${file}: ${error.field}: ${error.reason}`;
};

/** Reads the config, builds the gateway and prints its report: the one code path for every provider. */
const report = async (file: string, io: AggregatorIo): Promise<number> => {
  const path = isAbsolute(file) ? file : resolve(io.cwd ?? process.cwd(), file);
  const gateway = pipe(loadGatewayConfig(path, io.env), E.flatMap(buildGateway));
  if (E.isLeft(gateway)) {
    io.stderr(`${configError(file, gateway.left)}\n`);
    return EXIT_FAILED;
  }
  const result = await buildReport(gateway.right)();
  io.stdout(`${formatReport(result)}\n`);
  return reportSucceeded(result) ? EXIT_OK : EXIT_FAILED;
};

/** Starts a sandbox for this run only, and reads the config with the sandbox's variables added. */
const reportAgainstSandbox = async (file: string, io: AggregatorIo): Promise<number> => {
  const sandbox = await startSandbox();
  try {
    const env = await sandboxEnvironment(sandbox)();
    if (E.isLeft(env)) {
      io.stderr(`sandbox: ${describeError(env.left)}\n`);
      return EXIT_FAILED;
    }
    io.stderr(`sandbox: ${new URL(sandbox.urls.monerium).origin} (started for this run)\n`);
    return await report(file, { ...io, env: { ...io.env, ...env.right } });
  } finally {
    await sandbox.close();
  }
};

/** The program, minus `process`: returns the exit code. */
export const runAggregator = async (args: ReadonlyArray<string>, io: AggregatorIo): Promise<number> => {
  const parsed = parseArgs(args);
  if (E.isLeft(parsed)) {
    io.stderr(`${parsed.left}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const { path, sandbox, help } = parsed.right;
  if (help) {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  return sandbox
    ? reportAgainstSandbox(path ?? DEFAULT_SANDBOX_CONFIG, io)
    : report(path ?? DEFAULT_CONFIG, io);
};
