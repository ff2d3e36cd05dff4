import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts/lib/index.js';
import { decodeError, type GatewayError, invalidInput } from './errors.js';

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

const COMBINATORS: ReadonlySet<string> = new Set(['IntersectionType', 'UnionType']);

/** Dotted path of the failing value; the index keys io-ts adds for intersection/union members are not part of the data. */
const pathOf = (error: t.ValidationError): string =>
  error.context
    .filter((entry, i) => {
      if (entry.key === '') return false;
      const parent = error.context[i - 1]?.type as { _tag?: string } | undefined;
      return !COMBINATORS.has(parent?._tag ?? '');
    })
    .map((entry) => entry.key)
    .join('.');

/**
 * Decodes `input` with an io-ts codec into `Either<GatewayError, A>`. The error names the first
 * failing path and the expected type; it never echoes the received value (a token response that
 * fails to decode must not put its tokens into an error).
 */
export const decodeWith =
  <A>(codec: t.Decoder<unknown, A>, provider: string) =>
  (input: unknown): E.Either<GatewayError, A> => {
    if (typeof codec !== 'object' || codec === null || typeof codec.decode !== 'function') {
      return E.left(invalidInput('codec', 'must be an io-ts decoder'));
    }
    const result = codec.decode(input);
    if (E.isRight(result)) return E.right(result.right);
    const errors = result.left.map((error) => {
      const last = error.context[error.context.length - 1];
      const expected = error.message ?? last?.type.name ?? 'value';
      return `${pathOf(error) || '(root)'}: expected ${expected}, got ${describe(error.value)}`;
    });
    const first = result.left[0];
    return E.left(decodeError({ provider, path: first === undefined ? '' : pathOf(first), errors }));
  };

/**
 * Checks a caller's argument against the io-ts codec of its type: `Right` with the decoded value,
 * or `InvalidInput` whose `field` is `field` joined with the first failing path
 * (`order.meta.state`). Like `decodeWith`, the error never echoes the received value. For the
 * exported functions that take a value their types describe by a codec (an `Order`, a `TokenSet`)
 * and may be called from JavaScript with anything.
 */
export const decodeInput =
  <A>(codec: t.Decoder<unknown, A>, field: string) =>
  (input: unknown): E.Either<GatewayError, A> => {
    if (typeof codec !== 'object' || codec === null || typeof codec.decode !== 'function') {
      return E.left(invalidInput('codec', 'must be an io-ts decoder'));
    }
    const result = codec.decode(input);
    if (E.isRight(result)) return E.right(result.right);
    const first = result.left[0];
    const path = first === undefined ? '' : pathOf(first);
    const expected = first?.message ?? first?.context[first.context.length - 1]?.type.name ?? 'value';
    return E.left(invalidInput(path === '' ? field : `${field}.${path}`, `must be ${expected}, got ${first === undefined ? 'something else' : describe(first.value)}`));
  };
