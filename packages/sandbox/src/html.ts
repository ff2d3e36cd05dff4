const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

export interface HtmlPage {
  readonly lang: string;
  readonly title: string;
  /** CSS rules, placed as they are in the page's `<style>` element. */
  readonly style?: string;
  /** Markup for `<main>`; it must already be escaped. */
  readonly body: string;
}

/** A complete, minimal, accessible page: the shell every sandbox screen shares. */
export function htmlPage(page: HtmlPage): string {
  const style = page.style === undefined ? '' : `<style>\n${page.style}\n</style>\n`;
  return `<!doctype html>
<html lang="${escapeHtml(page.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
${style}</head>
<body>
<main>
${page.body}
</main>
</body>
</html>
`;
}
