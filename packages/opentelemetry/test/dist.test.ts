import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import test from 'ava';
import { VERSION } from '../src/version.js';

// Runs the BUILT package under plain node (no tsx loader), through its exports map, with the
// OpenTelemetry API's no-op providers: instrumenting must work without an SDK.
test('the built package imports and instruments under plain node', (t) => {
  const script = `
    import { instrumentPaygate } from '@paygate/opentelemetry';
    const instrumentation = instrumentPaygate();
    instrumentation.right.stop();
    console.log(JSON.stringify({ fn: typeof instrumentPaygate, stop: typeof instrumentation.right.stop, refused: instrumentPaygate(null).left.field }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: new URL('..', import.meta.url),
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
  });
  t.deepEqual(JSON.parse(out), { fn: 'function', stop: 'function', refused: 'options' });
});

test('the instrumentation scope version matches package.json', (t) => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  t.is(VERSION, pkg.version);
});
