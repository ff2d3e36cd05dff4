import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import * as io from 'io-ts/lib/index.js';
import { decodeWith } from '../src/decode.js';
import { createHttpClient, parseBearerChallenge, parseRetryAfter } from '../src/http.js';
import { USER_AGENT } from '../src/version.js';
import { json, startRawServer, startServer } from './_http-server.js';

const Thing = io.type({ id: io.string, items: io.array(io.type({ n: io.number })) });
const fast = { backoffBaseMs: 1, maxBackoffMs: 5, maxRetryAfterMs: 3_000 };

test('GET sends query, headers and User-Agent and decodes the body', async (t) => {
  const server = await startServer((_req, res) => json(res, 200, { id: 'a', items: [{ n: 1 }] }));
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'test', baseUrl: `${server.url}/base/` });
  const result = await client.request(
    { method: 'GET', path: '/things', query: { a: 'x y', b: 2, skip: undefined }, headers: { authorization: 'Bearer tkn' } },
    Thing,
  )();
  t.deepEqual(result, E.right({ id: 'a', items: [{ n: 1 }] }));
  const [seen] = server.requests;
  t.is(seen?.method, 'GET');
  t.is(seen?.url, '/base/things?a=x+y&b=2');
  t.is(seen?.headers['user-agent'], USER_AGENT);
  t.is(seen?.headers.authorization, 'Bearer tkn');
});

test('POST sends JSON and form bodies as given', async (t) => {
  const server = await startServer((_req, res) => json(res, 201, { id: 'b', items: [] }));
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'test', baseUrl: server.url });
  await client.request({ method: 'POST', path: '/j', json: { amount: '1.5' } }, Thing)();
  await client.request({ method: 'POST', path: '/f', form: { grant_type: 'x', a: 'b c' } }, Thing)();
  t.is(server.requests[0]?.headers['content-type'], 'application/json');
  t.is(server.requests[0]?.body, '{"amount":"1.5"}');
  t.is(server.requests[1]?.headers['content-type'], 'application/x-www-form-urlencoded');
  t.is(server.requests[1]?.body, 'grant_type=x&a=b+c');
});

test('a body that does not match the codec is a DecodeError naming the path', async (t) => {
  const server = await startServer((_req, res) => json(res, 200, { id: 'a', items: [{ n: 1 }, { n: 'two' }] }));
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'test', baseUrl: server.url });
  const result = await client.request({ method: 'GET', path: '/' }, Thing)();
  if (E.isRight(result) || result.left._tag !== 'DecodeError') return t.fail(`expected DecodeError, got ${JSON.stringify(result)}`);
  t.is(result.left.path, 'items.1.n');
  t.regex(result.left.errors[0] ?? '', /items\.1\.n: expected number, got string/);
});

test('malformed JSON in a 200 is a DecodeError', async (t) => {
  const server = await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"id": "a", "items": [');
  });
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'test', baseUrl: server.url });
  const result = await client.request({ method: 'GET', path: '/' }, Thing)();
  t.like(result, { _tag: 'Left', left: { _tag: 'DecodeError', provider: 'test', path: '' } });
});

test('a request that outlives the timeout is a TransportError of kind timeout', async (t) => {
  const server = await startServer(() => undefined);
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'test', baseUrl: server.url, timeoutMs: 150, maxRetries: 0 });
  const result = await client.request({ method: 'GET', path: '/' }, Thing)();
  t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', kind: 'timeout', attempts: 1 } });
});

test('the shared deadline list times out a hung request among answered ones, each with its own deadline, and cancels it', async (t) => {
  // Paths starting with /hang never get an answer; the others are answered at once.
  let closedByClient = 0;
  const server = await startServer((req, res) => {
    if (req.url?.startsWith('/hang') === true) {
      req.socket.once('close', () => {
        closedByClient += 1;
      });
      return;
    }
    json(res, 200, { id: req.url ?? '', items: [] });
  });
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'test', baseUrl: server.url, timeoutMs: 200, maxRetries: 0 });
  const first = client.request({ method: 'GET', path: '/hang1' }, Thing)();
  const answered = await Promise.all(Array.from({ length: 5 }, (_, i) => client.request({ method: 'GET', path: `/ok${i}` }, Thing)()));
  t.true(answered.every((result, i) => E.isRight(result) && result.right.id === `/ok${i}`));
  const second = client.request({ method: 'GET', path: '/hang2' }, Thing)();
  const late = client.request({ method: 'GET', path: '/ok-late' }, Thing)();
  for (const result of [await first, await second]) {
    t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', kind: 'timeout', attempts: 1 } });
    if (E.isLeft(result)) t.false('neverSent' in result.left);
  }
  t.true(E.isRight(await late));
  // The cancelled requests' connections were closed by the client, not left hanging.
  for (let waited = 0; closedByClient < 2 && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
  t.is(closedByClient, 2);
});

test('timeouts on GET are retried up to two times', async (t) => {
  const server = await startServer(() => undefined);
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'test', baseUrl: server.url, timeoutMs: 100, ...fast });
  const result = await client.request({ method: 'GET', path: '/' }, Thing)();
  t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', kind: 'timeout', attempts: 3 } });
  t.is(server.requests.length, 3);
});

test('a reset connection is a TransportError of kind reset', async (t) => {
  const server = await startServer((req) => req.socket.destroy());
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'test', baseUrl: server.url, maxRetries: 0 });
  const result = await client.request({ method: 'GET', path: '/' }, Thing)();
  t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', kind: 'reset', attempts: 1 } });
});

test('a refused connection is a TransportError of kind connection', async (t) => {
  const server = await startServer(() => undefined);
  await server.close();
  const client = createHttpClient({ provider: 'test', baseUrl: server.url, maxRetries: 0 });
  const result = await client.request({ method: 'GET', path: '/' }, Thing)();
  t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', kind: 'connection' } });
});

test('a refused connection provably never reached the server: neverSent', async (t) => {
  const server = await startServer(() => undefined);
  await server.close();
  const client = createHttpClient({ provider: 'test', baseUrl: server.url, maxRetries: 0 });
  const result = await client.request({ method: 'POST', path: '/', json: {} }, Thing)();
  t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', kind: 'connection', neverSent: true } });
});

test('a host name that does not resolve provably never reached a server: neverSent', async (t) => {
  const client = createHttpClient({ provider: 'test', baseUrl: 'http://paygate-test.invalid', maxRetries: 0 });
  const result = await client.request({ method: 'POST', path: '/', json: {} }, Thing)();
  t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', kind: 'connection', neverSent: true } });
});

test('a timeout, a reset or a 502 may have reached the server: no neverSent', async (t) => {
  const silent = await startServer(() => undefined);
  t.teardown(silent.close);
  const resetting = await startServer((req) => req.socket.destroy());
  t.teardown(resetting.close);
  const gateway = await startServer((_req, res) => json(res, 502, {}));
  t.teardown(gateway.close);
  for (const [url, kind, timeoutMs] of [
    [silent.url, 'timeout', 150],
    [resetting.url, 'reset', 10_000],
    [gateway.url, 'unavailable', 10_000],
  ] as const) {
    const client = createHttpClient({ provider: 'test', baseUrl: url, timeoutMs, maxRetries: 0 });
    const result = await client.request({ method: 'POST', path: '/', json: {} }, Thing)();
    if (E.isRight(result) || result.left._tag !== 'TransportError') return t.fail(`expected TransportError, got ${JSON.stringify(result)}`);
    t.is(result.left.kind, kind);
    t.false('neverSent' in result.left, kind);
  }
});

test('a response the HTTP parser rejects after the request was written is protocol, not neverSent', async (t) => {
  const server = await startRawServer('HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 12abc\r\n\r\n{"id":"p1"}');
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'test', baseUrl: server.url, maxRetries: 0 });
  const result = await client.request({ method: 'POST', path: '/orders', json: { amount: '1' } }, Thing)();
  t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', kind: 'protocol', attempts: 1 } });
  if (E.isLeft(result)) t.false('neverSent' in result.left);
  t.regex(server.received(), /^POST \/orders HTTP\/1\.1/);
});

test('a retry refused after an attempt that may have arrived is not neverSent', async (t) => {
  // The first attempt reaches the server and times out; the server then shuts, so the retry is refused.
  const server = await startServer(() => {
    void server.close();
  });
  const client = createHttpClient({ provider: 'test', baseUrl: server.url, timeoutMs: 300, maxRetries: 1, ...fast });
  const result = await client.request({ method: 'GET', path: '/' }, Thing)();
  t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', attempts: 2 } });
  if (E.isLeft(result)) t.false('neverSent' in result.left);
  t.is(server.requests.length, 1);
});

test('GET is retried on 503 and then succeeds', async (t) => {
  const server = await startServer((_req, res, _seen, i) =>
    i < 2 ? json(res, 503, { message: 'down' }) : json(res, 200, { id: 'ok', items: [] }),
  );
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'test', baseUrl: server.url, ...fast });
  const result = await client.request({ method: 'GET', path: '/' }, Thing)();
  t.deepEqual(result, E.right({ id: 'ok', items: [] }));
  t.is(server.requests.length, 3);
});

test('GET gives up after two retries with a TransportError carrying the status', async (t) => {
  const server = await startServer((_req, res) => json(res, 502, {}));
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'test', baseUrl: server.url, ...fast });
  const result = await client.request({ method: 'GET', path: '/' }, Thing)();
  t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', kind: 'unavailable', status: 502, attempts: 3 } });
  t.is(server.requests.length, 3);
});

test('429 with Retry-After in seconds is waited out before the retry', async (t) => {
  const times: number[] = [];
  const server = await startServer((_req, res, _seen, i) => {
    times.push(Date.now());
    if (i === 0) json(res, 429, {}, { 'retry-after': '1' });
    else json(res, 200, { id: 'ok', items: [] });
  });
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'test', baseUrl: server.url, ...fast });
  const result = await client.request({ method: 'GET', path: '/' }, Thing)();
  t.true(E.isRight(result));
  t.is(times.length, 2);
  t.true((times[1] ?? 0) - (times[0] ?? 0) >= 950, 'the retry waited for Retry-After');
});

test('429 with Retry-After as an HTTP date is honoured', async (t) => {
  const times: number[] = [];
  const server = await startServer((_req, res, _seen, i) => {
    times.push(Date.now());
    if (i === 0) json(res, 429, {}, { 'retry-after': new Date(Date.now() + 2_000).toUTCString() });
    else json(res, 200, { id: 'ok', items: [] });
  });
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'test', baseUrl: server.url, ...fast });
  t.true(E.isRight(await client.request({ method: 'GET', path: '/' }, Thing)()));
  // HTTP dates have one-second resolution, so the wait is at least ~1 s.
  t.true((times[1] ?? 0) - (times[0] ?? 0) >= 900);
});

test('a Retry-After longer than the cap is cut to the cap', async (t) => {
  const times: number[] = [];
  const server = await startServer((_req, res, _seen, i) => {
    times.push(Date.now());
    if (i === 0) json(res, 503, {}, { 'retry-after': '3600' });
    else json(res, 200, { id: 'ok', items: [] });
  });
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'test', baseUrl: server.url, ...fast, maxRetryAfterMs: 200 });
  t.true(E.isRight(await client.request({ method: 'GET', path: '/' }, Thing)()));
  t.true((times[1] ?? 0) - (times[0] ?? 0) < 3_000);
});

test('POST is not retried on 503', async (t) => {
  const server = await startServer((_req, res) => json(res, 503, {}));
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'test', baseUrl: server.url, ...fast });
  const result = await client.request({ method: 'POST', path: '/', json: {} }, Thing)();
  t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', kind: 'unavailable', attempts: 1 } });
  t.is(server.requests.length, 1);
});

test('POST is not retried after a reset', async (t) => {
  const server = await startServer((req) => req.socket.destroy());
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'test', baseUrl: server.url, ...fast });
  const result = await client.request({ method: 'POST', path: '/', json: {} }, Thing)();
  t.like(result, { _tag: 'Left', left: { _tag: 'TransportError', attempts: 1 } });
  t.is(server.requests.length, 1);
});

test('POST with an idempotency key is retried and sends the key each time', async (t) => {
  const server = await startServer((_req, res, _seen, i) => (i === 0 ? json(res, 503, {}) : json(res, 200, { id: 'p', items: [] })));
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'test', baseUrl: server.url, ...fast });
  const result = await client.request({ method: 'POST', path: '/', json: {}, idempotencyKey: 'key-1' }, Thing)();
  t.true(E.isRight(result));
  t.deepEqual(
    server.requests.map((r) => r.headers['idempotency-key']),
    ['key-1', 'key-1'],
  );
});

test('other error statuses go through the provider error mapper, with secrets scrubbed', async (t) => {
  const server = await startServer((req, res) => json(res, 400, { message: `bad token ${req.headers.authorization}` }));
  t.teardown(server.close);
  const client = createHttpClient({
    provider: 'test',
    baseUrl: server.url,
    mapError: (response, provider) => ({
      _tag: 'ProviderError',
      provider,
      status: response.status,
      retryable: false,
      message: String((response.body as { message: string }).message),
      details: { body: response.body },
    }),
  });
  const result = await client.request(
    { method: 'GET', path: '/', headers: { authorization: 'Bearer canary-access-token' } },
    Thing,
  )();
  t.like(result, { _tag: 'Left', left: { _tag: 'ProviderError', status: 400 } });
  t.false(JSON.stringify(result).includes('canary-access-token'));
});

test('401 with a Bearer invalid_token challenge is an AuthError(invalid_token)', async (t) => {
  const server = await startServer((_req, res) => json(res, 401, {}, { 'www-authenticate': 'Bearer realm="x", error="invalid_token"' }));
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'test', baseUrl: server.url });
  const result = await client.request({ method: 'GET', path: '/' }, Thing)();
  t.like(result, { _tag: 'Left', left: { _tag: 'AuthError', reason: 'invalid_token', status: 401 } });
});

test('403 insufficient_scope is an AuthError naming the scope', async (t) => {
  const server = await startServer((_req, res) =>
    json(res, 403, {}, { 'www-authenticate': 'Bearer error="insufficient_scope", scope="orders:write"' }),
  );
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'test', baseUrl: server.url });
  const result = await client.request({ method: 'GET', path: '/' }, Thing)();
  t.like(result, { _tag: 'Left', left: { _tag: 'AuthError', reason: 'insufficient_scope', scope: 'orders:write' } });
});

test('a user-supplied got instance is used', async (t) => {
  const server = await startServer((_req, res) => json(res, 200, { id: 'x', items: [] }));
  t.teardown(server.close);
  const { default: got } = await import('got');
  const custom = got.extend({ headers: { 'x-from-custom': 'yes' } });
  const client = createHttpClient({ provider: 'test', baseUrl: server.url, got: custom });
  t.true(E.isRight(await client.request({ method: 'GET', path: '/' }, Thing)()));
  t.is(server.requests[0]?.headers['x-from-custom'], 'yes');
});

test('a user-supplied got instance with its own hook and headers still gets our User-Agent, Accept and timeout', async (t) => {
  const server = await startServer((_req, res) => json(res, 200, { id: 'x', items: [] }));
  t.teardown(server.close);
  const { default: got } = await import('got');
  const seen: Array<{ userAgent: unknown; accept: unknown; timeout: unknown; hooked: unknown }> = [];
  const custom = got.extend({
    headers: { 'user-agent': 'theirs/1', 'x-from-custom': 'yes' },
    timeout: { connect: 4_321 },
    hooks: {
      beforeRequest: [
        (options) => {
          options.headers['x-hooked'] = 'yes';
          seen.push({
            userAgent: options.headers['user-agent'],
            accept: options.headers.accept,
            timeout: { ...options.timeout },
            hooked: options.headers['x-hooked'],
          });
        },
      ],
    },
  });
  const client = createHttpClient({ provider: 'test', baseUrl: server.url, got: custom, timeoutMs: 1_234 });
  t.true(E.isRight(await client.request({ method: 'GET', path: '/a', headers: { authorization: 'Bearer t' } }, Thing)()));
  t.true(E.isRight(await client.request({ method: 'GET', path: '/b', timeoutMs: 5_678 }, Thing)()));
  t.like(seen[0], { userAgent: USER_AGENT, accept: 'application/json', timeout: { request: 1_234, connect: 4_321 } });
  t.like(seen[1], { userAgent: USER_AGENT, timeout: { request: 5_678, connect: 4_321 } });
  const [first, second] = server.requests;
  t.is(first?.headers['user-agent'], USER_AGENT);
  t.is(first?.headers['x-from-custom'], 'yes');
  t.is(first?.headers['x-hooked'], 'yes');
  t.is(first?.headers.authorization, 'Bearer t');
  t.is(second?.headers.authorization, undefined, 'a header of one request does not leak into the next');
});

test('a timeout of one request applies to that request only', async (t) => {
  const server = await startServer(async (req, res) => {
    if (req.url === '/slow') await new Promise((resolve) => setTimeout(resolve, 300));
    json(res, 200, { id: 'x', items: [] });
  });
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'test', baseUrl: server.url, timeoutMs: 5_000, maxRetries: 0 });
  t.like(await client.request({ method: 'GET', path: '/slow', timeoutMs: 50 }, Thing)(), {
    _tag: 'Left',
    left: { _tag: 'TransportError', kind: 'timeout' },
  });
  t.true(E.isRight(await client.request({ method: 'GET', path: '/slow' }, Thing)()), 'the next request has the default timeout again');
});

test('a caller may replace Accept and User-Agent, and the URL keeps its query and odd characters', async (t) => {
  const server = await startServer((_req, res) => json(res, 200, { id: 'x', items: [] }));
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'test', baseUrl: `${server.url}//` });
  const headers = { Accept: 'application/vnd.monerium.api-v2+json', 'User-Agent': 'app/2' };
  t.true(E.isRight(await client.request({ method: 'GET', path: '/a b/ü', query: { q: 'x&y=z', n: 1 }, headers }, Thing)()));
  t.true(E.isRight(await client.request({ method: 'GET', path: '/p?keep=1', query: { q: 'v' } }, Thing)()));
  t.true(E.isRight(await client.request({ method: 'GET', path: '/e', query: { skip: undefined } }, Thing)()));
  t.is(server.requests[0]?.url, '/a%20b/%C3%BC?q=x%26y%3Dz&n=1');
  t.is(server.requests[0]?.headers.accept, 'application/vnd.monerium.api-v2+json');
  t.is(server.requests[0]?.headers['user-agent'], 'app/2');
  t.is(server.requests[1]?.url, '/p?keep=1&q=v');
  t.is(server.requests[2]?.url, '/e');
  t.deepEqual(headers, { Accept: 'application/vnd.monerium.api-v2+json', 'User-Agent': 'app/2' }, 'the caller\'s headers are not changed');
});

test('a path that cannot follow the base URL is refused before anything is sent', async (t) => {
  const client = createHttpClient({ provider: 'test', baseUrl: 'http://127.0.0.1:1' });
  t.like(await client.send({ method: 'GET', path: ':x/y' })(), {
    _tag: 'Left',
    left: { _tag: 'TransportError', kind: 'protocol', neverSent: true, attempts: 0 },
  });
  const badBase = createHttpClient({ provider: 'test', baseUrl: 'not a url' });
  t.like(await badBase.send({ method: 'GET', path: '/x' })(), { _tag: 'Left', left: { _tag: 'TransportError', kind: 'protocol' } });
});

test('Retry-After parsing handles seconds, dates and garbage', (t) => {
  const now = Date.parse('2024-01-01T00:00:00Z');
  t.is(parseRetryAfter('7', now), 7_000);
  t.is(parseRetryAfter('Mon, 01 Jan 2024 00:00:10 GMT', now), 10_000);
  t.is(parseRetryAfter('soon', now), undefined);
  t.is(parseRetryAfter(undefined, now), undefined);
});

test('Bearer challenges are parsed per RFC 6750', (t) => {
  t.deepEqual(parseBearerChallenge('Bearer error="invalid_token", error_description="expired"'), { error: 'invalid_token' });
  t.deepEqual(parseBearerChallenge('Bearer scope="a b", error=insufficient_scope'), { error: 'insufficient_scope', scope: 'a b' });
  t.is(parseBearerChallenge('Basic realm="x"'), undefined);
});

test('decode paths see through intersections, unions, refinements and readonly wrappers', (t) => {
  const Session = io.readonly(
    io.type({
      data: io.intersection([
        io.type({ id: io.refinement(io.string, (s) => s.length > 0, 'NonEmpty') }),
        io.exact(io.type({ userId: io.union([io.string, io.null]) })),
      ]),
    }),
  );
  t.like(decodeWith(Session, 'p')({ data: { id: 'x', userId: 7 } }), { _tag: 'Left', left: { path: 'data.userId' } });
});
