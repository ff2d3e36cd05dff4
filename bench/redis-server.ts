import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway `redis-server` for one benchmark: its own port and directory, no persistence. */
export interface RedisServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** Ports tried at random from this range; a port already taken is retried with another. */
const PORT_RANGE = { from: 20_000, span: 30_000 } as const;
const ATTEMPTS = 8;

/** One `redis-server` on `port`: resolves once it accepts connections, `undefined` if the port was taken. */
const launch = (port: number, dir: string): Promise<ChildProcess | undefined> =>
  new Promise((resolve, reject) => {
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Ready to accept connections')) {
        child.stdout?.resume();
        resolve(child);
      }
    });
    child.once('exit', (code) =>
      /address already in use/i.test(output) ? resolve(undefined) : reject(new Error(`redis-server exited with ${code} before it was ready: ${output}`)),
    );
  });

/** Starts `redis-server` from PATH, or returns `undefined` when there is none (the benchmark says so). */
export const startRedis = async (): Promise<RedisServer | undefined> => {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'paygate-bench-redis-'));
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = PORT_RANGE.from + Math.floor(Math.random() * PORT_RANGE.span);
    const child = await launch(port, dir);
    if (child === undefined) continue;
    return {
      url: `redis://127.0.0.1:${port}`,
      stop: () =>
        new Promise<void>((resolve) => {
          const done = () => {
            rmSync(dir, { recursive: true, force: true });
            resolve();
          };
          if (child.exitCode !== null) return done();
          child.once('exit', done);
          child.kill('SIGTERM');
        }),
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`redis-server found no free port in ${ATTEMPTS} attempts`);
};
