import type * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import type { GatewayError } from '@paygate/core';
import type { MoneriumApi } from './api.js';
import { CurrencyCodec } from './money.js';

/** v1.3 reference, "Token information": one e-money token contract. */
export const EmoneyTokenCodec = t.type({
  currency: CurrencyCodec,
  ticker: t.string,
  symbol: t.string,
  chain: t.string,
  network: t.string,
  address: t.string,
  decimals: t.number,
});
export type EmoneyToken = t.TypeOf<typeof EmoneyTokenCodec>;

/** `GET /tokens`. */
export const listTokens = (api: MoneriumApi): TE.TaskEither<GatewayError, ReadonlyArray<EmoneyToken>> =>
  api.request({ method: 'GET', path: '/tokens' }, t.array(EmoneyTokenCodec));
