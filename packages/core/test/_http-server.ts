import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  /** Filled in once the body has been read. */
  body: string;
}

export interface TestServer {
  readonly url: string;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

/**
 * A plain node:http server on 127.0.0.1:0 whose answers a test scripts per request:
 * `handler` receives the request (body already read) and its 0-based index.
 */
export const startServer = async (
  handler: (req: http.IncomingMessage, res: http.ServerResponse, seen: SeenRequest, index: number) => void,
): Promise<TestServer> => {
  const requests: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    // Counted on arrival, not once the body is read: a client that gives up (a timeout) before
    // the server has read its body still made the request.
    const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '' };
    const index = requests.push(seen) - 1;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.body = Buffer.concat(chunks).toString('utf8');
      handler(req, res, seen, index);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

export const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

/**
 * A TCP server on 127.0.0.1:0 that waits for a whole HTTP request head and then writes `answer`
 * verbatim and closes: for answers node:http refuses to produce (a malformed Content-Length).
 */
export const startRawServer = async (answer: string): Promise<{ url: string; received(): string; close(): Promise<void> }> => {
  let received = '';
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      if (received.includes('\r\n\r\n')) socket.end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
};
