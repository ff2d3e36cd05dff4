export {
  type CodeChallengeMethod,
  finishAuthorization,
  type PendingAuthorization,
  type StartAuthorizationParams,
  startAuthorization,
} from './authorization-code.js';
export { type ClientCredentialsParams, clientCredentialsGrant } from './client-credentials.js';
export { codeChallengeS256, generateCodeVerifier, generateState } from './pkce.js';
export { signPlatformJwt } from './platform-jwt.js';
export { type RefreshParams, refreshTokenGrant } from './refresh.js';
export type { ClientAuth, OAuthClient, OAuthOptions, OAuthServer } from './server.js';
export { tokenSetFromResponse } from './token-response.js';
