import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, type SandboxOptions, startSandbox } from '@paygate/sandbox';
import type { ExecutionContext } from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { type AggregatorIo, runAggregator } from '../src/cli.js';
import type { Env } from '../src/config.js';
import { type SandboxEnvironment, sandboxEnvironment } from '../src/sandbox-env.js';

export const PACKAGE_DIR = new URL('..', import.meta.url).pathname;
export const SANDBOX_CONFIG = join(PACKAGE_DIR, 'gateway.sandbox.json');

/** A sandbox of this test's own, closed when the test ends. */
export const sandboxFor = async (t: ExecutionContext, options: SandboxOptions = {}): Promise<Sandbox> => {
  const sandbox = await startSandbox(options);
  t.teardown(() => sandbox.close());
  return sandbox;
};

export const environmentOf = async (t: ExecutionContext, sandbox: Sandbox): Promise<SandboxEnvironment> => {
  const env = await sandboxEnvironment(sandbox)();
  if (E.isLeft(env)) return t.fail(`sandboxEnvironment failed: ${env.left.message}`);
  return env.right;
};

/** A directory of this test's own, removed when the test ends. */
export const tempDir = (t: ExecutionContext): string => {
  const dir = mkdtempSync(join(tmpdir(), 'paygate-aggregator-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

export const writeConfig = (t: ExecutionContext, config: unknown): string => {
  const path = join(tempDir(t), 'gateway.json');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
};

/**
 * gateway.sandbox.json with `use` switched, written to a temp file. Asserts the switch is the
 * one-line change the README promises: every other line of the file is untouched.
 */
export const sandboxConfigUsing = (t: ExecutionContext, use: string): string => {
  const original = readFileSync(SANDBOX_CONFIG, 'utf8');
  const switched = original.replace(/"use": "[^"]*"/, `"use": "${use}"`);
  const before = original.split('\n');
  const changed = switched.split('\n').filter((line, i) => line !== before[i]);
  t.is(changed.length, use === 'monerium' ? 0 : 1, 'switching provider changes exactly the "use" line');
  const path = join(tempDir(t), 'gateway.sandbox.json');
  writeFileSync(path, switched);
  return path;
};

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the program in-process with its output captured. */
export const run = async (args: ReadonlyArray<string>, env: Env, cwd = PACKAGE_DIR): Promise<Run> => {
  let stdout = '';
  let stderr = '';
  const io: AggregatorIo = {
    env,
    cwd,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  };
  const code = await runAggregator(args, io);
  return { code, stdout, stderr };
};
