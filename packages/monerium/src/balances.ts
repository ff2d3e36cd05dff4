import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import type { GatewayError } from '@paygate/core';
import { type MoneriumApi, pathSegment } from './api.js';
import { AmountCodec, CurrencyCodec } from './money.js';

export const CurrencyBalanceCodec = t.type({ currency: CurrencyCodec, amount: AmountCodec });
export type CurrencyBalance = t.TypeOf<typeof CurrencyBalanceCodec>;

/** The balances of one address on one chain and network; `id` is the owning profile. */
export const AddressBalancesCodec = t.intersection([
  t.type({ address: t.string, chain: t.string, network: t.string, balances: t.array(CurrencyBalanceCodec) }),
  t.partial({ id: t.string }),
]);
export type AddressBalances = t.TypeOf<typeof AddressBalancesCodec>;

const BalancesCodec = t.array(AddressBalancesCodec);

/** `GET /balances` (every profile the caller may access), or `GET /profiles/{id}/balances`. */
export const getBalances = (
  api: MoneriumApi,
  profileId?: string,
): TE.TaskEither<GatewayError, ReadonlyArray<AddressBalances>> =>
  profileId === undefined
    ? api.request({ method: 'GET', path: '/balances' }, BalancesCodec)
    : pipe(
        TE.fromEither(pathSegment(profileId, 'profileId')),
        TE.flatMap((id) => api.request({ method: 'GET', path: `/profiles/${id}/balances` }, BalancesCodec)),
      );
