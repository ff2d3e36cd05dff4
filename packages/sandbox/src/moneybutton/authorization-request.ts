import type { MoneyButtonClient } from './fixtures.js';
import type { AuthorizationRequest } from './grants.js';
import type { AuthorizeErrorCode } from './oauth-errors.js';
import { isS256Challenge } from './pkce.js';
import { isRegisteredRedirectUri } from './redirect-uri.js';
import { type Params, single } from './request-params.js';
import { APPLICATION_SCOPE, parseScopeList } from './scopes.js';

/** The query parameters of `/oauth/v1/authorize` that the login form carries along. */
export const AUTHORIZE_PARAMS: ReadonlyArray<string> = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
];

export type AuthorizationCheck =
  | { readonly kind: 'valid'; readonly request: AuthorizationRequest }
  /** RFC 6749 §4.1.2.1: without a trusted client and redirect URI the user must not be redirected. */
  | { readonly kind: 'show-error'; readonly detail: string }
  | {
      readonly kind: 'redirect-error';
      readonly redirectUri: string;
      readonly state: string | undefined;
      readonly error: AuthorizeErrorCode;
      readonly description: string;
    };

export function checkAuthorizationRequest(
  params: Params,
  clients: ReadonlyArray<MoneyButtonClient>,
): AuthorizationCheck {
  const clientId = single(params, 'client_id');
  if (!clientId.ok) return { kind: 'show-error', detail: clientId.detail };
  if (clientId.value === undefined) return { kind: 'show-error', detail: 'client_id is required' };
  const client = clients.find((candidate) => candidate.clientId === clientId.value);
  if (client === undefined) return { kind: 'show-error', detail: 'client_id does not name a registered app' };

  const redirectUri = single(params, 'redirect_uri');
  if (!redirectUri.ok) return { kind: 'show-error', detail: redirectUri.detail };
  if (redirectUri.value === undefined) return { kind: 'show-error', detail: 'redirect_uri is required' };
  if (!isRegisteredRedirectUri(redirectUri.value, client.redirectUris)) {
    return { kind: 'show-error', detail: 'redirect_uri is not registered for this app' };
  }

  const uri = redirectUri.value;
  const stateRead = single(params, 'state');
  const state = stateRead.ok ? stateRead.value : undefined;
  const refuse = (error: AuthorizeErrorCode, description: string): AuthorizationCheck => ({
    kind: 'redirect-error',
    redirectUri: uri,
    state,
    error,
    description,
  });
  if (!stateRead.ok) return refuse('invalid_request', stateRead.detail);

  const responseType = single(params, 'response_type');
  if (!responseType.ok) return refuse('invalid_request', responseType.detail);
  if (responseType.value === undefined) return refuse('invalid_request', 'response_type is required');
  if (responseType.value !== 'code') return refuse('unsupported_response_type', 'response_type must be code');

  const scope = single(params, 'scope');
  if (!scope.ok) return refuse('invalid_request', scope.detail);
  // RFC 6749 §3.3: without a default scope, a missing scope fails as invalid_scope.
  const scopes = parseScopeList(scope.value ?? '');
  if (!scopes.ok) return refuse('invalid_scope', scopes.detail);
  if (scopes.scopes.includes(APPLICATION_SCOPE)) {
    return refuse('invalid_scope', `${APPLICATION_SCOPE} is granted to apps through client_credentials only`);
  }

  const challenge = single(params, 'code_challenge');
  const method = single(params, 'code_challenge_method');
  if (!challenge.ok) return refuse('invalid_request', challenge.detail);
  if (!method.ok) return refuse('invalid_request', method.detail);
  if (challenge.value === undefined && method.value !== undefined) {
    return refuse('invalid_request', 'code_challenge_method was sent without code_challenge');
  }
  if (challenge.value !== undefined) {
    // RFC 7636 §4.3 defaults the method to plain, which this server does not accept.
    if (method.value !== 'S256') return refuse('invalid_request', 'code_challenge_method must be S256');
    if (!isS256Challenge(challenge.value)) {
      return refuse('invalid_request', 'code_challenge must be 43 base64url characters');
    }
  }

  return {
    kind: 'valid',
    request: {
      clientId: client.clientId,
      redirectUri: uri,
      scopes: scopes.scopes,
      state,
      codeChallenge: challenge.value,
    },
  };
}

/** The redirect URI with the response parameters added to whatever query it already has. */
export function redirectWith(redirectUri: string, params: Readonly<Record<string, string | undefined>>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}
