import { request } from 'node:http';
import test from 'ava';
import fc from 'fast-check';
import { startSandbox } from '../src/index.js';
import { basic } from './_monerium.js';

interface Raw {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

interface Outcome {
  readonly status: number;
  readonly statusMessage: string;
  readonly headers: Record<string, unknown>;
}

/** One request over a fresh connection; resolves with the parsed answer or rejects if there is none. */
const send = (port: number, raw: Raw): Promise<Outcome> =>
  new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: raw.method, path: raw.path, headers: { ...raw.headers, 'content-length': String(raw.body.length) }, agent: false },
      (res) => {
        res.on('data', () => undefined);
        res.on('error', () => undefined);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(raw.body);
  });

const segment = fc.oneof(
  fc.constantFrom('orders', 'auth', 'token', 'context', 'profiles', 'balances', 'tokens', 'files', 'supporting-documents', 'addresses'),
  fc.constantFrom('oauth', 'v1', 'authorize', 'api', 'v2', 'me', 'payments', 'authenticate', 'authenticate-jwt', 'checkout', 'active'),
  fc.constantFrom('%E0%A4%A', '%zz', '%00', '%FF%FE', '..', '.', '%2e%2e', '%2F', '~', 'a;b', '%C3%A9'),
  fc.stringMatching(/^[A-Za-z0-9._~-]{0,40}$/),
  fc.uuid(),
);

const path = fc
  .tuple(
    fc.constantFrom('/monerium', '/moneybutton', '/moneyns', '', '/unknown'),
    fc.array(segment, { maxLength: 5 }),
    fc.option(fc.stringMatching(/^[A-Za-z0-9=&%._~-]{0,60}$/), { nil: undefined }),
  )
  .map(([prefix, segments, query]) => `${prefix}/${segments.join('/')}${query === undefined ? '' : `?${query}`}`);

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=latin1',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'multipart/form-data',
  'text/plain',
  'application/octet-stream',
  'application/vnd.api+json',
  '*/*',
  'garbage',
);

const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,80}$/);

const body = fc.oneof(
  { weight: 6, arbitrary: fc.uint8Array({ maxLength: 512 }) },
  { weight: 3, arbitrary: fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify(v))) },
  { weight: 2, arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 20 })).map((d) => new TextEncoder().encode(new URLSearchParams(d).toString())) },
  { weight: 1, arbitrary: fc.constant(new Uint8Array(1024 * 1024 + 1).fill(0x7b)) },
);

const raw = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
  path,
  headers: fc.record(
    {
      'content-type': contentType,
      authorization: fc.oneof(headerValue, headerValue.map((v) => `Bearer ${v}`), headerValue.map((v) => `Basic ${Buffer.from(v).toString('base64')}`)),
      accept: headerValue,
      token: headerValue,
      'x-anything': headerValue,
    },
    { requiredKeys: [] },
  ),
  body,
});

test('random requests always get a well-formed HTTP answer and the server keeps serving', async (t) => {
  const sandbox = await startSandbox();
  t.teardown(() => sandbox.close());
  const port = Number(new URL(sandbox.urls.monerium).port);
  await fc.assert(
    fc.asyncProperty(raw, async (input) => {
      const answer = await send(port, input);
      return (
        Number.isInteger(answer.status) &&
        answer.status >= 200 &&
        answer.status <= 599 &&
        answer.statusMessage.length > 0 &&
        (input.method === 'HEAD' || answer.status === 204 || answer.status === 304 || answer.headers['content-length'] !== undefined || answer.headers['transfer-encoding'] !== undefined)
      );
    }),
    { numRuns: 250, seed: 20_240_501 },
  );
  const alice = sandbox.fixtures.monerium.users[0]!;
  const after = await fetch(`${sandbox.urls.monerium}/orders`, { headers: { authorization: basic(alice) } });
  t.is(after.status, 200);
  t.true(Array.isArray(await after.json()));
});

test('garbage that is not HTTP gets a 400 and the server keeps serving', async (t) => {
  const sandbox = await startSandbox({ providers: ['monerium'] });
  t.teardown(() => sandbox.close());
  const { createConnection } = await import('node:net');
  const port = Number(new URL(sandbox.urls.monerium).port);
  const reply = await new Promise<string>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write(Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x0d, 0x0a])));
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
    });
    socket.on('close', () => resolve(text));
    socket.on('error', () => resolve(text));
  });
  t.regex(reply, /^HTTP\/1\.1 400 /);
  t.is((await fetch(`${sandbox.urls.monerium}/tokens`)).status, 401);
});
