import type { FastifyReply } from 'fastify';
import type { Random } from '../context.js';
import { apiErrorDocument } from './api-errors.js';

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
 * `oauth`: the RFC 6749 §5.2 body; `jsonapi`: the JSON:API error document Money Button also
 * answered with (ids drawn from the sandbox's seeded random).
 */
export type TokenErrorShape = { readonly kind: 'oauth' } | { readonly kind: 'jsonapi'; readonly random: Random };

/** `invalid_grant` → `Invalid grant`, as the OAuth server library behind Money Button phrased it. */
const spelledOut = (code: TokenErrorCode): string => {
  const words = code.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export function sendTokenError(reply: FastifyReply, error: TokenError, shape: TokenErrorShape = { kind: 'oauth' }): FastifyReply {
  if (error.basicChallenge) reply.header('www-authenticate', 'Basic realm="moneybutton"');
  const status = error.code === 'invalid_client' ? 401 : 400;
  noStore(reply).code(status).type('application/json; charset=utf-8');
  return reply.send(
    shape.kind === 'jsonapi'
      ? apiErrorDocument(shape.random, status, `${spelledOut(error.code)}: ${error.description}`)
      : { error: error.code, error_description: error.description },
  );
}
