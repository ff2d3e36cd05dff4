import { type Balance, type GatewayError, match, type Payment } from '@paygate/core';
import { html, layout, type SafeHtml } from './html.js';

export interface ProviderChoice {
  readonly id: string;
  readonly label: string;
}

export interface AccountView {
  readonly provider: string;
  readonly user: string;
  readonly balances: ReadonlyArray<Balance>;
  readonly payments: ReadonlyArray<Payment>;
}

const signOutForm = html`<form method="post" action="/logout"><button type="submit">Sign out</button></form>`;

export const homePage = (providers: ReadonlyArray<ProviderChoice>, signedInWith: string | undefined): string =>
  layout(
    'Sign in',
    html`<h1>paygate web login</h1>
${
  signedInWith === undefined
    ? html`<p>Sign in at a payment provider to see your balances and latest payments.</p>
${providers.map((p) => html`<form method="post" action="/login/${p.id}"><button type="submit">Sign in with ${p.label}</button></form>`)}`
    : html`<p>You are signed in with ${signedInWith}. <a href="/account">Your account</a></p>
${signOutForm}`
}`,
  );

const balanceRow = (b: Balance): SafeHtml =>
  html`<tr><td><code>${b.account}</code></td><td>${b.chain}</td><td>${b.network}</td><td class="amount">${b.amount}</td><td>${b.currency}</td></tr>`;

const paymentRow = (p: Payment): SafeHtml =>
  html`<tr><td class="date">${p.createdAt}</td><td><code>${p.id}</code></td><td>${p.direction}</td><td>${p.counterpart?.name ?? p.counterpart?.identifier}</td><td>${p.status}</td><td class="amount">${p.amount.amount}</td><td>${p.amount.currency}</td></tr>`;

export const accountPage = (view: AccountView): string =>
  layout(
    'Account',
    html`<h1>Signed in with ${view.provider}</h1>
<p>As <strong id="user">${view.user}</strong>.</p>
<h2>Balances</h2>
<table id="balances">
<thead><tr><th>Account</th><th>Chain</th><th>Network</th><th>Amount</th><th>Currency</th></tr></thead>
<tbody>
${view.balances.map(balanceRow)}
</tbody>
</table>
<h2>Latest payments</h2>
<table id="payments">
<thead><tr><th>Date</th><th>Id</th><th>Direction</th><th>Counterpart</th><th>Status</th><th>Amount</th><th>Currency</th></tr></thead>
<tbody>
${view.payments.map(paymentRow)}
</tbody>
</table>
${signOutForm}`,
  );

/** The field that says which kind of failure it was, next to the tag: `AuthError: state_mismatch`. */
const kindOf = match<string>({
  InvalidInput: (e) => e.field,
  AuthError: (e) => e.reason,
  ProviderError: (e) => e.code ?? String(e.status),
  DecodeError: (e) => e.path,
  TransportError: (e) => e.kind,
  Unsupported: (e) => e.capability,
});

/** Only the tag, its kind and the message: paygate's messages never carry a secret. */
export const errorPage = (error: GatewayError): string =>
  layout(
    'Error',
    html`<h1 class="error" id="error">${error._tag}: ${kindOf(error)}</h1>
<p id="message">${error.message}</p>
<p><a href="/">Back to the start</a></p>`,
  );

/** A page that only says what happened: "Not found", "Bad request", … */
export const statusPage = (title: string): string => layout(title, html`<h1>${title}</h1><p><a href="/">Back to the start</a></p>`);
