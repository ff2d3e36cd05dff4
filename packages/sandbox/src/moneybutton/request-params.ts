/**
 * Query strings and form bodies as multi-maps. RFC 6749 §3.1 forbids repeating a parameter, so
 * callers need to see repeats instead of the last-wins or array values of a generic parser.
 */
export type Params = ReadonlyMap<string, ReadonlyArray<string>>;

export type ParamRead =
  | { readonly ok: true; readonly value: string | undefined }
  | { readonly ok: false; readonly detail: string };

/** Reads a parsed query object, a raw `application/x-www-form-urlencoded` string or nothing. */
export function paramsOf(source: unknown): Params {
  const params = new Map<string, string[]>();
  const add = (name: string, value: string): void => {
    const values = params.get(name);
    if (values === undefined) params.set(name, [value]);
    else values.push(value);
  };
  if (typeof source === 'string') {
    for (const [name, value] of new URLSearchParams(source)) add(name, value);
  } else if (typeof source === 'object' && source !== null) {
    for (const [name, value] of Object.entries(source)) {
      const values: ReadonlyArray<unknown> = Array.isArray(value) ? value : [value];
      for (const item of values) if (typeof item === 'string') add(name, item);
    }
  }
  return params;
}

/** The single value of `name`; an empty value counts as absent (RFC 6749 §3.1). */
export function single(params: Params, name: string): ParamRead {
  const values = params.get(name) ?? [];
  if (values.length > 1) return { ok: false, detail: `${name} must not be repeated` };
  const value = values[0];
  return { ok: true, value: value === undefined || value === '' ? undefined : value };
}
