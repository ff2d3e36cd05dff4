import type { MoneyButtonClient, MoneyButtonUser } from './fixtures.js';
import { escapeHtml } from '../html.js';
import { htmlDocument } from './html.js';
import type { MoneyButtonScope } from './scopes.js';

const SCOPE_DESCRIPTIONS: Readonly<Record<MoneyButtonScope, string>> = {
  'auth.user_identity:read': 'Know who you are (your user id and name)',
  'users.profiles:read': 'Read your profile',
  'users.balance:read': 'Read your balance',
  'payments:read': 'Read your payments',
  'users.asset:read': 'Read your assets',
  'users.asset:write': 'Create and change your assets',
  'application_access:write': 'Act as the app',
};

function hiddenInputs(fields: ReadonlyArray<readonly [string, string]>): string {
  return fields
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
}

export interface LoginPage {
  readonly client: MoneyButtonClient;
  /** The authorization request's parameters, posted back with the credentials. */
  readonly carried: ReadonlyArray<readonly [string, string]>;
  readonly email?: string;
  readonly error?: string;
}

// `action="authorize"` resolves against the page URL, so the form works under any prefix.
export function loginPage(page: LoginPage): string {
  const error = page.error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(page.error)}</p>\n`;
  return htmlDocument(
    'Sign in · Money Button',
    `<h1>Sign in to Money Button</h1>
<p><strong>${escapeHtml(page.client.name)}</strong> asks to use your Money Button account.</p>
${error}<form method="post" action="authorize">
${hiddenInputs(page.carried)}
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(page.email ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`,
  );
}

export interface ConsentPage {
  readonly client: MoneyButtonClient;
  readonly user: MoneyButtonUser;
  readonly scopes: ReadonlyArray<MoneyButtonScope>;
  readonly transaction: string;
}

export function consentPage(page: ConsentPage): string {
  const scopes = page.scopes
    .map((scope) => `<li>${escapeHtml(SCOPE_DESCRIPTIONS[scope])} <code>${escapeHtml(scope)}</code></li>`)
    .join('\n');
  return htmlDocument(
    'Allow access · Money Button',
    `<h1>Allow ${escapeHtml(page.client.name)} to use your account?</h1>
<p>Signed in as <strong>${escapeHtml(page.user.name)}</strong> (${escapeHtml(page.user.primaryPaymail)}).</p>
<p>${escapeHtml(page.client.name)} will be able to:</p>
<ul>
${scopes}
</ul>
<form method="post" action="authorize">
${hiddenInputs([['transaction', page.transaction]])}
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

export function authorizeErrorPage(detail: string): string {
  return htmlDocument(
    'Authorization failed · Money Button',
    `<h1>This authorization request cannot be completed</h1>
<p role="alert">${escapeHtml(detail)}</p>`,
  );
}
