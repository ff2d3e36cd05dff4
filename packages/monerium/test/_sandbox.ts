import type { ExecutionContext } from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { GatewayError } from '@paygate/core';
import { type Sandbox, startSandbox } from '@paygate/sandbox';
import { privateKeyToAccount } from 'viem/accounts';
import {
  type AuthorizationUrlParams,
  createMoneriumClient,
  type MoneriumClient,
  type MoneriumClientSettings,
  type MoneriumSession,
  signerFromViemAccount,
} from '../src/index.js';

export type SandboxOptions = NonNullable<Parameters<typeof startSandbox>[0]>;

/** A Monerium-only sandbox, closed when the test ends. */
export const startMonerium = async (t: ExecutionContext, options: SandboxOptions = {}): Promise<Sandbox> => {
  const sandbox = await startSandbox({ providers: ['monerium'], ...options });
  t.teardown(() => sandbox.close());
  return sandbox;
};

export const environmentOf = (sandbox: Sandbox) => ({
  baseUrl: sandbox.urls.monerium,
  wsUrl: sandbox.urls.monerium.replace(/^http/, 'ws'),
});

type Extra = Omit<MoneriumClientSettings, 'environment' | 'auth'>;

/** `createMoneriumClient` for settings the test expects to be accepted: its Right, or the test fails. */
export const newClient = (settings: MoneriumClientSettings): MoneriumClient => {
  const created = createMoneriumClient(settings);
  if (E.isLeft(created)) throw new Error(`expected settings to be accepted, got ${created.left._tag}: ${created.left.message}`);
  return created.right;
};

/** Fast retries so fault tests stay quick. */
const FAST_HTTP = { backoffBaseMs: 5, maxBackoffMs: 20 } as const;

export const basicClient = (sandbox: Sandbox, user = 0, extra: Extra = {}): MoneriumClient => {
  const fixture = sandbox.fixtures.monerium.users[user];
  if (fixture === undefined) throw new Error(`no sandbox user ${user}`);
  return newClient({
    environment: environmentOf(sandbox),
    auth: { kind: 'basic', email: fixture.email, password: fixture.password },
    ...extra,
    http: { ...FAST_HTTP, ...extra.http },
  });
};

export const partnerClient = (sandbox: Sandbox, extra: Extra = {}): MoneriumClient => {
  const { clientId, clientSecret } = sandbox.fixtures.monerium.clients.confidential;
  return newClient({
    environment: environmentOf(sandbox),
    auth: { kind: 'client_credentials', clientId, clientSecret },
    ...extra,
    http: { ...FAST_HTTP, ...extra.http },
  });
};

/** Redirect URI registered for the public client; any port matches on loopback. */
export const REDIRECT_URI = 'http://127.0.0.1:8765/callback';

export const pkceClient = (sandbox: Sandbox, extra: Extra & { userId?: string; scope?: string } = {}): MoneriumClient => {
  const { userId, scope, ...rest } = extra;
  return newClient({
    environment: environmentOf(sandbox),
    auth: {
      kind: 'authorization_code',
      clientId: sandbox.fixtures.monerium.clients.public.clientId,
      redirectUri: REDIRECT_URI,
      ...(userId === undefined ? {} : { userId }),
      ...(scope === undefined ? {} : { scope }),
    },
    ...rest,
    http: { ...FAST_HTTP, ...rest.http },
  });
};

/** User 0, the first seeded address of its default profile, and a signer holding that address's fixture key. */
export const seededWallet = (sandbox: Sandbox) => {
  const user = sandbox.fixtures.monerium.users[0];
  const address = sandbox.fixtures.monerium.addresses.find((a) => a.profile === user?.defaultProfile);
  if (user === undefined || address === undefined) throw new Error('no seeded address for user 0');
  return { user, address, signer: signerFromViemAccount(privateKeyToAccount(address.privateKey)) };
};

export const right = async <A>(t: ExecutionContext, task: TE.TaskEither<GatewayError, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) {
    t.log(result.left);
    throw new Error(`expected Right, got ${result.left._tag}: ${result.left.message}`);
  }
  return result.right;
};

export const left = async <A>(t: ExecutionContext, task: TE.TaskEither<GatewayError, A>): Promise<GatewayError> => {
  const result = await task();
  if (E.isRight(result)) {
    t.log(result.right);
    throw new Error('expected Left, got Right');
  }
  return result.left;
};

export const moneriumRequests = (sandbox: Sandbox) => sandbox.admin.requests().filter((r) => r.provider === 'monerium');

/** A tiny cookie jar: the sandbox's sign-in pages may keep their session in a cookie. */
const browser = () => {
  const cookies = new Map<string, string>();
  return async (url: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (cookies.size > 0) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return response;
  };
};

const hiddenFields = (html: string): Record<string, string> => {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(match[0])?.[1];
    const value = /value="([^"]*)"/.exec(match[0])?.[1] ?? '';
    if (name !== undefined) fields[name] = value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
  }
  return fields;
};

/**
 * Drives the sandbox's `/auth` pages like a user would (sign in, then approve or deny) and
 * returns the URL the browser is finally sent to: the app's callback with `code` and `state`.
 */
export const authorizeHeadless = async (
  url: string,
  credentials: { email: string; password: string },
  decision: 'approve' | 'deny' = 'approve',
): Promise<string> => {
  const go = browser();
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const loginPage = await go(url);
  if (loginPage.status !== 200) throw new Error(`login page answered ${loginPage.status}: ${await loginPage.text()}`);
  const login = await go(url, {
    method: 'POST',
    headers: form,
    body: new URLSearchParams({ ...hiddenFields(await loginPage.text()), ...credentials }).toString(),
  });
  if (login.status !== 200) throw new Error(`sign-in answered ${login.status}: ${await login.text()}`);
  const consent = await go(url, {
    method: 'POST',
    headers: form,
    body: new URLSearchParams({ ...hiddenFields(await login.text()), decision }).toString(),
  });
  const location = consent.headers.get('location');
  if (consent.status < 300 || consent.status >= 400 || location === null) {
    throw new Error(`consent answered ${consent.status} without a redirect: ${await consent.text()}`);
  }
  return new URL(location, url).href;
};

/** A full PKCE sign-in of sandbox user `user` through `client`. */
export const signIn = async (
  t: ExecutionContext,
  sandbox: Sandbox,
  client: MoneriumClient,
  user = 0,
  params: AuthorizationUrlParams = {},
): Promise<MoneriumSession> => {
  const fixture = sandbox.fixtures.monerium.users[user];
  if (fixture === undefined) throw new Error(`no sandbox user ${user}`);
  const pending = client.authorizationUrl(params);
  if (E.isLeft(pending)) throw new Error(pending.left.message);
  const callback = await authorizeHeadless(pending.right.url, { email: fixture.email, password: fixture.password });
  return right(t, client.finishAuthorization(callback, pending.right));
};

/** Polls `condition` every 10 ms until it holds, failing after `timeoutMs`. */
export const eventually = async (condition: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
