/**
 * Drives the sandbox's own sign-in and consent pages without a browser, the way a person
 * would: open the authorization URL, fill the sign-in form, press Approve (or Deny), and stop
 * at the redirect back to the app. Demos, examples and adapter tests use it to finish an
 * authorization-code login headless. Cookies are kept between steps.
 */

export interface HeadlessLoginInput {
  readonly email: string;
  readonly password: string;
  readonly decision?: 'approve' | 'deny';
  /** Stop at the first redirect whose URL starts with this (the app's redirect URI). */
  readonly redirectUri: string;
}

interface Form {
  readonly action: string;
  readonly fields: Array<[string, string]>;
  readonly buttons: Array<[string, string]>;
}

const attribute = (tag: string, name: string): string | undefined => {
  const match = new RegExp(`\\b${name}="([^"]*)"`, 'i').exec(tag);
  return match?.[1] === undefined ? undefined : decodeEntities(match[1]);
};

const decodeEntities = (text: string): string =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const firstForm = (html: string, pageUrl: string): Form | undefined => {
  const match = /<form\b[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (match === null) return undefined;
  const open = /<form\b[^>]*>/i.exec(match[0])?.[0] ?? '';
  const body = match[1] ?? '';
  const fields: Array<[string, string]> = [];
  for (const input of body.match(/<input\b[^>]*>/gi) ?? []) {
    const name = attribute(input, 'name');
    if (name !== undefined) fields.push([name, attribute(input, 'value') ?? '']);
  }
  const buttons: Array<[string, string]> = [];
  for (const button of body.match(/<button\b[^>]*>/gi) ?? []) {
    const name = attribute(button, 'name');
    if (name !== undefined) buttons.push([name, attribute(button, 'value') ?? '']);
  }
  return { action: new URL(attribute(open, 'action') ?? '', pageUrl).toString(), fields, buttons };
};

/** Resolves to the callback URL (with `code` and `state`, or `error`). Rejects if the pages do not lead there. */
export const completeAuthorizationHeadless = async (authorizationUrl: string, input: HeadlessLoginInput): Promise<string> => {
  const cookies = new Map<string, string>();
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');

  let url = authorizationUrl;
  let init: RequestInit = { method: 'GET' };
  for (let step = 0; step < 8; step++) {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string> | undefined), cookie: cookieHeader() },
      signal: AbortSignal.timeout(10_000),
    });
    remember(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      const next = new URL(location, url).toString();
      if (next.startsWith(input.redirectUri)) return next;
      url = next;
      init = { method: 'GET' };
      continue;
    }
    const html = await response.text();
    const form = firstForm(html, url);
    if (response.status !== 200 || form === undefined) {
      throw new Error(`authorization page answered ${response.status} without a form to continue`);
    }
    const fields = new URLSearchParams();
    for (const [name, value] of form.fields) {
      if (name === 'email') fields.set(name, input.email);
      else if (name === 'password') fields.set(name, input.password);
      else fields.append(name, value);
    }
    const wanted = input.decision ?? 'approve';
    const button = form.buttons.find(([, value]) => value === wanted);
    if (button !== undefined) fields.set(button[0], button[1]);
    url = form.action;
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
    };
  }
  throw new Error('authorization did not reach the redirect URI within 8 steps');
};
