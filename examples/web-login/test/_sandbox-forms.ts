/**
 * Drives the sandbox's sign-in and consent forms over plain HTTP, the way a browser submits them:
 * the form's hidden inputs plus the fields a user would fill in, posted to the form's action.
 */

interface Page {
  readonly url: string;
  readonly html: string;
}

const attribute = (tag: string, name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];

const decodeEntities = (text: string): string =>
  text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const submit = async (page: Page, fields: Readonly<Record<string, string>>): Promise<Response> => {
  const form = /<form\b[^>]*method="post"[^>]*>/i.exec(page.html)?.[0];
  if (form === undefined) throw new Error(`no form on ${page.url}: ${page.html.slice(0, 300)}`);
  const action = new URL(decodeEntities(attribute(form, 'action') ?? ''), page.url);
  const body = new URLSearchParams();
  for (const input of page.html.match(/<input\b[^>]*type="hidden"[^>]*>/gi) ?? []) {
    body.append(decodeEntities(attribute(input, 'name') ?? ''), decodeEntities(attribute(input, 'value') ?? ''));
  }
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  return fetch(action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
};

/** Signs in at the provider's authorize URL and decides; returns where the provider redirects (the app's callback). */
export const signInAtProvider = async (
  authorizeUrl: string,
  email: string,
  password: string,
  decision: 'approve' | 'deny' = 'approve',
): Promise<string> => {
  const login = await fetch(authorizeUrl);
  if (login.status !== 200) throw new Error(`authorize page answered ${login.status}`);
  const consent = await submit({ url: authorizeUrl, html: await login.text() }, { email, password });
  if (consent.status !== 200) throw new Error(`sign-in answered ${consent.status}`);
  const decided = await submit({ url: consent.url || authorizeUrl, html: await consent.text() }, { decision });
  const location = decided.headers.get('location');
  if (decided.status !== 302 || location === null) throw new Error(`consent answered ${decided.status} without a redirect`);
  return location;
};
