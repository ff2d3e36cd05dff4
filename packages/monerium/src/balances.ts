import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import type { GatewayError } from '@paygate/core';
import { type MoneriumApi, pathSegment } from './api.js';
import { isOptionalString, isRecord, withArrayFastPath, withFastPath } from './fast-codec.js';
import { AmountCodec, CurrencyCodec, CurrencyKeysCodec } from './money.js';

export const CurrencyBalanceCodec = t.type({ currency: CurrencyCodec, amount: AmountCodec });
export type CurrencyBalance = t.TypeOf<typeof CurrencyBalanceCodec>;

/**
 * The io-ts definition of one address's balances; `AddressBalancesCodec` decodes with it whatever
 * its hand-written check does not accept. Internal: exported for the test that compares the two.
 */
export const AddressBalancesCodecIoTs = t.intersection([
  t.type({ address: t.string, chain: t.string, network: t.string, balances: t.array(CurrencyBalanceCodec) }),
  t.partial({ id: t.string }),
]);

/** What `CurrencyBalanceCodec` returns unchanged: the currency already lower-case. */
const isCurrencyBalance = (u: unknown): boolean => isRecord(u) && CurrencyKeysCodec.is(u.currency) && AmountCodec.is(u.amount);

/**
 * By hand, exactly what `AddressBalancesCodecIoTs.validate` accepts unchanged; for such a value
 * io-ts returns the input itself, so the fast path can too.
 */
const isAddressBalances = (u: unknown): boolean => {
  if (!isRecord(u)) return false;
  const { balances } = u;
  if (!(typeof u.address === 'string' && typeof u.chain === 'string' && typeof u.network === 'string' && isOptionalString(u.id))) return false;
  if (!Array.isArray(balances)) return false;
  for (let i = 0; i < balances.length; i++) if (!isCurrencyBalance(balances[i])) return false;
  return true;
};

/** The balances of one address on one chain and network; `id` is the owning profile. */
export const AddressBalancesCodec: typeof AddressBalancesCodecIoTs = withFastPath(AddressBalancesCodecIoTs, isAddressBalances);
export type AddressBalances = t.TypeOf<typeof AddressBalancesCodec>;

/** Internal: exported for the agreement test. */
export const BalancesCodec = withArrayFastPath(t.array(AddressBalancesCodec), isAddressBalances);

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
