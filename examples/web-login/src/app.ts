import { createHash, timingSafeEqual } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import { authError, createMemoryTokenStore, type GatewayError, type TokenStore } from '@paygate/core';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import * as E from 'fp-ts/lib/Either.js';
import { type MoneriumSignInSettings, moneriumSignIn } from './monerium-sign-in.js';
import { type MoneyButtonSignInSettings, moneyButtonSignIn } from './moneybutton-sign-in.js';
import { accountPage, errorPage, homePage, statusPage } from './pages.js';
import { type BrowserSession, createSessionStore, type SessionStore } from './sessions.js';
import type { ProviderId, SignInProvider } from './sign-in-provider.js';

export interface WebLoginAppOptions {
  readonly monerium: MoneriumSignInSettings;
  readonly moneybutton: MoneyButtonSignInSettings;
  /** Signs the session cookie (HMAC-SHA256); at least 32 characters. */
  readonly sessionSecret: string;
  /**
   * The app's origin as browsers reach it (`https://shop.example`); the providers redirect back
   * to `${publicUrl}/callback`. Default `http://127.0.0.1:<listening port>`.
   */
  readonly publicUrl?: string;
  /** Shared by all browser sessions, each under its own key prefix. Default in memory. */
  readonly tokenStore?: TokenStore;
  /** Default 30 minutes. */
  readonly sessionIdleTimeoutMs?: number;
  /** Most browser sessions held at once (signed in or not). Default 10 000. */
  readonly maxSessions?: number;
  /** Your own session store (e.g. to watch its size); `tokenStore`, `sessionIdleTimeoutMs` and `maxSessions` then do not apply. */
  readonly sessionStore?: SessionStore;
}

export const SESSION_COOKIE = 'paygate_session';
export const CALLBACK_PATH = '/callback';
const PAYMENTS_SHOWN = 10;

/** What a failure means for the browser: the user's or the sign-in's fault, or the provider's. */
const statusOf = (error: GatewayError): number =>
  error._tag === 'AuthError' || error._tag === 'InvalidInput' ? 400 : error._tag === 'Unsupported' ? 501 : 502;

/** Compares digests, so the time taken does not depend on where two states first differ. */
const sameState = (received: string | null, expected: string): boolean => {
  if (received === null) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(received), digest(expected));
};

const listeningOrigin = (app: FastifyInstance): string => {
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the web-login app is not listening on a TCP port');
  return `http://127.0.0.1:${address.port}`;
};

/** "Sign in with Monerium" and "Sign in with Money Button" (OAuth 2 code flow with PKCE), then balances and payments. */
export const createWebLoginApp = (options: WebLoginAppOptions): FastifyInstance => {
  if (typeof options.sessionSecret !== 'string' || options.sessionSecret.length < 32) {
    throw new TypeError('sessionSecret must be a string of at least 32 characters');
  }
  const providers: Readonly<Record<ProviderId, SignInProvider>> = {
    monerium: moneriumSignIn(options.monerium),
    moneybutton: moneyButtonSignIn(options.moneybutton),
  };
  const sessions =
    options.sessionStore ??
    createSessionStore({
    tokenStore: options.tokenStore ?? createMemoryTokenStore(),
    ...(options.sessionIdleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.sessionIdleTimeoutMs }),
    ...(options.maxSessions === undefined ? {} : { maxSessions: options.maxSessions }),
  });
  const publicUrl = options.publicUrl?.replace(/\/+$/, '');
  const secureCookie = publicUrl?.startsWith('https:') ?? false;

  const app = Fastify({ forceCloseConnections: true });
  app.register(fastifyCookie, { secret: options.sessionSecret });
  // No body parser for forms: no route reads a body (the sign-in and sign-out forms have no fields).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_request, _body, done) =>
    done(null, undefined),
  );
  const origin = () => publicUrl ?? listeningOrigin(app);

  app.addHook('onSend', async (_request, reply) => {
    reply.headers({
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      // The callback URL carries the authorization code: no page may pass it on to another site
      // as a Referer. `same-origin` rather than `no-referrer`: under no-referrer browsers send
      // `Origin: null` on the app's own form POSTs, and the CSRF check needs the real origin.
      'referrer-policy': 'same-origin',
    });
  });

  // Lax, not Strict: the provider's redirect back to /callback is a cross-site top-level GET and
  // must carry the cookie; cross-site POSTs (a forged /login or /logout) still do not.
  const setSessionCookie = (reply: FastifyReply, id: string): void => {
    reply.setCookie(SESSION_COOKIE, id, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookie, signed: true });
  };

  const currentSession = async (request: FastifyRequest): Promise<{ readonly id: string; readonly session: BrowserSession } | undefined> => {
    const raw = request.cookies[SESSION_COOKIE];
    if (raw === undefined) return undefined;
    const unsigned = request.unsignCookie(raw);
    if (!unsigned.valid || unsigned.value === null) return undefined;
    const session = await sessions.find(unsigned.value);
    return session === undefined ? undefined : { id: unsigned.value, session };
  };

  /**
   * Cross-site request forgery: a POST is accepted only from this app's own pages. Browsers send
   * `Origin` on every POST; without one, `Sec-Fetch-Site: same-origin` is accepted, and a request
   * with neither (not a browser form) is refused as well. SameSite=Lax alone would still let a
   * cross-site form create or replace a session for a cookie-less or cookie-bearing browser.
   */
  const sameOrigin = (request: FastifyRequest): boolean => {
    const sent = request.headers.origin;
    if (typeof sent === 'string') return sent === new URL(origin()).origin;
    return request.headers['sec-fetch-site'] === 'same-origin';
  };

  const sendPage = (reply: FastifyReply, status: number, page: string) => reply.code(status).type('text/html; charset=utf-8').send(page);
  const sendError = (reply: FastifyReply, error: GatewayError) => sendPage(reply, statusOf(error), errorPage(error));

  app.get('/', async (request, reply) => {
    const signedIn = (await currentSession(request))?.session.signedIn;
    return sendPage(reply, 200, homePage(Object.values(providers), signedIn === undefined ? undefined : providers[signedIn.provider].label));
  });

  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'POST' && !sameOrigin(request)) return sendPage(reply, 403, statusPage('Forbidden'));
  });

  app.post<{ Params: { provider: string } }>('/login/:provider', async (request, reply) => {
    const { provider: name } = request.params;
    if (!Object.hasOwn(providers, name)) return sendPage(reply, 404, statusPage('Not found'));
    const provider = providers[name as ProviderId];
    let current = await currentSession(request);
    if (current === undefined) {
      current = sessions.create();
      if (current === undefined) return sendPage(reply, 503, statusPage('Too many sign-ins in progress; try again shortly'));
      setSessionCookie(reply, current.id);
    }
    const { session } = current;
    // A new sign-in replaces whatever this browser was signed in with.
    await session.tokens.clear()();
    session.signedIn = undefined;
    const connection = provider.connect({ redirectUri: `${origin()}${CALLBACK_PATH}`, tokenStore: session.tokens });
    if (E.isLeft(connection)) return sendError(reply, connection.left);
    const authorization = connection.right.authorizationUrl();
    if (E.isLeft(authorization)) return sendError(reply, authorization.left);
    session.pending = { provider: provider.id, authorization: authorization.right, connection: connection.right };
    return reply.redirect(authorization.right.url, 303);
  });

  app.get(CALLBACK_PATH, async (request, reply) => {
    const current = await currentSession(request);
    const pending = current?.session.pending;
    if (current === undefined || pending === undefined) {
      return sendError(reply, authError({ reason: 'no_session', message: 'No sign-in is in progress in this browser; start again from the home page' }));
    }
    // The state is checked before anything is consumed: a forged cross-site /callback (the cookie
    // rides along on a top-level GET) must not cancel the sign-in the user is in the middle of.
    const callbackUrl = new URL(request.url, origin());
    if (!sameState(callbackUrl.searchParams.get('state'), pending.authorization.state)) {
      return sendError(reply, authError({ reason: 'state_mismatch', message: 'The sign-in response does not belong to this browser (state mismatch)' }));
    }
    // One callback per sign-in: a replayed one cannot retry with the same verifier.
    current.session.pending = undefined;
    const finished = await pending.connection.finishAuthorization(callbackUrl, pending.authorization)();
    if (E.isLeft(finished)) return sendError(reply, finished.left);
    current.session.signedIn = { provider: pending.provider, connection: pending.connection };
    sessions.signIn(current.id);
    const rotated = sessions.rotate(current.id);
    if (rotated !== undefined) setSessionCookie(reply, rotated);
    return reply.redirect('/account', 303);
  });

  app.get('/account', async (request, reply) => {
    const signedIn = (await currentSession(request))?.session.signedIn;
    if (signedIn === undefined) return reply.redirect('/', 303);
    const { connection } = signedIn;
    const [user, balances, payments] = await Promise.all([
      connection.userName()(),
      connection.gateway.balances()(),
      connection.gateway.payments({ limit: PAYMENTS_SHOWN })(),
    ]);
    if (E.isLeft(user)) return sendError(reply, user.left);
    if (E.isLeft(balances)) return sendError(reply, balances.left);
    if (E.isLeft(payments)) return sendError(reply, payments.left);
    return sendPage(
      reply,
      200,
      accountPage({ provider: providers[signedIn.provider].label, user: user.right, balances: balances.right, payments: payments.right.items }),
    );
  });

  app.post('/logout', async (request, reply) => {
    const current = await currentSession(request);
    if (current !== undefined) await sessions.destroy(current.id);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });

  app.setNotFoundHandler((_request, reply) => sendPage(reply, 404, statusPage('Not found')));
  // Whatever went wrong inside, the browser gets a plain page and no internal detail.
  app.setErrorHandler((error: { statusCode?: number }, _request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    return sendPage(reply, status, statusPage(status === 500 ? 'Something went wrong' : 'Bad request'));
  });

  return app;
};
