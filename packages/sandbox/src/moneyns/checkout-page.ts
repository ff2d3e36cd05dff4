import type { MoneyNsUser } from './fixtures.js';

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

function page(lang: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export interface CheckoutView {
  readonly platform: string;
  readonly user: MoneyNsUser;
  readonly lang: string;
  readonly display: string;
  readonly landing: string | undefined;
}

/** The sandbox stand-in for MoneyNS's hosted checkout: it shows what the page was opened with. */
export function checkoutPage(view: CheckoutView): string {
  return page(
    view.lang,
    'Checkout · MoneyNS sandbox',
    `<h1>MoneyNS checkout</h1>
<p>Signed in as <strong data-field="user">${escapeHtml(view.user.name)}</strong> (<span data-field="email">${escapeHtml(view.user.email)}</span>).</p>
<dl>
<dt>Platform</dt><dd data-field="platform">${escapeHtml(view.platform)}</dd>
<dt>User id</dt><dd data-field="userId">${escapeHtml(view.user.id)}</dd>
<dt>Language</dt><dd data-field="lang">${escapeHtml(view.lang)}</dd>
<dt>Display</dt><dd data-field="display">${escapeHtml(view.display)}</dd>
<dt>Landing</dt><dd data-field="landing">${escapeHtml(view.landing ?? '')}</dd>
</dl>`,
  );
}

export function checkoutErrorPage(title: string, detail: string): string {
  return page('en', `${title} · MoneyNS sandbox`, `<h1>${escapeHtml(title)}</h1>\n<p role="alert">${escapeHtml(detail)}</p>`);
}
