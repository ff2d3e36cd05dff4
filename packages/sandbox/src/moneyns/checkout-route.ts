import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MoneyNsAccounts } from './accounts.js';
import { checkoutErrorPage, checkoutPage } from './checkout-page.js';
import { verifyCheckoutToken } from './checkout-token.js';

/** moneyns-public.md §6: the documented values of the page parameters. */
const LANGS: ReadonlyArray<string> = ['ro', 'en', 'de'];
const DISPLAYS: ReadonlyArray<string> = ['light', 'dark'];
const LANDINGS: ReadonlyArray<string> = ['true', 'false'];

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
 * `GET /checkout?lang=&display=&landing=&platform=&token=`: a stand-in for the hosted checkout
 * (moneyns-public.md §6). `platform` is the platform code, `token` a JWT the platform signed
 * (RS* with its registered key, HS* with its checkout secret) carrying `link`, `payment` and
 * `expire`; `lang` is `ro|en|de` (default `en`), `display` `light|dark` (default `light`),
 * `landing` `true|false` (default `false`: `true` skips the landing page).
 */
export function registerCheckoutRoute(
  app: FastifyInstance,
  accounts: MoneyNsAccounts,
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
    const code = value(reads.platform);
    const token = value(reads.token);
    const lang = value(reads.lang) ?? 'en';
    const display = value(reads.display) ?? 'light';
    const landing = value(reads.landing) ?? 'false';
    if (code === undefined) return bad('platform is required');
    const platform = accounts.platform(code);
    if (platform === undefined) return bad('platform is not a registered platform code');
    if (token === undefined) return bad('token is required');
    if (!LANGS.includes(lang)) return bad(`lang must be one of ${LANGS.join(', ')}`);
    if (!DISPLAYS.includes(display)) return bad(`display must be one of ${DISPLAYS.join(', ')}`);
    if (!LANDINGS.includes(landing)) return bad('landing must be true or false');
    const check = verifyCheckoutToken(token, platform, now(request));
    if (!check.ok) {
      return sendPage(reply, 401, checkoutErrorPage('Checkout link not valid', `${check.reason}; ask the platform for a new link.`));
    }
    return sendPage(reply, 200, checkoutPage({ platform: code, token: check.value, lang, display, skipLanding: landing === 'true' }));
  });
}
