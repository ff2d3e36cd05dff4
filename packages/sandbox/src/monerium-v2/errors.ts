import { errorBody, MoneriumHttpError } from '../monerium/errors.js';

/**
 * v2 error bodies are `{code, status, message, errors?}` (fact sheet §6): the v1.3 error type
 * without `details` and `errorId`, which v2 does not document.
 */
export const v2Error = (code: number, message: string, errors?: Record<string, string>, headers: Record<string, string> = {}): MoneriumHttpError =>
  new MoneriumHttpError(errorBody(code, message, errors === undefined ? {} : { errors }), headers);

/** 400 with `errors` mapping field → reason, as in the live-sandbox expectations (`signature: "invalid signature"`). */
export const v2Validation = (errors: Record<string, string>): MoneriumHttpError => v2Error(400, 'Validation errors', errors);

export const v2NotFound = (what: string, id: string): MoneriumHttpError => v2Error(404, `${what} not found: ${id}`);

export const v2Forbidden = (message: string): MoneriumHttpError => v2Error(403, message);

export const v2Unauthorized = (): MoneriumHttpError =>
  v2Error(401, 'Not authenticated', undefined, { 'www-authenticate': 'Bearer error="invalid_token"' });

/** A 202 body as the OpenAPI shows it. */
export const ACCEPTED = { code: 202, status: 'Accepted' } as const;
