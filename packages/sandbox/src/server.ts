import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { type WebSocket, WebSocketServer } from 'ws';
import { createAdjustableClock, skewedClock, systemClock } from './clock.js';
import type { Clock, ProviderContext, ProviderEmulator, ProviderName, WebSocketUpgrade } from './context.js';
import {
  createDelays,
  createFaultInjector,
  dropAfter,
  type FaultRule,
  faultAnswer,
  installFaultHooks,
  plainError,
} from './faults.js';
import { createMoneriumEmulator, type MoneriumAdmin, type MoneriumFixtures, type MoneriumOptions } from './monerium/index.js';
import {
  createMoneyButtonEmulator,
  type MoneyButtonAdmin,
  type MoneyButtonEmulatorOptions,
  type MoneyButtonFixtures,
} from './moneybutton/index.js';
import { createMoneyNsEmulator, type MoneyNsAdmin, type MoneyNsEmulatorOptions, type MoneyNsFixtures } from './moneyns/index.js';
import { createRandom } from './random.js';
import { createRecorder, locate, PROVIDER_NAMES, type RecordedRequest } from './recorder.js';

/** Bodies above this are answered 413 before any provider sees them. */
export const BODY_LIMIT = 1024 * 1024;

export interface SandboxOptions {
  /** Which emulators to serve (default: all three). The others' fixtures and admin throw when used. */
  providers?: ReadonlyArray<ProviderName>;
  /** Default 0 (an ephemeral port); the host is always 127.0.0.1. */
  port?: number;
  /** Fixtures, ids, codes and fault draws all follow from it (default 1). */
  seed?: number | string;
  /** Default: real time. `admin.clock.advance` offsets it. */
  clock?: Clock;
  faults?: ReadonlyArray<FaultRule>;
  monerium?: MoneriumOptions;
  moneybutton?: MoneyButtonEmulatorOptions;
  moneyns?: MoneyNsEmulatorOptions;
}

export interface Sandbox {
  /** Origin + provider prefix, no trailing slash; the documented paths go right after it. */
  readonly urls: { readonly monerium: string; readonly moneybutton: string; readonly moneyns: string };
  readonly fixtures: { readonly monerium: MoneriumFixtures; readonly moneybutton: MoneyButtonFixtures; readonly moneyns: MoneyNsFixtures };
  readonly admin: {
    readonly faults: { set(rules: ReadonlyArray<FaultRule>): void; clear(): void; list(): ReadonlyArray<FaultRule> };
    readonly clock: { now(): number; advance(ms: number): void };
    /** Every HTTP request (and websocket upgrade) received, in order. */
    requests(): ReadonlyArray<RecordedRequest>;
    clearRequests(): void;
    readonly monerium: MoneriumAdmin;
    readonly moneybutton: MoneyButtonAdmin;
    readonly moneyns: MoneyNsAdmin;
  };
  /** Closes HTTP, websockets and timers; nothing is left open. */
  close(): Promise<void>;
}

type AnyEmulator = ProviderEmulator<unknown, unknown>;

const plainResponse = (status: number, headers: Readonly<Record<string, string>>, body: string): string => {
  const lines = Object.entries({ ...headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' }).map(
    ([name, value]) => `${name}: ${value}`,
  );
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
};

/** An object whose every property access throws: the fixtures/admin of a provider not served. */
const disabled = <T extends object>(provider: ProviderName, what: string): T =>
  new Proxy({} as T, {
    get(_target, property) {
      if (property === 'then' || typeof property === 'symbol') return undefined;
      throw new Error(`${provider} is not served by this sandbox (options.providers), so it has no ${what}`);
    },
  });

/** Starts the three emulators (or the chosen ones) behind one HTTP server on 127.0.0.1. */
export const startSandbox = async (options: SandboxOptions = {}): Promise<Sandbox> => {
  const seed = options.seed ?? 1;
  const providers = new Set(options.providers ?? PROVIDER_NAMES);
  for (const name of providers) if (!PROVIDER_NAMES.includes(name)) throw new TypeError(`unknown provider ${JSON.stringify(name)}`);
  const clock = createAdjustableClock(options.clock ?? systemClock);
  const faults = createFaultInjector(createRandom(`${seed}/faults`));
  faults.set(options.faults ?? []);
  const delays = createDelays();
  const recorder = createRecorder(clock, BODY_LIMIT);

  const app: FastifyInstance = Fastify({
    bodyLimit: BODY_LIMIT,
    forceCloseConnections: true,
    return503OnClosing: true,
    // Malformed URLs and over-long parameters still get a JSON answer in the house shape.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode ?? 400;
      reply.code(status).send(plainError(status, error.message));
    },
  });
  recorder.install(app);
  const fault = installFaultHooks(app, faults, delays);
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    return reply.code(status).send(plainError(status, status < 500 ? error.message : 'Internal server error'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(plainError(404, `No provider at ${locate(request.url).path}; use /monerium, /moneybutton or /moneyns`)),
  );

  let origin = '';
  const contextFor = (name: ProviderName): ProviderContext => {
    const ambient = skewedClock(clock, () => faults.ambientSkew(name));
    return {
      clock: ambient,
      random: createRandom(`${seed}/${name}`),
      baseUrl: () => `${origin}/${name}`,
      // The request's own draw already includes the ambient rules (they match every request).
      requestClock: (request) => skewedClock(clock, () => fault.skewOf(request)),
    };
  };
  const monerium = providers.has('monerium') ? createMoneriumEmulator(contextFor('monerium'), options.monerium ?? {}) : undefined;
  const moneybutton = providers.has('moneybutton') ? createMoneyButtonEmulator(contextFor('moneybutton'), options.moneybutton ?? {}) : undefined;
  const moneyns = providers.has('moneyns') ? createMoneyNsEmulator(contextFor('moneyns'), options.moneyns ?? {}) : undefined;
  const emulators = new Map<ProviderName, AnyEmulator>();
  if (monerium !== undefined) emulators.set('monerium', monerium as AnyEmulator);
  if (moneybutton !== undefined) emulators.set('moneybutton', moneybutton as AnyEmulator);
  if (moneyns !== undefined) emulators.set('moneyns', moneyns as AnyEmulator);

  for (const [name, emulator] of emulators) {
    await app.register(async (scope) => emulator.plugin(scope), { prefix: `/${name}` });
  }

  let closing: Promise<void> | undefined;
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true });
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // A client that vanishes mid-handshake must not take the process down.
    socket.on('error', () => socket.destroy());
    recorder.recordUpgrade(request);
    const location = locate(request.url ?? '/');
    const reject = (status: number, headers: Readonly<Record<string, string>>, body: string) => {
      if (socket.writable) socket.end(plainResponse(status, headers, body));
      else socket.destroy();
    };
    const decision = faults.decide(location.provider, request.method ?? 'GET', location.path, 'upgrade');
    const proceed = () => {
      if (closing !== undefined) {
        socket.destroy();
        return;
      }
      if (decision.terminal !== undefined) {
        const answer = faultAnswer(decision.terminal);
        if (answer === undefined) socket.destroy();
        else reject(answer.status, answer.headers, answer.body);
        return;
      }
      const emulator = location.provider === 'unknown' ? undefined : emulators.get(location.provider);
      if (emulator?.upgrade === undefined) {
        reject(404, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(plainError(404, `No websocket at ${location.path}`)));
        return;
      }
      const upgrade: WebSocketUpgrade = {
        request,
        path: location.path,
        query: location.query,
        // The upgrade's own draw already includes the ambient skew rules.
        clock: skewedClock(clock, () => decision.skewMs),
        reject,
        accept: () =>
          new Promise<WebSocket>((resolve, rejectAccept) => {
            if (!socket.writable) {
              rejectAccept(new Error('the client went away before the handshake completed'));
              return;
            }
            wss.handleUpgrade(request, socket, head, (ws) => {
              if (closing !== undefined) ws.terminate();
              sockets.add(ws);
              ws.on('error', () => ws.terminate());
              ws.on('close', () => sockets.delete(ws));
              if (decision.wsDropAfter !== undefined) dropAfter(ws, decision.wsDropAfter);
              resolve(ws);
            });
          }),
      };
      try {
        emulator.upgrade(upgrade);
      } catch {
        reject(500, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(plainError(500, 'Internal server error')));
      }
    };
    if (decision.delayMs > 0) void delays.wait(decision.delayMs, socket).then(proceed);
    else proceed();
  };
  app.server.on('upgrade', onUpgrade);

  try {
    await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  } catch (error) {
    // A taken port must not leave the emulators' state or the server half open.
    await Promise.all([...emulators.values()].map((emulator) => emulator.close()));
    await app.close();
    throw error;
  }
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the sandbox server has no TCP address');
  origin = `http://127.0.0.1:${address.port}`;

  return {
    urls: { monerium: `${origin}/monerium`, moneybutton: `${origin}/moneybutton`, moneyns: `${origin}/moneyns` },
    fixtures: {
      monerium: monerium?.fixtures ?? disabled<MoneriumFixtures>('monerium', 'fixtures'),
      moneybutton: moneybutton?.fixtures ?? disabled<MoneyButtonFixtures>('moneybutton', 'fixtures'),
      moneyns: moneyns?.fixtures ?? disabled<MoneyNsFixtures>('moneyns', 'fixtures'),
    },
    admin: {
      faults: { set: (rules) => faults.set(rules), clear: () => faults.clear(), list: () => faults.list() },
      clock: { now: () => clock.now(), advance: (ms) => clock.advance(ms) },
      requests: () => recorder.requests(),
      clearRequests: () => recorder.clear(),
      monerium: monerium?.admin ?? disabled<MoneriumAdmin>('monerium', 'admin'),
      moneybutton: moneybutton?.admin ?? disabled<MoneyButtonAdmin>('moneybutton', 'admin'),
      moneyns: moneyns?.admin ?? disabled<MoneyNsAdmin>('moneyns', 'admin'),
    },
    close: () => {
      closing ??= (async () => {
        app.server.off('upgrade', onUpgrade);
        delays.close();
        await Promise.all([...emulators.values()].map((emulator) => emulator.close()));
        for (const ws of sockets) ws.terminate();
        sockets.clear();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await app.close();
      })();
      return closing;
    },
  };
};
