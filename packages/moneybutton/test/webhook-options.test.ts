import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { buildWebhookHandler, createMoneyButtonClient, moneyButtonGateway, type WebhookFailure, webhookHandler } from '../src/index.js';
import { listen } from './_setup.js';

const BAD_NUMBERS = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, 0, 1.5, 1e21, '65536'] as unknown as number[];

test('a NaN, infinite, fractional or out-of-range maxBodyBytes or dedupeCapacity is refused with InvalidInput', (t) => {
  for (const value of BAD_NUMBERS) {
    t.like(buildWebhookHandler('s3cret', () => undefined, { maxBodyBytes: value }), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'maxBodyBytes' } }, String(value));
    t.like(buildWebhookHandler('s3cret', () => undefined, { dedupeCapacity: value }), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'dedupeCapacity' } }, String(value));
  }
  t.like(buildWebhookHandler('', () => undefined), { _tag: 'Left', left: { field: 'secret' } });
  t.like(buildWebhookHandler('s3cret', null as never), { _tag: 'Left', left: { field: 'onEvent' } });
  t.like(buildWebhookHandler('s3cret', () => undefined, null as never), { _tag: 'Left', left: { field: 'options' } });
  t.true(E.isRight(buildWebhookHandler('s3cret', () => undefined, { maxBodyBytes: 1024, dedupeCapacity: 10 })));
});

test('webhookHandler with maxBodyBytes NaN reads no body: it answers 500 and reports the InvalidInput', async (t) => {
  const failures: WebhookFailure[] = [];
  let events = 0;
  const handler = webhookHandler(
    's3cret',
    () => {
      events += 1;
    },
    { maxBodyBytes: Number.NaN, onError: (failure) => failures.push(failure) },
  );
  const server = await listen(t, handler);
  // 2 MiB: before the fix the whole body was buffered (no limit) before the secret was checked.
  const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(2 * 1024 * 1024) }).catch(
    () => undefined,
  );
  if (response !== undefined) {
    t.is(response.status, 500);
    t.regex(((await response.json()) as { error: string }).error, /maxBodyBytes/);
  }
  t.is(events, 0);
  t.like(failures, [{ kind: 'misconfigured', status: 500, error: { _tag: 'InvalidInput', field: 'maxBodyBytes' } }]);
});

test('a gateway configured with a NaN dedupeCapacity answers watch with the InvalidInput', (t) => {
  const client = createMoneyButtonClient({ clientId: 'c', scope: [], baseUrl: 'http://127.0.0.1:9' });
  if (E.isLeft(client)) return t.fail('client refused');
  const gateway = moneyButtonGateway(client.right, { webhook: { secret: 's3cret', dedupeCapacity: Number.NaN } });
  t.like(gateway.watch(() => undefined), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'dedupeCapacity' } });
});
