import type { ExecutionContext } from 'ava';
import { type RecordedRequest, type Sandbox, startSandbox } from '@paygate/sandbox';
import type { GatewayError } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import got from 'got';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { createMoneyNsClient, type MoneyNsClient, type MoneyNsClientSettings } from '../src/index.js';

export interface SandboxUser {
  readonly email: string;
  readonly password: string;
  readonly id: string;
}

export interface SandboxPlatform {
  readonly name: string;
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
  /** For HS256/384/512 checkout tokens. */
  readonly checkoutSecret: string;
}

/** A sandbox serving only MoneyNS, with its fixtures under the names these tests use. */
export interface World {
  readonly sandbox: Sandbox;
  /** `${urls.moneyns}/api/v1`: the adapter's baseUrl against the sandbox. */
  readonly baseUrl: string;
  /** The sandbox's stand-in for the hosted checkout page. */
  readonly checkoutUrl: string;
  readonly users: {
    readonly active: SandboxUser;
    readonly inactive: SandboxUser;
    readonly locked: SandboxUser;
    /** Active, but not a user of `platform`. */
    readonly unlinked: SandboxUser;
  };
  readonly platform: SandboxPlatform;
  /** A key pair no platform registered. */
  readonly otherKeyPair: { readonly privateKeyPem: string; readonly publicKeyPem: string };
  /** MoneyNS requests the sandbox received, in order. */
  requests(): ReadonlyArray<RecordedRequest>;
  close(): Promise<void>;
}

export const startWorld = async (options: { sessionTtlSeconds?: number } = {}): Promise<World> => {
  const sandbox = await startSandbox({ providers: ['moneyns'], moneyns: options });
  const fixtures = sandbox.fixtures.moneyns;
  return {
    sandbox,
    baseUrl: `${sandbox.urls.moneyns}/api/v1`,
    checkoutUrl: `${sandbox.urls.moneyns}/checkout`,
    users: fixtures.users,
    platform: fixtures.platform,
    otherKeyPair: fixtures.otherKeyPair,
    requests: () => sandbox.admin.requests().filter((request) => request.provider === 'moneyns'),
    close: () => sandbox.close(),
  };
};

/** Starts a world for one test and closes it when the test ends, whatever its outcome. */
export const worldFor = async (t: ExecutionContext, options: { sessionTtlSeconds?: number } = {}): Promise<World> => {
  const world = await startWorld(options);
  t.teardown(() => world.close());
  return world;
};

/** Test-only: a client from settings that must be valid. */
export const clientFrom = (settings: MoneyNsClientSettings): MoneyNsClient => {
  const created = createMoneyNsClient(settings);
  if (E.isLeft(created)) throw new Error(`test setup: ${created.left.message}`);
  return created.right;
};

export const userClient = (
  world: World,
  user: SandboxUser = world.users.active,
  overrides: Partial<MoneyNsClientSettings> = {},
): MoneyNsClient =>
  clientFrom({
    baseUrl: world.baseUrl,
    checkoutUrl: world.checkoutUrl,
    auth: { email: user.email, password: user.password },
    ...overrides,
  });

export const platformClient = (world: World, overrides: Partial<MoneyNsClientSettings> = {}): MoneyNsClient =>
  clientFrom({
    baseUrl: world.baseUrl,
    checkoutUrl: world.checkoutUrl,
    auth: { platform: world.platform.name, privateKeyPem: world.platform.privateKeyPem, subject: { email: world.users.active.email } },
    ...overrides,
  });

/** The sandbox clock, for clients whose sessions should age with it. */
export const sandboxClock = (world: World) => (): number => world.sandbox.admin.clock.now();

export const run = <A>(task: TE.TaskEither<GatewayError, A>): Promise<E.Either<GatewayError, A>> => task();

export const leftOf = <A>(result: E.Either<GatewayError, A>): GatewayError | undefined =>
  E.isLeft(result) ? result.left : undefined;

/**
 * A client that must not send anything: its transport counts every request it is asked to make
 * (and could not reach its `.invalid` host anyway). For input checks that need no provider.
 */
export const offlineClient = (
  auth: MoneyNsClientSettings['auth'],
): { readonly client: MoneyNsClient; sent(): number } => {
  let sent = 0;
  const counting = got.extend({
    hooks: {
      beforeRequest: [
        () => {
          sent += 1;
        },
      ],
    },
  });
  return { client: clientFrom({ baseUrl: 'https://moneyns.invalid/api/v1', auth, http: { got: counting, timeoutMs: 1_000 } }), sent: () => sent };
};
