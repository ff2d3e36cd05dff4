import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as io from 'io-ts/lib/index.js';
import { authError } from '../src/errors.js';
import { createHttpClient } from '../src/http.js';
import {
  observeAttempt,
  PAYGATE_CHANNELS,
  type PaygateHooks,
  pathTemplateOf,
  publishWebhookReceived,
  type RequestEndEvent,
  type RequestStartEvent,
  subscribePaygateHooks,
  type TokenRenewalEvent,
  type WebhookReceivedEvent,
} from '../src/observability.js';
import { createTokenManager } from '../src/token-manager.js';
import { createMemoryTokenStore, type TokenSet } from '../src/tokens.js';
import { json, startServer } from './_http-server.js';

const Ok = io.type({ ok: io.boolean });
const fast = { backoffBaseMs: 1, maxBackoffMs: 5 };
const SECRET_TOKEN = 'tok-5ecret-do-not-log';

/** Collects the events of one provider (tests run concurrently and hooks are process-wide). */
const record = (t: { teardown(fn: () => void): void }, provider: string) => {
  const starts: RequestStartEvent[] = [];
  const ends: RequestEndEvent[] = [];
  const renewals: TokenRenewalEvent[] = [];
  const webhooks: WebhookReceivedEvent[] = [];
  const hooks: PaygateHooks = {
    onRequestStart: (e) => e.provider === provider && starts.push(e),
    onRequestEnd: (e) => e.provider === provider && ends.push(e),
    onTokenRenewal: (e) => e.provider === provider && renewals.push(e),
    onWebhookReceived: (e) => e.provider === provider && webhooks.push(e),
  };
  t.teardown(subscribePaygateHooks(hooks));
  return { starts, ends, renewals, webhooks };
};

test('a request publishes start and end with provider, operation, method, path template, status and duration', async (t) => {
  const seen = record(t, 'obs-basic');
  const server = await startServer((_req, res) => json(res, 200, { ok: true }));
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'obs-basic', baseUrl: server.url });
  const result = await client.request(
    {
      method: 'GET',
      path: '/profiles/5f0c2b1e-0000-4000-8000-00000000dead/orders/123',
      query: { token: SECRET_TOKEN },
      headers: { authorization: `Bearer ${SECRET_TOKEN}` },
    },
    Ok,
  )();
  t.deepEqual(result, E.right({ ok: true }));
  t.is(seen.starts.length, 1);
  t.is(seen.ends.length, 1);
  const [start] = seen.starts;
  const [end] = seen.ends;
  t.like(start, {
    provider: 'obs-basic',
    operation: 'GET /profiles/{id}/orders/{id}',
    method: 'GET',
    pathTemplate: '/profiles/{id}/orders/{id}',
    attempt: 1,
  });
  t.like(end, { id: start?.id, status: 200, attempt: 1 });
  t.true((end?.durationMs ?? -1) >= 0);
  t.false(end !== undefined && 'retryReason' in end);
  t.false(JSON.stringify([seen.starts, seen.ends]).includes(SECRET_TOKEN), 'no token, header or query in events');
});

test('each attempt of a retried GET is an event, with the retry reason on the attempts that are retried', async (t) => {
  const seen = record(t, 'obs-retry');
  let calls = 0;
  const server = await startServer((_req, res) => {
    calls += 1;
    if (calls === 1) json(res, 503, {});
    else if (calls === 2) json(res, 429, {}, { 'retry-after': '0' });
    else json(res, 200, { ok: true });
  });
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'obs-retry', baseUrl: server.url, ...fast });
  t.true(E.isRight(await client.request({ method: 'GET', path: '/balances' }, Ok)()));
  t.deepEqual(
    seen.ends.map((e) => [e.attempt, e.status, e.retryReason]),
    [
      [1, 503, 'status_503'],
      [2, 429, 'status_429'],
      [3, 200, undefined],
    ],
  );
  t.deepEqual(
    seen.starts.map((e) => e.attempt),
    [1, 2, 3],
  );
});

test('a POST answered 503 is one attempt with no retry reason (it is not retried)', async (t) => {
  const seen = record(t, 'obs-post');
  const server = await startServer((_req, res) => json(res, 503, {}));
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'obs-post', baseUrl: server.url, ...fast });
  t.true(E.isLeft(await client.request({ method: 'POST', path: '/orders', json: { amount: '1' }, operation: 'orders.place' }, Ok)()));
  t.deepEqual(
    seen.ends.map((e) => [e.operation, e.status, e.retryReason]),
    [['orders.place', 503, undefined]],
  );
});

test('a network failure ends with its transport kind and, when retried, that kind as the reason', async (t) => {
  const seen = record(t, 'obs-network');
  const server = await startServer((_req, res) => json(res, 200, { ok: true }));
  await server.close(); // nothing listens on that port any more
  const client = createHttpClient({ provider: 'obs-network', baseUrl: server.url, maxRetries: 1, ...fast });
  t.true(E.isLeft(await client.request({ method: 'GET', path: '/x', pathTemplate: '/x-template' }, Ok)()));
  t.deepEqual(
    seen.ends.map((e) => [e.attempt, e.transportKind, e.retryReason, e.pathTemplate, e.status]),
    [
      [1, 'connection', 'connection', '/x-template', undefined],
      [2, 'connection', undefined, '/x-template', undefined],
    ],
  );
});

test('a hook that throws does not break the request, and unsubscribing stops the events', async (t) => {
  let calls = 0;
  const unsubscribeHooks = subscribePaygateHooks({
    onRequestEnd: (e) => {
      if (e.provider !== 'obs-throw') return;
      calls += 1;
      throw new Error('observer bug');
    },
  });
  const server = await startServer((_req, res) => json(res, 200, { ok: true }));
  t.teardown(server.close);
  const client = createHttpClient({ provider: 'obs-throw', baseUrl: server.url });
  t.deepEqual(await client.request({ method: 'GET', path: '/a' }, Ok)(), E.right({ ok: true }));
  t.is(calls, 1);
  unsubscribeHooks();
  t.deepEqual(await client.request({ method: 'GET', path: '/a' }, Ok)(), E.right({ ok: true }));
  t.is(calls, 1);
});

// Serial tests run before the concurrent ones, so no other test of this file holds a subscription yet.
test.serial('with no subscriber nothing is built: observeAttempt answers undefined', (t) => {
  t.is(observeAttempt('obs-idle', { method: 'GET', path: '/a' }, 1), undefined);
  const listener = () => {};
  subscribe(PAYGATE_CHANNELS.requestEnd, listener);
  const active = observeAttempt('obs-idle', { method: 'GET', path: '/a' }, 1);
  unsubscribe(PAYGATE_CHANNELS.requestEnd, listener);
  t.is(typeof active?.end, 'function');
  t.is(observeAttempt('obs-idle', { method: 'GET', path: '/a' }, 1), undefined);
});

test('token renewals publish grant, outcome and duration, never a token', async (t) => {
  const seen = record(t, 'obs-tokens');
  const expired: TokenSet = { accessToken: `old-${SECRET_TOKEN}`, refreshToken: `r-${SECRET_TOKEN}`, tokenType: 'Bearer', expiresAt: 0, extra: {} };
  const store = createMemoryTokenStore();
  await store.set('obs-tokens:client:user', expired)();
  let fail = false;
  const manager = createTokenManager({
    key: 'obs-tokens:client:user',
    store,
    refresh: () =>
      fail
        ? TE.left(authError({ reason: 'invalid_grant', oauthError: 'invalid_grant', message: 'revoked' }))
        : TE.right({ accessToken: `new-${SECRET_TOKEN}`, tokenType: 'Bearer', expiresAt: 0, extra: {} }),
  });
  t.true(E.isRight(await manager.getAccessToken()()));
  fail = true;
  t.true(E.isLeft(await manager.getAccessToken()()));
  t.deepEqual(
    seen.renewals.map((e) => [e.provider, e.grant, e.outcome, e.errorTag, e.errorReason]),
    [
      ['obs-tokens', 'refresh', 'renewed', undefined, undefined],
      ['obs-tokens', 'refresh', 'failed', 'AuthError', 'refresh_failed'],
    ],
  );
  t.true(seen.renewals.every((e) => e.durationMs >= 0));
  t.false(JSON.stringify(seen.renewals).includes(SECRET_TOKEN));
  t.false(JSON.stringify(seen.renewals).includes('user'), 'the session key beyond the provider is not published');
});

test('publishWebhookReceived reaches onWebhookReceived', (t) => {
  const seen = record(t, 'obs-webhook');
  publishWebhookReceived({ provider: 'obs-webhook', outcome: 'accepted', eventType: 'payment.completed' });
  t.deepEqual(seen.webhooks, [{ provider: 'obs-webhook', outcome: 'accepted', eventType: 'payment.completed' }]);
});

test('path templates replace id-like segments and drop the query', (t) => {
  t.is(pathTemplateOf('/orders'), '/orders');
  t.is(pathTemplateOf('/orders/123?state=processed'), '/orders/{id}');
  t.is(pathTemplateOf('/profiles/5f0c2b1e-0000-4000-8000-00000000dead/balances'), '/profiles/{id}/balances');
  t.is(pathTemplateOf('/addresses/0x61d1Df91F98282e5AdC8224943E0336Ec8612d66'), '/addresses/{id}');
  t.is(pathTemplateOf('/api/v1/users/alice%40example.com'), '/api/v1/users/{id}');
  t.is(pathTemplateOf('/auth/token'), '/auth/token');
  t.is(pathTemplateOf('/api/v2/me/assets'), '/api/v2/me/assets');
  t.is(pathTemplateOf('/sessions/164671%7CGb3kT9pQ2xYz'), '/sessions/{id}');
});
