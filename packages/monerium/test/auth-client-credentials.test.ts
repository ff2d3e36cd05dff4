import test from 'ava';
import { environmentOf, left, moneriumRequests, partnerClient, right, startMonerium, newClient } from './_sandbox.js';

test('a partner token is obtained with grant_type=client_credentials and the secret in the form body', async (t) => {
  const sandbox = await startMonerium(t);
  const partner = sandbox.fixtures.monerium.clients.confidential;
  const client = partnerClient(sandbox);
  const context = await right(t, client.authContext());
  t.is(context.userId, partner.userId);
  const [token, call] = moneriumRequests(sandbox);
  t.is(token?.method, 'POST');
  t.is(token?.path, '/auth/token');
  t.deepEqual(Object.fromEntries(new URLSearchParams(token?.body ?? '')), {
    grant_type: 'client_credentials',
    client_id: partner.clientId,
    client_secret: partner.clientSecret,
  });
  t.is(token?.headers.authorization, undefined);
  t.is(call?.path, '/auth/context');
  t.regex(call?.headers.authorization ?? '', /^Bearer \S+$/);
});

test('the partner token is reused: one token request for several calls', async (t) => {
  const sandbox = await startMonerium(t);
  const client = partnerClient(sandbox);
  await right(t, client.authContext());
  await right(t, client.tokens());
  await right(t, client.profiles());
  t.is(moneriumRequests(sandbox).filter((r) => r.path === '/auth/token').length, 1);
});

test('clientCredentials() obtains and stores a session with the partner profile', async (t) => {
  const sandbox = await startMonerium(t);
  const partner = sandbox.fixtures.monerium.clients.confidential;
  const client = partnerClient(sandbox);
  const session = await right(t, client.clientCredentials());
  t.is(session.profile, partner.profile);
  t.is(session.userId, partner.userId);
  const stored = await right(t, client.session());
  t.is(stored.tokens.accessToken, session.tokens.accessToken);
});

test('a wrong client secret is AuthError invalid_client and the secret appears nowhere', async (t) => {
  const sandbox = await startMonerium(t);
  const partner = sandbox.fixtures.monerium.clients.confidential;
  const secret = 'wrong-secret-value-1234';
  const client = newClient({
    environment: environmentOf(sandbox),
    auth: { kind: 'client_credentials', clientId: partner.clientId, clientSecret: secret },
  });
  const error = await left(t, client.authContext());
  t.like(error, { _tag: 'AuthError', reason: 'invalid_client' });
  t.false(JSON.stringify(error).includes(secret));
});
