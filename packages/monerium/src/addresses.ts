import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import { type GatewayError, invalidInput, sendPayment } from '@paygate/core';
import { checkAddress, checkChainName, checkSignature, sameAddress } from './address.js';
import { type MoneriumApi, pathSegment } from './api.js';
import { PROVIDER } from './errors.js';
import { type Signer, signWith } from './signer.js';

/** The fixed text a signer signs to prove it owns an address it links to a profile. */
export const LINK_ADDRESS_MESSAGE = 'I hereby declare that I am the address owner.';

/** A signature made elsewhere over `LINK_ADDRESS_MESSAGE`, or a signer that makes one now. */
export type LinkAddressInput =
  | { readonly address: string; readonly chain: string; readonly network: string; readonly signature: string }
  | { readonly address?: string; readonly chain: string; readonly network: string; readonly signer: Signer };

/**
 * What Monerium answers after linking. The reference documents the request only, so just the
 * address is required; the rest is typed where it is known.
 */
export const LinkedAddressCodec = t.intersection([
  t.type({ address: t.string }),
  t.partial({
    profile: t.string,
    chains: t.array(t.string),
    chain: t.string,
    network: t.string,
    state: t.string,
    meta: t.partial({ linkedBy: t.string, linkedAt: t.string }),
  }),
]);
export type LinkedAddress = t.TypeOf<typeof LinkedAddressCodec>;

interface PreparedLink {
  readonly path: string;
  readonly address: string;
  readonly chain: string;
  readonly network: string;
  readonly signature: TE.TaskEither<GatewayError, string>;
}

const prepareLink = (profileId: string, input: LinkAddressInput): E.Either<GatewayError, PreparedLink> => {
  const profile = pathSegment(profileId, 'profileId');
  if (E.isLeft(profile)) return profile;
  const chain = checkChainName(input.chain, 'chain');
  if (E.isLeft(chain)) return chain;
  const network = checkChainName(input.network, 'network');
  if (E.isLeft(network)) return network;
  const path = `/profiles/${profile.right}/addresses`;
  if ('signature' in input && input.signature !== undefined) {
    const address = checkAddress(input.address);
    if (E.isLeft(address)) return address;
    const signature = checkSignature(input.signature);
    if (E.isLeft(signature)) return signature;
    return E.right({ path, address: address.right, chain: chain.right, network: network.right, signature: TE.right(signature.right) });
  }
  if (!('signer' in input) || input.signer === undefined) {
    return E.left(invalidInput('signer', 'a signer or a signature is required to link an address'));
  }
  const { signer } = input;
  const address = checkAddress(input.address ?? signer.address);
  if (E.isLeft(address)) return address;
  if (!sameAddress(address.right, signer.address)) {
    return E.left(invalidInput('signer', "the signer's address is not the address to link"));
  }
  return E.right({
    path,
    address: address.right,
    chain: chain.right,
    network: network.right,
    signature: signWith(signer, LINK_ADDRESS_MESSAGE),
  });
};

/**
 * `POST /profiles/{id}/addresses` with `{ address, message, signature, chain, network }`. It
 * changes state, so it follows the money-moving rules (`sendPayment`): sent once, and every
 * failure says in `paymentOutcome` whether the link was made (`paymentId` is the address). Linking
 * the same address to the same profile again is harmless, so after `unknown` a resend is safe.
 */
export const linkAddress = (
  api: MoneriumApi,
  profileId: string,
  input: LinkAddressInput,
): TE.TaskEither<GatewayError, LinkedAddress> =>
  pipe(
    TE.fromEither(prepareLink(profileId, input)),
    TE.flatMap((prepared) =>
      pipe(
        prepared.signature,
        TE.flatMap((signature) =>
          sendPayment({
            provider: PROVIDER,
            send: api.send({
              method: 'POST',
              path: prepared.path,
              json: {
                address: prepared.address,
                message: LINK_ADDRESS_MESSAGE,
                signature,
                chain: prepared.chain,
                network: prepared.network,
              },
            }),
            codec: LinkedAddressCodec,
            idOf: () => prepared.address,
          }),
        ),
      ),
    ),
  );
