import { decodeError, type GatewayError, invalidInput } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import type { AuthorizedRequest } from './authorized-request.js';
import { AmountCodec, NullableString, SatoshisCodec } from './codecs/amounts.js';
import { asReceived, recordOf } from './codecs/lenient.js';
import { PROVIDER } from './errors.js';
import { decodeAt } from './jsonapi.js';

/**
 * `GET /api/v2/me/wallets/{walletId|active}/balances` (`users.balance:read`). The record gives the
 * path and says the answer holds the BSV balance and asset balances, with unknown field names
 * (moneybutton-public.md §4); one third-party page treats it as a collection whose items may carry
 * `asset_id`. Read here, leniently: `{walletId?, name?, active?, balances: [...]}` or a bare array
 * of balances, each with `currency` and `amount` and optionally `satoshis` and an asset id.
 */
const BalanceJson = recordOf(
  'WalletBalance',
  { currency: t.string, amount: AmountCodec },
  { satoshis: SatoshisCodec, assetId: NullableString, asset_id: NullableString },
);

const WalletJson = recordOf('WalletBalances', { balances: t.array(t.unknown) }, { walletId: t.string, name: t.string, active: t.boolean });

export interface WalletBalance {
  readonly currency: string;
  /** Decimal string in `currency`. */
  readonly amount: string;
  /** Exact satoshis, as the API's string. */
  readonly satoshis?: string;
  /** The asset this balance counts, for token balances. */
  readonly assetId?: string | null;
  /** The balance as received. */
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface WalletBalances {
  /** The wallet's id, or the selector asked for when the answer does not say. */
  readonly walletId: string;
  readonly name?: string;
  readonly active?: boolean;
  readonly balances: ReadonlyArray<WalletBalance>;
}

/** `active` is the documented alias of the wallet the user currently uses. */
export type WalletSelector = 'active' | (string & {});

const WALLET_ID = /^[A-Za-z0-9_-]+$/;

const checkWalletId = (walletId: string): E.Either<GatewayError, string> =>
  typeof walletId === 'string' && WALLET_ID.test(walletId)
    ? E.right(walletId)
    : E.left(invalidInput('walletId', 'must be a wallet id or "active"'));

const toBalances = (items: ReadonlyArray<unknown>, path: string): E.Either<GatewayError, ReadonlyArray<WalletBalance>> => {
  const out: WalletBalance[] = [];
  for (const [index, item] of items.entries()) {
    const decoded = decodeAt(BalanceJson, path === '' ? String(index) : `${path}.${index}`)(item);
    if (E.isLeft(decoded)) return decoded;
    const { asset_id, assetId, ...rest } = decoded.right;
    const asset = assetId ?? asset_id;
    out.push({ ...rest, ...(asset === undefined ? {} : { assetId: asset }), fields: asReceived(item) });
  }
  return E.right(out);
};

const toWallet = (body: unknown, selector: string): E.Either<GatewayError, WalletBalances> => {
  if (Array.isArray(body)) return E.map((balances: ReadonlyArray<WalletBalance>) => ({ walletId: selector, balances }))(toBalances(body, ''));
  const wallet = WalletJson.decode(body);
  if (E.isLeft(wallet)) {
    return E.left(decodeError({ provider: PROVIDER, path: 'balances', errors: ['balances: expected an array of balances'] }));
  }
  const { walletId, name, active, balances } = wallet.right;
  return pipe(
    toBalances(balances, 'balances'),
    E.map((decoded) => ({
      walletId: walletId ?? selector,
      ...(name === undefined ? {} : { name }),
      ...(active === undefined ? {} : { active }),
      balances: decoded,
    })),
  );
};

export const walletBalances = (
  request: AuthorizedRequest,
  walletId: WalletSelector,
): TE.TaskEither<GatewayError, WalletBalances> =>
  pipe(
    TE.fromEither(checkWalletId(walletId)),
    TE.flatMap((id) =>
      pipe(
        request({ method: 'GET', path: `/api/v2/me/wallets/${id}/balances` }, t.unknown),
        TE.flatMap((body) => TE.fromEither(toWallet(body, id))),
      ),
    ),
  );
