import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import { type GatewayError, requireRecord, sendPayment } from '@paygate/core';
import { PROVIDER } from '../errors.js';
import { type MoneriumApi, pathSegment } from '../api.js';
import { onApi } from './api.js';
import { SupportingDocumentCodec, type SupportingDocumentFile, formDataOf } from '../files.js';
import type { ChainEnvironment } from './chains.js';
import { allOf, checkEnvironment, defined, enumFilter, filtersOf, IntegerishCodec, optionalAddress, optionalChain, optionalId } from './shared.js';
import * as E from 'fp-ts/lib/Either.js';

/** An e-money token contract: v2 names its chain alone (no `network`); `decimals` may be a string. */
export const TokenCodec = t.type({
  currency: t.string,
  ticker: t.string,
  symbol: t.string,
  chain: t.string,
  address: t.string,
  decimals: IntegerishCodec,
});
export type Token = t.TypeOf<typeof TokenCodec>;

/** `GET /tokens`. */
export const listTokens = onApi('listTokens', (api: MoneriumApi): TE.TaskEither<GatewayError, ReadonlyArray<Token>> =>
  api.request({ method: 'GET', path: '/tokens' }, t.array(TokenCodec)));

/** The uploaded file: its `id` is an order's `supportingDocumentId` or a verification's `fileId`. */
export const FileCodec = SupportingDocumentCodec;
export type UploadedFile = t.TypeOf<typeof FileCodec>;

/**
 * `POST /files`, multipart with the file in `file` (PDF or JPEG, at most 5 MB). It stores a file,
 * so it follows the money-moving rules (core `sendPayment`), as v1.3's upload does.
 */
export const uploadFile = onApi('uploadFile', (api: MoneriumApi, file: SupportingDocumentFile): TE.TaskEither<GatewayError, UploadedFile> =>
  pipe(
    TE.fromEither(formDataOf(file)),
    TE.flatMap((body) => sendPayment({ provider: PROVIDER, send: api.send({ method: 'POST', path: '/files', body }), codec: FileCodec })),
  ));

/** A signature Monerium waits for (a smart-contract wallet that signs on chain). */
export const PendingSignatureCodec = t.intersection([
  t.type({ kind: t.string, chain: t.string, address: t.string, createdAt: t.string }),
  t.partial({ id: t.string, amount: t.string, counterpart: t.unknown, currency: t.string, message: t.string }),
]);
export type PendingSignature = t.TypeOf<typeof PendingSignatureCodec>;
const PendingSignaturesCodec = t.intersection([t.type({ pending: t.array(PendingSignatureCodec) }), t.partial({ total: t.number })]);
export type PendingSignatures = t.TypeOf<typeof PendingSignaturesCodec>;

export interface SignatureFilters {
  readonly address?: string;
  /** Production or sandbox name; the environment's name is sent. */
  readonly chain?: string;
  readonly kind?: 'linkAddress' | 'order';
  readonly profile?: string;
}

/** `GET /signatures?address=&chain=&kind=&profile=`. */
export const listPendingSignatures = onApi('listPendingSignatures', (
  api: MoneriumApi,
  environment: ChainEnvironment,
  filters?: SignatureFilters,
): TE.TaskEither<GatewayError, PendingSignatures> =>
  pipe(
    TE.fromEither(allOf({ environment: checkEnvironment(environment), given: filtersOf(filters) })),
    TE.flatMapEither(({ environment: env, given }) =>
      allOf({
        address: optionalAddress(given.address, 'address'),
        chain: optionalChain(given.chain, env),
        kind: enumFilter(given.kind, 'kind', ['linkAddress', 'order']),
        profile: optionalId(given.profile, 'profile'),
      }),
    ),
    TE.flatMap((query) => api.request({ method: 'GET', path: '/signatures', query: defined(query) }, PendingSignaturesCodec)),
  ));

/**
 * A swap quote. The fact sheet documents the endpoints (`GET /swap/{chain}/{sell}/{buy}`,
 * `POST /swap/accept`) but not their bodies, so both are kept as the JSON objects they are.
 */
export type SwapQuote = Readonly<Record<string, unknown>>;

/** `GET /swap/{chain}/{sell}/{buy}`: preview a swap (sandbox: arbitrumsepolia, USDC ↔ EURe). */
export const previewSwap = onApi('previewSwap', (api: MoneriumApi, chain: string, sell: string, buy: string): TE.TaskEither<GatewayError, SwapQuote> => {
  const segments = allOf({ chain: pathSegment(chain, 'chain'), sell: pathSegment(sell, 'sell'), buy: pathSegment(buy, 'buy') });
  if (E.isLeft(segments)) return TE.fromEither(segments);
  const { chain: c, sell: s, buy: b } = segments.right;
  return api.request({ method: 'GET', path: `/swap/${c}/${s}/${b}` }, t.UnknownRecord);
});

/** `POST /swap/accept` with the body Monerium's quote asks for (undocumented: sent as given). */
export const acceptSwap = onApi('acceptSwap', (api: MoneriumApi, body: Readonly<Record<string, unknown>>): TE.TaskEither<GatewayError, SwapQuote> =>
  pipe(
    TE.fromEither(requireRecord(body, 'body')),
    TE.flatMap((json) => api.request({ method: 'POST', path: '/swap/accept', json }, t.UnknownRecord)),
  ));
