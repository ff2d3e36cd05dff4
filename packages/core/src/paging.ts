/**
 * Paging that always ends and never repeats, whatever the server does with `limit` and `cursor`
 * (several providers document neither, so a server may ignore both).
 */
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { type GatewayError, providerError } from './errors.js';

/** Default `maxPages` of `iteratePages`. */
export const DEFAULT_MAX_PAGES = 1000;

export interface PageCursorInput {
  /** How many items the page held. */
  readonly received: number;
  /** The page size asked for; without one the server sends everything at once. */
  readonly limit: number | undefined;
  /** The cursor the page offers for the next one (e.g. its last item's cursor). */
  readonly next: string | undefined;
  /** The cursor this page was asked for, if any. */
  readonly requested?: string | undefined;
}

/**
 * The cursor of the next page, or undefined when there is none: the page was short, or larger
 * than `limit` (the server ignored paging and sent everything), or it offers the very cursor it
 * was asked for (the server ignored the cursor).
 */
export const nextPageCursor = ({ received, limit, next, requested }: PageCursorInput): string | undefined =>
  limit === undefined || received !== limit || next === requested ? undefined : next;

/** One page as `iteratePages` needs it. */
export interface PageOf<A> {
  readonly items: ReadonlyArray<A>;
  readonly nextCursor?: string | undefined;
}

export interface PagedSource<A> {
  /** Names the provider in the page-cap error. */
  readonly provider: string;
  /** Fetches the page at `cursor` (undefined for the first). */
  readonly page: (cursor: string | undefined) => TE.TaskEither<GatewayError, PageOf<A>>;
  /** Identifies an item, so that none is yielded twice. */
  readonly idOf: (item: A) => string;
  /** Pages fetched at most by one iteration; default 1000. Reaching it ends with a Left (`code: 'page_cap'`). */
  readonly maxPages?: number;
}

/**
 * Every item of every page, each once: `Right(item)` per item; a failing page yields one
 * `Left(error)` and ends the iteration (nothing throws). It ends when a page has no next cursor,
 * offers a cursor already followed, or brings no item not yielded before. Fetching more than
 * `maxPages` pages ends with a `ProviderError` of code `page_cap` (status 200: the provider
 * answered, but its pages never ended).
 */
export const iteratePages = <A>(source: PagedSource<A>): AsyncIterable<E.Either<GatewayError, A>> => ({
  async *[Symbol.asyncIterator]() {
    const maxPages = source.maxPages ?? DEFAULT_MAX_PAGES;
    const followed = new Set<string>();
    const yielded = new Set<string>();
    let cursor: string | undefined;
    for (let pages = 0; ; pages += 1) {
      if (pages >= maxPages) {
        yield E.left(
          providerError({
            provider: source.provider,
            status: 200,
            code: 'page_cap',
            retryable: false,
            details: { maxPages },
            message: `${source.provider} still offered another page after ${maxPages} pages; stopped (raise maxPages if the data set is that large)`,
          }),
        );
        return;
      }
      const page = await source.page(cursor)();
      if (E.isLeft(page)) {
        yield page;
        return;
      }
      let fresh = 0;
      for (const item of page.right.items) {
        const id = source.idOf(item);
        if (yielded.has(id)) continue;
        yielded.add(id);
        fresh += 1;
        yield E.right(item);
      }
      const next = page.right.nextCursor;
      if (next === undefined || followed.has(next) || fresh === 0) return;
      followed.add(next);
      cursor = next;
    }
  },
});
