import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import { type GatewayError, invalidInput, isProviderError, requireRecord } from '@paygate/core';
import { checkAddress } from '../address.js';
import { validElectronicIban } from '../iban.js';
import { type MoneriumApi, pathSegment } from '../api.js';
import { onApi } from './api.js';
import { type ChainEnvironment, chainFor } from './chains.js';
import { allOf, checkEnvironment, defined, filtersOf, optionalChain, optionalId } from './shared.js';

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

/** `{address, chain}` of a request or a move; `field` names the argument (`input`, `to`). */
const target = (environment: unknown, input: unknown, field: string) =>
  pipe(
    allOf({ env: checkEnvironment(environment), given: requireRecord(input, field) }),
    E.flatMap(({ env, given }) =>
      allOf({
        address: checkAddress(given.address),
        chain: chainFor(given.chain, env),
        emailNotifications:
          given.emailNotifications === undefined || typeof given.emailNotifications === 'boolean'
            ? E.right(given.emailNotifications as boolean | undefined)
            : E.left(invalidInput('emailNotifications', 'must be a boolean')),
      }),
    ),
  );

/**
 * IBANs come back space-grouped; in a path they are URL-encoded as one segment (fact sheet §3).
 * Each group goes through core's one path-segment check and the groups are joined by `%20`, so
 * `EE12 3456 …` stays the form Monerium answers with and nothing else can reach the path.
 */
const ibanSegment = (iban: unknown): E.Either<GatewayError, string> => {
  if (typeof iban !== 'string' || !/^[A-Za-z0-9 ]{5,42}$/.test(iban.trim())) return E.left(invalidInput('iban', 'must be an IBAN (letters, digits, spaces)'));
  if (validElectronicIban(iban.trim()) === undefined) return E.left(invalidInput('iban', 'is not a valid IBAN (country format or check digits)'));
  const groups = E.traverseArray((group: string) => pathSegment(group, 'iban'))(iban.trim().split(/ +/));
  return E.map((checked: ReadonlyArray<string>) => checked.join('%20'))(groups);
};

/** `POST /ibans {address, chain}`. */
export const requestIban = onApi('requestIban', (
  api: MoneriumApi,
  environment: ChainEnvironment,
  input: IbanRequestInput,
): TE.TaskEither<GatewayError, IbanRequestOutcome> => {
  const checked = target(environment, input, 'input');
  if (E.isLeft(checked)) return TE.fromEither(checked);
  return pipe(
    api.request({ method: 'POST', path: '/ibans', json: defined(checked.right) }, AnyBodyCodec),
    TE.map((): IbanRequestOutcome => ({ _tag: 'requested' })),
    TE.orElse((error) =>
      isProviderError(error) && (error.status === 304 || (error.status === 400 && ALREADY.test(error.message)))
        ? TE.right<GatewayError, IbanRequestOutcome>({ _tag: 'exists' })
        : TE.left(error),
    ),
  );
});

/** `GET /ibans?profile=&chain=`. */
export const listIbans = onApi('listIbans', (
  api: MoneriumApi,
  environment: ChainEnvironment,
  filters?: IbanFilters,
): TE.TaskEither<GatewayError, ReadonlyArray<Iban>> =>
  pipe(
    TE.fromEither(allOf({ environment: checkEnvironment(environment), given: filtersOf(filters) })),
    TE.flatMapEither(({ environment: env, given }) =>
      allOf({ profile: optionalId(given.profile, 'profile'), chain: optionalChain(given.chain, env) }),
    ),
    TE.flatMap((query) => api.request({ method: 'GET', path: '/ibans', query: defined(query) }, IbanListCodec)),
    TE.map((body) => body.ibans),
  ));

/** `GET /ibans/{iban}` (spaces allowed; encoded into the path). */
export const getIban = onApi('getIban', (api: MoneriumApi, iban: string): TE.TaskEither<GatewayError, Iban> =>
  pipe(
    TE.fromEither(ibanSegment(iban)),
    TE.flatMap((segment) => api.request({ method: 'GET', path: `/ibans/${segment}` }, IbanCodec)),
  ));

/** `PATCH /ibans/{iban} {address, chain}`: mint this IBAN's incoming payments to another address/chain. */
export const moveIban = onApi('moveIban', (
  api: MoneriumApi,
  environment: ChainEnvironment,
  iban: string,
  to: IbanTarget,
): TE.TaskEither<GatewayError, IbanMoveOutcome> => {
  const checked = allOf({ segment: ibanSegment(iban), body: target(environment, to, 'to') });
  if (E.isLeft(checked)) return TE.fromEither(checked);
  const { address, chain } = checked.right.body;
  return pipe(
    api.request({ method: 'PATCH', path: `/ibans/${checked.right.segment}`, json: { address, chain } }, AnyBodyCodec),
    TE.map((body): IbanMoveOutcome =>
      typeof body === 'object' && body !== null && (body as { code?: unknown }).code === 202 ? { _tag: 'accepted' } : { _tag: 'moved' },
    ),
    TE.orElse((error) =>
      isProviderError(error) && error.status === 304 ? TE.right<GatewayError, IbanMoveOutcome>({ _tag: 'unchanged' }) : TE.left(error),
    ),
  );
});
