import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayError } from '@paygate/core';
import { type Sandbox, startSandbox } from '@paygate/sandbox';
import type { ExecutionContext } from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { createMoneyButtonClient, type MoneyButtonClient, type MoneyButtonScope, type MoneyButtonSettings } from '../src/index.js';

/** Every scope a user can grant (application_access:write is for client credentials only). */
export const USER_SCOPES: ReadonlyArray<MoneyButtonScope> = [
  'auth.user_identity:read',
  'users.profiles:read',
  'users.balance:read',
  'payments:read',
  'users.asset:read',
  'users.asset:write',
];

/** Any loopback port matches the app's registered `http://127.0.0.1/callback` (RFC 8252 §7.3). */
export const LOOPBACK_REDIRECT = 'http://127.0.0.1:9/callback';

export type SandboxOptions = NonNullable<Parameters<typeof startSandbox>[0]>;

/** A sandbox serving Money Button only, closed when the test ends. */
export const startMoneyButton = async (t: ExecutionContext, options: SandboxOptions = {}): Promise<Sandbox> => {
  const sandbox = await startSandbox({ providers: ['moneybutton'], ...options });
  t.teardown(() => sandbox.close());
  return sandbox;
};

/** Runs a task and returns its Right, failing the test on a Left. */
export const right = async <A>(t: ExecutionContext, task: TE.TaskEither<GatewayError, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) {
    return t.fail(`expected Right, got ${JSON.stringify(result.left)}`);
  }
  return result.right;
};

/** Runs a task and returns its Left, failing the test on a Right. */
export const left = async <A>(t: ExecutionContext, task: TE.TaskEither<GatewayError, A>): Promise<GatewayError> => {
  const result = await task();
  if (E.isRight(result)) {
    return t.fail(`expected Left, got ${JSON.stringify(result.right)}`);
  }
  return result.left;
};

export const client = (t: ExecutionContext, settings: MoneyButtonSettings): MoneyButtonClient => {
  const created = createMoneyButtonClient(settings);
  if (E.isLeft(created)) {
    return t.fail(`createMoneyButtonClient failed: ${created.left.message}`);
  }
  return created.right;
};

const ENTITIES: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const unescapeHtml = (text: string): string => text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);

const hiddenInputs = (html: string): Array<[string, string]> =>
  [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [
    unescapeHtml(m[1] ?? ''),
    unescapeHtml(m[2] ?? ''),
  ]);

const postForm = (url: URL, fields: ReadonlyArray<[string, string]>) =>
  fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

export interface BrowserUser {
  readonly email: string;
  readonly password: string;
}

/**
 * Plays the user's browser on the sandbox's authorize pages, as a person would: opens the
 * authorization URL, submits the sign-in form (its hidden fields plus email and password), then
 * presses Approve or Deny on the consent page. Returns where the server redirects the browser.
 */
export const driveAuthorizePages = async (
  authorizationUrl: string,
  user: BrowserUser,
  decision: 'approve' | 'deny' = 'approve',
): Promise<URL> => {
  const loginUrl = new URL(authorizationUrl);
  const login = await fetch(loginUrl, { redirect: 'manual' });
  const loginHtml = await login.text();
  if (login.status !== 200) throw new Error(`the authorize page answered ${login.status}: ${loginHtml}`);
  const loginAction = /<form method="post" action="([^"]+)">/.exec(loginHtml)?.[1];
  if (loginAction === undefined) throw new Error('the authorize page has no sign-in form');
  const consentUrl = new URL(unescapeHtml(loginAction), loginUrl);
  const consent = await postForm(consentUrl, [...hiddenInputs(loginHtml), ['email', user.email], ['password', user.password]]);
  const consentHtml = await consent.text();
  if (consent.status !== 200) throw new Error(`signing in answered ${consent.status}`);
  const consentAction = /<form method="post" action="([^"]+)">/.exec(consentHtml)?.[1];
  if (consentAction === undefined) throw new Error('the consent page has no form');
  const decided = await postForm(new URL(unescapeHtml(consentAction), consentUrl), [
    ...hiddenInputs(consentHtml),
    ['decision', decision],
  ]);
  await decided.arrayBuffer();
  const location = decided.headers.get('location');
  if (decided.status !== 302 || location === null) throw new Error(`the consent answered ${decided.status}`);
  return new URL(location);
};

export interface SignedIn {
  readonly client: MoneyButtonClient;
  readonly sandbox: Sandbox;
  readonly refreshToken: string;
  readonly accessToken: string;
}

/**
 * A client whose user (alice by default) has signed in through the authorize pages with `scope`,
 * and the request log cleared, so a test sees only its own requests.
 */
export const signInHeadless = async (
  sandbox: Sandbox,
  options: { readonly scope?: ReadonlyArray<MoneyButtonScope>; readonly user?: 0 | 1; readonly settings?: Partial<MoneyButtonSettings> } = {},
): Promise<SignedIn> => {
  const fixtures = sandbox.fixtures.moneybutton;
  const user = fixtures.users[options.user ?? 0];
  const created = createMoneyButtonClient({
    baseUrl: sandbox.urls.moneybutton,
    clientId: fixtures.app.clientId,
    redirectUri: LOOPBACK_REDIRECT,
    scope: options.scope ?? USER_SCOPES,
    ...options.settings,
  });
  if (E.isLeft(created)) throw new Error(created.left.message);
  const mb = created.right;
  const pending = mb.authorizationUrl();
  if (E.isLeft(pending)) throw new Error(pending.left.message);
  const callback = await driveAuthorizePages(pending.right.url, user);
  const tokens = await mb.finishAuthorization(callback, pending.right)();
  if (E.isLeft(tokens)) throw new Error(tokens.left.message);
  if (tokens.right.refreshToken === undefined) throw new Error('the sign-in gave no refresh token');
  sandbox.admin.clearRequests();
  return { client: mb, sandbox, refreshToken: tokens.right.refreshToken, accessToken: tokens.right.accessToken };
};

export const signIn = async (
  t: ExecutionContext,
  sandbox: Sandbox,
  options: Parameters<typeof signInHeadless>[1] = {},
): Promise<SignedIn> => {
  try {
    return await signInHeadless(sandbox, options);
  } catch (error) {
    return t.fail(`signing in failed: ${String(error)}`);
  }
};

/** The recorded requests to Money Button, without the ones a test is not about. */
export const requestsTo = (sandbox: Sandbox, path?: string) =>
  sandbox.admin.requests().filter((r) => r.provider === 'moneybutton' && (path === undefined || r.path === path));

export interface TestServer {
  readonly url: string;
  close(): Promise<void>;
}

/** A plain node:http server on 127.0.0.1:0, closed when the test ends. */
export const listen = async (t: ExecutionContext, handler: http.RequestListener): Promise<TestServer> => {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  t.teardown(close);
  return { url: `http://127.0.0.1:${port}`, close };
};

/**
 * A reverse proxy in front of the sandbox that answers 404 (JSON:API, as Money Button's router
 * would) for every path starting with `hidden`: a server without API v2.
 */
export const proxyHiding = async (t: ExecutionContext, target: string, hidden: string): Promise<TestServer> => {
  const origin = new URL(target).origin;
  return listen(t, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '/';
      const path = new URL(url, origin).pathname.replace(new URL(target).pathname, '');
      if (path.startsWith(hidden)) {
        res.statusCode = 404;
        res.setHeader('content-type', 'application/vnd.api+json');
        res.end(JSON.stringify({ errors: [{ id: 'proxy', status: '404', title: 'Not Found', detail: `No route ${path}` }] }));
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && name !== 'host' && name !== 'content-length' && name !== 'connection') headers.set(name, value);
      }
      const body = chunks.length === 0 ? undefined : Buffer.concat(chunks);
      void fetch(`${origin}${url}`, { method: req.method ?? 'GET', headers, ...(body === undefined ? {} : { body }), redirect: 'manual' })
        .then(async (upstream) => {
          res.statusCode = upstream.status;
          upstream.headers.forEach((value, name) => {
            if (name !== 'content-length' && name !== 'transfer-encoding' && name !== 'connection' && name !== 'content-encoding') res.setHeader(name, value);
          });
          res.end(Buffer.from(await upstream.arrayBuffer()));
        })
        .catch(() => {
          res.statusCode = 502;
          res.end();
        });
    });
  });
};
