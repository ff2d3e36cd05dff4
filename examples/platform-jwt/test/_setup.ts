import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '@paygate/sandbox';
import type { ExecutionContext } from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { type JobIo, runJob, runPlatformJobCli } from '../src/cli.js';
import type { JobTarget } from '../src/job.js';
import { sandboxTarget } from '../src/sandbox-env.js';
import type { Env } from '../src/settings.js';

export const PACKAGE_DIR = new URL('..', import.meta.url).pathname;

/** A MoneyNS sandbox of this test's own, closed when the test ends. */
export const sandboxFor = async (t: ExecutionContext): Promise<Sandbox> => {
  const sandbox = await startSandbox({ providers: ['moneyns'] });
  t.teardown(() => sandbox.close());
  return sandbox;
};

/** A directory of this test's own, removed when the test ends. */
export const tempDir = (t: ExecutionContext): string => {
  const dir = mkdtempSync(join(tmpdir(), 'paygate-platform-jwt-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

/** The `--sandbox` target for a sandbox the test holds (so it can look at the sandbox afterwards). */
export const targetFor = (t: ExecutionContext, sandbox: Sandbox, env: Env, cwd: string): JobTarget => {
  const target = sandboxTarget(sandbox, env, cwd);
  if (E.isLeft(target)) return t.fail(`sandboxTarget failed: ${target.left.message}`);
  return target.right;
};

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const capture = async (go: (io: JobIo) => Promise<number>, env: Env, cwd: string): Promise<Run> => {
  let stdout = '';
  let stderr = '';
  const code = await go({
    env,
    cwd,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
};

export const runTarget = (target: JobTarget, cwd: string): Promise<Run> => capture((io) => runJob(target, io), {}, cwd);

export const runCli = (args: ReadonlyArray<string>, env: Env, cwd: string): Promise<Run> =>
  capture((io) => runPlatformJobCli(args, io), env, cwd);

/** The last line of a successful run is the checkout URL. */
export const checkoutUrlOf = (run: Run): URL => new URL(run.stdout.trimEnd().split('\n').at(-1) ?? '');

/** The base64 lines of a PEM (the part that is secret in a private key). */
export const pemBody = (pem: string): string[] => pem.split('\n').filter((line) => line.length > 0 && !line.startsWith('-----'));
