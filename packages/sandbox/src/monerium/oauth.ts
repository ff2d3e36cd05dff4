import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock, Random } from '../context.js';
import { consentPage, errorPage, loginPage } from './auth-pages.js';
import { checkPassword, type Directory } from './caller.js';
import type { MoneriumConfidentialClient, MoneriumPublicClient } from './fixtures.js';
import type { Ledger } from './ledger.js';
import type { FormBody } from './parsers.js';
import { ADDRESS_FORMAT } from './signatures.js';
import { CODE_TTL_MS, DEFAULT_SCOPE, type Grant, type IssuedTokens, SCOPES, type Sessions } from './sessions.js';

/** What `/auth` received and accepted, kept for `admin.monerium.authorizationRequests()`. */
export interface AuthorizationRequestRecord {
  readonly clientId: string;
  readonly params: Readonly<Record<string, string>>;
  readonly at: number;
}

export interface OAuthDeps {
  readonly clockOf: (request: FastifyRequest) => Clock;
  readonly random: Random;
  readonly directory: Directory;
  readonly clients: ReadonlyArray<MoneriumPublicClient | MoneriumConfidentialClient>;
  readonly sessions: Sessions;
  readonly ledger: Ledger;
  readonly authorizations: AuthorizationRequestRecord[];
  readonly tokenErrorShape: 'oauth' | 'monerium';
  /** Another API version's sign-in (v2): it answers the `/auth` and `/auth/token` requests it claims. */
  readonly delegate?: AuthDelegate;
}

/** Takes over `/auth` and `/auth/token` requests that belong to another API version (same paths, no Accept header from a browser). */
export interface AuthDelegate {
  claims(params: Params, request: FastifyRequest): boolean;
  authorize(params: Params, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
  token(params: Params, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
}

/** A sign-in in progress between the login and consent screens. */
interface Pending {
  readonly client: MoneriumPublicClient | MoneriumConfidentialClient;
  readonly redirectUri: string;
  readonly redirectUriParam: string | undefined;
  readonly state: string | undefined;
  readonly challenge: { readonly value: string; readonly method: 'plain' | 'S256' } | undefined;
  readonly scopes: ReadonlyArray<string>;
  readonly expiresAt: number;
  userId?: string;
}

const PENDING_TTL_MS = 15 * 60_000;
/** RFC 7636 §4.1: 43–128 characters of the unreserved set. */
export const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
export const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

const isConfidential = (client: MoneriumPublicClient | MoneriumConfidentialClient): client is MoneriumConfidentialClient =>
  'clientSecret' in client;

export const sameSecret = (a: string, b: string): boolean =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Exact match, except that a loopback redirect matches a registered loopback URI on any port
 * (RFC 8252 §7.3), so native apps and tests can listen on an ephemeral port.
 */
export const redirectMatches = (registered: string, given: string): boolean => {
  if (registered === given) return true;
  let r: URL;
  let g: URL;
  try {
    r = new URL(registered);
    g = new URL(given);
  } catch {
    return false;
  }
  return (
    g.protocol === 'http:' &&
    r.protocol === 'http:' &&
    LOOPBACK_HOSTS.has(g.hostname) &&
    g.hostname === r.hostname &&
    g.pathname === r.pathname &&
    g.search === r.search &&
    g.hash === '' &&
    g.username === '' &&
    g.password === ''
  );
};

export type Params = Readonly<Record<string, string | string[] | undefined>>;

/** Where to send the answer: the named redirect URI if registered, else the only registered one. */
export const registeredRedirect = (registered: ReadonlyArray<string>, named: string | undefined): string | undefined =>
  named === undefined ? (registered.length === 1 ? registered[0] : undefined) : registered.some((r) => redirectMatches(r, named)) ? named : undefined;

export const single = (params: Params, name: string): string | undefined => {
  const value = params[name];
  return typeof value === 'string' ? value : undefined;
};

export const repeated = (params: Params): string | undefined => Object.keys(params).find((name) => Array.isArray(params[name]));

export const flatten = (params: Params): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) if (value !== undefined) out[name] = Array.isArray(value) ? (value[0] ?? '') : value;
  return out;
};

export const htmlHeaders = (reply: FastifyReply): FastifyReply =>
  reply
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");

/** RFC 6749 §4.1.2: the answer goes back to the client's redirect URI, with `state` echoed exactly. */
export const redirectWith = (reply: FastifyReply, redirectUri: string, state: string | undefined, params: Record<string, string>): FastifyReply => {
  const target = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) target.searchParams.append(name, value);
  if (state !== undefined) target.searchParams.append('state', state);
  return reply.code(302).header('cache-control', 'no-store').header('location', target.toString()).send();
};

class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status: 400 | 401 = 400,
    readonly challenge?: string,
  ) {
    super(description);
  }
}

/**
 * RFC 6749 §5.2 error body; `invalid_client` is 401 (with a Basic challenge when Basic was tried).
 * With the `monerium` shape the same error comes as the API's error object, the OAuth code in
 * `details.error`.
 */
const sendOAuthError = (reply: FastifyReply, error: OAuthError, shape: OAuthDeps['tokenErrorShape'] = 'oauth'): FastifyReply => {
  reply.code(error.status).header('cache-control', 'no-store').header('pragma', 'no-cache');
  if (error.challenge !== undefined) reply.header('www-authenticate', error.challenge);
  if (shape === 'monerium') {
    const status = error.status === 401 ? 'Unauthorized' : 'Bad Request';
    return reply.send({ code: error.status, status, message: error.description, details: { error: error.error } });
  }
  return reply.send({ error: error.error, error_description: error.description });
};

const parseScopes = (raw: string | undefined): ReadonlyArray<string> | undefined => {
  const scopes = (raw ?? '').split(' ').filter((s) => s !== '');
  if (scopes.some((s) => !SCOPES.includes(s))) return undefined;
  return [...new Set(scopes)];
};

/** `client_secret_basic`: RFC 6749 §2.3.1 form-encodes id and secret before base64. */
const parseBasicClient = (header: string | undefined): { id: string; secret: string } | 'malformed' | undefined => {
  const match = header === undefined ? null : /^Basic\s+(\S+)\s*$/i.exec(header);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return 'malformed';
  try {
    const formDecode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return 'malformed';
  }
};

const tokenResponse = (tokens: IssuedTokens) => ({
  access_token: tokens.accessToken,
  token_type: 'Bearer',
  expires_in: tokens.expiresIn,
  refresh_token: tokens.refreshToken,
  ...(tokens.grant.scopes === null ? {} : { scope: [...tokens.grant.scopes].join(' ') }),
  profile: tokens.grant.profile,
  userId: tokens.grant.userId,
});

/** `/auth` (login + consent screens) and `/auth/token` (authorization_code, refresh_token, client_credentials). */
export const registerOAuthRoutes = (app: FastifyInstance, deps: OAuthDeps): void => {
  const pending = new Map<string, Pending>();
  const clientById = (id: string | undefined) => (id === undefined ? undefined : deps.clients.find((c) => c.clientId === id));

  const startAuthorization = (params: Params, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const now = deps.clockOf(request).now();
    const client = clientById(single(params, 'client_id'));
    // RFC 6749 §4.1.2.1: with an unknown client or redirect URI the user must not be sent anywhere.
    if (client === undefined) return htmlHeaders(reply.code(400)).send(errorPage('Unknown or missing client_id.'));
    const redirectParam = single(params, 'redirect_uri');
    if (Array.isArray(params.redirect_uri)) return htmlHeaders(reply.code(400)).send(errorPage('redirect_uri was sent more than once.'));
    const redirectUri = registeredRedirect(client.redirectUris, redirectParam);
    if (redirectUri === undefined) {
      const why = redirectParam === undefined ? 'redirect_uri is required: the client has several registered.' : 'redirect_uri is not registered for this client.';
      return htmlHeaders(reply.code(400)).send(errorPage(why));
    }
    const state = Array.isArray(params.state) ? params.state[0] : params.state;
    const fail = (error: string, description: string) => redirectWith(reply, redirectUri, state, { error, error_description: description });

    const duplicate = repeated(params);
    if (duplicate !== undefined) return fail('invalid_request', `${duplicate} was sent more than once`);
    const responseType = single(params, 'response_type') ?? 'code';
    if (responseType !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported');
    const method = single(params, 'code_challenge_method') ?? 'plain';
    if (method !== 'plain' && method !== 'S256') return fail('invalid_request', 'code_challenge_method must be plain or S256');
    const challengeValue = single(params, 'code_challenge');
    if (challengeValue === undefined && !isConfidential(client)) return fail('invalid_request', 'code_challenge is required for public clients');
    if (challengeValue !== undefined && !(method === 'S256' ? S256_CHALLENGE : VERIFIER).test(challengeValue)) {
      return fail('invalid_request', `code_challenge is not a valid ${method} challenge`);
    }
    const scopes = parseScopes(single(params, 'scope') ?? DEFAULT_SCOPE);
    if (scopes === undefined) return fail('invalid_scope', `Known scopes: ${SCOPES.join(', ')}`);
    const address = single(params, 'address');
    if (address !== undefined && !ADDRESS_FORMAT.test(address)) return fail('invalid_request', 'address must be a 0x-prefixed 20-byte hex address');

    deps.authorizations.push({ clientId: client.clientId, params: flatten(params), at: now });
    for (const [key, abandoned] of pending) if (now >= abandoned.expiresAt) pending.delete(key);
    const id = deps.random.hex(16);
    pending.set(id, {
      client,
      redirectUri,
      redirectUriParam: redirectParam,
      state,
      challenge: challengeValue === undefined ? undefined : { value: challengeValue, method },
      scopes: scopes.length === 0 ? [DEFAULT_SCOPE] : scopes,
      expiresAt: now + PENDING_TTL_MS,
    });
    return htmlHeaders(reply.code(200)).send(loginPage({ requestId: id, clientName: client.name }));
  };

  const continueAuthorization = (id: string, body: FormBody, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const now = deps.clockOf(request).now();
    const current = pending.get(id);
    if (current === undefined || now >= current.expiresAt) {
      pending.delete(id);
      return htmlHeaders(reply.code(400)).send(errorPage('This sign-in is unknown or has expired. Start again from the application.'));
    }
    const field = (name: string) => {
      const value = body[name];
      return Array.isArray(value) ? value[0] : value;
    };
    if (current.userId === undefined) {
      const email = field('email') ?? '';
      const user = checkPassword(deps.directory, email, field('password') ?? '');
      if (user === undefined) {
        return htmlHeaders(reply.code(401)).send(loginPage({ requestId: id, clientName: current.client.name, error: 'Incorrect email or password.', email }));
      }
      current.userId = user.userId;
      const profiles = user.profiles.map((p) => deps.ledger.profile(p.id)?.name ?? p.id);
      return htmlHeaders(reply.code(200)).send(
        consentPage({ requestId: id, clientName: current.client.name, userEmail: user.email, scopes: current.scopes, profiles }),
      );
    }
    const decision = field('decision') ?? (field('approve') !== undefined ? 'approve' : field('deny') !== undefined ? 'deny' : undefined);
    if (decision !== 'approve' && decision !== 'deny') {
      return htmlHeaders(reply.code(400)).send(errorPage('Choose Approve or Deny.'));
    }
    pending.delete(id);
    if (decision === 'deny') {
      return redirectWith(reply, current.redirectUri, current.state, { error: 'access_denied', error_description: 'The user denied access' });
    }
    const user = deps.directory.users.find((u) => u.userId === current.userId);
    if (user === undefined) return htmlHeaders(reply.code(400)).send(errorPage('Unknown user.'));
    const code = deps.sessions.issueCode({
      clientId: current.client.clientId,
      redirectUri: current.redirectUriParam,
      sentTo: current.redirectUri,
      challenge: current.challenge,
      scopes: new Set(current.scopes),
      userId: user.userId,
      profile: user.defaultProfile,
      expiresAt: now + CODE_TTL_MS,
    });
    return redirectWith(reply, current.redirectUri, current.state, { code });
  };

  app.get('/auth', async (request, reply) => {
    const params = request.query as Params;
    if (deps.delegate?.claims(params, request)) return deps.delegate.authorize(params, request, reply);
    return startAuthorization(params, request, reply);
  });

  app.post('/auth', async (request, reply) => {
    const type = request.headers['content-type'];
    if (request.body !== undefined && (type === undefined || !/^application\/x-www-form-urlencoded\b/i.test(type))) {
      return htmlHeaders(reply.code(400)).send(errorPage('Send the form as application/x-www-form-urlencoded.'));
    }
    const body = (request.body ?? {}) as FormBody;
    const id = body.request;
    if (typeof id === 'string') return continueAuthorization(id, body, request, reply);
    // "by either POST or GET request to the /auth endpoint": a POST may carry the parameters in its body.
    const params = Object.keys(body).length > 0 ? body : (request.query as Params);
    if (deps.delegate?.claims(params, request)) return deps.delegate.authorize(params, request, reply);
    return startAuthorization(params, request, reply);
  });

  const exchange = (params: Params, request: FastifyRequest): Record<string, unknown> => {
    const now = deps.clockOf(request).now();
    const duplicate = repeated(params);
    if (duplicate !== undefined) throw new OAuthError('invalid_request', `${duplicate} was sent more than once`);

    const basic = parseBasicClient(request.headers.authorization);
    const basicChallenge = basic === undefined ? undefined : 'Basic realm="monerium"';
    if (basic === 'malformed') throw new OAuthError('invalid_client', 'Malformed Basic client credentials', 401, basicChallenge);
    if (basic !== undefined && params.client_secret !== undefined) {
      throw new OAuthError('invalid_request', 'Use one client authentication method, not Basic and client_secret together');
    }
    const bodyClientId = single(params, 'client_id');
    if (basic !== undefined && bodyClientId !== undefined && bodyClientId !== basic.id) {
      throw new OAuthError('invalid_client', 'client_id does not match the Basic credentials', 401, basicChallenge);
    }
    const clientId = basic?.id ?? bodyClientId;
    if (clientId === undefined) throw new OAuthError('invalid_request', 'client_id is required');
    const client = clientById(clientId);
    if (client === undefined) throw new OAuthError('invalid_client', 'Unknown client', 401, basicChallenge);
    const secret = basic?.secret ?? single(params, 'client_secret');
    if (secret !== undefined && !(isConfidential(client) && sameSecret(secret, client.clientSecret))) {
      throw new OAuthError('invalid_client', 'Client authentication failed', 401, basicChallenge);
    }
    const authenticated = secret !== undefined;

    const grantType = single(params, 'grant_type');
    if (grantType === undefined) throw new OAuthError('invalid_request', 'grant_type is required');
    switch (grantType) {
      case 'authorization_code':
        return authorizationCode(params, client.clientId, authenticated, now);
      case 'refresh_token':
        return refreshToken(params, client.clientId, authenticated, now);
      case 'client_credentials': {
        if (!isConfidential(client)) throw new OAuthError('unauthorized_client', 'Only confidential clients may use client_credentials');
        if (!authenticated) throw new OAuthError('invalid_client', 'client_secret is required', 401);
        const requested = single(params, 'scope');
        const scopes = requested === undefined ? null : parseScopes(requested);
        if (scopes === undefined) throw new OAuthError('invalid_scope', `Known scopes: ${SCOPES.join(', ')}`);
        return tokenResponse(
          deps.sessions.startGrant(
            { clientId: client.clientId, userId: client.userId, profile: client.profile, scopes: scopes === null || scopes.length === 0 ? null : new Set(scopes), kind: 'client' },
            now,
          ),
        );
      }
      default:
        throw new OAuthError('unsupported_grant_type', 'grant_type must be authorization_code, refresh_token or client_credentials');
    }
  };

  const narrowedScopes = (params: Params, granted: ReadonlySet<string> | null): void => {
    const requested = single(params, 'scope');
    if (requested === undefined) return;
    const scopes = parseScopes(requested);
    if (scopes === undefined || (granted !== null && scopes.some((s) => !granted.has(s)))) {
      throw new OAuthError('invalid_scope', 'The requested scope exceeds the granted scope');
    }
  };

  const authorizationCode = (params: Params, clientId: string, authenticated: boolean, now: number) => {
    const value = single(params, 'code');
    if (value === undefined) throw new OAuthError('invalid_request', 'code is required');
    const code = deps.sessions.code(value);
    if (code === undefined || code.clientId !== clientId) throw new OAuthError('invalid_grant', 'Unknown authorization code');
    if (code.used) {
      // RFC 6749 §4.1.2: a replayed code revokes what it already produced.
      deps.sessions.revokeGrant(code.grantId);
      throw new OAuthError('invalid_grant', 'Authorization code has already been used');
    }
    if (now >= code.expiresAt) throw new OAuthError('invalid_grant', 'Authorization code has expired');
    const redirectUri = single(params, 'redirect_uri');
    if (code.redirectUri !== undefined && redirectUri === undefined) throw new OAuthError('invalid_request', 'redirect_uri is required');
    // RFC 6749 §4.1.3: identical to the one the authorization request named (if it named one).
    if (redirectUri !== undefined && redirectUri !== (code.redirectUri ?? code.sentTo)) {
      throw new OAuthError('invalid_grant', 'redirect_uri does not match the authorization request');
    }
    if (code.challenge !== undefined) {
      const verifier = single(params, 'code_verifier');
      if (verifier === undefined) throw new OAuthError('invalid_request', 'code_verifier is required');
      const expected = code.challenge.method === 'S256' ? createHash('sha256').update(verifier, 'ascii').digest('base64url') : verifier;
      if (!VERIFIER.test(verifier) || !sameSecret(expected, code.challenge.value)) throw new OAuthError('invalid_grant', 'PKCE verification failed');
    } else if (!authenticated) {
      throw new OAuthError('invalid_client', 'Client authentication is required for a code issued without PKCE', 401);
    }
    narrowedScopes(params, code.scopes);
    const tokens = deps.sessions.startGrant({ clientId, userId: code.userId, profile: code.profile, scopes: code.scopes, kind: 'user' }, now);
    code.used = true;
    code.grantId = tokens.grant.id;
    return tokenResponse(tokens);
  };

  const refreshToken = (params: Params, clientId: string, authenticated: boolean, now: number) => {
    const value = single(params, 'refresh_token');
    if (value === undefined) throw new OAuthError('invalid_request', 'refresh_token is required');
    const grant: Grant | undefined = deps.sessions.grantOfRefreshToken(value);
    if (grant?.kind === 'client' && !authenticated) throw new OAuthError('invalid_client', 'client_secret is required', 401);
    narrowedScopes(params, grant?.scopes ?? null);
    const outcome = deps.sessions.rotate(value, clientId, now);
    if (!outcome.ok) {
      const why = {
        unknown: 'Unknown refresh token',
        'wrong-client': 'Unknown refresh token',
        revoked: 'Refresh token has been revoked',
        reused: 'Refresh token was already used; the session has been revoked',
      }[outcome.reason];
      throw new OAuthError('invalid_grant', why);
    }
    return tokenResponse(outcome.tokens);
  };

  const tokenHandler = async (request: FastifyRequest, reply: FastifyReply) => {
    let params: Params;
    if (request.method === 'GET') {
      params = request.query as Params;
    } else {
      const type = request.headers['content-type'];
      if (request.body === undefined && type === undefined) {
        params = {};
      } else if (type !== undefined && /^application\/x-www-form-urlencoded\b/i.test(type)) {
        params = (request.body ?? {}) as FormBody;
      } else {
        return sendOAuthError(reply, new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded'));
      }
    }
    if (deps.delegate?.claims(params, request)) return deps.delegate.token(params, request, reply);
    try {
      const body = exchange(params, request);
      return reply.code(200).header('cache-control', 'no-store').header('pragma', 'no-cache').send(body);
    } catch (error) {
      if (error instanceof OAuthError) return sendOAuthError(reply, error, deps.tokenErrorShape);
      throw error;
    }
  };
  app.get('/auth/token', tokenHandler);
  app.post('/auth/token', tokenHandler);
};
