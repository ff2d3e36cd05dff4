import { createHash } from 'node:crypto';
import test from 'ava';
import { basicClient, left, moneriumRequests, right, seededWallet, startMonerium } from './_sandbox.js';

test('uploadSupportingDocument posts multipart/form-data with the file in the file part', async (t) => {
  const sandbox = await startMonerium(t);
  const user = sandbox.fixtures.monerium.users[0];
  const data = new TextEncoder().encode('%PDF-1.4 invoice 42');
  const document = await right(
    t,
    basicClient(sandbox).uploadSupportingDocument({ filename: 'invoice-42.pdf', contentType: 'application/pdf', data }),
  );
  t.like(document, {
    name: 'invoice-42.pdf',
    type: 'application/pdf',
    size: data.byteLength,
    hash: createHash('sha256').update(data).digest('hex'),
    meta: { uploadedBy: user?.userId },
  });
  t.regex(document.id, /^[0-9a-f-]{36}$/);

  const [request] = moneriumRequests(sandbox);
  t.is(request?.method, 'POST');
  t.is(request?.path, '/files/supporting-documents');
  const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(request?.headers['content-type'] ?? '')?.[1];
  t.truthy(boundary);
  t.true(request?.body.includes('Content-Disposition: form-data; name="file"; filename="invoice-42.pdf"'));
  t.true(request?.body.includes('Content-Type: application/pdf'));
  t.true(request?.body.includes('%PDF-1.4 invoice 42'));
});

test('an uploaded document backs a redeem order through supportingDocumentId', async (t) => {
  const sandbox = await startMonerium(t, { monerium: { autoProcessOrders: false } });
  const { address, signer } = seededWallet(sandbox);
  const client = basicClient(sandbox, 0, { signer });
  const document = await right(
    t,
    client.uploadSupportingDocument({ filename: 'a.txt', contentType: 'text/plain', data: new Uint8Array([104, 105]) }),
  );
  const order = await right(
    t,
    client.placeRedeemOrder({
      amount: '5',
      currency: 'EUR',
      counterpart: { iban: 'DE89370400440532013000', companyName: 'Payee' },
      address: address.address,
      supportingDocumentId: document.id,
    }),
  );
  t.is(order.supportingDocumentId, document.id);
  t.is((JSON.parse(moneriumRequests(sandbox)[1]?.body ?? '{}') as { supportingDocumentId?: string }).supportingDocumentId, document.id);
});

test('a file without name, type or bytes is InvalidInput and nothing is sent', async (t) => {
  const sandbox = await startMonerium(t);
  const client = basicClient(sandbox);
  const data = new Uint8Array([1, 2, 3]);
  const cases = [
    [{ filename: '', contentType: 'application/pdf', data }, 'file.filename'],
    [{ filename: 'a.pdf', contentType: 'pdf', data }, 'file.contentType'],
    [{ filename: 'a.pdf', contentType: 'application/pdf', data: new Uint8Array() }, 'file.data'],
  ] as const;
  for (const [file, field] of cases) {
    t.like(await left(t, client.uploadSupportingDocument(file)), { _tag: 'InvalidInput', field });
  }
  t.deepEqual(moneriumRequests(sandbox), []);
});

test('an upload answered 500 is unknown and not retryable: it may have been stored', async (t) => {
  const sandbox = await startMonerium(t);
  sandbox.admin.faults.set([{ provider: 'monerium', route: 'POST /files/supporting-documents', kind: 'status', status: 500 }]);
  const error = await left(
    t,
    basicClient(sandbox).uploadSupportingDocument({ filename: 'a.txt', contentType: 'text/plain', data: new Uint8Array([104, 105]) }),
  );
  t.like(error, { _tag: 'ProviderError', status: 500, retryable: false, paymentOutcome: 'unknown' });
  t.deepEqual(
    moneriumRequests(sandbox).map((r) => `${r.method} ${r.path}`),
    ['POST /files/supporting-documents'],
  );
});
