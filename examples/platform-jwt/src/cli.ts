import { type GatewayError, match } from '@paygate/core';
import { startSandbox } from '@paygate/sandbox';
import * as E from 'fp-ts/lib/Either.js';
import { type JobTarget, logInAndOpenCheckout } from './job.js';
import { loadOrCreatePlatformKey, PLATFORM_KEY_BITS, type PlatformKey } from './platform-key.js';
import { sandboxTarget } from './sandbox-env.js';
import { ENV_OF_FIELD, type Env, settingsFromEnv } from './settings.js';

export interface JobIo {
  readonly env: Env;
  /** Relative key paths start here; default `process.cwd()`. */
  readonly cwd?: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** A key was generated and must be registered with MoneyNS before the job can log in. */
export const EXIT_KEY_CREATED = 3;

export const USAGE = `usage: node dist/main.js [--sandbox]

  Logs in to MoneyNS as a platform (RS512 JWT) and prints a checkout URL for the session.
  The platform key is read from MONEYNS_PLATFORM_KEY_PATH (default ./platform-key.pem) and
  generated there (RSA ${PLATFORM_KEY_BITS}, PKCS#8 PEM, mode 0600) when missing.

  environment: MONEYNS_PLATFORM, MONEYNS_EMAIL, CHECKOUT_LANDING (required);
               MONEYNS_PLATFORM_KEY_PATH, MONEYNS_BASE_URL, MONEYNS_CHECKOUT_URL,
               CHECKOUT_LANG (en), CHECKOUT_DISPLAY (light)

  --sandbox  run against a local @paygate/sandbox, registering the key there
  --help     this text
`;

/** Errors name what to change: the environment variable where there is one. Core keeps keys and tokens out of messages. */
export const describeError: (error: GatewayError) => string = match<string>({
  InvalidInput: (e) => `${ENV_OF_FIELD[e.field] ?? e.field}: ${e.reason}`,
  AuthError: (e) => `AuthError ${e.reason}${e.status === undefined ? '' : ` (${e.status})`}: ${e.message}`,
  ProviderError: (e) => `ProviderError ${e.status}: ${e.message}`,
  DecodeError: (e) => `DecodeError at ${e.path || '(root)'}: ${e.message}`,
  TransportError: (e) => `TransportError ${e.kind}: ${e.message}`,
  Unsupported: (e) => `Unsupported ${e.capability}: ${e.message}`,
});

const keyLines = (key: PlatformKey, platform: string): string =>
  key.created
    ? `Generated a new platform key (RSA ${PLATFORM_KEY_BITS}, PKCS#8 PEM, mode ${key.mode.toString(8).padStart(4, '0')}): ${key.path}\n` +
      `Public key to register with MoneyNS for platform "${platform}":\n${key.publicKeyPem.trimEnd()}\n`
    : `Using the platform key at ${key.path}\n`;

/** The job with its output: the key, its registration where the target allows it, the login, the checkout URL. */
export const runJob = async (target: JobTarget, io: JobIo): Promise<number> => {
  const { settings } = target;
  const fail = (error: GatewayError): number => {
    io.stderr(`platform-jwt: ${describeError(error)}\n`);
    return EXIT_FAILED;
  };

  const key = loadOrCreatePlatformKey(settings.keyPath);
  if (E.isLeft(key)) return fail(key.left);
  io.stdout(keyLines(key.right, settings.platform));
  if ((key.right.mode & 0o077) !== 0) {
    io.stderr(`warning: other users can read ${key.right.path} (mode ${key.right.mode.toString(8)}); chmod 600 it\n`);
  }

  if (target.register !== undefined) {
    const registered = target.register(key.right.publicKeyPem);
    if (E.isLeft(registered)) return fail(registered.left);
    io.stdout(`Registered the public key with the sandbox as platform "${settings.platform}" for ${settings.email}\n`);
  } else if (key.right.created) {
    io.stdout('Register it with MoneyNS, then run this job again.\n');
    return EXIT_KEY_CREATED;
  }

  const checkout = await logInAndOpenCheckout(settings, key.right.privateKeyPem)();
  if (E.isLeft(checkout)) return fail(checkout.left);
  io.stdout(
    `Logged in to MoneyNS as ${settings.email} through platform "${settings.platform}" (user ${checkout.right.userId})\n` +
      // The URL is this job's product: it carries the session token, so it goes to stdout only, for the user's browser.
      `Checkout URL:\n${checkout.right.checkoutUrl}\n`,
  );
  return EXIT_OK;
};

const runAgainstSandbox = async (io: JobIo, cwd: string): Promise<number> => {
  const sandbox = await startSandbox({ providers: ['moneyns'] });
  try {
    const target = sandboxTarget(sandbox, io.env, cwd);
    if (E.isLeft(target)) {
      io.stderr(`platform-jwt: ${describeError(target.left)}\n`);
      return EXIT_FAILED;
    }
    io.stderr(`sandbox: ${sandbox.urls.moneyns} (started for this run; the checkout URL stops working when it ends)\n`);
    return await runJob(target.right, io);
  } finally {
    await sandbox.close();
  }
};

/** The program, minus `process`: returns the exit code. */
export const runPlatformJobCli = async (args: ReadonlyArray<string>, io: JobIo): Promise<number> => {
  const unknown = args.find((arg) => arg !== '--sandbox' && arg !== '--help' && arg !== '-h');
  if (unknown !== undefined) {
    io.stderr(`unknown argument ${unknown}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  const cwd = io.cwd ?? process.cwd();
  if (args.includes('--sandbox')) return runAgainstSandbox(io, cwd);
  const settings = settingsFromEnv(io.env, cwd);
  if (E.isLeft(settings)) {
    io.stderr(`platform-jwt: ${describeError(settings.left)}\n`);
    return EXIT_FAILED;
  }
  return runJob({ settings: settings.right }, io);
};
