import { escapeHtml, htmlPage } from '../html.js';
import type { MoneyNsUser } from './fixtures.js';

export interface CheckoutView {
  readonly platform: string;
  readonly user: MoneyNsUser;
  readonly lang: string;
  readonly display: string;
  readonly landing: string | undefined;
}

/** The sandbox stand-in for MoneyNS's hosted checkout: it shows what the page was opened with. */
export function checkoutPage(view: CheckoutView): string {
  return htmlPage({
    lang: view.lang,
    title: 'Checkout · MoneyNS sandbox',
    body: `<h1>MoneyNS checkout</h1>
<p>Signed in as <strong data-field="user">${escapeHtml(view.user.name)}</strong> (<span data-field="email">${escapeHtml(view.user.email)}</span>).</p>
<dl>
<dt>Platform</dt><dd data-field="platform">${escapeHtml(view.platform)}</dd>
<dt>User id</dt><dd data-field="userId">${escapeHtml(view.user.id)}</dd>
<dt>Language</dt><dd data-field="lang">${escapeHtml(view.lang)}</dd>
<dt>Display</dt><dd data-field="display">${escapeHtml(view.display)}</dd>
<dt>Landing</dt><dd data-field="landing">${escapeHtml(view.landing ?? '')}</dd>
</dl>`,
  });
}

export function checkoutErrorPage(title: string, detail: string): string {
  return htmlPage({
    lang: 'en',
    title: `${title} · MoneyNS sandbox`,
    body: `<h1>${escapeHtml(title)}</h1>\n<p role="alert">${escapeHtml(detail)}</p>`,
  });
}
