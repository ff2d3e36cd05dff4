import * as E from 'fp-ts/lib/Either.js';
import { finishAuthorization, type OAuthClient, type OAuthServer, startAuthorization, type TokenSet } from '@paygate/core';
import type { Sandbox } from '@paygate/sandbox';

/** Any loopback port matches the public client's registered loopback redirect (RFC 8252 §7.3). */
const REDIRECT_URI = 'http://127.0.0.1:8765/callback';

export const moneriumServer = (sandbox: Sandbox): OAuthServer => ({
  issuer: sandbox.urls.monerium,
  authorizationEndpoint: `${sandbox.urls.monerium}/auth`,
  tokenEndpoint: `${sandbox.urls.monerium}/auth/token`,
});

const hiddenFields = (html: string): Record<string, string> => {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(match[0])?.[1];
    const value = /value="([^"]*)"/.exec(match[0])?.[1];
    if (name !== undefined && value !== undefined) fields[name] = value;
  }
  return fields;
};

const post = (url: string, fields: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

/**
 * A user's session from the Monerium sandbox through the real PKCE flow: `/auth` signed in and
 * approved headlessly (its form posts back to the same URL), then the code exchanged by core.
 */
export const signInWithPkce = async (sandbox: Sandbox, user = 0): Promise<TokenSet> => {
  const fixture = sandbox.fixtures.monerium.users[user];
  if (fixture === undefined) throw new Error(`no sandbox user ${user}`);
  const client: OAuthClient = { clientId: sandbox.fixtures.monerium.clients.public.clientId, clientAuth: 'none' };
  const pending = startAuthorization(moneriumServer(sandbox), client, { redirectUri: REDIRECT_URI });
  if (E.isLeft(pending)) throw new Error(pending.left.message);
  const { url } = pending.right;
  const page = await fetch(url, { redirect: 'manual' });
  if (page.status !== 200) throw new Error(`/auth answered ${page.status}`);
  const login = await post(url, { ...hiddenFields(await page.text()), email: fixture.email, password: fixture.password });
  if (login.status !== 200) throw new Error(`sign-in answered ${login.status}`);
  const consent = await post(url, { ...hiddenFields(await login.text()), decision: 'approve' });
  const location = consent.headers.get('location');
  if (location === null) throw new Error(`consent answered ${consent.status} without a redirect`);
  const tokens = await finishAuthorization(moneriumServer(sandbox), client, new URL(location, url), pending.right)();
  if (E.isLeft(tokens)) throw new Error(tokens.left.message);
  return tokens.right;
};
