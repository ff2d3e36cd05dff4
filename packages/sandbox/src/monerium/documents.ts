import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { requireScope } from './caller.js';
import { badRequest, validationError } from './errors.js';
import { rfc3339 } from './model.js';
import { isMultipart } from './parsers.js';
import { callerOf, type Services } from './services.js';

/** `POST /files/supporting-documents` answer (the file object; the v1.3 page lists the endpoint only). */
export interface SupportingDocument {
  id: string;
  name: string;
  type: string;
  size: number;
  hash: string;
  meta: { uploadedBy: string; createdAt: string; updatedAt: string };
}

/** Uploaded documents (metadata only), which redeem orders may refer to by `supportingDocumentId`. */
export class SupportingDocuments {
  private readonly byId = new Map<string, SupportingDocument>();

  add(document: SupportingDocument): void {
    this.byId.set(document.id, document);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }
}

/** The `file` part of a multipart upload (400 when there is none, it is empty or the body is not multipart). */
export const uploadedFile = async (body: unknown): Promise<File> => {
  if (!isMultipart(body)) throw validationError({ file: 'This field is required (multipart/form-data)' });
  let form: FormData;
  try {
    form = await new Request('http://sandbox.invalid/', {
      method: 'POST',
      headers: { 'content-type': body.contentType },
      body: body.bytes,
    }).formData();
  } catch {
    throw badRequest('Malformed multipart body');
  }
  const file = form.get('file');
  if (file === null || typeof file === 'string') throw validationError({ file: 'This field is required' });
  if (file.size === 0) throw validationError({ file: 'The file is empty' });
  return file;
};

export const registerDocumentRoutes = (app: FastifyInstance, services: Services): void => {
  app.post('/files/supporting-documents', async (request, reply) => {
    const caller = callerOf(services, request);
    requireScope(caller, 'orders:write');
    const file = await uploadedFile(request.body);
    const bytes = Buffer.from(await file.arrayBuffer());
    const now = rfc3339(services.clockOf(request).now());
    const document: SupportingDocument = {
      id: services.random.uuid(),
      name: file.name,
      type: file.type === '' ? 'application/octet-stream' : file.type,
      size: bytes.length,
      hash: createHash('sha256').update(bytes).digest('hex'),
      meta: { uploadedBy: caller.userId, createdAt: now, updatedAt: now },
    };
    services.documents.add(document);
    return reply.code(201).send(document);
  });
};
