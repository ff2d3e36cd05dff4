import { escapeHtml, htmlPage } from '../html.js';

/** The portal's sign-up form (`auth_mode=signup`): a new customer with a personal profile. Same fields as sign-in. */
export const signupPage = (input: { requestId: string; clientName: string; error?: string; email?: string }): string =>
  htmlPage({
    lang: 'en',
    title: 'Create an account · Monerium sandbox',
    body: `<h1>Create an account</h1>
<p>Create a Monerium account to connect it to <strong>${escapeHtml(input.clientName)}</strong>.</p>
${input.error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(input.error)}</p>`}
<form method="post">
<input type="hidden" name="request" value="${escapeHtml(input.requestId)}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(input.email ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="8" required>
<button type="submit">Create account</button>
</form>`,
  });
