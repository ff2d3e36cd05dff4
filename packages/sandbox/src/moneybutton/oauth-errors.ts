import type { FastifyReply } from 'fastify';

/** RFC 6749 §5.2 error codes of the token endpoint. */
export type TokenErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

/** RFC 6749 §4.1.2.1 error codes sent back to the redirect URI. */
export type AuthorizeErrorCode =
  | 'invalid_request'
  | 'unauthorized_client'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'server_error';

export class TokenError {
  constructor(
    readonly code: TokenErrorCode,
    readonly description: string,
    /** Set when the client tried HTTP Basic: RFC 6749 §5.2 then requires a matching challenge. */
    readonly basicChallenge = false,
  ) {}
}

/** RFC 6749 §5.1: token responses, successful or not, must not be cached. */
export function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
}

/**
 * How the token endpoint words its errors. The record shows both (moneybutton-public.md §2):
 * RFC 6749 `{error, error_description}`, and JSON:API `{errors: [{id, status, title, detail}]}`
 * with a numeric status (api-client issue 4). `oauth` is the default; `jsonapi` is switched on
 * with `admin.setTokenErrorShape`.
 */
export type TokenErrorShape = 'oauth' | 'jsonapi';

export interface TokenErrorStyle {
  shape: TokenErrorShape;
}

export function sendTokenError(reply: FastifyReply, error: TokenError, style: TokenErrorStyle, errorId: string): FastifyReply {
  if (error.basicChallenge) reply.header('www-authenticate', 'Basic realm="moneybutton"');
  const status = error.code === 'invalid_client' ? 401 : 400;
  const body =
    style.shape === 'jsonapi'
      ? {
          errors: [
            { id: errorId, status, title: status === 401 ? 'Unauthorized' : 'Bad Request', detail: `${error.code}: ${error.description}` },
          ],
          jsonapi: { version: '1.0' },
        }
      : { error: error.code, error_description: error.description };
  return noStore(reply).code(status).type('application/json; charset=utf-8').send(body);
}
