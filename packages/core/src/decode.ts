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

/** What the value at a failing path should have been, and what it was (its type, never the value). */
const expectation = (error: t.ValidationError): string => {
  const last = error.context[error.context.length - 1];
  return `expected ${error.message ?? last?.type.name ?? 'value'}, got ${describe(error.value)}`;
};

/**
 * Runs a codec that may be anything a JavaScript caller passed: a codec that is not one is
 * `InvalidInput` on `codec`; validation errors become the GatewayError `onFailure` makes of them.
 */
const decodeBy =
  <A>(codec: t.Decoder<unknown, A>, onFailure: (failures: ReadonlyArray<t.ValidationError>) => GatewayError) =>
  (input: unknown): E.Either<GatewayError, A> => {
    if (typeof codec !== 'object' || codec === null || typeof codec.decode !== 'function') {
      return E.left(invalidInput('codec', 'must be an io-ts decoder'));
    }
    // The Right is the codec's own result, passed on as it is (decoding runs once per response).
    const decoded = codec.decode(input);
    return E.isRight(decoded) ? decoded : E.left(onFailure(decoded.left));
  };

/**
 * Decodes `input` with an io-ts codec into `Either<GatewayError, A>`. The error names the first
 * failing path and the expected type; it never echoes the received value (a token response that
 * fails to decode must not put its tokens into an error).
 */
export const decodeWith = <A>(codec: t.Decoder<unknown, A>, provider: string): ((input: unknown) => E.Either<GatewayError, A>) =>
  decodeBy(codec, (failures) => {
    const first = failures[0];
    const errors = failures.map((error) => `${pathOf(error) || '(root)'}: ${expectation(error)}`);
    return decodeError({ provider, path: first === undefined ? '' : pathOf(first), errors });
  });

/**
 * Checks a caller's argument against the io-ts codec of its type: `Right` with the decoded value,
 * or `InvalidInput` whose `field` is `field` joined with the first failing path
 * (`order.meta.state`). Like `decodeWith`, the error never echoes the received value. For the
 * exported functions that take a value their types describe by a codec (an `Order`, a `TokenSet`)
 * and may be called from JavaScript with anything.
 */
export const decodeInput = <A>(codec: t.Decoder<unknown, A>, field: string): ((input: unknown) => E.Either<GatewayError, A>) =>
  decodeBy(codec, (failures) => {
    const first = failures[0];
    const path = first === undefined ? '' : pathOf(first);
    return invalidInput(path === '' ? field : `${field}.${path}`, first === undefined ? 'does not match its type' : expectation(first));
  });
