import { type GatewayError, invalidInput } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import type { MoneyButtonPaymentsPage, PageQuery } from './payment.js';

/** The page size this adapter asks for when the caller names none (API v1's documented default). */
export const DEFAULT_PAGE_LIMIT = 20;

const isWhole = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

/** `limit` ≥ 1 and `offset` ≥ 0, whole numbers; checked before anything is sent. */
export const checkPageQuery = (query: PageQuery): E.Either<GatewayError, { readonly limit: number; readonly offset: number }> => {
  if (typeof query !== 'object' || query === null) return E.left(invalidInput('query', 'must be an object'));
  const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
  const offset = query.offset ?? 0;
  if (!isWhole(limit) || limit < 1) return E.left(invalidInput('limit', 'must be a whole number of at least 1'));
  if (!isWhole(offset) || offset < 0) return E.left(invalidInput('offset', 'must be a whole number of at least 0'));
  return E.right({ limit, offset });
};

/**
 * Where the next page starts. A page larger than the requested `limit` means the server ignored
 * paging: it sent what it has, and there is no next page to ask for. With a `total` the answer is
 * exact; without one, a full page is taken to mean there may be more (an empty next page then
 * ends the walk).
 */
export const nextOffsetOf = (
  page: { readonly limit: number; readonly offset: number; readonly total?: number },
  received: number,
): number | undefined => {
  const next = page.offset + received;
  if (received === 0 || received > page.limit) return undefined;
  if (page.total !== undefined) return next < page.total ? next : undefined;
  return received >= page.limit ? next : undefined;
};

/**
 * A page as requested: `limit` and `offset` are what this client asked for (a server's own
 * claims about them are not trusted for the next offset), `total` where the server said.
 */
export const pageOf = <A>(
  items: ReadonlyArray<A>,
  requested: { readonly limit: number; readonly offset: number },
  total?: number,
): MoneyButtonPaymentsPage<A> => {
  const page = { ...requested, ...(total === undefined ? {} : { total }) };
  const nextOffset = nextOffsetOf(page, items.length);
  return { items, ...page, ...(nextOffset === undefined ? {} : { nextOffset }) };
};
