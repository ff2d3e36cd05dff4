import * as t from 'io-ts/lib/index.js';

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

type LenientProps = Record<string, t.Decoder<unknown, unknown>>;
type LenientOf<P extends LenientProps> = { readonly [K in keyof P]?: t.TypeOf<P[K] & t.Any> };

/**
 * The optional members of a provider object (decoding policy, docs/writing-an-adapter.md): each
 * member that is present and matches its codec is in the result; a member that is absent, null
 * where null is not expected, or of another type is left out of the typed view instead of
 * failing the whole body (the provider's object is kept as received elsewhere). Fails only for
 * input that is not a JSON object.
 */
export const lenientPartial = <P extends LenientProps>(props: P, name = 'LenientPartial'): t.Type<LenientOf<P>, unknown, unknown> =>
  new t.Type<LenientOf<P>, unknown, unknown>(
    name,
    (u): u is LenientOf<P> => isRecord(u),
    (u, context) => {
      if (!isRecord(u)) return t.failure(u, context, 'an object');
      const out: Record<string, unknown> = {};
      for (const [key, codec] of Object.entries(props)) {
        if (!(key in u) || u[key] === undefined) continue;
        const decoded = codec.decode(u[key]);
        if (decoded._tag === 'Right') out[key] = decoded.right;
      }
      return t.success(out as LenientOf<P>);
    },
    (a) => a,
  );

type RequiredOf<R extends t.Props> = { readonly [K in keyof R]: t.TypeOf<R[K]> };

/**
 * An object with `required` members (each must be present and match) and `optional` ones read
 * as `lenientPartial` does. The result holds only the named members, decoded: a member that
 * failed its optional codec never leaks through in its raw form.
 */
export const recordOf = <R extends t.Props, P extends LenientProps>(
  name: string,
  required: R,
  optional: P,
): t.Type<RequiredOf<R> & LenientOf<P>, unknown, unknown> => {
  const strict = t.type(required);
  const loose = lenientPartial(optional);
  return new t.Type<RequiredOf<R> & LenientOf<P>, unknown, unknown>(
    name,
    (u): u is RequiredOf<R> & LenientOf<P> => isRecord(u),
    (u, context) => {
      const checked = strict.validate(u, context);
      if (checked._tag === 'Left') return checked;
      const picked: Record<string, unknown> = {};
      for (const key of Object.keys(required)) picked[key] = (checked.right as Record<string, unknown>)[key];
      const rest = loose.validate(u, context);
      if (rest._tag === 'Left') return rest;
      return t.success({ ...rest.right, ...picked } as RequiredOf<R> & LenientOf<P>);
    },
    (a) => a,
  );
};

/** Decodes with `codec` and keeps the input beside the result, for members kept as received. */
export const keepRaw = <A>(codec: t.Decoder<unknown, A>): t.Decoder<unknown, { readonly raw: unknown; readonly document: A }> => ({
  name: codec.name,
  validate: (u, context) => {
    const decoded = codec.validate(u, context);
    return decoded._tag === 'Left' ? decoded : t.success({ raw: u, document: decoded.right });
  },
  decode: (u) => {
    const decoded = codec.decode(u);
    return decoded._tag === 'Left' ? decoded : t.success({ raw: u, document: decoded.right });
  },
});

/** The object without its undefined members (for `exactOptionalPropertyTypes`-style results). */
export const defined = <A extends Record<string, unknown>>(value: A): A =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as A;

/** A shallow copy of a provider object as received (`{}` for anything that is not an object). */
export const asReceived = (value: unknown): Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
