import type { FastifyInstance } from 'fastify';
import { errorBody, MoneriumHttpError } from './errors.js';

/** A form body: repeated names become arrays (RFC 6749 §3.1 forbids them; the OAuth code checks). */
export type FormBody = Record<string, string | string[]>;

/** A multipart body, kept whole so the recorder and the 1 MiB limit see all of it; parsed by the route. */
export interface MultipartBody {
  readonly kind: 'multipart';
  readonly contentType: string;
  readonly bytes: Buffer;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Bodies must be UTF-8: a lone 0xff is a client bug the sandbox reports rather than papers over. */
const decodeUtf8 = (bytes: Buffer): string => {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new MoneriumHttpError(errorBody(400, 'Request body is not valid UTF-8'));
  }
};

export const parseForm = (text: string): FormBody => {
  const out: FormBody = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const seen = out[name];
    out[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
};

/** Replaces fastify's parsers inside the Monerium scope: JSON, forms and multipart, all UTF-8 checked. */
export const registerParsers = (app: FastifyInstance): void => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
    const text = decodeUtf8(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text) as unknown);
    } catch {
      done(new MoneriumHttpError(errorBody(400, 'Request body is not valid JSON')), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
    done(null, parseForm(decodeUtf8(body)));
  });
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    const multipart: MultipartBody = { kind: 'multipart', contentType: request.headers['content-type'] ?? '', bytes: body };
    done(null, multipart);
  });
};

export const isMultipart = (body: unknown): body is MultipartBody =>
  typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'multipart' && Buffer.isBuffer((body as { bytes?: unknown }).bytes);
