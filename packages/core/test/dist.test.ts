import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import test from 'ava';
import { VERSION } from '../src/version.js';
import { json, startServer } from './_http-server.js';

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

/** A `--import` module whose resolve hook refuses these packages: an ES import of any of them fails the script. */
const refusing = (packages: readonly string[]) =>
  `data:text/javascript,${encodeURIComponent(
    `import { register } from 'node:module';
     register('data:text/javascript,' + encodeURIComponent('const refused = ${JSON.stringify(packages)}; export async function resolve(s, c, next) { if (refused.some((name) => s === name || s.startsWith(name + "/"))) throw new Error("loaded " + s); return next(s, c); }'));`,
  )}`;

// Refuses the OAuth library's modules: any import of them, at start-up or on the first token
// request, fails the script. Node's fetch is counted through a wrapper; its undici shows in
// process.moduleLoadList once loaded (on Node 22 got's import already loads it, so the check is
// that the grants did not load it).
const REFUSE_OPENID = refusing(['openid-client', 'oauth4webapi', 'jose']);

// Node's ES module loader detects the format of, and lexes, every CommonJS file an ES module
// imports (~10-20 ms each for fp-ts's and io-ts's on a cold start); the bundle require()s them.
test('the built package loads fp-ts and io-ts with require(), never through the ES module loader', (t) => {
  const script = `
    import { createRequire } from 'node:module';
    const core = await import('@paygate/core');
    const decoded = core.TokenSetCodec.decode({ accessToken: 'a', tokenType: 'Bearer', extra: {} });
    const refused = await core.clientCredentialsGrant({ issuer: 'x', authorizationEndpoint: 'x', tokenEndpoint: 'x' }, { clientId: '', clientAuth: 'none' })();
    const required = Object.keys(createRequire(import.meta.url).cache).map((file) => file.replace(/.*[\\/]node_modules[\\/]/, '').replaceAll('\\\\', '/'));
    const loaded = ['fp-ts/lib/Either.js', 'fp-ts/lib/function.js', 'fp-ts/lib/TaskEither.js', 'io-ts/lib/index.js'].filter((file) => required.includes(file));
    console.log(JSON.stringify({ decoded: decoded._tag, refused: refused.left._tag, loaded }));
  `;
  const out = execFileSync(process.execPath, ['--import', refusing(['fp-ts', 'io-ts']), '--input-type=module', '-e', script], {
    cwd: new URL('..', import.meta.url),
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
  });
  t.deepEqual(JSON.parse(out), {
    decoded: 'Right',
    refused: 'InvalidInput',
    loaded: ['fp-ts/lib/Either.js', 'fp-ts/lib/function.js', 'fp-ts/lib/TaskEither.js', 'io-ts/lib/index.js'],
  });
});

test('client credentials and refresh go out through got: neither openid-client, oauth4webapi, jose nor fetch is loaded', async (t) => {
  const endpoint = await startServer((_req, res, _seen, index) =>
    json(res, 200, { access_token: `at-${index}`, token_type: 'Bearer', expires_in: 60, refresh_token: `rt-${index}` }),
  );
  t.teardown(endpoint.close);
  const script = `
    const realFetch = globalThis.fetch;
    let fetched = 0;
    globalThis.fetch = (...args) => { fetched += 1; return realFetch(...args); };
    const undiciLoaded = () => process.moduleLoadList.some((name) => name.includes('undici'));
    const core = await import('@paygate/core');
    const undiciAtImport = undiciLoaded();
    const server = { issuer: process.env.ISSUER, authorizationEndpoint: process.env.ISSUER + '/auth', tokenEndpoint: process.env.ISSUER + '/token' };
    const granted = await core.clientCredentialsGrant(server, { clientId: 'c', clientSecret: 's', clientAuth: 'client_secret_basic' })();
    const refreshed = await core.refreshTokenGrant(server, { clientId: 'c', clientSecret: 's', clientAuth: 'client_secret_post' }, 'rt-0')();
    const started = core.startAuthorization(server, { clientId: 'c', clientAuth: 'none' }, { redirectUri: 'http://127.0.0.1/cb' });
    console.log(JSON.stringify({ tokens: [granted.right?.accessToken, refreshed.right?.accessToken], started: started._tag, fetched, undiciByGrants: !undiciAtImport && undiciLoaded() }));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', REFUSE_OPENID, '--input-type=module', '-e', script], {
    cwd: new URL('..', import.meta.url),
    env: { PATH: process.env.PATH ?? '', ISSUER: endpoint.url },
    encoding: 'utf8',
  });
  t.deepEqual(JSON.parse(stdout), { tokens: ['at-0', 'at-1'], started: 'Right', fetched: 0, undiciByGrants: false });
  t.is(endpoint.requests.length, 2);
});
