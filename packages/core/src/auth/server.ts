import * as E from 'fp-ts/lib/Either.js';
import { type GatewayError, invalidInput } from '../errors.js';
import { MAX_TIMER_MS } from '../input.js';
import { isLoopbackHost } from '../urls.js';

/**
 * An authorization server described by its endpoints. The providers paygate speaks to publish no
 * RFC 8414 discovery document, so the endpoints are given explicitly (e.g. Monerium
 * `https://api.monerium.app/auth` and `/auth/token`).
 */
export interface OAuthServer {
  /** Identifier compared with the `iss` of an authorization response (RFC 9207). */
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
}

/**
 * How the client authenticates at the token endpoint: `none` for public clients (PKCE only),
 * `client_secret_basic` (HTTP Basic, Money Button) or `client_secret_post` (form body, Monerium).
 */
export type ClientAuth = 'none' | 'client_secret_basic' | 'client_secret_post';

export interface OAuthClient {
  readonly clientId: string;
  /** Required by `client_secret_basic` and `client_secret_post`; must be absent for `none`. */
  readonly clientSecret?: string;
  readonly clientAuth: ClientAuth;
}

export interface OAuthOptions {
  /** Limit for one token request, connection to last body byte. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** Clock used to turn `expires_in` into `expiresAt`. Default `Date.now`. */
  readonly now?: () => number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Endpoints must be HTTPS. Plain HTTP is accepted only on a loopback host, so the sandbox and the
 * tests run locally while a real deployment can never send a client secret or a code in clear.
 */
const endpointUrl = (field: string, value: string): E.Either<GatewayError, URL> => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return E.left(invalidInput(field, 'must be an absolute URL'));
  }
  if (url.protocol === 'https:') return E.right(url);
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return E.right(url);
  return E.left(invalidInput(field, 'must use https (plain http is allowed only for 127.0.0.1, ::1 and localhost)'));
};

const checkClientAuthentication = (client: OAuthClient): E.Either<GatewayError, void> => {
  const secret = client.clientSecret;
  switch (client.clientAuth) {
    case 'none':
      return secret === undefined
        ? E.right(undefined)
        : E.left(invalidInput('client.clientSecret', "is set but clientAuth is 'none', so it would never be sent"));
    case 'client_secret_basic':
    case 'client_secret_post':
      if (typeof secret !== 'string' || secret.length === 0) {
        return E.left(invalidInput('client.clientSecret', `is required for ${client.clientAuth}`));
      }
      return E.right(undefined);
    default:
      return E.left(
        invalidInput('client.clientAuth', "must be 'none', 'client_secret_basic' or 'client_secret_post'"),
      );
  }
};

/** Checks `timeoutMs` and returns it as whole milliseconds (AbortSignal.timeout refuses fractions). */
export const timeoutOf = (options: OAuthOptions | undefined): E.Either<GatewayError, number> => {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    return E.left(invalidInput('options', 'must be an object'));
  }
  const timeoutMs = options?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return typeof timeoutMs === 'number' && Number.isFinite(timeoutMs) && timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS
    ? E.right(Math.ceil(timeoutMs))
    : E.left(invalidInput('options.timeoutMs', 'must be a positive number of milliseconds'));
};

/** A server and client description that passed `checkOAuthConfig`, with its endpoints parsed. */
export interface CheckedOAuthConfig {
  readonly server: OAuthServer;
  readonly client: OAuthClient;
  readonly authorizationEndpoint: URL;
  readonly tokenEndpoint: URL;
  /** Whole milliseconds for one token request. */
  readonly timeoutMs: number;
}

/**
 * Checks a server and client description without any network request (and without loading an
 * OAuth library). Fails with `InvalidInput` for a malformed server or client description.
 */
export const checkOAuthConfig = (
  server: OAuthServer,
  client: OAuthClient,
  options?: OAuthOptions,
): E.Either<GatewayError, CheckedOAuthConfig> => {
  if (typeof server !== 'object' || server === null) return E.left(invalidInput('server', 'must be an object'));
  if (typeof client !== 'object' || client === null) return E.left(invalidInput('client', 'must be an object'));
  if (typeof server.issuer !== 'string' || server.issuer.length === 0) {
    return E.left(invalidInput('server.issuer', 'must be a non-empty string'));
  }
  if (typeof client.clientId !== 'string' || client.clientId.length === 0) {
    return E.left(invalidInput('client.clientId', 'must be a non-empty string'));
  }
  const authorizationEndpoint = endpointUrl('server.authorizationEndpoint', server.authorizationEndpoint);
  if (E.isLeft(authorizationEndpoint)) return authorizationEndpoint;
  const tokenEndpoint = endpointUrl('server.tokenEndpoint', server.tokenEndpoint);
  if (E.isLeft(tokenEndpoint)) return tokenEndpoint;
  const auth = checkClientAuthentication(client);
  if (E.isLeft(auth)) return auth;
  const timeoutMs = timeoutOf(options);
  if (E.isLeft(timeoutMs)) return timeoutMs;
  return E.right({
    server,
    client,
    authorizationEndpoint: authorizationEndpoint.right,
    tokenEndpoint: tokenEndpoint.right,
    timeoutMs: timeoutMs.right,
  });
};
