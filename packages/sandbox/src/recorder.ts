import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock, ProviderName } from './context.js';

/** One HTTP request (or websocket upgrade) as the sandbox received it. */
export interface RecordedRequest {
  provider: ProviderName | 'unknown';
  method: string;
  /** Without the provider prefix and without the query, still percent-encoded as sent. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The raw body as text (UTF-8, lossy for other bytes); empty when there was none. */
  body: string;
  /** Sandbox clock time at arrival. */
  at: number;
}

export const PROVIDER_NAMES: ReadonlyArray<ProviderName> = ['monerium', 'moneybutton', 'moneyns'];

/** Where a request URL points: which provider prefix, and the path and query below it. */
export interface Location {
  readonly provider: ProviderName | 'unknown';
  readonly path: string;
  readonly query: URLSearchParams;
}

export const locate = (url: string): Location => {
  const q = url.indexOf('?');
  const fullPath = q === -1 ? url : url.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
  for (const provider of PROVIDER_NAMES) {
    const prefix = `/${provider}`;
    if (fullPath === prefix) return { provider, path: '/', query };
    if (fullPath.startsWith(`${prefix}/`)) return { provider, path: fullPath.slice(prefix.length), query };
  }
  return { provider: 'unknown', path: fullPath, query };
};

const flattenHeaders = (headers: IncomingHttpHeaders): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
};

const hasBody = (request: IncomingMessage): boolean =>
  request.headers['transfer-encoding'] !== undefined ||
  (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0');

export interface Recorder {
  /** Installs the root hooks that record every request routed by fastify. */
  install(app: FastifyInstance): void;
  /** Records a websocket upgrade, which never reaches fastify's routing. */
  recordUpgrade(request: IncomingMessage): void;
  requests(): ReadonlyArray<RecordedRequest>;
  clear(): void;
}

/** Keeps at most `bodyLimit` bytes of each body: the server rejects anything larger anyway. */
export const createRecorder = (clock: Clock, bodyLimit: number): Recorder => {
  let entries: RecordedRequest[] = [];
  const byRequest = new WeakMap<FastifyRequest, RecordedRequest>();

  const record = (request: IncomingMessage): RecordedRequest => {
    const location = locate(request.url ?? '/');
    const entry: RecordedRequest = {
      provider: location.provider,
      method: request.method ?? 'GET',
      path: location.path,
      query: Object.fromEntries(location.query),
      headers: flattenHeaders(request.headers),
      body: '',
      at: clock.now(),
    };
    entries.push(entry);
    return entry;
  };

  return {
    install(app) {
      app.addHook('onRequest', async (request) => {
        byRequest.set(request, record(request.raw));
      });
      // The body is copied on its way to the content-type parser, so every provider's own parsers
      // (and their limits) stay in charge of it.
      app.addHook('preParsing', async (request, _reply, payload) => {
        const entry = byRequest.get(request);
        if (entry === undefined || !hasBody(request.raw)) return payload;
        const chunks: Buffer[] = [];
        let kept = 0;
        const tee = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            if (kept < bodyLimit) {
              const slice = chunk.subarray(0, bodyLimit - kept);
              chunks.push(slice);
              kept += slice.length;
            }
            callback(null, chunk);
          },
          flush(callback) {
            entry.body = Buffer.concat(chunks).toString('utf8');
            callback();
          },
        });
        pipeline(payload, tee, () => {
          entry.body = Buffer.concat(chunks).toString('utf8');
        });
        return tee;
      });
    },
    recordUpgrade(request) {
      record(request);
    },
    requests: () => entries.map((entry) => ({ ...entry, query: { ...entry.query }, headers: { ...entry.headers } })),
    clear() {
      entries = [];
    },
  };
};
