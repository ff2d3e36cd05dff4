import { createHash, timingSafeEqual } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { authError, type GatewayError, invalidInput, transportError } from '../errors.js';
import type { TokenSet } from '../tokens.js';
import { authorizationResponseFailure } from './oauth-errors.js';
import { codeChallengeS256, generateCodeVerifier, generateState, isCodeVerifier } from './pkce.js';
import type * as CodeExchangeModule from './openid-code-exchange.js';
import { checkOAuthConfig, type OAuthClient, type OAuthOptions, type OAuthServer } from './server.js';
import { checkExtraParams, secretForms } from './token-request.js';

export type CodeChallengeMethod = 'S256' | 'plain';

export interface StartAuthorizationParams {
  /** Must be one of the client's registered redirect URIs, exactly as registered. */
  readonly redirectUri: string;
  readonly scope?: string;
  /** Further documented authorization parameters, e.g. Monerium's `address`. */
  readonly extraParams?: Readonly<Record<string, string>>;
  /** Default `S256`. `plain` (RFC 7636 §4.2) only for a provider that cannot do S256. */
  readonly codeChallengeMethod?: CodeChallengeMethod;
}

/**
 * What the application keeps between sending the user away and receiving the callback (in its
 * server-side session or an encrypted cookie). Plain strings, so it serialises as JSON.
 * `codeVerifier` is a secret: it must not reach the browser.
 */
export interface PendingAuthorization {
  readonly state: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
  readonly codeChallengeMethod: CodeChallengeMethod;
  /** Where to send the user's browser. */
  readonly url: string;
}

/** Parameters the flow sets itself; `extraParams` may not replace them (a stray `code_challenge` would defeat PKCE). */
const RESERVED_AUTHORIZATION_PARAMS: ReadonlySet<string> = new Set([
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
]);

const checkRedirectUri = (redirectUri: string): E.Either<GatewayError, string> => {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return E.left(invalidInput('redirectUri', 'must be an absolute URL'));
  }
  // RFC 6749 §3.1.2: the redirection endpoint URI MUST NOT include a fragment component.
  if (url.hash !== '' || redirectUri.includes('#')) return E.left(invalidInput('redirectUri', 'must not contain a fragment'));
  return E.right(redirectUri);
};

/**
 * RFC 6749 §4.1.1 with RFC 7636 PKCE: a fresh `state` and code verifier, and the URL to send the
 * user to. Nothing is requested from the server. The returned `PendingAuthorization` goes to
 * `finishAuthorization` together with the callback URL.
 */
export const startAuthorization = (
  server: OAuthServer,
  client: OAuthClient,
  params: StartAuthorizationParams,
): E.Either<GatewayError, PendingAuthorization> => {
  if (typeof params !== 'object' || params === null) return E.left(invalidInput('params', 'must be an object'));
  const method = params.codeChallengeMethod ?? 'S256';
  if (method !== 'S256' && method !== 'plain') {
    return E.left(invalidInput('codeChallengeMethod', "must be 'S256' or 'plain'"));
  }
  const redirectUri = checkRedirectUri(params.redirectUri);
  if (E.isLeft(redirectUri)) return redirectUri;
  const extra = checkExtraParams(params.extraParams, RESERVED_AUTHORIZATION_PARAMS);
  if (E.isLeft(extra)) return extra;
  const config = checkOAuthConfig(server, client);
  if (E.isLeft(config)) return config;

  const state = generateState();
  const codeVerifier = generateCodeVerifier();
  // As openid-client's buildAuthorizationUrl builds it: the endpoint's own query kept, the
  // request's parameters appended, then `client_id` and `response_type=code`.
  const url = new URL(config.right.authorizationEndpoint.href);
  const query = new URLSearchParams({
    ...extra.right,
    redirect_uri: redirectUri.right,
    ...(params.scope === undefined ? {} : { scope: params.scope }),
    state,
    code_challenge: method === 'S256' ? codeChallengeS256(codeVerifier) : codeVerifier,
    code_challenge_method: method,
  });
  query.set('client_id', client.clientId);
  query.set('response_type', 'code');
  for (const [name, value] of query) url.searchParams.append(name, value);
  return E.right({ state, codeVerifier, redirectUri: redirectUri.right, codeChallengeMethod: method, url: url.href });
};

let codeExchangeModule: Promise<typeof CodeExchangeModule> | undefined;

/**
 * openid-client (with oauth4webapi, jose and Node's fetch) is loaded when the first code is
 * redeemed, not when core is imported: most processes never finish an authorization-code flow.
 */
const loadCodeExchange: TE.TaskEither<GatewayError, typeof CodeExchangeModule> = async () => {
  codeExchangeModule ??= import('./openid-code-exchange.js');
  try {
    return E.right(await codeExchangeModule);
  } catch {
    codeExchangeModule = undefined;
    return E.left(transportError({ kind: 'protocol', attempts: 0, neverSent: true, message: 'Could not load openid-client for the code exchange' }));
  }
};

/** Compares digests so the time taken does not depend on where two states first differ. */
const sameState = (received: string | null, expected: string): boolean => {
  if (received === null) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(received), digest(expected));
};

const checkPending = (pending: PendingAuthorization): E.Either<GatewayError, PendingAuthorization> => {
  if (typeof pending !== 'object' || pending === null) return E.left(invalidInput('pending', 'must be an object'));
  if (typeof pending.state !== 'string' || pending.state.length === 0) {
    return E.left(invalidInput('pending.state', 'must be a non-empty string'));
  }
  if (typeof pending.codeVerifier !== 'string' || !isCodeVerifier(pending.codeVerifier)) {
    return E.left(invalidInput('pending.codeVerifier', 'must be 43–128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1)'));
  }
  return E.map(() => pending)(checkRedirectUri(pending.redirectUri));
};

const callbackSecrets = (client: OAuthClient, pending: PendingAuthorization): ReadonlyArray<string> =>
  client.clientSecret === undefined ? [pending.codeVerifier] : [pending.codeVerifier, client.clientSecret];

/**
 * Validates the authorization response in the order that keeps an attacker's callback from
 * causing any request: state first (RFC 6749 §10.12), then `iss` (RFC 9207, mix-up defence),
 * then an `error` the server reported. Only then is the code sent to the token endpoint.
 */
const codeFromCallback = (
  server: OAuthServer,
  client: OAuthClient,
  callback: URL,
  pending: PendingAuthorization,
): E.Either<GatewayError, string> => {
  const params = callback.searchParams;
  if (!sameState(params.get('state'), pending.state)) {
    return E.left(
      authError({
        reason: 'state_mismatch',
        message: 'The callback state does not match the pending authorization; no token request was sent',
      }),
    );
  }
  const iss = params.get('iss');
  if (iss !== null && iss !== server.issuer) {
    return E.left(
      authError({
        reason: 'issuer_mismatch',
        message: 'The callback was issued by a different authorization server (RFC 9207); no token request was sent',
      }),
    );
  }
  if (params.has('error')) {
    return E.left(authorizationResponseFailure(params, { provider: server.issuer, secrets: callbackSecrets(client, pending) }));
  }
  const code = params.get('code');
  if (code === null || code.length === 0) {
    return E.left(authError({ reason: 'authorization_error', message: 'The callback carries neither a code nor an error' }));
  }
  return E.right(code);
};

/** Far beyond any callback a provider sends (code + state + iss); bounds what is parsed. */
const MAX_CALLBACK_LENGTH = 16_384;

const parseCallback = (callbackUrl: string | URL, redirectUri: string): E.Either<GatewayError, URL> => {
  // `new URL(null, base)` is `base/null`: a wrong type must not pass as a relative callback.
  if (!(callbackUrl instanceof URL) && (typeof callbackUrl !== 'string' || callbackUrl.length > MAX_CALLBACK_LENGTH)) {
    return E.left(invalidInput('callbackUrl', `must be a URL or a string of at most ${MAX_CALLBACK_LENGTH} characters`));
  }
  try {
    // A relative callback (an HTTP request's path and query) is read against the redirect URI.
    return E.right(new URL(callbackUrl, redirectUri));
  } catch {
    return E.left(invalidInput('callbackUrl', 'must be a URL'));
  }
};

/**
 * Completes the flow started by `startAuthorization`: checks the callback, then redeems the code
 * (RFC 6749 §4.1.3) with the PKCE verifier. `redirect_uri` is sent exactly as it was in the
 * authorization request (the URL the application sees behind a proxy may differ from it).
 */
export const finishAuthorization = (
  server: OAuthServer,
  client: OAuthClient,
  callbackUrl: string | URL,
  pending: PendingAuthorization,
  options?: OAuthOptions,
): TE.TaskEither<GatewayError, TokenSet> => {
  const checked = checkPending(pending);
  if (E.isLeft(checked)) return TE.left(checked.left);
  const callback = parseCallback(callbackUrl, pending.redirectUri);
  if (E.isLeft(callback)) return TE.left(callback.left);
  const code = codeFromCallback(server, client, callback.right, pending);
  if (E.isLeft(code)) return TE.left(code.left);
  const config = checkOAuthConfig(server, client, options);
  if (E.isLeft(config)) return TE.left(config.left);
  const exchange = { code: code.right, redirectUri: pending.redirectUri, codeVerifier: pending.codeVerifier };
  const secrets = secretForms(client, [code.right, pending.codeVerifier]);
  return pipe(
    loadCodeExchange,
    TE.flatMap((module) => module.exchangeCode(config.right, exchange, secrets, options?.now ?? Date.now)),
  );
};
