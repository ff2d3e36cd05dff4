import { authError, type ErrorMapper, type GatewayError, type HttpResponse, invalidInput, providerError } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts/lib/index.js';

export const PROVIDER = 'moneybutton';

/**
 * A JSON:API error object (jsonapi.org/format/1.0/#error-objects). Money Button sends
 * `{id, status, title, detail}`; every member is optional in the spec, so none is required here,
 * and `status` is a string per the spec but some servers send a number.
 */
const JsonApiErrorObjectCodec = t.partial({
  id: t.union([t.string, t.number]),
  status: t.union([t.string, t.number]),
  code: t.string,
  title: t.string,
  detail: t.string,
});

const JsonApiErrorDocumentCodec = t.type({ errors: t.array(JsonApiErrorObjectCodec) });

export interface MoneyButtonErrorObject {
  readonly id?: string;
  readonly status?: string;
  readonly code?: string;
  readonly title?: string;
  readonly detail?: string;
}

/** The error objects of a JSON:API error document, normalised (ids and statuses as strings); undefined for any other body. */
export const readJsonApiErrors = (body: unknown): ReadonlyArray<MoneyButtonErrorObject> | undefined => {
  const decoded = JsonApiErrorDocumentCodec.decode(body);
  if (E.isLeft(decoded) || decoded.right.errors.length === 0) return undefined;
  return decoded.right.errors.map((error) => ({
    ...(error.id === undefined ? {} : { id: String(error.id) }),
    ...(error.status === undefined ? {} : { status: String(error.status) }),
    ...(error.code === undefined ? {} : { code: error.code }),
    ...(error.title === undefined ? {} : { title: error.title }),
    ...(error.detail === undefined ? {} : { detail: error.detail }),
  }));
};

/** Money Button scope names look like `users.balance:read` or `application_access:write`. */
const SCOPE_PATTERN = /\b[a-z][a-z_]*(?:\.[a-z_]+)*:(?:read|write)\b/;

const scopeNamedIn = (errors: ReadonlyArray<MoneyButtonErrorObject>): string | undefined => {
  for (const error of errors) {
    for (const text of [error.detail, error.title, error.code]) {
      const found = text === undefined ? null : SCOPE_PATTERN.exec(text);
      if (found !== null) return found[0];
    }
  }
  return undefined;
};

const describe = (error: MoneyButtonErrorObject | undefined, status: number): string => {
  const parts = [error?.title, error?.detail].filter((part): part is string => part !== undefined && part.length > 0);
  return parts.length === 0 ? `moneybutton answered ${status}` : `moneybutton answered ${status}: ${parts.join(' — ')}`;
};

/**
 * The one mapping of Money Button's error answers. Core http has already turned RFC 6750
 * challenges into AuthErrors; what reaches this function is a JSON:API error document (or
 * something else entirely). A 403 whose error names a scope is the provider's way of saying
 * `insufficient_scope` without a challenge, and a bare 401 means the token was refused.
 */
export const mapMoneyButtonError: ErrorMapper = (response: HttpResponse): GatewayError => {
  if (typeof response !== 'object' || response === null) return invalidInput('response', 'must be an HTTP response');
  const errors = readJsonApiErrors(response.body);
  const first = errors?.[0];
  if (response.status === 401) {
    return authError({
      reason: 'invalid_token',
      status: 401,
      message: describe(first, 401),
    });
  }
  if (response.status === 403 && errors !== undefined) {
    const scope = scopeNamedIn(errors);
    if (scope !== undefined) {
      return authError({
        reason: 'insufficient_scope',
        status: 403,
        oauthError: 'insufficient_scope',
        scope,
        message: `The access token lacks the scope ${scope}`,
      });
    }
  }
  const code = first?.code ?? first?.title;
  return providerError({
    provider: PROVIDER,
    status: response.status,
    retryable: response.status >= 500,
    message: describe(first, response.status),
    ...(code === undefined ? {} : { code }),
    ...(first?.id === undefined ? {} : { errorId: first.id }),
    ...(errors === undefined ? {} : { details: { errors } }),
  });
};
