import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { verifyMessage } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { codeChallengeS256 } from '@paygate/core';
import { createMoneriumV2Client } from '../src/index.js';
import { left, right, startV2Server, type V2Server } from './_v2-server.js';
import { viemSigner } from './_signer.js';

const REDIRECT = 'https://app.example.com/callback';
const account = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d');
const NOW = Date.parse('2026-01-05T10:00:00.000Z');

const codeClient = (server: V2Server) => {
  const client = createMoneriumV2Client({
    environment: { baseUrl: server.url },
    auth: { kind: 'authorization_code', clientId: 'app-code-id', redirectUri: REDIRECT },
    http: { timeoutMs: 2000 },
    now: () => NOW,
  });
  if (E.isLeft(client)) throw new Error(client.left.message);
  return client.right;
};

const tokenAnswer = { access_token: 'at-1-abcdef', token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt-1-abcdef' };

test('authorizationUrl: S256 only, the v2 parameters, no scope', async (t) => {
  const server = await startV2Server(t);
  const pending = codeClient(server).authorizationUrl({ email: 'ada@example.com', skipKyc: true, authMode: 'signup' });
  if (E.isLeft(pending)) return t.fail(pending.left.message);
  const url = new URL(pending.right.url);
  t.is(url.origin + url.pathname, `${server.url}/auth`);
  t.is(url.searchParams.get('client_id'), 'app-code-id');
  t.is(url.searchParams.get('code_challenge_method'), 'S256');
  t.is(url.searchParams.get('code_challenge'), E.getOrElse(() => '')(codeChallengeS256(pending.right.codeVerifier)));
  t.is(url.searchParams.get('redirect_uri'), REDIRECT);
  t.is(url.searchParams.get('email'), 'ada@example.com');
  t.is(url.searchParams.get('skip_kyc'), 'true');
  t.is(url.searchParams.get('auth_mode'), 'signup');
  t.is(url.searchParams.get('state'), pending.right.state);
  t.false(url.searchParams.has('scope'));
  const bad = codeClient(server).authorizationUrl({ authMode: 'register' as never });
  t.true(E.isLeft(bad) && bad.left._tag === 'InvalidInput' && bad.left.field === 'authMode');
});

test('finishAuthorization exchanges the code with the verifier and stores the rotating session', async (t) => {
  const server = await startV2Server(t);
  server.route('POST /auth/token', (seen) => {
    const form = new URLSearchParams(seen.raw);
    return { body: form.get('grant_type') === 'refresh_token' ? { ...tokenAnswer, access_token: 'at-2-abcdef', refresh_token: 'rt-2-abcdef' } : tokenAnswer };
  });
  const client = codeClient(server);
  const pending = client.authorizationUrl();
  if (E.isLeft(pending)) return t.fail();
  const session = await right(t, client.finishAuthorization(`${REDIRECT}?code=c0de&state=${pending.right.state}`, pending.right));
  t.is(session.tokens.accessToken, 'at-1-abcdef');
  const form = new URLSearchParams(server.seen[0]?.raw);
  t.is(form.get('grant_type'), 'authorization_code');
  t.is(form.get('code'), 'c0de');
  t.is(form.get('code_verifier'), pending.right.codeVerifier);
  t.is(form.get('client_id'), 'app-code-id');
  const refreshed = await right(t, client.refresh());
  t.is(refreshed.tokens.refreshToken, 'rt-2-abcdef');
  t.is(new URLSearchParams(server.seen[1]?.raw).get('refresh_token'), 'rt-1-abcdef');
});

test('SIWE: an EIP-4361 message with expiry and the required Resources, signed by the wallet, then the code exchange', async (t) => {
  const server = await startV2Server(t);
  server.route('GET /auth', (seen) => {
    const state = seen.query.find(([k]) => k === 'state')?.[1];
    return { status: 302, headers: { location: `${REDIRECT}?code=siwe-code&state=${state}` } };
  });
  server.route('POST /auth/token', { body: tokenAnswer });
  const client = codeClient(server);
  const session = await right(
    t,
    client.signInWithEthereum({
      signer: viemSigner(account),
      chain: 'ethereum',
      appName: 'Paygate Demo',
      privacyPolicyUrl: 'https://app.example.com/privacy',
      termsOfServiceUrl: 'https://app.example.com/terms',
    }),
  );
  t.is(session.tokens.accessToken, 'at-1-abcdef');
  const query = new Map(server.seen[0]?.query);
  t.is(query.get('authentication_method'), 'siwe');
  t.is(query.get('code_challenge_method'), 'S256');
  t.false(query.has('response_type'));
  const message = query.get('message') ?? '';
  const lines = message.split('\n');
  t.is(lines[0], 'app.example.com wants you to sign in with your Ethereum account:');
  t.is(lines[1], account.address);
  t.is(lines[3], 'Allow Paygate Demo to access my data on Monerium');
  t.true(lines.includes('Chain ID: 11155111'), 'the sandbox chain id of ethereum (sepolia)');
  t.true(lines.includes('Issued At: 2026-01-05T10:00:00.000Z'));
  t.true(lines.includes('Expiration Time: 2026-01-05T10:05:00.000Z'));
  t.deepEqual(lines.slice(-4), ['Resources:', '- https://monerium.com/siwe', '- https://app.example.com/privacy', '- https://app.example.com/terms']);
  t.regex(lines.find((l) => l.startsWith('Nonce: ')) ?? '', /^Nonce: [A-Za-z0-9]{8,}$/);
  t.true(await verifyMessage({ address: account.address, message, signature: query.get('signature') as `0x${string}` }));
  const form = new URLSearchParams(server.seen[1]?.raw);
  t.is(form.get('code'), 'siwe-code');
});

test('SIWE refused by Monerium is a typed error, and an error redirect is an AuthError', async (t) => {
  const server = await startV2Server(t);
  server.route('GET /auth', (seen, count) => {
    const state = seen.query.find(([k]) => k === 'state')?.[1];
    return count === 1
      ? { status: 400, body: { code: 400, status: 'Bad Request', message: 'invalid signature' } }
      : { status: 302, headers: { location: `${REDIRECT}?error=access_denied&error_description=no&state=${state}` } };
  });
  const params = {
    signer: viemSigner(account),
    chain: 'sepolia',
    appName: 'X',
    privacyPolicyUrl: 'https://app.example.com/privacy',
    termsOfServiceUrl: 'https://app.example.com/terms',
  };
  t.like(await left(t, codeClient(server).signInWithEthereum(params)), { _tag: 'ProviderError', status: 400 });
  t.like(await left(t, codeClient(server).signInWithEthereum(params)), { _tag: 'AuthError' });
  t.like(await left(t, codeClient(server).signInWithEthereum({ ...params, chain: 'noble' })), { _tag: 'InvalidInput', field: 'chain' });
});

test('client credentials: client_id and client_secret in the form; token errors in both documented shapes are typed', async (t) => {
  const server = await startV2Server(t);
  server.route('POST /auth/token', (_s, count) =>
    count === 1
      ? { body: { access_token: 'cc-at-abcdef', token_type: 'Bearer', expires_in: 3600 } }
      : count === 2
        ? { status: 400, body: { code: 400, status: 'Bad Request', message: 'Client id must be the same from previous token.' } }
        : { status: 400, body: { error: 'invalid_client', error_description: 'bad secret' } },
  );
  server.route('GET /tokens', { body: [] });
  const make = () => {
    const client = createMoneriumV2Client({
      environment: { baseUrl: server.url },
      auth: { kind: 'client_credentials', clientId: 'cc-id', clientSecret: 'cc-secret-value' },
      http: { timeoutMs: 2000 },
    });
    if (E.isLeft(client)) throw new Error(client.left.message);
    return client.right;
  };
  await right(t, make().tokens());
  const form = new URLSearchParams(server.seen[0]?.raw);
  t.deepEqual([form.get('grant_type'), form.get('client_id'), form.get('client_secret')], ['client_credentials', 'cc-id', 'cc-secret-value']);
  t.is(server.seen[1]?.headers.authorization, 'Bearer cc-at-abcdef');
  const moneriumShape = await left(t, make().clientCredentials());
  const oauthShape = await left(t, make().clientCredentials());
  t.like(moneriumShape, { _tag: 'AuthError', reason: 'authorization_error', status: 400 });
  t.like(oauthShape, { _tag: 'AuthError', oauthError: 'invalid_client' });
  for (const error of [moneriumShape, oauthShape]) t.false(JSON.stringify(error).includes('cc-secret-value'));
});

test('a refresh refused in Monerium\'s {code,status,message} shape during an API call is an AuthError', async (t) => {
  const server = await startV2Server(t);
  server.route('POST /auth/token', { status: 400, body: { code: 400, status: 'Bad Request', message: 'Client id must be the same from previous token.' } });
  server.route('GET /tokens', { status: 401, body: { code: 401, status: 'Unauthorized', message: 'Not authenticated' } });
  const client = createMoneriumV2Client({
    environment: { baseUrl: server.url },
    auth: { kind: 'tokens', clientId: 'app-code-id', tokens: { accessToken: 'old-at-abcdef', refreshToken: 'old-rt-abcdef', tokenType: 'Bearer', extra: {} } },
    http: { timeoutMs: 2000 },
  });
  if (E.isLeft(client)) return t.fail();
  t.like(await left(t, client.right.tokens()), { _tag: 'AuthError', reason: 'refresh_failed', status: 400 });
  t.like(await left(t, client.right.refresh()), { _tag: 'AuthError', reason: 'refresh_failed' });
});

test('v2 refuses Basic auth and a malformed environment without sending anything', (t) => {
  const basic = createMoneriumV2Client({ environment: 'sandbox', auth: { kind: 'basic', email: 'a@b.c', password: 'x' } as never });
  t.true(E.isLeft(basic) && basic.left._tag === 'InvalidInput' && basic.left.field === 'auth.kind');
  const env = createMoneriumV2Client({ environment: { baseUrl: 'ftp://x' }, auth: { kind: 'client_credentials', clientId: 'a', clientSecret: 'b' } });
  t.true(E.isLeft(env) && env.left._tag === 'InvalidInput' && env.left.field === 'environment.baseUrl');
});
