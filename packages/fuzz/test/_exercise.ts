import { isGatewayError } from '@paygate/core';

/** What went wrong when a public function met a hostile value. */
export interface Finding {
  readonly label: string;
  readonly problem: string;
}

/** An io-ts codec: its `decode`/`is` must take anything; a Left of validation errors is its answer. */
export const isCodec = (value: unknown): value is { decode(u: unknown): unknown; is(u: unknown): boolean; name: string } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { decode?: unknown }).decode === 'function' &&
  typeof (value as { is?: unknown }).is === 'function' &&
  typeof (value as { validate?: unknown }).validate === 'function';

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';

const isEither = (value: unknown): value is { _tag: 'Left'; left: unknown } | { _tag: 'Right'; right: unknown } =>
  typeof value === 'object' && value !== null && ((value as { _tag?: unknown })._tag === 'Left' || (value as { _tag?: unknown })._tag === 'Right');

const describe = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 200);

/** A promise that must settle: a hang is a finding too (every network call has a timeout). */
const settle = async (promise: PromiseLike<unknown>, ms: number): Promise<{ ok: true; value: unknown } | { ok: false; why: string }> => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<{ ok: false; why: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, why: `did not settle within ${ms} ms` }), ms);
  });
  try {
    return await Promise.race([
      Promise.resolve(promise).then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, why: `rejected: ${describe(error)}` }),
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
};

export interface ExerciseOptions {
  /** Extra hostile values used as arguments when a returned function or a returned object's method is called. */
  readonly extras: ReadonlyArray<unknown>;
  /** How deep returned functions/objects are followed (a client's methods are depth 1, their TaskEither depth 2). */
  readonly maxDepth: number;
  readonly settleMs: number;
  /** Resources to release after the run (subscriptions, stores). */
  readonly cleanups: Array<() => unknown>;
}

const releaseLater = (value: object, options: ExerciseOptions): void => {
  const { unsubscribe, close } = value as { unsubscribe?: unknown; close?: unknown };
  if (typeof unsubscribe === 'function') options.cleanups.push(() => unsubscribe.call(value));
  if (typeof close === 'function') {
    options.cleanups.push(async () => {
      const closing = close.call(value);
      // A TaskEither close (the Redis store) must be run to release its connection.
      if (typeof closing === 'function') await closing();
      else await closing;
    });
  }
};

/**
 * Calls `fn` and follows what it returns: a Promise must settle without rejecting, a TaskEither
 * (a zero-argument function) is run, an Either's Left must be a GatewayError, an async iterable
 * is read a few steps, and a returned object (a client) has each of its methods called with
 * hostile arguments in turn.
 */
export const exercise = async (label: string, call: () => unknown, options: ExerciseOptions, depth = 0, codec = false): Promise<Finding[]> => {
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    return [{ label, problem: `threw ${describe(error)}` }];
  }
  return inspect(label, result, options, depth, codec);
};

const inspect = async (label: string, result: unknown, options: ExerciseOptions, depth: number, codec: boolean): Promise<Finding[]> => {
  if (isPromiseLike(result) && typeof result !== 'function') {
    const settled = await settle(result, options.settleMs);
    if (!settled.ok) return [{ label, problem: settled.why }];
    return inspect(label, settled.value, options, depth, codec);
  }
  if (isEither(result)) {
    if (result._tag === 'Left') {
      return codec || isGatewayError(result.left) ? [] : [{ label, problem: `Left is not a GatewayError: ${describe(JSON.stringify(result.left))}` }];
    }
    return inspect(`${label}→Right`, result.right, options, depth, codec);
  }
  if (depth >= options.maxDepth) return [];
  if (typeof result === 'function') {
    const fn = result as (...args: unknown[]) => unknown;
    const args = fn.length === 0 ? [] : options.extras.slice(0, fn.length);
    return exercise(`${label}()`, () => fn(...args), options, depth + 1, codec);
  }
  if (typeof result !== 'object' || result === null) return [];
  releaseLater(result, options);
  const findings: Finding[] = [];
  const iterator = (result as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator];
  if (typeof iterator === 'function') {
    findings.push(...(await readIterable(label, result as AsyncIterable<unknown>, options)));
    return findings;
  }
  for (const name of Object.keys(result)) {
    const method = (result as Record<string, unknown>)[name];
    if (typeof method !== 'function' || name === 'unsubscribe' || name === 'close') continue;
    const args = options.extras.slice(0, Math.max(1, method.length));
    findings.push(...(await exercise(`${label}.${name}`, () => method.apply(result, args), options, depth + 1, codec)));
  }
  return findings;
};

const readIterable = async (label: string, iterable: AsyncIterable<unknown>, options: ExerciseOptions): Promise<Finding[]> => {
  let iterator: AsyncIterator<unknown>;
  try {
    iterator = iterable[Symbol.asyncIterator]();
  } catch (error) {
    return [{ label, problem: `[Symbol.asyncIterator]() threw ${describe(error)}` }];
  }
  const findings: Finding[] = [];
  for (let step = 0; step < 3; step += 1) {
    const next = await settle(iterator.next(), options.settleMs);
    if (!next.ok) return [{ label: `${label}[${step}]`, problem: next.why }];
    const { done, value } = next.value as IteratorResult<unknown>;
    if (done === true) break;
    findings.push(...(await inspect(`${label}[${step}]`, value, options, options.maxDepth, false)));
  }
  await settle(iterator.return?.() ?? Promise.resolve(), options.settleMs);
  return findings;
};
