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

export function sendTokenError(reply: FastifyReply, error: TokenError): FastifyReply {
  if (error.basicChallenge) reply.header('www-authenticate', 'Basic realm="moneybutton"');
  return noStore(reply)
    .code(error.code === 'invalid_client' ? 401 : 400)
    .type('application/json; charset=utf-8')
    .send({ error: error.code, error_description: error.description });
}
