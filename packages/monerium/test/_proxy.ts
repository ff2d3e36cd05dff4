import { createServer, type Server, type Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of the sandbox, so a test can cut every connection (a network drop) or
 * take the server away entirely for a while (connections refused) and bring it back on the same
 * port.
 */
export interface TcpProxy {
  readonly url: string;
  /** Destroys every open connection; new ones are still accepted. */
  dropAll(): void;
  /**
   * The next answer from upstream whose first bytes match `pattern` is swallowed and its
   * connection destroyed: the server did the work, the client never hears of it.
   */
  loseNextAnswer(pattern: RegExp): void;
  /** Stops listening and drops everything: the server looks down. */
  pause(): Promise<void>;
  /** Listens again on the same port. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

export const startProxy = async (target: string): Promise<TcpProxy> => {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  let server: Server | undefined;
  let lose: RegExp | undefined;
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const next = createServer((client) => {
        const origin = connect(Number(upstream.port), upstream.hostname);
        track(client);
        track(origin);
        client.pipe(origin).on('error', () => undefined);
        origin.on('data', (chunk: Buffer) => {
          if (lose?.test(chunk.toString('latin1')) === true) {
            lose = undefined;
            client.destroy();
            origin.destroy();
            return;
          }
          client.write(chunk);
        });
        origin.on('end', () => client.end());
        client.on('error', () => origin.destroy());
        origin.on('error', () => client.destroy());
        client.on('close', () => origin.destroy());
        origin.on('close', () => client.destroy());
      });
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        server = next;
        resolve((next.address() as AddressInfo).port);
      });
    });
  const port = await listen(0);
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      const current = server;
      server = undefined;
      dropAll();
      if (current === undefined) return resolve();
      current.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname.replace(/\/+$/, '')}`,
    dropAll,
    loseNextAnswer: (pattern) => {
      lose = pattern;
    },
    pause: stop,
    resume: async () => {
      await listen(port);
    },
    close: stop,
  };
};
