import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExecutionContext } from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { GatewayError } from '@paygate/core';
import { createMoneriumV2Client, type MoneriumV2Client, type MoneriumV2ClientSettings } from '../src/index.js';

/** One request as the server saw it. */
export interface Seen {
  readonly method: string;
  readonly path: string;
  /** Every query value, repeated keys kept in order. */
  readonly query: ReadonlyArray<readonly [string, string]>;
  readonly headers: IncomingMessage['headers'];
  readonly raw: string;
  readonly json: unknown;
}

export interface Reply {
  readonly status?: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Destroy the socket without an answer (a lost response). */
  readonly drop?: boolean;
}

export type Route = (seen: Seen, count: number) => Reply | Promise<Reply>;

export interface V2Server {
  readonly url: string;
  readonly seen: Seen[];
  /** `METHOD /path` (path without query) → handler. */
  route(key: string, handler: Route | Reply): void;
}

/** A small Monerium v2 stand-in on port 0 that answers what each test tells it to, closed after the test. */
export const startV2Server = async (t: ExecutionContext): Promise<V2Server> => {
  const routes = new Map<string, Route>();
  const counts = new Map<string, number>();
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const raw = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = raw === '' ? undefined : JSON.parse(raw);
      } catch {
        json = undefined;
      }
      const entry: Seen = { method: req.method ?? '', path: url.pathname, query: [...url.searchParams.entries()], headers: req.headers, raw, json };
      seen.push(entry);
      const key = `${entry.method} ${entry.path}`;
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      const handler = routes.get(key);
      const reply: Reply = handler === undefined ? { status: 404, body: { code: 404, status: 'Not Found', message: 'Not found' } } : await handler(entry, count);
      if (reply.drop === true) {
        req.socket.destroy();
        return;
      }
      res.statusCode = reply.status ?? 200;
      for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
      if (reply.body === undefined) res.end();
      else if (typeof reply.body === 'string') res.end(reply.body);
      else {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(reply.body));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    route: (key, handler) => routes.set(key, typeof handler === 'function' ? handler : () => handler),
  };
};

export const ACCESS_TOKEN = 'v2-access-token-abcdef';

/** A v2 client with a ready session (no OAuth round trip), sandbox chain names. */
export const v2Client = (server: V2Server, extra: Partial<MoneriumV2ClientSettings> = {}): MoneriumV2Client => {
  const client = createMoneriumV2Client({
    environment: { baseUrl: server.url },
    auth: { kind: 'tokens', tokens: { accessToken: ACCESS_TOKEN, tokenType: 'Bearer', extra: {} } },
    http: { timeoutMs: 2_000, backoffBaseMs: 1, maxBackoffMs: 5 },
    orderLookup: { attempts: 2, intervalMs: 1 },
    ...extra,
  });
  if (E.isLeft(client)) throw new Error(client.left.message);
  return client.right;
};

export const right = async <A>(t: ExecutionContext, task: TE.TaskEither<GatewayError, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) {
    t.fail(`expected Right, got ${JSON.stringify(result.left)}`);
    throw new Error('unreachable');
  }
  return result.right;
};

export const left = async <A>(t: ExecutionContext, task: TE.TaskEither<GatewayError, A>): Promise<GatewayError> => {
  const result = await task();
  if (E.isRight(result)) {
    t.fail(`expected Left, got ${JSON.stringify(result.right)}`);
    throw new Error('unreachable');
  }
  return result.left;
};

export const V2_ACCEPT = 'application/vnd.monerium.api-v2+json';

/** The fact sheet's order example shape (§3), SEPA redeem. */
export const orderBody = (overrides: Record<string, unknown> = {}) => ({
  id: '3f2c7b0e-8e0d-4b9b-9d1a-1c2d3e4f5a6b',
  kind: 'redeem',
  profile: '9f1b6a38-0000-4000-8000-000000000001',
  address: '0x59cFC5Cd3a3bEfE25Fa5e1E6F1D2dB3b50C0DeA1',
  chain: 'sepolia',
  currency: 'eur',
  amount: '12.50',
  counterpart: { identifier: { standard: 'iban', iban: 'DE89370400440532013000' }, details: { firstName: 'Ada', lastName: 'Lovelace', country: 'DE' } },
  memo: 'Invoice 42',
  state: 'processed',
  meta: { placedAt: '2024-07-29T12:21:58.777884Z', processedAt: '2024-07-29T12:30:00.000000Z', txHashes: ['0xabc'] },
  ...overrides,
});
