import * as E from 'fp-ts/lib/Either.js';
import { type GatewayError, invalidInput } from './errors.js';

/**
 * The one place where adapters check the URLs they are configured with. Credentials travel to
 * these URLs (Basic client credentials, bearer tokens, `?access_token=` on a websocket), so a
 * plain `http:`/`ws:` URL is accepted only for a loopback host (a local sandbox, RFC 8252 §7.3),
 * and a URL must be one that the HTTP and websocket clients will take without throwing later.
 */

const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['localhost', '[::1]']);

/** `localhost`, `127.0.0.0/8` or `[::1]`: traffic that never leaves the machine. */
export const isLoopbackHost = (hostname: string): boolean =>
  typeof hostname === 'string' && (LOOPBACK_NAMES.has(hostname.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(hostname));

export type UrlKind = 'http' | 'websocket';

export interface ServiceUrlOptions {
  /** `http` (default) accepts https, or http on loopback; `websocket` accepts wss, or ws on loopback. */
  readonly kind?: UrlKind;
  /** Whether a query string is allowed (a base URL that paths are appended to must have none). Default false. */
  readonly allowQuery?: boolean;
}

const SCHEMES: Readonly<Record<UrlKind, { readonly secure: string; readonly plain: string }>> = {
  http: { secure: 'https:', plain: 'http:' },
  websocket: { secure: 'wss:', plain: 'ws:' },
};

/**
 * Parses and checks a service URL: absolute, the right scheme (secure, or plain only on
 * loopback), no user info, no fragment (the websocket client throws on one), and no query unless
 * allowed. Answers `InvalidInput` naming `field`.
 */
export const parseServiceUrl = (value: unknown, field: string, options: ServiceUrlOptions = {}): E.Either<GatewayError, URL> => {
  if (typeof options !== 'object' || options === null) return E.left(invalidInput('options', 'must be an object'));
  const kind = options.kind ?? 'http';
  if (kind !== 'http' && kind !== 'websocket') return E.left(invalidInput('options.kind', "must be 'http' or 'websocket'"));
  const { secure, plain } = SCHEMES[kind];
  const expected = `an absolute ${secure.slice(0, -1)} URL (${plain.slice(0, -1)} only on a loopback host)`;
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return E.left(invalidInput(field, `must be ${expected}`));
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return E.left(invalidInput(field, `must be ${expected}`));
  }
  if (url.protocol !== secure && url.protocol !== plain) return E.left(invalidInput(field, `must be ${expected}`));
  if (url.protocol === plain && !isLoopbackHost(url.hostname)) {
    return E.left(invalidInput(field, `must use ${secure.slice(0, -1)}: credentials would travel in clear to ${url.hostname}`));
  }
  if (url.username !== '' || url.password !== '') return E.left(invalidInput(field, 'must not contain credentials'));
  if (url.hash !== '' || value.includes('#')) return E.left(invalidInput(field, 'must not have a fragment'));
  if (!options.allowQuery && (url.search !== '' || value.includes('?'))) return E.left(invalidInput(field, 'must not have a query'));
  return E.right(url);
};

/** A base URL that request paths are appended to: checked, and returned without trailing slashes. */
export const parseBaseUrl = (value: unknown, field: string, kind: UrlKind = 'http'): E.Either<GatewayError, string> => {
  const url = parseServiceUrl(value, field, { kind });
  return E.isLeft(url) ? url : E.right(url.right.href.replace(/\/+$/, ''));
};
