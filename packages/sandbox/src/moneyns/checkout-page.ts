import { escapeHtml, htmlPage } from '../html.js';
import type { CheckoutClaims } from './checkout-token.js';

export interface CheckoutView {
  readonly platform: string;
  readonly token: CheckoutClaims;
  readonly lang: string;
  readonly display: string;
  /** `landing=true`: the page opens on the payment step instead of its landing page. */
  readonly skipLanding: boolean;
}

const text = (value: unknown): string => escapeHtml(typeof value === 'string' || typeof value === 'number' ? String(value) : '');

/** The sandbox stand-in for MoneyNS's hosted checkout: it shows what the page was opened with. */
export function checkoutPage(view: CheckoutView): string {
  const { payment } = view.token;
  return htmlPage({
    lang: view.lang,
    title: 'Checkout · MoneyNS sandbox',
    body: `<h1>MoneyNS checkout</h1>
<p data-field="step">${view.skipLanding ? 'payment' : 'landing'}</p>
<dl>
<dt>Platform</dt><dd data-field="platform">${escapeHtml(view.platform)}</dd>
<dt>Linked user</dt><dd data-field="linkId">${escapeHtml(view.token.linkId)}</dd>
<dt>Operation</dt><dd data-field="operation">${text(payment.operation)}</dd>
<dt>Amount</dt><dd data-field="amount">${text(payment.amount)} ${text(payment.symbol)}</dd>
<dt>Language</dt><dd data-field="lang">${escapeHtml(view.lang)}</dd>
<dt>Display</dt><dd data-field="display">${escapeHtml(view.display)}</dd>
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
