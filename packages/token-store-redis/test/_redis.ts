import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { Redis } from 'ioredis';

/** A throwaway redis-server owned by one test file: its own port, its own data directory. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** Stops the server gracefully (SIGTERM: with appendonly on, the AOF is flushed first). */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory. */
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Stops the server and removes its directory. */
  dispose(): Promise<void>;
}

export interface RedisServerOptions {
  /** Keep data across a restart (AOF in the temp dir, fsync on every write). */
  readonly persistent?: boolean;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

const launch = (port: number, dir: string, persistent: boolean): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir];
    args.push(...(persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        child.stdout?.resume();
        resolve(child);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`));
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('exit', onExit);
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error('redis-server is not on PATH: run `node scripts/system-deps.mjs` at the repository root for the install command')
          : error,
      ),
    );
  });

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));

export const startRedis = async (options: RedisServerOptions = {}): Promise<RedisServer> => {
  const persistent = options.persistent ?? false;
  const dir = await mkdtemp(join(tmpdir(), 'paygate-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;
  // Another process may take the free port between probing and binding: try a few.
  for (let attempt = 0; child === undefined; attempt++) {
    port = await freePort();
    try {
      child = await launch(port, dir, persistent);
    } catch (error) {
      if (attempt >= 4) throw error;
    }
  }
  let current: ChildProcess | undefined = child;

  const stop = async () => {
    const running = current;
    current = undefined;
    if (running === undefined) return;
    running.kill('SIGTERM');
    await exited(running);
  };
  const start = async () => {
    if (current === undefined) current = await launch(port, dir, persistent);
  };

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    stop,
    start,
    restart: async () => {
      await stop();
      await start();
    },
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
};

/** The redis-server one test file shares across its tests, and a plain client to read or plant keys. */
export interface SharedRedis {
  readonly url: string;
  /** Connects on first use; disconnected with the server after the file's tests. */
  readonly raw: Redis;
}

/** Starts a server before the calling file's tests and disposes of it (and the raw client) after them all. */
export const sharedRedis = (): SharedRedis => {
  let server: RedisServer | undefined;
  let raw: Redis | undefined;

  test.before(async () => {
    server = await startRedis();
  });

  test.after.always(async () => {
    raw?.disconnect();
    await server?.dispose();
  });

  const url = (): string => {
    if (server === undefined) throw new Error('the shared redis-server is not started yet (use it inside a test)');
    return server.url;
  };

  return {
    get url() {
      return url();
    },
    get raw() {
      raw ??= new Redis(url());
      return raw;
    },
  };
};
