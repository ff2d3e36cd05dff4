/** The HTML of the sandbox's authorization screens: plain forms a browser or a headless client can drive. */

import { escapeHtml, htmlPage } from '../html.js';

const STYLE = `body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}
label{display:block;margin:.75rem 0 .25rem}input{width:100%;padding:.5rem;box-sizing:border-box}
button{margin:1rem .5rem 0 0;padding:.5rem 1.25rem}.error{color:#a40000}`;

const page = (title: string, body: string): string =>
  htmlPage({ lang: 'en', title: `${title} · Monerium sandbox`, style: STYLE, body: `<h1>${escapeHtml(title)}</h1>\n${body}` });

/**
 * Sign-in form (or, with `signup`, the v2 portal's sign-up form: the same fields, a new account).
 * It posts back to the same URL; `request` names the pending authorization.
 */
export const loginPage = (input: { requestId: string; clientName: string; error?: string; email?: string; signup?: boolean }): string =>
  page(
    input.signup === true ? 'Create an account' : 'Sign in',
    `<p>${input.signup === true ? 'Create a Monerium account to connect it to' : 'Sign in to let'} <strong>${escapeHtml(input.clientName)}</strong>${input.signup === true ? '.' : ' access your Monerium account.'}</p>
${input.error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(input.error)}</p>`}
<form method="post">
<input type="hidden" name="request" value="${escapeHtml(input.requestId)}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(input.email ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="${input.signup === true ? 'new-password' : 'current-password'}" required>
<button type="submit">${input.signup === true ? 'Create account' : 'Sign in'}</button>
</form>`,
  );

/** Consent form: the submit button pressed sends `decision=approve` or `decision=deny`. */
export const consentPage = (input: { requestId: string; clientName: string; userEmail: string; scopes: ReadonlyArray<string>; profiles: ReadonlyArray<string> }): string =>
  page(
    'Grant access',
    `<p>Signed in as ${escapeHtml(input.userEmail)}.</p>
<p><strong>${escapeHtml(input.clientName)}</strong> asks for <code>${escapeHtml(input.scopes.join(' '))}</code> on: ${escapeHtml(input.profiles.join(', '))}.</p>
<form method="post">
<input type="hidden" name="request" value="${escapeHtml(input.requestId)}">
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );

/** Shown instead of redirecting when the redirect target itself cannot be trusted (RFC 6749 §4.1.2.1). */
export const errorPage = (message: string): string => page('Authorization failed', `<p class="error" role="alert">${escapeHtml(message)}</p>`);
