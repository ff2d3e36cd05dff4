import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticateClient, basicCredentialsOf, clientById } from './client-auth.js';
import type { MoneyButtonClient } from './fixtures.js';
import type { IssuedTokens, MoneyButtonGrants } from './grants.js';
import { noStore, sendTokenError, TokenError, type TokenErrorShape } from './oauth-errors.js';
import { isCodeVerifier, s256ChallengeOf } from './pkce.js';
import type { RequestNow } from './request-now.js';
import { type Params, paramsOf, single } from './request-params.js';
import { APPLICATION_SCOPE, type MoneyButtonScope, parseScopeList } from './scopes.js';
import { secretsEqual } from './secret-compare.js';

interface AuthenticatedClient {
  readonly client: MoneyButtonClient;
  /** True when the client proved its secret with HTTP Basic (required for client_credentials). */
  readonly viaBasic: boolean;
}

export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly refresh_token?: string;
  readonly scope: string;
}

function param(params: Params, name: string): string | undefined {
  const read = single(params, name);
  if (!read.ok) throw new TokenError('invalid_request', read.detail);
  return read.value;
}

function required(params: Params, name: string): string {
  const value = param(params, name);
  if (value === undefined) throw new TokenError('invalid_request', `${name} is required`);
  return value;
}

function tokenResponse(issued: IssuedTokens, scopes: ReadonlyArray<MoneyButtonScope>): TokenResponse {
  const body = { access_token: issued.accessToken, token_type: 'Bearer' as const, expires_in: issued.expiresIn };
  const scope = scopes.join(' ');
  return issued.refreshToken === undefined ? { ...body, scope } : { ...body, refresh_token: issued.refreshToken, scope };
}

/** `POST /oauth/v1/token`: authorization_code, refresh_token and client_credentials grants. */
export function registerTokenRoute(
  app: FastifyInstance,
  clients: ReadonlyArray<MoneyButtonClient>,
  grants: MoneyButtonGrants,
  requestNow: RequestNow,
  errorShape: TokenErrorShape = { kind: 'oauth' },
): void {
  const identifyClient = (request: FastifyRequest, params: Params): AuthenticatedClient => {
    const basic = basicCredentialsOf(request.headers.authorization);
    const bodyClientId = param(params, 'client_id');
    const bodySecret = param(params, 'client_secret');
    if (basic.kind === 'malformed') throw new TokenError('invalid_client', 'the Basic credentials are malformed', true);
    if (basic.kind === 'present') {
      // RFC 6749 §2.3: a client must not use more than one authentication method per request.
      if (bodySecret !== undefined) throw new TokenError('invalid_request', 'send the client secret in one place only');
      const { clientId, clientSecret } = basic.credentials;
      const client = authenticateClient(clients, clientId, clientSecret);
      if (client === undefined) throw new TokenError('invalid_client', 'client authentication failed', true);
      if (bodyClientId !== undefined && bodyClientId !== client.clientId) {
        throw new TokenError('invalid_request', 'client_id does not match the authenticated client');
      }
      return { client, viaBasic: true };
    }
    if (bodyClientId === undefined) throw new TokenError('invalid_client', 'client_id is required');
    const client = clientById(clients, bodyClientId);
    if (client === undefined) throw new TokenError('invalid_client', 'client authentication failed');
    if (bodySecret !== undefined && !secretsEqual(bodySecret, client.clientSecret)) {
      throw new TokenError('invalid_client', 'client authentication failed');
    }
    return { client, viaBasic: false };
  };

  const authorizationCode = (params: Params, client: MoneyButtonClient, now: number): TokenResponse => {
    const code = grants.code(required(params, 'code'));
    const redirectUri = required(params, 'redirect_uri');
    const verifier = param(params, 'code_verifier');
    if (code === undefined) throw new TokenError('invalid_grant', 'the authorization code is not valid');
    if (code.used) {
      grants.revokeGrant(code.grantId);
      throw new TokenError('invalid_grant', 'the authorization code was already used');
    }
    code.used = true;
    const { request } = code;
    if (!grants.isLive(code, now)) throw new TokenError('invalid_grant', 'the authorization code has expired');
    if (request.clientId !== client.clientId) {
      throw new TokenError('invalid_grant', 'the authorization code was issued to another client');
    }
    if (request.redirectUri !== redirectUri) {
      throw new TokenError('invalid_grant', 'redirect_uri differs from the one of the authorization request');
    }
    // RFC 7636 §4.6: the verifier must hash to the challenge sent with the authorization request.
    if (request.codeChallenge === undefined) {
      if (verifier !== undefined) {
        throw new TokenError('invalid_grant', 'code_verifier was sent but the authorization request had no code_challenge');
      }
    } else if (verifier === undefined) {
      throw new TokenError('invalid_grant', 'code_verifier is required: the authorization request had a code_challenge');
    } else if (!isCodeVerifier(verifier) || s256ChallengeOf(verifier) !== request.codeChallenge) {
      throw new TokenError('invalid_grant', 'code_verifier does not match the code_challenge');
    }
    const grant = { clientId: client.clientId, userId: code.userId, scopes: request.scopes, grantId: code.grantId };
    return tokenResponse(grants.issue(grant, true, now), request.scopes);
  };

  // The documented refresh response carries no refresh_token: the one the client holds stays valid.
  const refreshToken = (params: Params, client: MoneyButtonClient, now: number): TokenResponse => {
    const check = grants.checkRefreshToken(required(params, 'refresh_token'), now);
    if (!check.ok) throw new TokenError('invalid_grant', `the refresh token is ${check.reason === 'unknown' ? 'not valid' : check.reason}`);
    if (check.grant.clientId !== client.clientId) {
      throw new TokenError('invalid_grant', 'the refresh token was issued to another client');
    }
    let scopes = check.grant.scopes;
    const requested = param(params, 'scope');
    if (requested !== undefined) {
      // RFC 6749 §6: a refresh may narrow the scope, never widen it.
      const parsed = parseScopeList(requested);
      if (!parsed.ok) throw new TokenError('invalid_scope', parsed.detail);
      const extra = parsed.scopes.find((scope) => !check.grant.scopes.includes(scope));
      if (extra !== undefined) throw new TokenError('invalid_scope', `${extra} was not granted by the user`);
      scopes = parsed.scopes;
    }
    return tokenResponse(grants.issue({ ...check.grant, scopes }, false, now), scopes);
  };

  const clientCredentials = (params: Params, identified: AuthenticatedClient, now: number): TokenResponse => {
    if (!identified.viaBasic) {
      throw new TokenError('invalid_client', 'client_credentials requires HTTP Basic client authentication', true);
    }
    const requested = param(params, 'scope');
    if (requested !== APPLICATION_SCOPE) throw new TokenError('invalid_scope', `scope must be ${APPLICATION_SCOPE}`);
    const grant = {
      clientId: identified.client.clientId,
      userId: null,
      scopes: [APPLICATION_SCOPE],
      grantId: `app:${identified.client.clientId}`,
    };
    return tokenResponse(grants.issue(grant, false, now), grant.scopes);
  };

  app.post('/oauth/v1/token', async (request, reply) => {
    try {
      const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (mediaType !== 'application/x-www-form-urlencoded') {
        throw new TokenError('invalid_request', 'the body must be application/x-www-form-urlencoded');
      }
      const params = paramsOf(request.body);
      const grantType = required(params, 'grant_type');
      const identified = identifyClient(request, params);
      const now = requestNow(request);
      let response: TokenResponse;
      if (grantType === 'authorization_code') response = authorizationCode(params, identified.client, now);
      else if (grantType === 'refresh_token') response = refreshToken(params, identified.client, now);
      else if (grantType === 'client_credentials') response = clientCredentials(params, identified, now);
      else throw new TokenError('unsupported_grant_type', `grant_type ${grantType} is not supported`);
      return noStore(reply).code(200).type('application/json; charset=utf-8').send(response);
    } catch (error) {
      if (error instanceof TokenError) return sendTokenError(reply, error, errorShape);
      throw error;
    }
  });
}
