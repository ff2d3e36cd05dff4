import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import test from 'ava';
import { run, writeConfig } from './_setup.js';

const sandboxUrl = 'http://127.0.0.1:9';

test('a missing environment variable exits 1 naming the field and the variable', async (t) => {
  const result = await run([], { MONERIUM_CLIENT_ID: 'partner' });

  t.is(result.code, 1);
  t.is(result.stdout, '');
  t.is(result.stderr, 'gateway.json: providers.monerium.auth.clientSecret: environment variable MONERIUM_CLIENT_SECRET is not set\n');
});

test('an unknown provider exits 1 naming use and the known providers', async (t) => {
  const path = writeConfig(t, { use: 'paypal', providers: { paypal: { clientId: 'x' } } });

  const result = await run([path], {});

  t.is(result.code, 1);
  t.is(result.stderr, `${path}: use: unknown provider "paypal"; known: monerium, moneybutton, moneyns\n`);
});

test('a field of the wrong type exits 1 naming its exact path in gateway.json', async (t) => {
  const path = writeConfig(t, { use: 'moneybutton', providers: { moneybutton: { baseUrl: sandboxUrl, clientId: 42 } } });

  const result = await run([path], {});

  t.is(result.code, 1);
  t.is(result.stderr, `${path}: providers.moneybutton.clientId: expected NonEmptyString, got number\n`);
});

test('a nested field of the wrong type is named with its full path', async (t) => {
  const path = writeConfig(t, {
    use: 'monerium',
    providers: {
      monerium: { environment: { baseUrl: sandboxUrl }, auth: { kind: 'client_credentials', clientId: 'partner', clientSecret: 'x' }, timeoutMs: '10s' },
    },
  });

  const result = await run([path], {});

  t.is(result.code, 1);
  t.is(result.stderr, `${path}: providers.monerium.timeoutMs: expected number, got string\n`);
});

test("an adapter's own check is named under providers.<use> too", async (t) => {
  const path = writeConfig(t, {
    use: 'monerium',
    providers: { monerium: { environment: { baseUrl: 'ftp://example.com' }, auth: { kind: 'client_credentials', clientId: 'a', clientSecret: 'b' } } },
  });

  const result = await run([path], {});

  t.is(result.code, 1);
  t.is(result.stderr, `${path}: providers.monerium.environment.baseUrl: must be an absolute https URL (http only on a loopback host)\n`);
});

test('a key that is not fit to sign is refused without quoting it', async (t) => {
  const weakKey = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
  const path = writeConfig(t, {
    use: 'moneyns',
    providers: { moneyns: { baseUrl: sandboxUrl, auth: { platform: 'acme', privateKeyPem: { env: 'KEY' }, subject: { email: 'john@email.com' } } } },
  });

  const result = await run([path], { KEY: weakKey });

  t.is(result.code, 1);
  t.true(result.stderr.startsWith(`${path}: providers.moneyns.auth.privateKeyPem: `), result.stderr);
  const keyBody = weakKey.split('\n').filter((line) => line.length > 0 && !line.startsWith('-----'));
  t.false(keyBody.some((line) => result.stderr.includes(line)));
});

test('invalid JSON exits 1 without printing the file', async (t) => {
  const path = writeConfig(t, {});
  writeFileSync(path, '{ "use": "monerium", "providers": { "monerium": { "clientSecret": "hunter2-secret" } ');

  const result = await run([path], {});

  t.is(result.code, 1);
  t.is(result.stderr, `${path}: is not valid JSON\n`);
});

test('an unknown option exits 2 with the usage', async (t) => {
  const result = await run(['--verbose'], {});

  t.is(result.code, 2);
  t.true(result.stderr.startsWith('unknown option --verbose\n\nusage: node dist/main.js'));
});
