import { createMemoryTokenStore } from '@paygate/core';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { createSessionStore, type SessionStore } from '../src/sessions.js';

const TOKENS = { accessToken: 'at-1', tokenType: 'Bearer', extra: {} };

const created = (sessions: SessionStore) => {
  const made = sessions.create();
  if (made === undefined) throw new Error('the session store refused a session');
  return made;
};

const clockAt = (start: number) => {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
};

test('a session idle longer than the timeout is gone, and so are its tokens', async (t) => {
  const shared = createMemoryTokenStore();
  const clock = clockAt(1_000);
  const sessions = createSessionStore({ tokenStore: shared, idleTimeoutMs: 60_000, now: clock.now });
  const { id, session } = created(sessions);
  await session.tokens.set('monerium:client:user', TOKENS)();
  t.deepEqual(await session.tokens.get('monerium:client:user')(), E.right(TOKENS));

  clock.advance(60_000);
  t.is(await sessions.find(id), undefined);
  t.deepEqual(await session.tokens.get('monerium:client:user')(), E.right(undefined));
});

test('each use of a session extends its idle timeout', async (t) => {
  const clock = clockAt(0);
  const sessions = createSessionStore({ tokenStore: createMemoryTokenStore(), idleTimeoutMs: 60_000, now: clock.now });
  const { id, session } = created(sessions);
  clock.advance(59_000);
  t.is(await sessions.find(id), session);
  clock.advance(59_000);
  t.is(await sessions.find(id), session);
});

test('rotating a session keeps its data under a new id and forgets the old one', async (t) => {
  const sessions = createSessionStore({ tokenStore: createMemoryTokenStore() });
  const { id, session } = created(sessions);
  const next = sessions.rotate(id);
  t.regex(next ?? '', /^[A-Za-z0-9_-]{43}$/);
  t.not(next, id);
  t.is(await sessions.find(next ?? ''), session);
  t.is(await sessions.find(id), undefined);
  t.is(sessions.rotate('unknown'), undefined);
});

test('two sessions never share a token key', async (t) => {
  const shared = createMemoryTokenStore();
  const sessions = createSessionStore({ tokenStore: shared });
  const a = created(sessions).session;
  const b = created(sessions).session;
  await a.tokens.set('moneybutton:app:user:default', TOKENS)();
  t.deepEqual(await b.tokens.get('moneybutton:app:user:default')(), E.right(undefined));
  t.deepEqual(await shared.get('moneybutton:app:user:default')(), E.right(undefined));
});

test('the store never holds more than maxSessions: the least recently used session that is not signed in goes first', async (t) => {
  const sessions = createSessionStore({ tokenStore: createMemoryTokenStore(), maxSessions: 3 });
  const signedIn = created(sessions);
  signedIn.session.signedIn = { provider: 'monerium', connection: {} as never };
  sessions.signIn(signedIn.id);
  const first = created(sessions);
  const second = created(sessions);
  t.is(sessions.size(), 3);
  const third = created(sessions);
  t.is(sessions.size(), 3);
  t.is(await sessions.find(first.id), undefined, 'the oldest pending session was evicted');
  t.is(await sessions.find(signedIn.id), signedIn.session, 'a signed-in session is kept');
  t.is(await sessions.find(second.id), second.session);
  t.is(await sessions.find(third.id), third.session);
});

test('a store full of signed-in sessions refuses a new one instead of dropping a signed-in user', (t) => {
  const sessions = createSessionStore({ tokenStore: createMemoryTokenStore(), maxSessions: 2 });
  for (let i = 0; i < 2; i += 1) {
    const made = created(sessions);
    made.session.signedIn = { provider: 'moneybutton', connection: {} as never };
  }
  t.is(sessions.create(), undefined);
  t.is(sessions.size(), 2);
});

test('a session that never signs in expires after the pending timeout, a signed-in one after the idle timeout', async (t) => {
  const clock = clockAt(0);
  const sessions = createSessionStore({ tokenStore: createMemoryTokenStore(), idleTimeoutMs: 60 * 60_000, pendingTimeoutMs: 5 * 60_000, now: clock.now });
  const pending = created(sessions);
  const signed = created(sessions);
  signed.session.signedIn = { provider: 'monerium', connection: {} as never };
  sessions.signIn(signed.id);
  clock.advance(5 * 60_000);
  t.is(await sessions.find(pending.id), undefined);
  t.is(await sessions.find(signed.id), signed.session);
});

test('20,000 sessions created without a cookie (one per cookie-less POST /login) never exceed the cap', (t) => {
  const sessions = createSessionStore({ tokenStore: createMemoryTokenStore(), maxSessions: 1_000 });
  let largest = 0;
  for (let i = 0; i < 20_000; i += 1) {
    created(sessions);
    largest = Math.max(largest, sessions.size());
  }
  t.is(largest, 1_000);
  t.is(sessions.size(), 1_000);
});
