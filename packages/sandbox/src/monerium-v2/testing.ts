/**
 * Helpers for tests and demos that drive the Monerium v2 emulator: a headless Sign-In with
 * Ethereum, and a local webhook receiver that records what the sandbox delivers.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { privateKeyToAccount } from 'viem/accounts';
import { createSiweMessage, generateSiweNonce } from 'viem/siwe';
import { MONERIUM_SIWE_RESOURCE } from './siwe.js';

export interface SiweLoginInput {
  /** The sandbox's Monerium base URL (`sandbox.urls.monerium`). */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly redirectUri: string;
  /** base64url(SHA-256(code_verifier)). */
  readonly codeChallenge: string;
  /** The key of a linked address (e.g. `sandbox.fixtures.monerium.v2.addresses[0].privateKey`). */
  readonly privateKey: `0x${string}`;
  /** EVM chain id of a chain the address is linked on (sepolia 11155111, chiado 10200, amoy 80002, …). */
  readonly chainId: number;
  readonly state?: string;
  /** Default: the app fixture's URLs are not known here, so two example URLs are listed. */
  readonly resources?: ReadonlyArray<string>;
  /** Default: now + 5 minutes, as the official SDK does. */
  readonly expirationTime?: Date;
  readonly issuedAt?: Date;
  readonly nonce?: string;
  /** Default: the authority (host:port) of `redirectUri`, which the sandbox requires. */
  readonly domain?: string;
  readonly statement?: string;
}

/** The EIP-4361 message a wallet would sign to sign in to Monerium (expiry and the required Resources included). */
export const moneriumSiweMessage = (input: Omit<SiweLoginInput, 'baseUrl' | 'clientId' | 'codeChallenge' | 'privateKey' | 'state'> & { readonly address: `0x${string}` }): string => {
  const issuedAt = input.issuedAt ?? new Date();
  return createSiweMessage({
    domain: input.domain ?? new URL(input.redirectUri).host,
    address: input.address,
    statement: input.statement ?? 'Allow the app to access my data on Monerium',
    uri: input.redirectUri,
    version: '1',
    chainId: input.chainId,
    nonce: input.nonce ?? generateSiweNonce(),
    issuedAt,
    expirationTime: input.expirationTime ?? new Date(issuedAt.getTime() + 5 * 60_000),
    resources: [MONERIUM_SIWE_RESOURCE, ...(input.resources ?? ['https://app.example.com/privacy', 'https://app.example.com/terms'])],
  });
};

/**
 * Signs in with Ethereum against the sandbox (`POST /auth`, `authentication_method=siwe`) and
 * resolves to the callback URL (`code` and `state`, or `error`). Rejects when the sandbox does
 * not redirect.
 */
export const signInWithEthereumHeadless = async (input: SiweLoginInput): Promise<string> => {
  const account = privateKeyToAccount(input.privateKey);
  const message = moneriumSiweMessage({ ...input, address: account.address });
  const signature = await account.signMessage({ message });
  const form = new URLSearchParams({
    client_id: input.clientId,
    code_challenge: input.codeChallenge,
    code_challenge_method: 'S256',
    authentication_method: 'siwe',
    message,
    signature,
    redirect_uri: input.redirectUri,
    ...(input.state === undefined ? {} : { state: input.state }),
  });
  const response = await fetch(`${input.baseUrl}/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  const location = response.headers.get('location');
  if (response.status !== 302 || location === null) throw new Error(`SIWE sign-in answered ${response.status}: ${await response.text()}`);
  return location;
};

/** One request the receiver got. */
export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  /** The raw body, exactly as sent (signatures cover these bytes). */
  readonly body: string;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly received: ReadonlyArray<ReceivedWebhook>;
  /** The statuses to answer with, in order; after the list runs out, `fallback` (default 200). */
  respondWith(statuses: ReadonlyArray<number>, fallback?: number): void;
  /** Resolves once `count` requests have arrived (or rejects after `ms`, default 10 s). */
  waitFor(count: number, ms?: number): Promise<ReadonlyArray<ReceivedWebhook>>;
  close(): Promise<void>;
}

/** A webhook endpoint on 127.0.0.1 (port 0) that records every request and answers 200 unless told otherwise. */
export const startWebhookReceiver = async (): Promise<WebhookReceiver> => {
  const received: ReceivedWebhook[] = [];
  let script: number[] = [];
  let fallback = 200;
  let waiters: Array<{ count: number; resolve: () => void }> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(script.shift() ?? fallback, { 'content-type': 'text/plain' }).end('ok');
      const ready = waiters.filter((w) => received.length >= w.count);
      waiters = waiters.filter((w) => received.length < w.count);
      for (const w of ready) w.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    respondWith(statuses, otherwise = 200) {
      script = [...statuses];
      fallback = otherwise;
    },
    waitFor(count, ms = 10_000) {
      if (received.length >= count) return Promise.resolve([...received]);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${received.length} of ${count} webhooks arrived within ${ms} ms`)), ms);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve([...received]);
          },
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
