import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { Random } from '../context.js';

export const JSON_API_MEDIA_TYPE = 'application/vnd.api+json';

/** API v1 is JSON:API; API v2 is plain JSON but reports errors with the same document shape. */
export type ApiVersion = 'v1' | 'v2';

export interface ApiErrorObject {
  readonly id: string;
  /** A string, as JSON:API §7.2 requires. */
  readonly status: string;
  readonly title: string;
  readonly detail: string;
}

export interface ApiErrorDocument {
  readonly errors: ReadonlyArray<ApiErrorObject>;
  readonly jsonapi: { readonly version: '1.0' };
}

export function apiErrorDocument(random: Random, status: number, detail: string): ApiErrorDocument {
  return {
    errors: [{ id: random.uuid(), status: String(status), title: STATUS_CODES[status] ?? 'Error', detail }],
    jsonapi: { version: '1.0' },
  };
}

export function mediaTypeOf(version: ApiVersion): string {
  return version === 'v1' ? JSON_API_MEDIA_TYPE : 'application/json; charset=utf-8';
}

/**
 * JSON:API §5.1: the media type goes out without parameters. Fastify appends `charset=utf-8` to
 * any JSON-like type it serializes, so the document is sent as ready-made bytes.
 */
export function sendApiDocument(reply: FastifyReply, version: ApiVersion, status: number, document: object): FastifyReply {
  const body = JSON.stringify(document);
  return reply.code(status).type(mediaTypeOf(version)).send(version === 'v1' ? Buffer.from(body, 'utf8') : body);
}

export function sendApiError(
  reply: FastifyReply,
  random: Random,
  version: ApiVersion,
  status: number,
  detail: string,
): FastifyReply {
  return sendApiDocument(reply, version, status, apiErrorDocument(random, status, detail));
}
