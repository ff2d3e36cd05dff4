import { type Params, single } from './request-params.js';

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;

export type PageRequest =
  | { readonly ok: true; readonly limit: number; readonly offset: number }
  | { readonly ok: false; readonly detail: string };

const NON_NEGATIVE_INTEGER = /^(0|[1-9]\d{0,8})$/;

function integer(params: Params, name: string, fallback: number, min: number, max: number): number | string {
  const read = single(params, name);
  if (!read.ok) return read.detail;
  if (read.value === undefined) return fallback;
  const value = NON_NEGATIVE_INTEGER.test(read.value) ? Number(read.value) : Number.NaN;
  if (!(value >= min && value <= max)) return `${name} must be an integer from ${min} to ${max}`;
  return value;
}

/** `limit` (1–100, default 20) and `offset` (0 or more, default 0) from the query string. */
export function pageRequestOf(params: Params): PageRequest {
  const limit = integer(params, 'limit', DEFAULT_PAGE_LIMIT, 1, MAX_PAGE_LIMIT);
  if (typeof limit === 'string') return { ok: false, detail: limit };
  const offset = integer(params, 'offset', 0, 0, 999_999_999);
  if (typeof offset === 'string') return { ok: false, detail: offset };
  return { ok: true, limit, offset };
}
