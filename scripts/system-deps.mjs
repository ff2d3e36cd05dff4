#!/usr/bin/env node
// The first step of `pnpm test`: the suites need two programs that npm does not ship —
// redis-server (packages/token-store-redis runs a real Redis) and Chromium (examples/web-login
// drives a headless browser). When one is missing from PATH: as root on a Debian-like system the
// Debian packages are installed with apt-get; otherwise the run stops at once with the exact
// command to run. No stack trace: this is a message for a person.
//
// PAYGATE_SYSTEM_DEPS=check   never install, only report (what a non-root run does)
// PAYGATE_SYSTEM_DEPS=install always try apt-get (what a root run does)
// CHROMIUM_PATH=/path/to/chromium  use that browser instead of `chromium` on PATH
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** What the suites need: the program looked up on PATH, the Debian package and why. */
export const NEEDS = [
  { program: 'redis-server', debian: 'redis-server', why: 'packages/token-store-redis tests run against a real Redis' },
  { program: 'chromium', debian: 'chromium', why: 'examples/web-login tests drive a headless Chromium' },
];

const isExecutable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** The first executable `name` on `pathVariable`, or undefined. */
export const which = (name, pathVariable = process.env.PATH ?? '') =>
  pathVariable
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, name))
    .find(isExecutable);

const present = (need, env) =>
  need.program === 'chromium' && env.CHROMIUM_PATH ? isExecutable(env.CHROMIUM_PATH) : which(need.program, env.PATH) !== undefined;

/** The needs not met under `env`. */
export const missingNeeds = (env = process.env) => NEEDS.filter((need) => !present(need, env));

/** The exact command a person runs to install `missing` on Debian or Ubuntu. */
export const installCommand = (missing, root = false) =>
  `${root ? '' : 'sudo '}apt-get install -y --no-install-recommends ${missing.map((n) => n.debian).join(' ')}`;

const explain = (missing, env) => {
  const lines = [
    `paygate: the test suites need ${missing.map((n) => n.program).join(' and ')}, not found on PATH:`,
    ...missing.map((n) => `  ${n.program}: ${n.why}`),
    '',
    'Install them and run the test command again. On Debian or Ubuntu:',
    '',
    `  ${installCommand(missing)}`,
    '',
    'Elsewhere, install Redis and Chromium with your package manager and put redis-server and chromium',
    'on PATH (or point CHROMIUM_PATH at a Chromium or Chrome binary).',
  ];
  if (env.PAYGATE_SYSTEM_DEPS !== 'check') lines.push('(As root on Debian, the test command installs them itself.)');
  return lines.join('\n');
};

const run = (command, args, env) => spawnSync(command, args, { stdio: 'inherit', env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } });

/** apt-get update + install of the missing Debian packages; true when the programs are now present. */
const install = (missing, env) => {
  const aptGet = which('apt-get', env.PATH);
  if (aptGet === undefined) return false;
  console.error(`paygate: installing ${missing.map((n) => n.debian).join(' ')} with apt-get (needed by the test suites)`);
  const update = run(aptGet, ['update', '-qq'], env);
  if (update.status !== 0) return false;
  const result = run(aptGet, ['install', '-y', '-qq', '--no-install-recommends', ...missing.map((n) => n.debian)], env);
  return result.status === 0 && missingNeeds(env).length === 0;
};

/** Exit status: 0 when everything is there (possibly after installing it), 1 with a message otherwise. */
export const main = (env = process.env) => {
  const missing = missingNeeds(env);
  if (missing.length === 0) return 0;
  const mode = env.PAYGATE_SYSTEM_DEPS ?? (process.getuid?.() === 0 ? 'install' : 'check');
  if (mode === 'install' && install(missing, env)) return 0;
  const still = missingNeeds(env);
  if (still.length === 0) return 0;
  console.error(explain(still, env));
  return 1;
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main();
