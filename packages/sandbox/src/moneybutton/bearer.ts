import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Random } from '../context.js';
import { type ApiVersion, sendApiError } from './api-errors.js';
import type { MoneyButtonGrants } from './grants.js';
import type { RequestNow } from './request-now.js';
import type { MoneyButtonScope } from './scopes.js';

const BEARER = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)[ ]*$/i;

const TOKEN_PROBLEMS = {
  unknown: 'The access token is not valid',
  expired: 'The access token has expired',
  revoked: 'The access token has been revoked',
} as const;

/**
 * RFC 6750 §3: a request without credentials gets a bare challenge, a bad token
 * `error="invalid_token"` (clients refresh and retry once), a token lacking the scope
 * `error="insufficient_scope"` with the scope it needs (clients must not refresh).
 */
export class BearerGuard {
  constructor(
    private readonly grants: MoneyButtonGrants,
    private readonly random: Random,
    private readonly now: RequestNow,
  ) {}

  /** The id of the user the token speaks for, or undefined once an error reply was sent. */
  user(request: FastifyRequest, reply: FastifyReply, scope: MoneyButtonScope, version: ApiVersion): string | undefined {
    const header = request.headers.authorization;
    const match = header === undefined ? null : BEARER.exec(header);
    const token = match?.[1];
    if (token === undefined) {
      reply.header('www-authenticate', 'Bearer realm="moneybutton"');
      sendApiError(reply, this.random, version, 401, 'An access token is required: send Authorization: Bearer <token>');
      return undefined;
    }
    const check = this.grants.checkAccessToken(token, this.now(request));
    if (!check.ok) {
      const description = TOKEN_PROBLEMS[check.reason];
      reply.header('www-authenticate', `Bearer error="invalid_token", error_description="${description}"`);
      sendApiError(reply, this.random, version, 401, description);
      return undefined;
    }
    if (!check.grant.scopes.includes(scope) || check.grant.userId === null) {
      reply.header('www-authenticate', `Bearer error="insufficient_scope", scope="${scope}"`);
      sendApiError(reply, this.random, version, 403, `This request requires the scope ${scope}`);
      return undefined;
    }
    return check.grant.userId;
  }
}
