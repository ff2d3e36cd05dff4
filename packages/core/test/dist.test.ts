import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import test from 'ava';
import { VERSION } from '../src/version.js';

// Runs the BUILT package under plain node (no tsx loader, no NODE_OPTIONS), through its exports map.
test('the built package imports and runs under plain node', (t) => {
  const script = `
    import * as core from '@paygate/core';
    const amount = core.parseAmount('10.50', { currency: 'EUR' });
    const decoded = core.TokenSetCodec.decode({ accessToken: 'a', tokenType: 'Bearer', extra: {} });
    console.log(JSON.stringify({ amount, decodedTag: decoded._tag, agent: core.USER_AGENT, fns: typeof core.createHttpClient }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: new URL('..', import.meta.url),
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
  });
  t.deepEqual(JSON.parse(out), {
    amount: { _tag: 'Right', right: '10.5' },
    decodedTag: 'Right',
    agent: `paygate/${VERSION}`,
    fns: 'function',
  });
});

test('the User-Agent version matches package.json', (t) => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  t.is(VERSION, pkg.version);
});
