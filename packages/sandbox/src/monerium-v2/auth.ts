import { createHash } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock, Random } from '../context.js';
import { consentPage, errorPage, loginPage } from '../monerium/auth-pages.js';
import {
  type AuthDelegate,
  type AuthorizationRequestRecord,
  flatten,
  htmlHeaders,
  type Params,
  redirectWith,
  registeredRedirect,
  repeated,
  S256_CHALLENGE,
  sameSecret,
  single,
  VERIFIER,
} from '../monerium/oauth.js';
import type { FormBody } from '../monerium/parsers.js';
import { CODE_TTL_MS, type IssuedTokens, type Sessions } from '../monerium/sessions.js';
import { profileIn } from './fixtures.js';
import { acceptsV2 } from './model.js';
import { verifySiwe } from './siwe.js';
import type { V2AppClient, V2User, World } from './world.js';

/**
 * Token-endpoint error bodies: the OpenAPI shows `{code, status, message}`, the docs show OAuth's
 * `{error, error_description}`; which one a case gets is unknown (fact sheet §2.2), so it is a setting.
 */
export type TokenErrorShape = 'monerium' | 'oauth';

export interface V2AuthDeps {
  readonly world: World;
  readonly sessions: Sessions;
  readonly random: Random;
  readonly clockOf: (request: FastifyRequest) => Clock;
  readonly baseUrl: () => string;
  readonly tokenErrorShape: () => TokenErrorShape;
  readonly authorizations: AuthorizationRequestRecord[];
}

/** A portal sign-in in progress (between the 307 to the portal and the redirect back). */
interface PortalSession {
  readonly client: V2AppClient;
  readonly redirectUri: string;
  readonly redirectParam: string | undefined;
  readonly state: string | undefined;
  readonly challenge: string;
  readonly email: string | undefined;
  readonly skipKyc: boolean;
  readonly mode: 'login' | 'signup';
  readonly expiresAt: number;
  userId?: string;
}

const PORTAL_TTL_MS = 15 * 60_000;

class TokenError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status: 400 | 401 = 400,
  ) {
    super(description);
  }
}

const tokenBody = (tokens: IssuedTokens) => ({
  access_token: tokens.accessToken,
  token_type: 'Bearer',
  expires_in: tokens.expiresIn,
  refresh_token: tokens.refreshToken,
});

const booleanParam = (value: string | undefined): boolean | undefined | 'invalid' =>
  value === undefined ? undefined : value === 'true' ? true : value === 'false' ? false : 'invalid';

/**
 * Sign-in for API v2 (fact sheet §2): `/auth` with PKCE (S256 only) through the partner portal
 * (`307` to `/partners/{partnerId}/auth`), or Sign-In with Ethereum (`authentication_method=siwe`,
 * `302` straight back with a code); `/auth/token` with the three grants and rotating refresh tokens.
 */
export const createV2Auth = (deps: V2AuthDeps): AuthDelegate & { registerPortal(app: FastifyInstance): void } => {
  const { world, sessions } = deps;
  const portal = new Map<string, PortalSession>();
  const appById = (id: string | undefined) => world.apps.find((c) => c.clientId === id);
  const isV2Client = (id: string | undefined) => appById(id) !== undefined || world.credentialClients.some((c) => c.clientId === id);

  const issueCode = (session: { client: V2AppClient; redirectParam: string | undefined; redirectUri: string; challenge: string }, user: V2User, profile: string, now: number) =>
    sessions.issueCode({
      clientId: session.client.clientId,
      redirectUri: session.redirectParam,
      sentTo: session.redirectUri,
      challenge: { value: session.challenge, method: 'S256' },
      scopes: new Set(),
      userId: user.userId,
      profile,
      expiresAt: now + CODE_TTL_MS,
    });

  const authorize = async (params: Params, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const now = deps.clockOf(request).now();
    const client = appById(single(params, 'client_id'));
    if (client === undefined) return htmlHeaders(reply.code(400)).send(errorPage('Unknown or missing client_id.'));
    if (Array.isArray(params.redirect_uri)) return htmlHeaders(reply.code(400)).send(errorPage('redirect_uri was sent more than once.'));
    const redirectParam = single(params, 'redirect_uri');
    const redirectUri = registeredRedirect(client.redirectUris, redirectParam);
    if (redirectUri === undefined) {
      return htmlHeaders(reply.code(400)).send(errorPage(redirectParam === undefined ? 'redirect_uri is required.' : 'redirect_uri is not registered for this client.'));
    }
    const state = single(params, 'state');
    const fail = (error: string, description: string) => redirectWith(reply, redirectUri, state, { error, error_description: description });

    const duplicate = repeated(params);
    if (duplicate !== undefined) return fail('invalid_request', `${duplicate} was sent more than once`);
    const responseType = single(params, 'response_type');
    if (responseType !== undefined && responseType !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported');
    if (single(params, 'code_challenge_method') !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
    const challenge = single(params, 'code_challenge');
    if (challenge === undefined || !S256_CHALLENGE.test(challenge)) return fail('invalid_request', 'code_challenge must be base64url(SHA-256(code_verifier))');
    const method = single(params, 'authentication_method');
    if (method !== undefined && method !== 'siwe') return fail('invalid_request', 'authentication_method must be siwe');
    const skipKyc = booleanParam(single(params, 'skip_kyc'));
    if (skipKyc === 'invalid') return fail('invalid_request', 'skip_kyc must be true or false');
    const mode = single(params, 'auth_mode') ?? 'login';
    if (mode !== 'login' && mode !== 'signup') return fail('invalid_request', 'auth_mode must be login or signup');
    deps.authorizations.push({ clientId: client.clientId, params: flatten(params), at: now });

    if (method === 'siwe') {
      const message = single(params, 'message');
      const signature = single(params, 'signature');
      if (message === undefined || signature === undefined) return fail('invalid_request', 'message and signature are required for SIWE');
      const outcome = await verifySiwe(message, signature, { now, domain: new URL(redirectUri).host, world });
      if (!outcome.ok) return fail(outcome.malformed ? 'invalid_request' : 'access_denied', outcome.reason);
      const user = world.users.find((u) => u.profiles.some((p) => p.id === outcome.profile));
      if (user === undefined) return fail('access_denied', 'no user may act for the profile of this address');
      const code = issueCode({ client, redirectParam, redirectUri, challenge }, user, outcome.profile, now);
      return redirectWith(reply, redirectUri, state, { code });
    }

    // The `email` prefill is typed boolean in the OpenAPI but the SDK sends the address: a value with `@` prefills.
    const email = single(params, 'email');
    for (const [key, abandoned] of portal) if (now >= abandoned.expiresAt) portal.delete(key);
    const id = deps.random.hex(16);
    portal.set(id, {
      client,
      redirectUri,
      redirectParam,
      state,
      challenge,
      email: email?.includes('@') ? email : undefined,
      skipKyc: skipKyc === true,
      mode,
      expiresAt: now + PORTAL_TTL_MS,
    });
    const target = new URL(`${deps.baseUrl()}/partners/${client.partnerId}/auth`);
    target.searchParams.set('request', id);
    return reply.code(307).header('cache-control', 'no-store').header('location', target.toString()).send();
  };

  const registerPortal = (app: FastifyInstance): void => {
    const session = (partnerId: string, id: string | undefined, now: number): PortalSession | undefined => {
      const found = id === undefined ? undefined : portal.get(id);
      if (found === undefined || found.client.partnerId !== partnerId || now >= found.expiresAt) return undefined;
      return found;
    };
    const firstPage = (id: string, current: PortalSession, error?: string, email?: string) => {
      const prefill = email ?? current.email;
      return loginPage({
        requestId: id,
        clientName: current.client.name,
        signup: current.mode === 'signup',
        ...(error === undefined ? {} : { error }),
        ...(prefill === undefined ? {} : { email: prefill }),
      });
    };
    const consent = (id: string, current: PortalSession, user: V2User) =>
      consentPage({
        requestId: id,
        clientName: current.client.name,
        userEmail: user.email,
        scopes: ['profiles', 'addresses', 'ibans', 'orders'],
        profiles: user.profiles.map((p) => world.profile(p.id)?.name ?? p.id),
      });

    app.get<{ Params: { partnerId: string }; Querystring: { request?: string } }>('/partners/:partnerId/auth', async (request, reply) => {
      const id = request.query.request;
      const current = session(request.params.partnerId, id, deps.clockOf(request).now());
      if (current === undefined || id === undefined) return htmlHeaders(reply.code(400)).send(errorPage('This sign-in is unknown or has expired.'));
      return htmlHeaders(reply.code(200)).send(firstPage(id, current));
    });

    app.post<{ Params: { partnerId: string } }>('/partners/:partnerId/auth', async (request, reply) => {
      const now = deps.clockOf(request).now();
      const body = (request.body ?? {}) as FormBody;
      const field = (name: string) => {
        const value = body[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const id = field('request');
      const current = session(request.params.partnerId, id, now);
      if (current === undefined || id === undefined) return htmlHeaders(reply.code(400)).send(errorPage('This sign-in is unknown or has expired.'));
      if (current.userId === undefined) {
        const email = field('email') ?? '';
        const password = field('password') ?? '';
        if (current.mode === 'signup') {
          if (!/^[^@\s]+@[^@\s]+$/.test(email) || password.length < 8) {
            return htmlHeaders(reply.code(400)).send(firstPage(id, current, 'Give an email address and a password of at least 8 characters.', email));
          }
          if (world.users.some((u) => u.email.toLowerCase() === email.toLowerCase())) {
            return htmlHeaders(reply.code(409)).send(firstPage(id, current, 'An account with this email exists; sign in instead.', email));
          }
          // A new customer gets a personal profile; `skip_kyc=true` approves it at once (for testing).
          const profile = profileIn(deps.random.uuid(), 'personal', email, current.skipKyc ? 'approved' : 'created');
          world.addProfile(profile);
          const user: V2User = { userId: deps.random.uuid(), email, password, name: email, defaultProfile: profile.id, profiles: [{ id: profile.id, perms: ['read', 'write'] }] };
          world.users.push(user);
          current.userId = user.userId;
          return htmlHeaders(reply.code(200)).send(consent(id, current, user));
        }
        const user = world.users.find((u) => u.email.toLowerCase() === email.toLowerCase() && u.password === password);
        if (user === undefined) return htmlHeaders(reply.code(401)).send(firstPage(id, current, 'Incorrect email or password.', email));
        current.userId = user.userId;
        return htmlHeaders(reply.code(200)).send(consent(id, current, user));
      }
      const decision = field('decision');
      if (decision !== 'approve' && decision !== 'deny') return htmlHeaders(reply.code(400)).send(errorPage('Choose Approve or Deny.'));
      portal.delete(id);
      if (decision === 'deny') return redirectWith(reply, current.redirectUri, current.state, { error: 'access_denied', error_description: 'The user denied access' });
      const user = world.users.find((u) => u.userId === current.userId);
      if (user === undefined) return htmlHeaders(reply.code(400)).send(errorPage('Unknown user.'));
      return redirectWith(reply, current.redirectUri, current.state, { code: issueCode(current, user, user.defaultProfile, now) });
    });
  };

  const exchange = (params: Params, request: FastifyRequest): ReturnType<typeof tokenBody> => {
    const now = deps.clockOf(request).now();
    const duplicate = repeated(params);
    if (duplicate !== undefined) throw new TokenError('invalid_request', `${duplicate} was sent more than once`);
    if (request.headers.authorization !== undefined) {
      throw new TokenError('invalid_request', 'Send client_id (and client_secret) in the form body; v2 documents no HTTP authentication here');
    }
    const clientId = single(params, 'client_id');
    if (clientId === undefined) throw new TokenError('invalid_request', 'client_id is required');
    const grantType = single(params, 'grant_type');
    if (grantType === undefined) throw new TokenError('invalid_request', 'grant_type is required');
    const credentials = world.credentialClients.find((c) => c.clientId === clientId);
    const app = appById(clientId);
    if (credentials === undefined && app === undefined) throw new TokenError('invalid_client', 'Unknown client', 401);
    const secret = single(params, 'client_secret');
    const checkSecret = () => {
      if (credentials === undefined) throw new TokenError('unauthorized_client', 'This client may not use client credentials');
      if (secret === undefined) throw new TokenError('invalid_request', 'client_secret is required');
      if (!sameSecret(secret, credentials.clientSecret)) throw new TokenError('invalid_client', 'Client authentication failed', 401);
    };

    switch (grantType) {
      case 'authorization_code': {
        if (app === undefined) throw new TokenError('unauthorized_client', 'This client may not use the authorization code grant');
        const value = single(params, 'code');
        const verifier = single(params, 'code_verifier');
        const redirectUri = single(params, 'redirect_uri');
        if (value === undefined || verifier === undefined || redirectUri === undefined) {
          throw new TokenError('invalid_request', 'code, code_verifier and redirect_uri are required');
        }
        const code = sessions.code(value);
        if (code === undefined || code.clientId !== clientId) throw new TokenError('invalid_grant', 'Unknown authorization code');
        if (code.used) {
          sessions.revokeGrant(code.grantId);
          throw new TokenError('invalid_grant', 'Authorization code has already been used');
        }
        if (now >= code.expiresAt) throw new TokenError('invalid_grant', 'Authorization code has expired');
        if (redirectUri !== (code.redirectUri ?? code.sentTo)) throw new TokenError('invalid_grant', 'redirect_uri does not match the authorization request');
        const expected = createHash('sha256').update(verifier, 'ascii').digest('base64url');
        if (!VERIFIER.test(verifier) || code.challenge === undefined || !sameSecret(expected, code.challenge.value)) {
          throw new TokenError('invalid_grant', 'PKCE verification failed');
        }
        const tokens = sessions.startGrant({ clientId, userId: code.userId, profile: code.profile, scopes: null, kind: 'user' }, now);
        code.used = true;
        code.grantId = tokens.grant.id;
        return tokenBody(tokens);
      }
      case 'refresh_token': {
        const value = single(params, 'refresh_token');
        if (value === undefined) throw new TokenError('invalid_request', 'refresh_token is required');
        const grant = sessions.grantOfRefreshToken(value);
        // Client-credentials sessions refresh with their secret too (fact sheet §2.2 leaves it open; re-running the grant also works).
        if (grant?.kind === 'client' && grant.clientId === clientId) checkSecret();
        const outcome = sessions.rotate(value, clientId, now);
        if (!outcome.ok) {
          const why = {
            unknown: 'Unknown refresh token',
            'wrong-client': 'Client id must be the same from previous token.',
            revoked: 'Refresh token has been revoked',
            reused: 'Refresh token was already used; the session has been revoked',
          }[outcome.reason];
          throw new TokenError('invalid_grant', why);
        }
        return tokenBody(outcome.tokens);
      }
      case 'client_credentials': {
        checkSecret();
        if (credentials === undefined) throw new TokenError('unauthorized_client', 'This client may not use client credentials');
        return tokenBody(
          sessions.startGrant({ clientId, userId: credentials.userId, profile: credentials.defaultProfile, scopes: null, kind: 'client' }, now),
        );
      }
      default:
        throw new TokenError('unsupported_grant_type', 'grant_type must be authorization_code, refresh_token or client_credentials');
    }
  };

  const token = async (params: Params, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    try {
      return reply.code(200).send(exchange(params, request));
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      reply.code(error.status);
      if (deps.tokenErrorShape() === 'oauth') return reply.send({ error: error.error, error_description: error.description });
      return reply.send({ code: error.status, status: STATUS_CODES[error.status] ?? 'Error', message: error.description });
    }
  };

  return {
    // A browser cannot send the Accept header, so a v2 client id or a SIWE request also selects v2.
    claims: (params, request) => acceptsV2(request.headers.accept) || single(params, 'authentication_method') !== undefined || isV2Client(single(params, 'client_id')),
    authorize,
    token,
    registerPortal,
  };
};
