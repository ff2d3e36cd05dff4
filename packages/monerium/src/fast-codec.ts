import * as t from 'io-ts/lib/index.js';

/**
 * Building blocks of the hand-written fast paths in front of hot io-ts codecs (the v1.3 and v2
 * order codecs). Each guard accepts exactly what io-ts's `validate` accepts *unchanged*, so the
 * fast path may return the input itself, as io-ts does for such a value.
 */
export type Fields = Readonly<Record<string, unknown>>;

/** io-ts's `UnknownRecord`. */
export const isRecord = (u: unknown): u is Fields => u !== null && typeof u === 'object' && !Array.isArray(u);

/** An optional (`t.partial`) string: absent or `undefined` counts as absent. */
export const isOptionalString = (u: unknown): boolean => u === undefined || typeof u === 'string';

/** Every key of `keys` an optional string in `u`. */
export const optionalStrings = (u: Fields, keys: ReadonlyArray<string>): boolean => {
  for (let i = 0; i < keys.length; i++) if (!isOptionalString(u[keys[i] as string])) return false;
  return true;
};

/** Every element a string; a hole in a sparse array is not (io-ts's `validate` reads it as undefined). */
export const isStringArray = (u: unknown): boolean => {
  if (!Array.isArray(u)) return false;
  for (let i = 0; i < u.length; i++) if (typeof u[i] !== 'string') return false;
  return true;
};

/**
 * `codec` with a hand-written fast path: a value `accepts` approves is returned as it is; anything
 * else (a value io-ts would rewrite, or an error to describe) goes through `codec.validate`, so
 * results and error paths are io-ts's. Name, tag, parts, `is` and `encode` stay the codec's own
 * (`is` differs from `validate` on sparse arrays).
 */
export const withFastPath = <CS extends [t.Mixed, t.Mixed, ...Array<t.Mixed>], A, O>(
  codec: t.IntersectionType<CS, A, O, unknown>,
  accepts: (u: unknown) => boolean,
): t.IntersectionType<CS, A, O, unknown> =>
  new t.IntersectionType(codec.name, codec.is, (u, c) => (accepts(u) ? t.success(u as A) : codec.validate(u, c)), codec.encode, codec.types);

/**
 * `codec` (an io-ts array of elements `accepts` approves) with a fast path over the whole array: an
 * array whose every element `accepts` approves is returned as it is, without io-ts's per-element
 * context (an array and an entry allocated for each element); any other value goes through
 * `codec.validate`, which decodes element by element as before. `accepts` must approve exactly
 * what the element codec's `validate` returns unchanged. Name, tag, element codec, `is` and
 * `encode` stay the codec's own. A hole in a sparse array reads as `undefined`, which `accepts`
 * must refuse (so such an array takes the io-ts path, as `isStringArray` does).
 */
export const withArrayFastPath = <C extends t.Mixed, A, O>(
  codec: t.ArrayType<C, A, O, unknown>,
  accepts: (u: unknown) => boolean,
): t.ArrayType<C, A, O, unknown> =>
  new t.ArrayType(
    codec.name,
    codec.is,
    (u, c) => {
      if (!Array.isArray(u)) return codec.validate(u, c);
      for (let i = 0; i < u.length; i++) if (!accepts(u[i])) return codec.validate(u, c);
      return t.success(u as A);
    },
    codec.encode,
    codec.type,
  );
