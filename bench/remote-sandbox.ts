import { type ChildProcess, fork } from 'node:child_process';
import type { FaultRule, MoneriumFixtures, MoneriumOptions } from '@paygate/sandbox';

/**
 * The Monerium sandbox in its own process. The benchmarked client then has its event loop, heap
 * and CPU profile to itself (on two cores the sandbox runs beside it rather than between its
 * requests), and the sandbox's own growth (it records every request) is not counted as ours.
 */
export interface RemoteSandbox {
  /** `http://127.0.0.1:<port>/monerium`. */
  readonly baseUrl: string;
  /** `ws://127.0.0.1:<port>/monerium`. */
  readonly wsUrl: string;
  readonly fixtures: MoneriumFixtures;
  /** Requests received so far with this method and path (below `/monerium`), e.g. `POST /auth/token`. */
  requestCount(method: string, path: string): Promise<number>;
  /** The `grant_type` of every token request received so far (and nothing else of their bodies, which hold secrets). */
  tokenGrants(): Promise<ReadonlyArray<string>>;
  clearRequests(): Promise<void>;
  /** Every access token issued so far answers 401 `invalid_token` from now on. */
  expireAccessTokens(): Promise<void>;
  /**
   * Incoming SEPA payments: `count` new issue orders for `fixtures.addresses[0]`, each announced
   * on the order websocket once (orders stay `placed`). The memo is `bench <seq> <sentAt>`, where
   * `sentAt` is `performance.timeOrigin + performance.now()` in ms just before the order is placed,
   * so a receiver can compute the delivery latency. `perSecond` paces them; without it they go
   * out as fast as the sandbox can, `burst` at a time between event-loop turns.
   */
  placeIssueOrders(options: PlaceIssueOrders, onSent?: () => void): Promise<Placement>;
  /** Rejects every order `placeIssueOrders` placed that is still `placed`; returns how many. */
  rejectPlaced(): Promise<number>;
  setFaults(rules: ReadonlyArray<FaultRule>): Promise<void>;
  close(): Promise<void>;
}

export interface Placement {
  readonly count: number;
  readonly elapsedMs: number;
  /** `performance.timeOrigin + performance.now()` in the sandbox process when the last order went out. */
  readonly finishedAt: number;
}

export interface PlaceIssueOrders {
  readonly count: number;
  readonly perSecond?: number;
  readonly burst?: number;
}

export interface RemoteSandboxOptions extends MoneriumOptions {
  readonly seed?: number;
}

/** What the sandbox process understands; one reply per command, matched by `id`. */
export type Command =
  | { readonly op: 'requestCount'; readonly method: string; readonly path: string }
  | { readonly op: 'tokenGrants' }
  | { readonly op: 'clearRequests' }
  | { readonly op: 'expireAccessTokens' }
  | { readonly op: 'placeIssueOrders'; readonly options: PlaceIssueOrders }
  | { readonly op: 'rejectPlaced' }
  | { readonly op: 'setFaults'; readonly rules: ReadonlyArray<FaultRule> }
  | { readonly op: 'close' };

export type Reply = { readonly id: number } & ({ readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string });

export type Ready = { readonly ready: true; readonly baseUrl: string; readonly fixtures: MoneriumFixtures };

const isReady = (message: unknown): message is Ready =>
  typeof message === 'object' && message !== null && (message as { ready?: unknown }).ready === true;

const isReply = (message: unknown): message is Reply =>
  typeof message === 'object' && message !== null && typeof (message as { id?: unknown }).id === 'number';

export const startRemoteSandbox = async (options: RemoteSandboxOptions = {}): Promise<RemoteSandbox> => {
  const child: ChildProcess = fork(new URL('./sandbox-process.ts', import.meta.url), [JSON.stringify(options)], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let exited = false;

  const ready = await new Promise<Ready>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the sandbox process exited with ${code} before it was ready`));
    child.once('exit', onExit);
    child.on('message', function onMessage(message: unknown) {
      if (!isReady(message)) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    });
  });

  child.on('message', (message: unknown) => {
    if (!isReply(message)) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) waiter?.resolve(message.value);
    else waiter?.reject(new Error(`sandbox: ${message.error}`));
  });
  child.once('exit', (code) => {
    exited = true;
    for (const waiter of pending.values()) waiter.reject(new Error(`the sandbox process exited with ${code}`));
    pending.clear();
  });

  /** `onSent`: the command has been written to the IPC channel (the sandbox may not have read it yet). */
  const call = (command: Command, onSent?: () => void): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (exited) {
        reject(new Error('the sandbox process is gone'));
        return;
      }
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, command }, onSent === undefined ? undefined : () => onSent());
    });

  return {
    baseUrl: ready.baseUrl,
    wsUrl: ready.baseUrl.replace(/^http/, 'ws'),
    fixtures: ready.fixtures,
    requestCount: async (method, path) => Number(await call({ op: 'requestCount', method, path })),
    tokenGrants: async () => (await call({ op: 'tokenGrants' })) as ReadonlyArray<string>,
    clearRequests: async () => {
      await call({ op: 'clearRequests' });
    },
    expireAccessTokens: async () => {
      await call({ op: 'expireAccessTokens' });
    },
    placeIssueOrders: async (placement, onSent) => (await call({ op: 'placeIssueOrders', options: placement }, onSent)) as Placement,
    rejectPlaced: async () => Number(await call({ op: 'rejectPlaced' })),
    setFaults: async (rules) => {
      await call({ op: 'setFaults', rules });
    },
    close: async () => {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await call({ op: 'close' }).catch(() => undefined);
      await gone;
    },
  };
};
