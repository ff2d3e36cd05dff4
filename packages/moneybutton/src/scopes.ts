import * as t from 'io-ts/lib/index.js';

/** Every scope Money Button documents (NOTES.md "Money Button"); each API resource needs one. */
export const MoneyButtonScopeCodec = t.keyof({
  'auth.user_identity:read': null,
  'users.profiles:read': null,
  'users.balance:read': null,
  'payments:read': null,
  'users.asset:read': null,
  'users.asset:write': null,
  'application_access:write': null,
});
export type MoneyButtonScope = t.TypeOf<typeof MoneyButtonScopeCodec>;

/** The scope of the client credentials grant ("application access"), fixed by the docs. */
export const APPLICATION_ACCESS_SCOPE: MoneyButtonScope = 'application_access:write';

export const isMoneyButtonScope = (value: unknown): value is MoneyButtonScope => MoneyButtonScopeCodec.is(value);
