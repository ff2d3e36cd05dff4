import type { FastifyInstance } from 'fastify';

const JSON_MEDIA_TYPE = 'application/json';

/**
 * Keeps JSON bodies as raw text in this emulator so a malformed or empty body reaches the route
 * and gets MoneyNS's flat 400 (and the body-less JWT login is not refused for an empty body).
 * A server that installed its own JSON parser keeps it: its parsed objects are accepted too.
 */
export function acceptRawJsonBodies(app: FastifyInstance): void {
  try {
    app.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'string' }, (_request, body, done) => {
      done(null, body);
    });
  } catch {
    // Fastify refuses to replace a custom JSON parser of the parent; the parent's one stays.
  }
}

export type JsonRead = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

export function readJsonBody(body: unknown): JsonRead {
  if (typeof body !== 'string') return body === undefined ? { ok: false } : { ok: true, value: body };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false };
  }
}
