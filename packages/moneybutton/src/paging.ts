import { type GatewayError, invalidInput } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import type { PageQuery } from './payment.js';

/** The page size this adapter asks for when the caller names none. */
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
 * Where the next page starts. With a `total` the answer is exact; without one, a full page is
 * taken to mean there may be more (an empty next page then ends the walk).
 */
export const nextOffsetOf = (
  page: { readonly limit: number; readonly offset: number; readonly total?: number },
  received: number,
): number | undefined => {
  const next = page.offset + received;
  if (received === 0) return undefined;
  if (page.total !== undefined) return next < page.total ? next : undefined;
  return received >= page.limit ? next : undefined;
};
