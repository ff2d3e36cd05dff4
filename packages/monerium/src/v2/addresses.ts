import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import { type GatewayError, invalidInput, requireRecord, sendPayment } from '@paygate/core';
import { PROVIDER } from '../errors.js';
import { checkAddress, sameAddress } from '../address.js';
import { type MoneriumApi, pathSegment } from '../api.js';
import { onApi } from './api.js';
import { checkSigner, type Signer, signWith } from '../signer.js';
import { type ChainEnvironment, CHAINS, chainFor } from './chains.js';
import { allOf, checkEnvironment, defined, filtersOf, optionalChain, optionalId } from './shared.js';

/** The exact text the address owner signs to link it (fact sheet §3, required by the OpenAPI file). */
export const LINK_MESSAGE = 'I hereby declare that I am the address owner.';

/**
 * A v2 signature: an EOA's `0x` + 130 hex, a Safe's combined owner signatures (longer), or `0x`
 * alone for a Safe that signs on chain (Monerium then polls the chain and answers 202).
 */
const V2_SIGNATURE = /^0x(?:[0-9a-fA-F]{2})*$/;

/** Checks a v2 signature (EOA, Safe combined, or `0x`) before anything is sent; `InvalidInput` on `field` otherwise. */
export const checkV2Signature = (value: unknown, field = 'signature'): E.Either<GatewayError, string> =>
  typeof value === 'string' && V2_SIGNATURE.test(value)
    ? E.right(value)
    : E.left(invalidInput(field, 'must be 0x followed by hex bytes (EOA, Safe combined, or "0x" for an on-chain Safe signature)'));

/** One line of `GET /addresses`: an address and the chains it is linked on. */
export const AddressCodec = t.type({ profile: t.string, address: t.string, chains: t.array(t.string) });
export type Address = t.TypeOf<typeof AddressCodec>;
const AddressListCodec = t.type({ addresses: t.array(AddressCodec) });

/** `{code:202,status:"Accepted"}` (or `{}`) of a request Monerium finishes later. */
export const AcceptedCodec = t.type({ code: t.literal(202), status: t.string });

/**
 * The 201 body of `POST /addresses`. Only the SDK types it (`{profile, address, state, meta}`),
 * so every member is optional.
 */
export const LinkedAddressCodec = t.partial({
  profile: t.string,
  address: t.string,
  chain: t.string,
  state: t.string,
  meta: t.partial({ linkedBy: t.string, linkedAt: t.string }),
});
export type LinkedAddress = t.TypeOf<typeof LinkedAddressCodec>;

/** What linking on one chain did: linked now, or waiting for a Safe's on-chain signature (202). */
export type LinkOutcome =
  | { readonly _tag: 'linked'; readonly chain: string; readonly address: LinkedAddress }
  | { readonly _tag: 'pending'; readonly chain: string };

const LinkAnswerCodec = t.union([AcceptedCodec, LinkedAddressCodec]);

export interface LinkAddressInput {
  readonly address: string;
  /** One chain, or several: v2 links one chain per request, so one request is sent per chain. */
  readonly chains: ReadonlyArray<string>;
  /** Defaults to the caller's default profile. */
  readonly profile?: string;
  /** Signs `LINK_MESSAGE` (must hold `address`); or pass `signature`. */
  readonly signer?: Signer;
  /** A signature made elsewhere over `LINK_MESSAGE`; `"0x"` for an on-chain Safe signature. */
  readonly signature?: string;
}

export interface AddressFilters {
  readonly profile?: string;
  readonly chain?: string;
}

/** v2 links one chain per request; more names than chains exist (production and testnet) is a mistake. */
const MAX_LINK_CHAINS = 2 * Object.keys(CHAINS).length;

const signatureOf = (input: Readonly<Record<string, unknown>>, address: string): E.Either<GatewayError, TE.TaskEither<GatewayError, string>> => {
  if (input.signature !== undefined) {
    if (input.signer !== undefined) return E.left(invalidInput('signature', 'give a signer or a signature, not both'));
    return E.map((signature: string) => TE.right(signature))(checkV2Signature(input.signature));
  }
  if (input.signer === undefined) return E.left(invalidInput('signer', 'a signer or a signature is required to link an address'));
  const signer = checkSigner(input.signer);
  if (E.isLeft(signer)) return signer;
  if (!sameAddress(signer.right.address, address)) return E.left(invalidInput('signer', "the signer's address is not the address to link"));
  return E.right(signWith(signer.right, LINK_MESSAGE));
};

const linkChains = (value: unknown, environment: ChainEnvironment): E.Either<GatewayError, ReadonlyArray<string>> => {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LINK_CHAINS) {
    return E.left(invalidInput('chains', `must name 1 to ${MAX_LINK_CHAINS} chains`));
  }
  return E.traverseArrayWithIndex((index, chain: unknown) => chainFor(chain, environment, `chains.${index}`))(value);
};

/**
 * `POST /addresses {profile?, address, chain, message, signature}` once per chain, in order.
 * Every field is checked (and the message signed once) before the first request; the first
 * failure stops the rest and is returned.
 */
export const linkAddress = onApi('linkAddress', (
  api: MoneriumApi,
  environment: ChainEnvironment,
  input: LinkAddressInput,
): TE.TaskEither<GatewayError, ReadonlyArray<LinkOutcome>> => {
  const checked = pipe(
    checkEnvironment(environment),
    E.flatMap((env) =>
      pipe(
        requireRecord(input, 'input'),
        E.flatMap((given) =>
          pipe(
            allOf({ address: checkAddress(given.address), profile: optionalId(given.profile, 'profile'), chains: linkChains(given.chains, env) }),
            E.flatMap((fields) => E.map((sign: TE.TaskEither<GatewayError, string>) => ({ ...fields, sign }))(signatureOf(given, fields.address))),
          ),
        ),
      ),
    ),
  );
  if (E.isLeft(checked)) return TE.fromEither(checked);
  const { address, profile, chains, sign } = checked.right;
  return pipe(
    sign,
    TE.flatMap((signature) =>
      TE.sequenceSeqArray(
        chains.map((chain) =>
          pipe(
            // Linking changes state at Monerium: sent once, failures say whether it happened (core sendPayment).
            sendPayment({
              provider: PROVIDER,
              send: pipe(
                api.send({ method: 'POST', path: '/addresses', json: defined({ profile, address, chain, message: LINK_MESSAGE, signature }) }),
                // 202 means "waiting for the Safe's on-chain signature" whatever its body says (`{code:202,…}`, `{}`).
                TE.map((response) => (response.status === 202 ? { ...response, body: { code: 202, status: 'Accepted' }, isJson: true } : response)),
              ),
              codec: LinkAnswerCodec,
            }),
            TE.map((answer): LinkOutcome => ('code' in answer && answer.code === 202 ? { _tag: 'pending', chain } : { _tag: 'linked', chain, address: answer as LinkedAddress })),
          ),
        ),
      ),
    ),
  );
});

/** `GET /addresses?profile=&chain=`. */
export const listAddresses = onApi('listAddresses', (
  api: MoneriumApi,
  environment: ChainEnvironment,
  filters?: AddressFilters,
): TE.TaskEither<GatewayError, ReadonlyArray<Address>> =>
  pipe(
    TE.fromEither(allOf({ environment: checkEnvironment(environment), given: filtersOf(filters) })),
    TE.flatMapEither(({ environment: env, given }) =>
      allOf({ profile: optionalId(given.profile, 'profile'), chain: optionalChain(given.chain, env) }),
    ),
    TE.flatMap((query) => api.request({ method: 'GET', path: '/addresses', query: defined(query) }, AddressListCodec)),
    TE.map((body) => body.addresses),
  ));

/** `GET /addresses/{address}`. */
export const getAddress = onApi('getAddress', (api: MoneriumApi, address: string): TE.TaskEither<GatewayError, Address> =>
  pipe(
    TE.fromEither(checkAddress(address)),
    TE.flatMapEither((checked) => pathSegment(checked, 'address')),
    TE.flatMap((segment) => api.request({ method: 'GET', path: `/addresses/${segment}` }, AddressCodec)),
  ));
