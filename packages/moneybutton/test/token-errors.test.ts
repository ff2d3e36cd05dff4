import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { client, driveAuthorizePages, LOOPBACK_REDIRECT, left, requestsTo, right, signIn, startMoneyButton, USER_SCOPES } from './_setup.js';

// The sandbox answers /oauth/v1/token errors as a JSON:API document, the OAuth code spelled out
// in `detail` (`Invalid grant: …`), as Money Button's token endpoint was seen to.
const JSON_API_SHAPE = { moneybutton: { tokenErrorShape: 'jsonapi' } } as const;

const grantTypes = (sandbox: Parameters<typeof requestsTo>[0]) =>
  requestsTo(sandbox, '/oauth/v1/token').map((r) => new URLSearchParams(r.body).get('grant_type'));

test('a reused authorization code answered as JSON:API is AuthError invalid_grant with Money Button’s detail', async (t) => {
  const sandbox = await startMoneyButton(t, JSON_API_SHAPE);
  const fixtures = sandbox.fixtures.moneybutton;
  const mb = client(t, { baseUrl: sandbox.urls.moneybutton, clientId: fixtures.app.clientId, redirectUri: LOOPBACK_REDIRECT, scope: USER_SCOPES });
  const pending = mb.authorizationUrl();
  if (E.isLeft(pending)) return t.fail(pending.left.message);
  const callback = await driveAuthorizePages(pending.right.url, fixtures.users[0]);
  await right(t, mb.finishAuthorization(callback, pending.right));

  const error = await left(t, mb.finishAuthorization(callback, pending.right));
  t.like(error, { _tag: 'AuthError', reason: 'invalid_grant', oauthError: 'invalid_grant', status: 400 });
  t.regex(error.message, /the authorization code was already used/);
  t.deepEqual(grantTypes(sandbox), ['authorization_code', 'authorization_code']);
});

test('a revoked refresh token answered as JSON:API clears the session and is not sent again', async (t) => {
  const sandbox = await startMoneyButton(t, JSON_API_SHAPE);
  const { client: mb, refreshToken } = await signIn(t, sandbox);
  sandbox.admin.moneybutton.revokeAll();

  const error = await left(t, mb.userIdentity());
  t.like(error, { _tag: 'AuthError', reason: 'refresh_failed', oauthError: 'invalid_grant', status: 400 });
  t.false(JSON.stringify(error).includes(refreshToken));
  t.like(await left(t, mb.userIdentity()), { _tag: 'AuthError', reason: 'no_session' });
  t.like(await left(t, mb.session.getTokenSet()), { _tag: 'AuthError', reason: 'no_session' });

  const refreshes = requestsTo(sandbox, '/oauth/v1/token');
  t.is(refreshes.length, 1, 'the dead refresh token was sent once');
  t.is(new URLSearchParams(refreshes[0]?.body).get('refresh_token'), refreshToken);
  t.is(requestsTo(sandbox, '/api/v1/auth/user_identity').length, 1, 'only the first call reached the API');
});

test('a wrong client secret answered as JSON:API is AuthError invalid_client with Money Button’s detail', async (t) => {
  const sandbox = await startMoneyButton(t, JSON_API_SHAPE);
  const app = sandbox.fixtures.moneybutton.app;
  const wrong = `${app.clientSecret}-wrong`;
  const mb = client(t, { baseUrl: sandbox.urls.moneybutton, clientId: app.clientId, clientSecret: wrong, scope: [] });
  const error = await left(t, mb.clientCredentials());
  t.like(error, { _tag: 'AuthError', reason: 'invalid_client', oauthError: 'invalid_client', status: 401 });
  t.regex(error.message, /client authentication failed/);
  t.false(JSON.stringify(error).includes(wrong));
  t.deepEqual(grantTypes(sandbox), ['client_credentials']);
});
