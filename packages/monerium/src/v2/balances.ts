import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import { type GatewayError, invalidInput } from '@paygate/core';
import { checkAddress } from '../address.js';
import type { MoneriumApi } from '../api.js';
import { onApi } from './api.js';
import { type ChainEnvironment, chainFor } from './chains.js';
import { checkEnvironment, DecimalCodec, type V2Currency, V2CurrencyCodec } from './shared.js';

const CURRENCY_COUNT = Object.keys(V2CurrencyCodec.keys).length;

export const BalanceCodec = t.type({ currency: t.string, amount: DecimalCodec });
/** `GET /balances/{chain}/{address}`: one address on one chain (the SDK type adds `id`). */
export const AddressBalancesCodec = t.intersection([
  t.type({ address: t.string, chain: t.string, balances: t.array(BalanceCodec) }),
  t.partial({ id: t.string }),
]);
export type AddressBalances = t.TypeOf<typeof AddressBalancesCodec>;

/**
 * `GET /balances/{chain}/{address}?currency=eur&currency=gbp`. `currency` repeats once per
 * currency (Monerium's default, eur alone, when none is given).
 */
export const getBalances = onApi('getBalances', (
  api: MoneriumApi,
  environment: ChainEnvironment,
  chain: string,
  address: string,
  currencies: ReadonlyArray<V2Currency> = [],
): TE.TaskEither<GatewayError, AddressBalances> => {
  const env = checkEnvironment(environment);
  if (E.isLeft(env)) return TE.fromEither(env);
  const name = chainFor(chain, env.right);
  if (E.isLeft(name)) return TE.fromEither(name);
  const checked = checkAddress(address);
  if (E.isLeft(checked)) return TE.fromEither(checked);
  if (!Array.isArray(currencies) || currencies.length > CURRENCY_COUNT) return TE.left(invalidInput('currencies', 'must be a list of eur, usd, gbp, isk'));
  const wrong = currencies.findIndex((c) => !V2CurrencyCodec.is(c));
  if (wrong >= 0) return TE.left(invalidInput(`currencies.${wrong}`, 'must be one of eur, usd, gbp, isk'));
  // The core client sets one value per query key, so the repeated key is written into the path.
  const query = currencies.map((c) => `currency=${c}`).join('&');
  return pipe(
    api.request({ method: 'GET', path: `/balances/${name.right}/${checked.right}${query === '' ? '' : `?${query}`}` }, AddressBalancesCodec),
  );
});
