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

// CommonJS modules, whether required or imported from ESM, land in the shared require.cache: a
// census of it shows what importing the built package loaded.
test('importing the built package loads no jsonwebtoken; the first signature loads it and signs', (t) => {
  const script = `
    import { createRequire } from 'node:module';
    import { generateKeyPairSync } from 'node:crypto';
    const cache = createRequire(import.meta.url).cache;
    const census = () => Object.keys(cache).filter((file) => /[\\\\/]node_modules[\\\\/](jsonwebtoken|semver|jws)[\\\\/]/.test(file)).length;
    const core = await import('@paygate/core');
    const atImport = census();
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const signed = core.signPlatformJwt(privateKey, { email: 'a@b.c', expire: 1700000000 });
    const again = core.signPlatformJwt(privateKey, { id: 'x', expire: 1 });
    const jwt = createRequire(import.meta.url)('jsonwebtoken');
    const payload = jwt.verify(signed.right, publicKey, { algorithms: ['RS512'] });
    console.log(JSON.stringify({ atImport, afterSign: census() > 0, tags: [signed._tag, again._tag], payload }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: new URL('..', import.meta.url),
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
  });
  t.deepEqual(JSON.parse(out), {
    atImport: 0,
    afterSign: true,
    tags: ['Right', 'Right'],
    payload: { email: 'a@b.c', expire: 1700000000 },
  });
});
