import type * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import type { GatewayError } from '@paygate/core';
import type { MoneriumApi } from './api.js';

export const ProfileTypeCodec = t.keyof({ personal: null, corporate: null });
export const PermissionCodec = t.keyof({ read: null, write: null });

/** A profile the authenticated user may act for; the reference writes its kind as `type`. */
export const AuthProfileCodec = t.intersection([
  t.type({ id: t.string, name: t.string, perms: t.array(PermissionCodec) }),
  t.partial({ type: ProfileTypeCodec, kind: ProfileTypeCodec }),
]);
export type AuthProfile = t.TypeOf<typeof AuthProfileCodec>;

/** `GET /auth/context` (v1.3 reference, "The authentication context"). */
export const AuthContextCodec = t.type({
  userId: t.string,
  email: t.string,
  name: t.string,
  roles: t.array(t.string),
  auth: t.type({ method: t.string, subject: t.string, verified: t.boolean }),
  defaultProfile: t.string,
  profiles: t.array(AuthProfileCodec),
});
export type AuthContext = t.TypeOf<typeof AuthContextCodec>;

export const getAuthContext = (api: MoneriumApi): TE.TaskEither<GatewayError, AuthContext> =>
  api.request({ method: 'GET', path: '/auth/context' }, AuthContextCodec);
