import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { exited, forkTs, nextMessage } from './_child.js';
import { right, storeFor } from './_fixtures.js';
import { sharedRedis } from './_redis.js';
import type { RefreshWorkerInput, RefreshWorkerMessage } from './_refresh-worker.js';

const redis = sharedRedis();

/**
 * A token endpoint with rotating refresh tokens that takes `delayMs` to answer: the refresh
 * token is used up the moment the request arrives, the answer (tokens or invalid_grant) comes
 * later, as with a slow provider.
 */
const slowTokenEndpoint = async (delayMs: number) => {
  let valid = 'rt-0';
  let generation = 0;
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      const params = new URLSearchParams(body);
      const sent = params.get('refresh_token') ?? '';
      seen.push(`${req.method} ${req.url} ${params.get('grant_type')} ${sent}`);
      const accepted = params.get('grant_type') === 'refresh_token' && sent === valid;
      if (accepted) valid = `rt-${++generation}`;
      const issued = generation;
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        res.setHeader('cache-control', 'no-store');
        if (!accepted) {
          res.statusCode = 400;
          res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'refresh token already used' }));
          return;
        }
        res.end(JSON.stringify({ access_token: `at-${issued}`, token_type: 'Bearer', expires_in: 3600, refresh_token: `rt-${issued}` }));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/token`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

const startWorker = async (input: RefreshWorkerInput): Promise<ChildProcess> => {
  const child = forkTs(new URL('./_refresh-worker.ts', import.meta.url), [JSON.stringify(input)]);
  const message = await nextMessage<RefreshWorkerMessage>(child);
  if (!('ready' in message)) throw new Error('worker did not report ready');
  return child;
};

const resultOf = async (child: ChildProcess) => {
  const message = await nextMessage<RefreshWorkerMessage>(child);
  await exited(child);
  return 'result' in message ? message.result : E.left('no result');
};

test('two processes: a token request slower than the lock TTL neither runs twice nor loses the session', async (t) => {
  // The answer takes 2.5 s, the lock lives 1 s unless renewed.
  const endpoint = await slowTokenEndpoint(2_500);
  t.teardown(endpoint.close);
  const key = 'fence:slow';
  const store = storeFor({ redis: redis.url });
  t.teardown(() => store.close()());
  right(await store.set(key, { accessToken: 'at-0', tokenType: 'Bearer', refreshToken: 'rt-0', expiresAt: Date.now() - 1_000, extra: {} })());
  const input: RefreshWorkerInput = { redisUrl: redis.url, tokenEndpoint: endpoint.url, key, lockTtlMs: 1_000 };
  const [a, b] = await Promise.all([startWorker(input), startWorker(input)]);
  if (a === undefined || b === undefined) throw new Error('workers did not start');

  const first = resultOf(a);
  a.send('go');
  for (let i = 0; i < 1_000 && endpoint.seen.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  const second = resultOf(b);
  b.send('go');

  t.deepEqual(await first, E.right('at-1'));
  t.deepEqual(await second, E.right('at-1'), 'the second process waits for the lock and uses the renewed session');
  t.deepEqual(endpoint.seen, ['POST /token refresh_token rt-0'], 'the used refresh token was never sent again');
  const stored = right(await store.get(key)());
  t.is(stored?.refreshToken, 'rt-1', 'the renewed session is stored');
});
