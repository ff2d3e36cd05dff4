import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MoneyNsAccounts } from './accounts.js';
import { checkoutErrorPage, checkoutPage } from './checkout-page.js';
import type { MoneyNsSessions } from './sessions.js';

const LANG = /^[a-z]{2}(?:-[A-Z]{2})?$/;
const DISPLAY = /^[A-Za-z0-9_-]{1,32}$/;
const LANDING_MAX = 2048;

type QueryRead = { readonly ok: true; readonly value: string | undefined } | { readonly ok: false; readonly detail: string };

function queryValue(query: unknown, name: string): QueryRead {
  const value = typeof query === 'object' && query !== null ? (query as Record<string, unknown>)[name] : undefined;
  if (value === undefined || value === '') return { ok: true, value: undefined };
  if (typeof value !== 'string') return { ok: false, detail: `${name} must be given once` };
  return { ok: true, value };
}

function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
}

/**
 * `GET /checkout?platform=&token=&lang=&display=&landing=`: a stand-in for the hosted checkout
 * page a platform opens after login (NOTES.md). The real page lives elsewhere; only these query
 * parameters are documented.
 */
export function registerCheckoutRoute(
  app: FastifyInstance,
  accounts: MoneyNsAccounts,
  sessions: MoneyNsSessions,
  now: (request: FastifyRequest) => number,
): void {
  app.get('/checkout', async (request, reply) => {
    const reads = {
      platform: queryValue(request.query, 'platform'),
      token: queryValue(request.query, 'token'),
      lang: queryValue(request.query, 'lang'),
      display: queryValue(request.query, 'display'),
      landing: queryValue(request.query, 'landing'),
    };
    const bad = (detail: string): FastifyReply => sendPage(reply, 400, checkoutErrorPage('Bad checkout link', detail));
    for (const read of Object.values(reads)) if (!read.ok) return bad(read.detail);
    const value = (read: QueryRead): string | undefined => (read.ok ? read.value : undefined);
    const platform = value(reads.platform);
    const token = value(reads.token);
    const lang = value(reads.lang) ?? 'en';
    const display = value(reads.display) ?? 'page';
    const landing = value(reads.landing);
    if (platform === undefined) return bad('platform is required');
    if (accounts.platform(platform) === undefined) return bad('platform is not a registered platform');
    if (token === undefined) return bad('token is required');
    if (!LANG.test(lang)) return bad('lang must be a language code such as en or en-GB');
    if (!DISPLAY.test(display)) return bad('display must be 1 to 32 letters, digits, _ or -');
    if (landing !== undefined && landing.length > LANDING_MAX) return bad(`landing must have at most ${LANDING_MAX} characters`);
    const userId = sessions.userOf(token, now(request));
    const user = userId === undefined ? undefined : accounts.byId(userId);
    if (user === undefined || !accounts.isMember(platform, user)) {
      return sendPage(
        reply.header('www-authenticate', 'Bearer error="invalid_token"'),
        401,
        checkoutErrorPage('Session expired', 'The token is not a live session for this platform; log in again.'),
      );
    }
    return sendPage(reply, 200, checkoutPage({ platform, user, lang, display, landing }));
  });
}
