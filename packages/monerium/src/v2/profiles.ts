import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import type { GatewayError } from '@paygate/core';
import { type MoneriumApi, pathSegment } from '../api.js';
import { onApi } from './api.js';
import { allOf, enumFilter, filtersOf } from './shared.js';

export const ProfileKindCodec = t.keyof({ personal: null, corporate: null });
export type ProfileKind = t.TypeOf<typeof ProfileKindCodec>;

/**
 * Profile states. The OpenAPI file changed them twice in 2026 (`created|incomplete|pending|
 * approved|rejected`, earlier also `blocked`), so every documented value is accepted.
 */
export const ProfileStateCodec = t.keyof({ created: null, incomplete: null, pending: null, approved: null, rejected: null, blocked: null });
export type ProfileState = t.TypeOf<typeof ProfileStateCodec>;

export const SectionStateCodec = t.keyof({ incomplete: null, pending: null, approved: null, rejected: null });
export type SectionState = t.TypeOf<typeof SectionStateCodec>;

/** One line of `GET /profiles` and of `/auth/context`'s `profiles`. */
export const ProfileSummaryCodec = t.intersection([
  t.type({ id: t.string, kind: ProfileKindCodec, name: t.string, state: ProfileStateCodec }),
  t.partial({ perms: t.array(t.string) }),
]);
export type ProfileSummary = t.TypeOf<typeof ProfileSummaryCodec>;

export const VerificationCodec = t.type({ kind: t.string, state: SectionStateCodec });
export type Verification = t.TypeOf<typeof VerificationCodec>;

/** `GET /profiles/{id}`: the state of the profile and of each onboarding section. */
export const ProfileCodec = t.intersection([
  t.type({ id: t.string, kind: ProfileKindCodec, name: t.string, state: ProfileStateCodec }),
  t.partial({
    details: t.type({ state: SectionStateCodec }),
    form: t.type({ state: SectionStateCodec }),
    verifications: t.array(VerificationCodec),
  }),
]);
export type Profile = t.TypeOf<typeof ProfileCodec>;

const ProfileListCodec = t.type({ profiles: t.array(ProfileSummaryCodec) });

/** `GET /auth/context`: who the token belongs to and which profiles it reaches. */
export const AuthContextCodec = t.intersection([
  t.type({
    userId: t.string,
    roles: t.array(t.string),
    auth: t.intersection([t.type({ method: t.string, subject: t.string }), t.partial({ verified: t.boolean, invited: t.boolean })]),
    defaultProfile: t.string,
    profiles: t.array(ProfileSummaryCodec),
  }),
  t.partial({ email: t.string, name: t.string }),
]);
export type AuthContext = t.TypeOf<typeof AuthContextCodec>;

export interface ProfileFilters {
  readonly state?: ProfileState;
  readonly kind?: ProfileKind;
}

/** `GET /auth/context`. */
export const getAuthContext = onApi('getAuthContext', (api: MoneriumApi): TE.TaskEither<GatewayError, AuthContext> =>
  api.request({ method: 'GET', path: '/auth/context' }, AuthContextCodec));

/** `GET /profiles?state=&kind=` (no paging in v2). */
export const listProfiles = onApi('listProfiles', (api: MoneriumApi, filters?: ProfileFilters): TE.TaskEither<GatewayError, ReadonlyArray<ProfileSummary>> =>
  pipe(
    TE.fromEither(filtersOf(filters)),
    TE.flatMapEither((given) =>
      allOf({
        state: enumFilter(given.state, 'state', Object.keys(ProfileStateCodec.keys)),
        kind: enumFilter(given.kind, 'kind', Object.keys(ProfileKindCodec.keys)),
      }),
    ),
    TE.flatMap(({ state, kind }) =>
      api.request({ method: 'GET', path: '/profiles', query: { state, kind } }, ProfileListCodec),
    ),
    TE.map((body) => body.profiles),
  ));

/** `GET /profiles/{profile}`. */
export const getProfile = onApi('getProfile', (api: MoneriumApi, profileId: string): TE.TaskEither<GatewayError, Profile> =>
  pipe(
    TE.fromEither(pathSegment(profileId, 'profileId')),
    TE.flatMap((id) => api.request({ method: 'GET', path: `/profiles/${id}` }, ProfileCodec)),
  ));

export const CountryCodec = t.type({ name: t.string, code: t.string, nationality: t.string, residency: t.string });
export type Country = t.TypeOf<typeof CountryCodec>;
const CountriesCodec = t.intersection([t.type({ countries: t.array(CountryCodec) }), t.partial({ total: t.number })]);
export type Countries = t.TypeOf<typeof CountriesCodec>;

/** `GET /countries` (no auth): each country's risk as nationality and as residency. */
export const listCountries = onApi('listCountries', (publicApi: MoneriumApi): TE.TaskEither<GatewayError, Countries> =>
  publicApi.request({ method: 'GET', path: '/countries' }, CountriesCodec));
