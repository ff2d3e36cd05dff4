import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import type { GatewayError } from '@paygate/core';
import { type MoneriumApi, pathSegment } from './api.js';
import { PermissionCodec, ProfileTypeCodec } from './auth-context.js';
import { CurrencyCodec } from './money.js';

/** v1.3 reference, "Retrieving a single profile": kyc.state. */
export const KycStateCodec = t.keyof({ absent: null, submitted: null, pending: null, confirmed: null });
export type KycState = t.TypeOf<typeof KycStateCodec>;

/** kyc.outcome: Monerium's verdict on the customer. */
export const KycOutcomeCodec = t.keyof({ approved: null, rejected: null, unknown: null });
export type KycOutcome = t.TypeOf<typeof KycOutcomeCodec>;

/** accounts[].standard: `iban` (SEPA) or `scan` (UK sort code + account number). */
export const PaymentStandardCodec = t.keyof({ iban: null, scan: null });
export type PaymentStandard = t.TypeOf<typeof PaymentStandardCodec>;

/**
 * One e-money account of a profile: an address and currency, with the bank identifiers of its
 * standard (`iban` for iban, `sortCode` + `accountNumber` for scan) when it has one.
 */
export const AccountCodec = t.intersection([
  t.type({ address: t.string, currency: CurrencyCodec }),
  t.partial({
    standard: PaymentStandardCodec,
    iban: t.string,
    sortCode: t.string,
    accountNumber: t.string,
    chain: t.string,
    network: t.string,
    id: t.string,
  }),
]);
export type Account = t.TypeOf<typeof AccountCodec>;

export const ProfileCodec = t.intersection([
  t.type({
    id: t.string,
    name: t.string,
    kyc: t.type({ state: KycStateCodec, outcome: KycOutcomeCodec }),
    accounts: t.array(AccountCodec),
  }),
  t.partial({ kind: ProfileTypeCodec }),
]);
export type Profile = t.TypeOf<typeof ProfileCodec>;

/** An entry of `GET /profiles`: the profiles the caller may access. */
export const ProfileSummaryCodec = t.intersection([
  t.type({ id: t.string, name: t.string }),
  t.partial({ kind: ProfileTypeCodec, type: ProfileTypeCodec, perms: t.array(PermissionCodec) }),
]);
export type ProfileSummary = t.TypeOf<typeof ProfileSummaryCodec>;

export const listProfiles = (api: MoneriumApi): TE.TaskEither<GatewayError, ReadonlyArray<ProfileSummary>> =>
  api.request({ method: 'GET', path: '/profiles' }, t.array(ProfileSummaryCodec));

export const getProfile = (api: MoneriumApi, profileId: string): TE.TaskEither<GatewayError, Profile> =>
  pipe(
    TE.fromEither(pathSegment(profileId, 'profileId')),
    TE.flatMap((id) => api.request({ method: 'GET', path: `/profiles/${id}` }, ProfileCodec)),
  );
