import type { GatewayError } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';

/** A step of the demo failed; carries the typed error so main can print it readably. */
export class StepFailed extends Error {
  constructor(
    readonly step: string,
    readonly error: GatewayError,
  ) {
    super(`${step}: ${error._tag}: ${error.message}`);
  }
}

/** Runs one TaskEither step of the demo, unwrapping Right and turning Left into StepFailed. */
export const step = async <A>(name: string, task: TE.TaskEither<GatewayError, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new StepFailed(name, result.left);
  return result.right;
};

export const unwrap = <A>(name: string, either: E.Either<GatewayError, A>): A => {
  if (E.isLeft(either)) throw new StepFailed(name, either.left);
  return either.right;
};
