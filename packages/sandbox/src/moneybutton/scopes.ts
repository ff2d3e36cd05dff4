/** The API scopes Money Button documents (NOTES.md "Money Button"). */
export const MONEY_BUTTON_SCOPES = [
  'auth.user_identity:read',
  'users.profiles:read',
  'users.balance:read',
  'payments:read',
  'users.asset:read',
  'users.asset:write',
  'application_access:write',
] as const;

export type MoneyButtonScope = (typeof MONEY_BUTTON_SCOPES)[number];

/** Granted only to app tokens from the client_credentials grant, never through user consent. */
export const APPLICATION_SCOPE: MoneyButtonScope = 'application_access:write';

export function isMoneyButtonScope(value: string): value is MoneyButtonScope {
  return (MONEY_BUTTON_SCOPES as ReadonlyArray<string>).includes(value);
}

export type ScopeParse =
  | { readonly ok: true; readonly scopes: ReadonlyArray<MoneyButtonScope> }
  | { readonly ok: false; readonly detail: string };

/** A space-separated scope list (RFC 6749 §3.3); every entry must be a documented scope. */
export function parseScopeList(raw: string): ScopeParse {
  const entries = raw.split(' ').filter((entry) => entry.length > 0);
  if (entries.length === 0) return { ok: false, detail: 'scope must list at least one scope' };
  const scopes: MoneyButtonScope[] = [];
  for (const entry of entries) {
    if (!isMoneyButtonScope(entry)) return { ok: false, detail: `unknown scope "${entry}"` };
    if (!scopes.includes(entry)) scopes.push(entry);
  }
  return { ok: true, scopes };
}
