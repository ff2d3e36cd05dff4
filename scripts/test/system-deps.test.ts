import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';

// The root `test` script runs scripts/system-deps.mjs before anything else. These tests run it the
// way `pnpm test` does, under a PATH that holds node and nothing else (so redis-server and
// chromium are absent), and read what a person would see.
const script = fileURLToPath(new URL('../system-deps.mjs', import.meta.url));

/** A directory that is the whole PATH: `node`, plus whatever programs a test plants. */
const bareBin = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'paygate-system-deps-'));
  symlinkSync(process.execPath, join(dir, 'node'));
  return dir;
};

const plant = (dir: string, name: string, body: string): void => {
  writeFileSync(join(dir, name), `#!${process.execPath}\n${body}\n`);
  chmodSync(join(dir, name), 0o755);
};

const runScript = (bin: string, env: Record<string, string>) =>
  spawnSync(process.execPath, [script], { env: { PATH: bin, ...env }, encoding: 'utf8' });

test('without redis-server and chromium, a non-root run stops with the exact apt-get command and no stack trace', (t) => {
  const bin = bareBin();
  t.teardown(() => rmSync(bin, { recursive: true, force: true }));
  const result = runScript(bin, { PAYGATE_SYSTEM_DEPS: 'check' });
  t.is(result.status, 1);
  t.is(result.stdout, '');
  t.regex(result.stderr, /the test suites need redis-server and chromium, not found on PATH/);
  t.regex(result.stderr, /^ {2}sudo apt-get install -y --no-install-recommends redis-server chromium$/m);
  t.regex(result.stderr, /redis-server: packages\/token-store-redis tests/);
  t.regex(result.stderr, /chromium: examples\/web-login tests/);
  t.notRegex(result.stderr, /^\s+at /m, 'no stack trace');
  t.notRegex(result.stderr, /Error:/);
});

test('only the missing program is named', (t) => {
  const bin = bareBin();
  t.teardown(() => rmSync(bin, { recursive: true, force: true }));
  plant(bin, 'redis-server', '');
  const result = runScript(bin, { PAYGATE_SYSTEM_DEPS: 'check' });
  t.is(result.status, 1);
  t.regex(result.stderr, /^ {2}sudo apt-get install -y --no-install-recommends chromium$/m);
  t.notRegex(result.stderr, /need redis-server/);
});

test('with both programs on PATH the script passes silently', (t) => {
  const bin = bareBin();
  t.teardown(() => rmSync(bin, { recursive: true, force: true }));
  plant(bin, 'redis-server', '');
  plant(bin, 'chromium', '');
  const result = runScript(bin, { PAYGATE_SYSTEM_DEPS: 'check' });
  t.is(result.status, 0);
  t.is(result.stderr, '');
});

test('CHROMIUM_PATH stands in for chromium on PATH', (t) => {
  const bin = bareBin();
  t.teardown(() => rmSync(bin, { recursive: true, force: true }));
  plant(bin, 'redis-server', '');
  plant(bin, 'my-chrome', '');
  t.is(runScript(bin, { PAYGATE_SYSTEM_DEPS: 'check', CHROMIUM_PATH: join(bin, 'my-chrome') }).status, 0);
  t.is(runScript(bin, { PAYGATE_SYSTEM_DEPS: 'check', CHROMIUM_PATH: join(bin, 'absent') }).status, 1);
});

test('in install mode the missing Debian packages are installed with apt-get update and apt-get install', (t) => {
  const bin = bareBin();
  t.teardown(() => rmSync(bin, { recursive: true, force: true }));
  // A stand-in apt-get that logs its arguments and "installs" the programs it is asked for.
  plant(
    bin,
    'apt-get',
    `const fs = require('node:fs'); const path = require('node:path');
     const args = process.argv.slice(2);
     fs.appendFileSync(path.join(${JSON.stringify(bin)}, 'apt.log'), JSON.stringify({ args, frontend: process.env.DEBIAN_FRONTEND }) + '\\n');
     if (args[0] === 'install') for (const p of args.filter((a) => !a.startsWith('-') && a !== 'install')) {
       fs.writeFileSync(path.join(${JSON.stringify(bin)}, p), '#!/bin/sh\\n'); fs.chmodSync(path.join(${JSON.stringify(bin)}, p), 0o755);
     }`,
  );
  const result = runScript(bin, { PAYGATE_SYSTEM_DEPS: 'install' });
  t.is(result.status, 0, result.stderr);
  const calls = readFileSync(join(bin, 'apt.log'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { args: string[]; frontend: string });
  t.deepEqual(calls, [
    { args: ['update', '-qq'], frontend: 'noninteractive' },
    { args: ['install', '-y', '-qq', '--no-install-recommends', 'redis-server', 'chromium'], frontend: 'noninteractive' },
  ]);
  t.true(existsSync(join(bin, 'redis-server')));
  t.regex(result.stderr, /installing redis-server chromium with apt-get/);
});

test('a failed apt-get install ends with the clear message, not a stack trace', (t) => {
  const bin = bareBin();
  t.teardown(() => rmSync(bin, { recursive: true, force: true }));
  plant(bin, 'apt-get', `process.exit(process.argv[2] === 'install' ? 100 : 0);`);
  const result = runScript(bin, { PAYGATE_SYSTEM_DEPS: 'install' });
  t.is(result.status, 1);
  t.regex(result.stderr, /apt-get install -y --no-install-recommends redis-server chromium/);
  t.notRegex(result.stderr, /^\s+at /m);
});
