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

const describe = (error: MoneyButtonErrorObject | undefined, status: number): string => {
  const parts = [error?.title, error?.detail].filter((part): part is string => part !== undefined && part.length > 0);
  return parts.length === 0 ? `moneybutton answered ${status}` : `moneybutton answered ${status}: ${parts.join(' — ')}`;
};

/**
 * The one mapping of Money Button's error answers. Core http has already turned RFC 6750
 * challenges into AuthErrors (`insufficient_scope` only when the challenge says so); what reaches
 * this function is a JSON:API error document (or something else entirely). A 401 means the
 * token was refused; any other 403 is a resource the principal may not touch (`forbidden`,
 * e.g. "User … is forbidden"), which renewing the token cannot change.
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
  if (response.status === 403) {
    return authError({ reason: 'forbidden', status: 403, message: describe(first, 403) });
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
