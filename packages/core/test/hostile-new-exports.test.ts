import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import * as t_ from 'io-ts/lib/index.js';
import {
  createMemoryDeliveryDedupe,
  createTokenManager,
  iteratePages,
  nextPageCursor,
  observeTokenRenewal,
  pathTemplateOf,
  sendPayment,
  subscribePaygateHooks,
} from '../src/index.js';

const collect = async <A>(iterable: AsyncIterable<A>): Promise<A[]> => {
  const all: A[] = [];
  for await (const item of iterable) all.push(item);
  return all;
};

test('iteratePages refuses a source it cannot use (a NaN page cap would never be reached) with one Left', async (t) => {
  const page = () => () => Promise.resolve(E.right({ items: [], nextCursor: undefined }));
  for (const [source, field] of [
    [undefined, 'source'],
    [{ provider: 'p', page: 'x', idOf: String }, 'page'],
    [{ provider: 'p', page, idOf: 1 }, 'idOf'],
    [{ provider: 'p', page, idOf: String, maxPages: Number.NaN }, 'maxPages'],
  ] as const) {
    const all = await collect(iteratePages(source as never));
    t.is(all.length, 1);
    t.like(all[0], { _tag: 'Left', left: { _tag: 'InvalidInput', field } }, field);
  }
  t.is(nextPageCursor(undefined as never), undefined);
});

test('sendPayment refuses a call without send or codec before anything is sent', async (t) => {
  t.like(await sendPayment(undefined as never)(), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'call' } });
  t.like(await sendPayment({ provider: 'p', send: 'no', codec: t_.unknown } as never)(), { _tag: 'Left', left: { field: 'send' } });
  t.like(await sendPayment({ provider: 'p', send: () => Promise.resolve(E.right({})), codec: {} } as never)(), { _tag: 'Left', left: { field: 'codec' } });
});

test('the memory DeliveryDedupe refuses bad options, keys and TTLs with InvalidInput', async (t) => {
  for (const [options, field] of [
    [{ capacity: Number.NaN }, 'capacity'],
    [{ ttlMs: 10n }, 'ttlMs'],
    [{ now: 5 }, 'now'],
  ] as const) {
    t.like(await createMemoryDeliveryDedupe(options as never).claim('k')(), { _tag: 'Left', left: { field } }, field);
  }
  const dedupe = createMemoryDeliveryDedupe();
  t.like(await dedupe.claim('k', 1e21)(), { _tag: 'Left', left: { field: 'ttlMs' } });
  t.like(await dedupe.claim(7 as never)(), { _tag: 'Left', left: { field: 'key' } });
  t.like(await dedupe.release(undefined as never)(), { _tag: 'Left', left: { field: 'key' } });
  t.deepEqual(await dedupe.claim('k', 1000)(), E.right(true));
  t.deepEqual(await dedupe.claim('k')(), E.right(false));
});

test('observability helpers never throw on what a JavaScript caller passes', async (t) => {
  const unsubscribe = subscribePaygateHooks({ onRequestStart: 'not a function' } as never);
  t.notThrows(unsubscribe);
  t.notThrows(() => subscribePaygateHooks(undefined as never)());
  t.is(pathTemplateOf('/orders/%zz/x'), '/orders/%zz/x');
  t.is(pathTemplateOf(undefined as never), '');
  t.like(await observeTokenRenewal('k', 'refresh', undefined as never), { _tag: 'Left', left: { field: 'run' } });
});

test("the token manager checks main's new numeric options (request timeout, store write attempts)", async (t) => {
  for (const field of ['requestTimeoutMs', 'storeWriteAttempts'] as const) {
    const manager = createTokenManager({ key: 'k', [field]: Number.NaN });
    t.like(await manager.getAccessToken()(), { _tag: 'Left', left: { _tag: 'InvalidInput', field } }, field);
  }
});
