import { type GatewayError, invalidInput } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import type { AuthorizedRequest } from './authorized-request.js';
import { AmountCodec, SatoshisCodec } from './codecs/amounts.js';

/**
 * `GET /api/v2/me/wallets/{walletId|active}/balances` (`users.balance:read`). The docs give the
 * path only; the body is the sandbox's reading: the wallet and one balance per currency, each
 * with the USD value as a JSON number and the exact satoshis as a string (as in API v1).
 */
const WalletBalancesBody = t.type({
  walletId: t.string,
  name: t.string,
  active: t.boolean,
  balances: t.array(t.type({ currency: t.string, amount: AmountCodec, satoshis: SatoshisCodec })),
});

export interface WalletBalance {
  readonly currency: string;
  /** Decimal string in `currency`. */
  readonly amount: string;
  /** Exact satoshis, as the API's string. */
  readonly satoshis: string;
}

export interface WalletBalances {
  readonly walletId: string;
  readonly name: string;
  readonly active: boolean;
  readonly balances: ReadonlyArray<WalletBalance>;
}

/** `active` is the documented alias of the wallet the user currently uses. */
export type WalletSelector = 'active' | (string & {});

const WALLET_ID = /^[A-Za-z0-9_-]+$/;

const checkWalletId = (walletId: string): E.Either<GatewayError, string> =>
  typeof walletId === 'string' && WALLET_ID.test(walletId)
    ? E.right(walletId)
    : E.left(invalidInput('walletId', 'must be a wallet id or "active"'));

export const walletBalances = (
  request: AuthorizedRequest,
  walletId: WalletSelector,
): TE.TaskEither<GatewayError, WalletBalances> =>
  pipe(
    TE.fromEither(checkWalletId(walletId)),
    TE.flatMap((id) => request({ method: 'GET', path: `/api/v2/me/wallets/${id}/balances` }, WalletBalancesBody)),
  );
