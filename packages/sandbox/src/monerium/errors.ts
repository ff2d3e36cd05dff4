import { STATUS_CODES } from 'node:http';

/** The error object every Monerium endpoint answers with (002_*, "Errors"). */
export interface MoneriumErrorBody {
  code: number;
  status: string;
  message: string;
  errors?: Record<string, string>;
  details?: Record<string, string>;
  errorId?: string;
}

export const errorBody = (
  code: number,
  message: string,
  extra: { errors?: Record<string, string>; details?: Record<string, string>; errorId?: string } = {},
): MoneriumErrorBody => ({ code, status: STATUS_CODES[code] ?? 'Error', message, ...extra });

/** Thrown by handlers; the Monerium scope's error handler turns it into the response. */
export class MoneriumHttpError extends Error {
  constructor(
    readonly body: MoneriumErrorBody,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(body.message);
    this.name = 'MoneriumHttpError';
  }
}

/** "A special type of a bad request error is the validation error": `errors` maps field → reason. */
export const validationError = (errors: Record<string, string>): MoneriumHttpError =>
  new MoneriumHttpError(errorBody(400, 'Validation errors', { errors }));

export const badRequest = (message: string): MoneriumHttpError => new MoneriumHttpError(errorBody(400, message));

/** "If the endpoint exists but the resource does not": `Order not found: <id>`, details `{id, resource}`. */
export const resourceNotFound = (resource: string, id: string): MoneriumHttpError =>
  new MoneriumHttpError(
    errorBody(404, `${resource.charAt(0).toUpperCase()}${resource.slice(1)} not found: ${id}`, { details: { id, resource } }),
  );

export const endpointNotFound = (path: string): MoneriumErrorBody =>
  errorBody(404, `Endpoint not found: ${path}`, { details: { id: path, resource: 'endpoint' } });

export const forbidden = (subject: string, reason: string, headers: Record<string, string> = {}): MoneriumHttpError =>
  new MoneriumHttpError(errorBody(403, `User ${subject} is forbidden: ${reason}`), headers);
