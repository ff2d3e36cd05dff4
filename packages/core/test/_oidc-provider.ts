import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as E from 'fp-ts/lib/Either.js';
import type { Configuration as ProviderConfiguration } from 'oidc-provider';
import {
  finishAuthorization,
  type OAuthClient,
  type OAuthServer,
  type PendingAuthorization,
  startAuthorization,
} from '../src/auth/index.js';
import type { TokenSet } from '../src/tokens.js';

/**
 * oidc-provider 9 (a spec-complete authorization server, independent of our code) on
 * 127.0.0.1:0, configured like the providers paygate talks to: no discovery needed, PKCE,
 * rotating refresh tokens, client credentials, short configurable lifetimes.
 */

export interface OidcProviderOptions {
  /** Access tokens from the code and refresh grants. Default 60 s. */
  readonly accessTokenTtlSeconds?: number;
  /** Access tokens from the client credentials grant. Default 60 s. */
  readonly clientCredentialsTtlSeconds?: number;
  readonly refreshTokenTtlSeconds?: number;
  /** Every refresh returns a new refresh token and retires the old one (Monerium). Default true. */
  readonly rotateRefreshTokens?: boolean;
  /** Members added to every successful token response, e.g. Monerium's `{ profile, userId }`. */
  readonly extraTokenResponseFields?: Readonly<Record<string, unknown>>;
}

export interface SeenTokenRequest {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: URLSearchParams;
}

export interface AuthorizeOptions {
  /** The account id to sign in as (the dev login accepts any). Default `alice`. */
  readonly accountId?: string;
  /** Abort the interaction instead of consenting: the callback carries `error=access_denied`. */
  readonly deny?: boolean;
}

export type ConfidentialClient = OAuthClient & { readonly clientSecret: string };

export interface TestOidcProvider {
  readonly issuer: string;
  readonly server: OAuthServer;
  readonly redirectUri: string;
  readonly clients: {
    /** Public client, `none` auth: PKCE is its only proof. */
    readonly publicPkce: OAuthClient;
    readonly confidentialBasic: ConfidentialClient;
    readonly confidentialPost: ConfidentialClient;
    /** `client_secret_basic` with `:`, `%` and spaces in the client id and secret (RFC 6749 §2.3.1). */
    readonly weirdSecret: ConfidentialClient;
  };
  /** Exact number of requests that reached the token endpoint so far. */
  tokenRequests(): number;
  /** Headers and form bodies of those requests, oldest first. */
  tokenRequestLog(): ReadonlyArray<SeenTokenRequest>;
  /** Drives the browser part headless (dev login + consent, with cookies); resolves to the callback URL. */
  authorize(authorizationUrl: string, options?: AuthorizeOptions): Promise<string>;
  /** A complete authorization code + PKCE flow for `client` (default `publicPkce`). */
  login(client?: OAuthClient, scope?: string): Promise<TokenSet>;
  /** A session whose access token counts as expired but whose refresh token is still good. */
  expiredSession(client?: OAuthClient): Promise<TokenSet>;
  close(): Promise<void>;
}

export const WEIRD_SECRET = 'p:ss%20w%rd with spaces:%3A';
const REDIRECT_URI = 'http://127.0.0.1/callback';
const SCOPE = 'orders:read';

const readBody = (req: http.IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/**
 * oidc-provider announces its development defaults (in-memory adapter, dev keys, dev
 * interactions, Node 20) on the console; tests do not need them. Only its own lines are dropped.
 */
const silenceProviderNotices = (): void => {
  const quiet =
    (write: (...args: unknown[]) => void) =>
    (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].startsWith('oidc-provider ')) return;
      write(...args);
    };
  console.warn = quiet(console.warn.bind(console));
  console.info = quiet(console.info.bind(console));
};
let silenced = false;

export const startOidcProvider = async (options: OidcProviderOptions = {}): Promise<TestOidcProvider> => {
  const tokenLog: SeenTokenRequest[] = [];
  let handle: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const httpServer = http.createServer((req, res) => {
    if (req.method === 'POST' && new URL(req.url ?? '/', 'http://x').pathname === '/token') {
      // Counted and logged as it arrives; oidc-provider then reads the already consumed body
      // from `req.body`, a path its body parser supports.
      void readBody(req).then((body) => {
        tokenLog.push({ headers: req.headers, body: new URLSearchParams(body) });
        Object.assign(req, { body });
        handle(req, res);
      });
      return;
    }
    handle(req, res);
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const clientGrants = ['authorization_code', 'refresh_token', 'client_credentials'];
  const configuration: ProviderConfiguration = {
    clients: [
      {
        client_id: 'public-pkce',
        token_endpoint_auth_method: 'none',
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: SCOPE,
      },
      {
        client_id: 'confidential-basic',
        client_secret: 'basic-client-secret-0123456789',
        token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: [REDIRECT_URI],
        grant_types: clientGrants,
        response_types: ['code'],
        scope: SCOPE,
      },
      {
        client_id: 'confidential-post',
        client_secret: 'post-client-secret-0123456789',
        token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: [REDIRECT_URI],
        grant_types: clientGrants,
        response_types: ['code'],
        scope: SCOPE,
      },
      {
        client_id: 'weird:client id%',
        client_secret: WEIRD_SECRET,
        token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: [REDIRECT_URI],
        grant_types: clientGrants,
        response_types: ['code'],
        scope: SCOPE,
      },
    ],
    scopes: [SCOPE, 'offline_access'],
    cookies: { keys: ['paygate-test-cookie-key'] },
    features: { clientCredentials: { enabled: true } },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    // Like Monerium: every client allowed the grant gets a refresh token, no offline_access needed.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: options.rotateRefreshTokens ?? true,
    ttl: {
      AccessToken: options.accessTokenTtlSeconds ?? 60,
      ClientCredentials: options.clientCredentialsTtlSeconds ?? 60,
      RefreshToken: options.refreshTokenTtlSeconds ?? 3600,
      AuthorizationCode: 60,
      Grant: 3600,
      Interaction: 600,
      Session: 3600,
      IdToken: 60,
    },
  };

  if (!silenced) {
    silenced = true;
    silenceProviderNotices();
  }
  const { default: Provider } = await import('oidc-provider');
  const provider = new Provider(issuer, configuration);
  const extra = options.extraTokenResponseFields;
  if (extra !== undefined) {
    provider.use(async (ctx, next) => {
      await next();
      if (ctx.path === '/token' && ctx.status === 200 && typeof ctx.body === 'object' && ctx.body !== null) {
        ctx.body = { ...(ctx.body as Record<string, unknown>), ...extra };
      }
    });
  }
  const callback = provider.callback();
  handle = (req, res) => void callback(req, res);

  const server: OAuthServer = {
    issuer,
    authorizationEndpoint: `${issuer}/auth`,
    tokenEndpoint: `${issuer}/token`,
  };
  const clients = {
    publicPkce: { clientId: 'public-pkce', clientAuth: 'none' },
    confidentialBasic: {
      clientId: 'confidential-basic',
      clientSecret: 'basic-client-secret-0123456789',
      clientAuth: 'client_secret_basic',
    },
    confidentialPost: {
      clientId: 'confidential-post',
      clientSecret: 'post-client-secret-0123456789',
      clientAuth: 'client_secret_post',
    },
    weirdSecret: { clientId: 'weird:client id%', clientSecret: WEIRD_SECRET, clientAuth: 'client_secret_basic' },
  } as const satisfies TestOidcProvider['clients'];

  const authorize = async (authorizationUrl: string, authorizeOptions: AuthorizeOptions = {}): Promise<string> => {
    const jar = new Map<string, string>();
    const send = async (url: URL, init: { method?: string; form?: Record<string, string> } = {}) => {
      const headers: Record<string, string> = {
        cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
      };
      if (init.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const response = await fetch(url, {
        method: init.method ?? 'GET',
        headers,
        redirect: 'manual',
        ...(init.form === undefined ? {} : { body: new URLSearchParams(init.form).toString() }),
      });
      for (const cookie of response.headers.getSetCookie()) {
        const pair = cookie.split(';', 1)[0] ?? '';
        const eq = pair.indexOf('=');
        if (eq > 0) jar.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
      return response;
    };

    let url = new URL(authorizationUrl);
    let response = await send(url);
    // Each step is a redirect or an interaction page; a complete flow needs about eight.
    for (let step = 0; step < 16; step++) {
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location !== null) {
        const next = new URL(location, url);
        if (next.origin !== issuer) return next.href;
        url = next;
        response = await send(url);
        continue;
      }
      const html = await response.text();
      if (response.status !== 200) throw new Error(`authorization server answered ${response.status}: ${html.slice(0, 200)}`);
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      if (authorizeOptions.deny === true) {
        url = new URL(`${url.pathname.replace(/\/$/, '')}/abort`, url);
        response = await send(url);
      } else if (prompt === 'login') {
        response = await send(url, {
          method: 'POST',
          form: { prompt: 'login', login: authorizeOptions.accountId ?? 'alice', password: 'any' },
        });
      } else if (prompt === 'consent') {
        response = await send(url, { method: 'POST', form: { prompt: 'consent' } });
      } else {
        throw new Error(`unexpected interaction page at ${url.pathname}`);
      }
    }
    throw new Error('the authorization flow did not reach the redirect URI');
  };

  const login = async (client: OAuthClient = clients.publicPkce, scope: string = SCOPE): Promise<TokenSet> => {
    const started = startAuthorization(server, client, { redirectUri: REDIRECT_URI, scope });
    if (E.isLeft(started)) throw new Error(started.left.message);
    const pending: PendingAuthorization = started.right;
    const callbackUrl = await authorize(pending.url);
    const finished = await finishAuthorization(server, client, callbackUrl, pending)();
    if (E.isLeft(finished)) throw new Error(finished.left.message);
    return finished.right;
  };

  return {
    issuer,
    server,
    redirectUri: REDIRECT_URI,
    clients,
    tokenRequests: () => tokenLog.length,
    tokenRequestLog: () => [...tokenLog],
    authorize,
    login,
    expiredSession: async (client) => ({ ...(await login(client)), expiresAt: Date.now() - 1_000 }),
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
};

/**
 * Starts an authorization for `orders:read` back to `op`'s redirect URI. `server` is where the
 * application believes it is signing in, `op.server` unless a test stages a mix-up.
 */
export const beginAuthorization = (
  op: TestOidcProvider,
  client: OAuthClient = op.clients.publicPkce,
  server: OAuthServer = op.server,
): PendingAuthorization => {
  const started = startAuthorization(server, client, { redirectUri: op.redirectUri, scope: 'orders:read' });
  if (E.isLeft(started)) throw new Error(started.left.message);
  return started.right;
};
