/**
 * HTML that escapes by construction: every value interpolated into `html` is escaped unless it
 * is itself the result of `html`, so a page cannot forget to escape a provider's data.
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

const render = (value: unknown): string => {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
};

export const html = (strings: TemplateStringsArray, ...values: ReadonlyArray<unknown>): SafeHtml =>
  new SafeHtml(strings.reduce((out, literal, i) => out + literal + (i < values.length ? render(values[i]) : ''), ''));

/** The whole document around a page's main content. */
export const layout = (title: string, main: SafeHtml): string =>
  html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · paygate web login</title>
<style>
body{font-family:system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #ddd;font-size:.9rem}
td.amount{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.date{white-space:nowrap}
code{font-size:.85rem;word-break:break-all}
form{display:inline}button{margin:.25rem .5rem .25rem 0;padding:.6rem 1.2rem;font-size:1rem;cursor:pointer}
.error{color:#a40000}
</style>
</head>
<body>
<main>
${main}
</main>
</body>
</html>
`.value;
