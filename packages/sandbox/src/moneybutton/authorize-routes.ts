import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AUTHORIZE_PARAMS, checkAuthorizationRequest, redirectWith } from './authorization-request.js';
import { authorizeErrorPage, consentPage, loginPage } from './authorize-pages.js';
import { clientById } from './client-auth.js';
import type { MoneyButtonClient } from './fixtures.js';
import type { MoneyButtonGrants } from './grants.js';
import type { MoneyButtonLedger } from './ledger.js';
import type { RequestNow } from './request-now.js';
import { type Params, paramsOf, single } from './request-params.js';
import { secretsEqual } from './secret-compare.js';

function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY')
    .type('text/html; charset=utf-8')
    .send(html);
}

function carriedParams(params: Params): ReadonlyArray<readonly [string, string]> {
  return AUTHORIZE_PARAMS.flatMap((name) => (params.get(name) ?? []).map((value) => [name, value] as const));
}

/**
 * `/oauth/v1/authorize`: GET shows the sign-in form; POST with `email`/`password` signs in and
 * shows the consent form; POST with `transaction`/`decision` approves or denies and redirects.
 */
export function registerAuthorizeRoutes(
  app: FastifyInstance,
  clients: ReadonlyArray<MoneyButtonClient>,
  ledger: MoneyButtonLedger,
  grants: MoneyButtonGrants,
  now: RequestNow,
): void {
  const begin = (request: FastifyRequest, reply: FastifyReply, params: Params, signIn: boolean): FastifyReply => {
    const check = checkAuthorizationRequest(params, clients);
    if (check.kind === 'show-error') return sendPage(reply, 400, authorizeErrorPage(check.detail));
    if (check.kind === 'redirect-error') {
      const location = redirectWith(check.redirectUri, {
        error: check.error,
        error_description: check.description,
        state: check.state,
      });
      return reply.redirect(location, 302);
    }
    const client = clientById(clients, check.request.clientId);
    if (client === undefined) return sendPage(reply, 400, authorizeErrorPage('client_id does not name a registered app'));
    const carried = carriedParams(params);
    if (!signIn) return sendPage(reply, 200, loginPage({ client, carried }));
    const email = single(params, 'email');
    const password = single(params, 'password');
    const user = email.ok && email.value !== undefined ? ledger.userByEmail(email.value) : undefined;
    const passwordGiven = password.ok ? (password.value ?? '') : '';
    // Compare even for unknown emails so the timing does not tell which accounts exist.
    const passwordMatches = secretsEqual(passwordGiven, user?.password ?? '');
    if (user === undefined || !passwordMatches) {
      const retry = { client, carried, email: email.ok ? (email.value ?? '') : '', error: 'Wrong email or password.' };
      return sendPage(reply, 401, loginPage(retry));
    }
    const transaction = grants.startConsent(check.request, user.id, now(request));
    return sendPage(reply, 200, consentPage({ client, user, scopes: check.request.scopes, transaction }));
  };

  const decide = (request: FastifyRequest, reply: FastifyReply, params: Params): FastifyReply => {
    const transaction = single(params, 'transaction');
    const decision = single(params, 'decision');
    if (!decision.ok || (decision.value !== 'approve' && decision.value !== 'deny')) {
      return sendPage(reply, 400, authorizeErrorPage('decision must be approve or deny'));
    }
    const consent = transaction.ok && transaction.value !== undefined ? grants.takeConsent(transaction.value, now(request)) : undefined;
    if (consent === undefined) {
      return sendPage(reply, 400, authorizeErrorPage('This sign-in has expired or was already used; start again.'));
    }
    const authorization = consent.request;
    if (decision.value === 'deny') {
      const denied = redirectWith(authorization.redirectUri, { error: 'access_denied', state: authorization.state });
      return reply.redirect(denied, 302);
    }
    const code = grants.issueCode(authorization, consent.userId, now(request));
    return reply.redirect(redirectWith(authorization.redirectUri, { code, state: authorization.state }), 302);
  };

  app.get('/oauth/v1/authorize', async (request, reply) => begin(request, reply, paramsOf(request.query), false));

  app.post('/oauth/v1/authorize', async (request, reply) => {
    const params = paramsOf(request.body);
    return params.has('transaction') ? decide(request, reply, params) : begin(request, reply, params, true);
  });
}
