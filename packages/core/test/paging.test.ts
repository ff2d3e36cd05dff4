import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { transportError } from '../src/errors.js';
import { iteratePages, nextPageCursor, type PageOf } from '../src/paging.js';

interface Item {
  readonly id: string;
}

const items = (...ids: string[]): Item[] => ids.map((id) => ({ id }));

const collect = async <A>(iterable: AsyncIterable<E.Either<unknown, A>>) => {
  const out: Array<E.Either<unknown, A>> = [];
  for await (const entry of iterable) out.push(entry);
  return out;
};

/** A source that records the cursors it was asked for and answers from `answer`. */
const source = (answer: (cursor: string | undefined, call: number) => PageOf<Item>, maxPages?: number) => {
  const asked: Array<string | undefined> = [];
  return {
    asked,
    iterable: iteratePages<Item>({
      provider: 'test',
      page: (cursor) => {
        asked.push(cursor);
        return TE.right(answer(cursor, asked.length - 1));
      },
      idOf: (item) => item.id,
      ...(maxPages === undefined ? {} : { maxPages }),
    }),
  };
};

test('nextPageCursor: only a page of exactly limit items, offering a new cursor, has a next page', (t) => {
  t.is(nextPageCursor({ received: 3, limit: 3, next: 'c' }), 'c');
  t.is(nextPageCursor({ received: 2, limit: 3, next: 'c' }), undefined);
  t.is(nextPageCursor({ received: 40, limit: 3, next: 'c' }), undefined, 'a page larger than the limit: paging was ignored');
  t.is(nextPageCursor({ received: 3, limit: undefined, next: 'c' }), undefined);
  t.is(nextPageCursor({ received: 3, limit: 3, next: 'c', requested: 'c' }), undefined, 'the cursor asked for: the cursor was ignored');
});

test('pages are followed by cursor and each item is yielded once', async (t) => {
  const pages: Record<string, PageOf<Item>> = {
    start: { items: items('a', 'b'), nextCursor: 'c1' },
    c1: { items: items('b', 'c'), nextCursor: 'c2' },
    c2: { items: items('d') },
  };
  const { asked, iterable } = source((cursor) => pages[cursor ?? 'start'] ?? { items: [] });
  const result = await collect(iterable);
  t.deepEqual(result, items('a', 'b', 'c', 'd').map(E.right));
  t.deepEqual(asked, [undefined, 'c1', 'c2']);
});

test('a server that ignores the cursor (same page, same cursor) ends after the second page', async (t) => {
  const { asked, iterable } = source(() => ({ items: items('a', 'b'), nextCursor: 'same' }));
  const result = await collect(iterable);
  t.deepEqual(result, items('a', 'b').map(E.right));
  t.deepEqual(asked, [undefined, 'same']);
});

test('a server that offers new cursors but only items already yielded ends', async (t) => {
  const { asked, iterable } = source((_cursor, call) => ({ items: items('a', 'b'), nextCursor: `c${call}` }));
  t.deepEqual(await collect(iterable), items('a', 'b').map(E.right));
  t.is(asked.length, 2);
});

test('a source whose pages never end stops at maxPages with a page_cap ProviderError', async (t) => {
  const { asked, iterable } = source((_cursor, call) => ({ items: items(`i${call}`), nextCursor: `c${call}` }), 5);
  const result = await collect(iterable);
  t.is(asked.length, 5);
  t.deepEqual(result.slice(0, 5), items('i0', 'i1', 'i2', 'i3', 'i4').map(E.right));
  t.like(result[5], { _tag: 'Left', left: { _tag: 'ProviderError', provider: 'test', code: 'page_cap', retryable: false, details: { maxPages: 5 } } });
  t.is(result.length, 6);
});

test('a failing page yields one Left and ends', async (t) => {
  const failure = transportError({ kind: 'timeout', attempts: 3 });
  let calls = 0;
  const iterable = iteratePages<Item>({
    provider: 'test',
    page: (cursor) => {
      calls += 1;
      return cursor === undefined ? TE.right({ items: items('a'), nextCursor: 'n' }) : TE.left(failure);
    },
    idOf: (item) => item.id,
  });
  t.deepEqual(await collect(iterable), [E.right({ id: 'a' }), E.left(failure)]);
  t.is(calls, 2);
});
