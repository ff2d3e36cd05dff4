import test from 'ava';
import { client, left, requestsTo, right, startMoneyButton } from './_setup.js';

/**
 * RFC 6749 §2.3.1: the header is base64 of `urlencode(id):urlencode(secret)` (form encoding,
 * Appendix B). Returns the raw joined text and the decoded pair.
 */
const readBasic = (header: string | undefined) => {
  const raw = Buffer.from(/^Basic (.+)$/.exec(header ?? '')?.[1] ?? '', 'base64').toString('utf8');
  const colon = raw.indexOf(':');
  const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
  return { raw, id: decode(raw.slice(0, colon)), secret: decode(raw.slice(colon + 1)) };
};

test('client credentials use HTTP Basic and scope application_access:write, exactly as documented', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { app } = sandbox.fixtures.moneybutton;
  const mb = client(t, { baseUrl: sandbox.urls.moneybutton, clientId: app.clientId, clientSecret: app.clientSecret, scope: [] });
  sandbox.admin.clearRequests();
  const tokens = await right(t, mb.clientCredentials());
  t.like(tokens, { tokenType: 'Bearer', scope: 'application_access:write' });
  t.is(tokens.refreshToken, undefined);
  const [request, ...others] = requestsTo(sandbox);
  t.is(others.length, 0);
  t.is(request?.method, 'POST');
  t.is(request?.path, '/oauth/v1/token');
  t.regex(request?.headers['content-type'] ?? '', /^application\/x-www-form-urlencoded/);
  t.like(readBasic(request?.headers.authorization), { id: app.clientId, secret: app.clientSecret });
  t.deepEqual(Object.fromEntries(new URLSearchParams(request?.body)), {
    grant_type: 'client_credentials',
    scope: 'application_access:write',
  });
});

test('a client secret with ":", "%" and spaces is form-urlencoded before base64 (RFC 6749 §2.3.1)', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { otherApp } = sandbox.fixtures.moneybutton;
  t.regex(otherApp.clientSecret, /:/);
  t.regex(otherApp.clientSecret, /%/);
  t.regex(otherApp.clientSecret, / /);
  const mb = client(t, {
    baseUrl: sandbox.urls.moneybutton,
    clientId: otherApp.clientId,
    clientSecret: otherApp.clientSecret,
    scope: [],
  });
  sandbox.admin.clearRequests();
  const tokens = await right(t, mb.clientCredentials());
  t.is(tokens.scope, 'application_access:write');
  const sent = readBasic(requestsTo(sandbox)[0]?.headers.authorization);
  t.like(sent, { id: otherApp.clientId, secret: otherApp.clientSecret });
  const encodedSecret = sent.raw.slice(sent.raw.indexOf(':') + 1);
  t.false(/[: ]|%(?![0-9A-F]{2})/.test(encodedSecret), 'no raw ":", "%" or space is left in the encoded secret');
  t.regex(encodedSecret, /%3A/);
  t.regex(encodedSecret, /%25/);
  t.regex(encodedSecret, /\+/);
});

test('the application token is cached until it expires', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { app } = sandbox.fixtures.moneybutton;
  const mb = client(t, { baseUrl: sandbox.urls.moneybutton, clientId: app.clientId, clientSecret: app.clientSecret, scope: [] });
  sandbox.admin.clearRequests();
  const first = await right(t, mb.clientCredentials());
  const second = await right(t, mb.clientCredentials());
  t.is(second.accessToken, first.accessToken);
  t.is(requestsTo(sandbox).length, 1);
});

test('a wrong client secret is AuthError invalid_client without the secret in it', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { app } = sandbox.fixtures.moneybutton;
  const wrong = `${app.clientSecret}-wrong`;
  const mb = client(t, { baseUrl: sandbox.urls.moneybutton, clientId: app.clientId, clientSecret: wrong, scope: [] });
  const error = await left(t, mb.clientCredentials());
  t.like(error, { _tag: 'AuthError', reason: 'invalid_client' });
  t.false(JSON.stringify(error).includes(wrong));
});

test('client credentials without a client secret are InvalidInput and send nothing', async (t) => {
  const sandbox = await startMoneyButton(t);
  const mb = client(t, { baseUrl: sandbox.urls.moneybutton, clientId: sandbox.fixtures.moneybutton.app.clientId, scope: [] });
  sandbox.admin.clearRequests();
  t.like(await left(t, mb.clientCredentials()), { _tag: 'InvalidInput', field: 'clientSecret' });
  t.is(requestsTo(sandbox).length, 0);
});
