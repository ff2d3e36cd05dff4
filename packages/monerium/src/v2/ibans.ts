import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import { type GatewayError, invalidInput, isProviderError } from '@paygate/core';
import { checkAddress } from '../address.js';
import type { MoneriumApi } from '../api.js';
import { type ChainEnvironment, chainFor } from './chains.js';
import { allOf, defined, stringFilters } from './shared.js';

/** SDK 4's IBAN states; `iban.updated` shows `approved`. Decoded leniently: any string is kept. */
export type IbanState = 'requested' | 'approved' | 'pending' | 'rejected' | 'closed' | (string & {});

/** An IBAN and the address/chain its incoming SEPA payments are minted to (EUR only, one per profile). */
export const IbanCodec = t.intersection([
  t.type({ iban: t.string, bic: t.string, profile: t.string, address: t.string, chain: t.string }),
  t.partial({ name: t.string, state: t.string, emailNotifications: t.boolean }),
]);
export type Iban = t.TypeOf<typeof IbanCodec> & { readonly state?: IbanState };
const IbanListCodec = t.type({ ibans: t.array(IbanCodec) });

/** `{code:202,…}`, `{}` or anything else a 2xx of an asynchronous IBAN request carries. */
const AnyBodyCodec = t.unknown;

/**
 * What `POST /ibans` did: `requested` (202, provisioned within seconds: watch `iban.updated` or
 * poll `GET /ibans`), or `exists` — 304 per the OpenAPI file, or the 400 "IBAN already requested
 * or provisioned for this profile" the SDK's sandbox test saw.
 */
export type IbanRequestOutcome = { readonly _tag: 'requested' } | { readonly _tag: 'exists' };

/** What `PATCH /ibans/{iban}` did: moved (200 `{}`), accepted for later (202), or unchanged (304). */
export type IbanMoveOutcome = { readonly _tag: 'moved' } | { readonly _tag: 'accepted' } | { readonly _tag: 'unchanged' };

export interface IbanTarget {
  /** The linked address incoming payments are minted to. */
  readonly address: string;
  readonly chain: string;
}

export interface IbanRequestInput extends IbanTarget {
  /** The SDK sends it (default true); not in the OpenAPI file, so it is sent only when set. */
  readonly emailNotifications?: boolean;
}

export interface IbanFilters {
  readonly profile?: string;
  readonly chain?: string;
}

const ALREADY = /already (requested|provisioned)/i;

const target = (input: IbanTarget, environment: ChainEnvironment) =>
  allOf({ address: checkAddress(input?.address), chain: chainFor(input?.chain, environment) });

/** IBANs come back space-grouped; in a path they are URL-encoded as one segment (fact sheet §3). */
const ibanSegment = (iban: unknown): E.Either<GatewayError, string> =>
  typeof iban === 'string' && /^[A-Za-z0-9 ]{5,42}$/.test(iban.trim())
    ? E.right(encodeURIComponent(iban.trim()))
    : E.left(invalidInput('iban', 'must be an IBAN (letters, digits, spaces)'));

/** `POST /ibans {address, chain}`. */
export const requestIban = (
  api: MoneriumApi,
  environment: ChainEnvironment,
  input: IbanRequestInput,
): TE.TaskEither<GatewayError, IbanRequestOutcome> => {
  const checked = target(input, environment);
  if (E.isLeft(checked)) return TE.fromEither(checked);
  if (input.emailNotifications !== undefined && typeof input.emailNotifications !== 'boolean') {
    return TE.left(invalidInput('emailNotifications', 'must be a boolean'));
  }
  return pipe(
    api.request(
      { method: 'POST', path: '/ibans', json: defined({ ...checked.right, emailNotifications: input.emailNotifications }) },
      AnyBodyCodec,
    ),
    TE.map((): IbanRequestOutcome => ({ _tag: 'requested' })),
    TE.orElse((error) =>
      isProviderError(error) && (error.status === 304 || (error.status === 400 && ALREADY.test(error.message)))
        ? TE.right<GatewayError, IbanRequestOutcome>({ _tag: 'exists' })
        : TE.left(error),
    ),
  );
};

/** `GET /ibans?profile=&chain=`. */
export const listIbans = (
  api: MoneriumApi,
  environment: ChainEnvironment,
  filters: IbanFilters = {},
): TE.TaskEither<GatewayError, ReadonlyArray<Iban>> =>
  pipe(
    TE.fromEither(
      allOf({
        profile: stringFilters(filters, ['profile']),
        chain: filters.chain === undefined ? E.right(undefined) : chainFor(filters.chain, environment),
      }),
    ),
    TE.flatMap(({ profile, chain }) => api.request({ method: 'GET', path: '/ibans', query: { ...profile, chain } }, IbanListCodec)),
    TE.map((body) => body.ibans),
  );

/** `GET /ibans/{iban}` (spaces allowed; encoded into the path). */
export const getIban = (api: MoneriumApi, iban: string): TE.TaskEither<GatewayError, Iban> =>
  pipe(
    TE.fromEither(ibanSegment(iban)),
    TE.flatMap((segment) => api.request({ method: 'GET', path: `/ibans/${segment}` }, IbanCodec)),
  );

/** `PATCH /ibans/{iban} {address, chain}`: mint this IBAN's incoming payments to another address/chain. */
export const moveIban = (
  api: MoneriumApi,
  environment: ChainEnvironment,
  iban: string,
  to: IbanTarget,
): TE.TaskEither<GatewayError, IbanMoveOutcome> => {
  const checked = allOf({ segment: ibanSegment(iban), body: target(to, environment) });
  if (E.isLeft(checked)) return TE.fromEither(checked);
  return pipe(
    api.request({ method: 'PATCH', path: `/ibans/${checked.right.segment}`, json: checked.right.body }, AnyBodyCodec),
    TE.map((body): IbanMoveOutcome =>
      typeof body === 'object' && body !== null && (body as { code?: unknown }).code === 202 ? { _tag: 'accepted' } : { _tag: 'moved' },
    ),
    TE.orElse((error) =>
      isProviderError(error) && error.status === 304 ? TE.right<GatewayError, IbanMoveOutcome>({ _tag: 'unchanged' }) : TE.left(error),
    ),
  );
};
