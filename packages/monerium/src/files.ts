import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import { type GatewayError, invalidInput, sendPayment } from '@paygate/core';
import type { MoneriumApi } from './api.js';
import { PROVIDER } from './errors.js';

export interface SupportingDocumentFile {
  readonly filename: string;
  /** MIME type, e.g. `application/pdf`. */
  readonly contentType: string;
  readonly data: Uint8Array;
}

/** The stored file Monerium answers with; its `id` goes into an order's `supportingDocumentId`. */
export const SupportingDocumentCodec = t.intersection([
  t.type({ id: t.string, name: t.string, type: t.string, size: t.number }),
  t.partial({ hash: t.string, meta: t.partial({ uploadedBy: t.string, createdAt: t.string, updatedAt: t.string }) }),
]);
export type SupportingDocument = t.TypeOf<typeof SupportingDocumentCodec>;

const MIME_TYPE = /^[\w.+-]{1,127}\/[\w.+-]{1,127}$/;
/** What common file systems allow; a longer name is a caller's mistake, not a file. */
const MAX_FILENAME_LENGTH = 255;

/** The multipart body of a file upload (`file` part), checked before anything is sent. */
export const formDataOf = (file: SupportingDocumentFile): E.Either<GatewayError, FormData> => {
  if (typeof file !== 'object' || file === null) return E.left(invalidInput('file', 'must be { filename, contentType, data }'));
  if (typeof file.filename !== 'string' || file.filename.trim().length === 0 || file.filename.length > MAX_FILENAME_LENGTH) {
    return E.left(invalidInput('file.filename', `must be a non-empty string of at most ${MAX_FILENAME_LENGTH} characters`));
  }
  if (typeof file.contentType !== 'string' || !MIME_TYPE.test(file.contentType)) {
    return E.left(invalidInput('file.contentType', 'must be a MIME type such as application/pdf'));
  }
  if (!(file.data instanceof Uint8Array) || file.data.byteLength === 0) {
    return E.left(invalidInput('file.data', 'must be a non-empty Uint8Array'));
  }
  const form = new FormData();
  form.append('file', new Blob([file.data], { type: file.contentType }), file.filename);
  return E.right(form);
};

/**
 * `POST /files/supporting-documents` as `multipart/form-data` with the file in the `file` part.
 * It stores a file, so it follows the money-moving rules (`sendPayment`): sent once, every failure
 * says in `paymentOutcome` whether the file was stored, and a stored file whose answer does not
 * decode still yields its `id` as `paymentId`. A resend after `unknown` at worst stores a second
 * copy; only the id an order names matters.
 */
export const uploadSupportingDocument = (
  api: MoneriumApi,
  file: SupportingDocumentFile,
): TE.TaskEither<GatewayError, SupportingDocument> =>
  pipe(
    TE.fromEither(formDataOf(file)),
    TE.flatMap((body) =>
      sendPayment({
        provider: PROVIDER,
        send: api.send({ method: 'POST', path: '/files/supporting-documents', body }),
        codec: SupportingDocumentCodec,
      }),
    ),
  );
