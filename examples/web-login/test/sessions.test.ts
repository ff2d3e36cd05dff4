import { createMemoryTokenStore } from '@paygate/core';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { createSessionStore } from '../src/sessions.js';

const TOKENS = { accessToken: 'at-1', tokenType: 'Bearer', extra: {} };

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
  const { id, session } = sessions.create();
  await session.tokens.set('monerium:client:user', TOKENS)();
  t.deepEqual(await session.tokens.get('monerium:client:user')(), E.right(TOKENS));

  clock.advance(60_000);
  t.is(await sessions.find(id), undefined);
  t.deepEqual(await session.tokens.get('monerium:client:user')(), E.right(undefined));
});

test('each use of a session extends its idle timeout', async (t) => {
  const clock = clockAt(0);
  const sessions = createSessionStore({ tokenStore: createMemoryTokenStore(), idleTimeoutMs: 60_000, now: clock.now });
  const { id, session } = sessions.create();
  clock.advance(59_000);
  t.is(await sessions.find(id), session);
  clock.advance(59_000);
  t.is(await sessions.find(id), session);
});

test('rotating a session keeps its data under a new id and forgets the old one', async (t) => {
  const sessions = createSessionStore({ tokenStore: createMemoryTokenStore() });
  const { id, session } = sessions.create();
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
  const a = sessions.create().session;
  const b = sessions.create().session;
  await a.tokens.set('moneybutton:app:user:default', TOKENS)();
  t.deepEqual(await b.tokens.get('moneybutton:app:user:default')(), E.right(undefined));
  t.deepEqual(await shared.get('moneybutton:app:user:default')(), E.right(undefined));
});
