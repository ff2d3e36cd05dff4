import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { isLoopbackHost, parseBaseUrl, parseServiceUrl } from '../src/urls.js';

test('plain http and ws are refused for a non-loopback host', (t) => {
  t.like(parseServiceUrl('http://api.example.com', 'baseUrl'), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'baseUrl' } });
  t.like(parseServiceUrl('ws://api.example.com', 'wsUrl', { kind: 'websocket' }), { _tag: 'Left', left: { field: 'wsUrl' } });
  t.like(parseServiceUrl('http://10.0.0.1:8080', 'baseUrl'), { _tag: 'Left' });
  t.like(parseServiceUrl('http://127.0.0.1.example.com', 'baseUrl'), { _tag: 'Left' });
});

test('plain http and ws are accepted on loopback, https and wss anywhere', (t) => {
  for (const url of ['http://127.0.0.1:4000', 'http://localhost:1', 'http://[::1]:9', 'https://api.example.com/v2']) {
    t.true(E.isRight(parseServiceUrl(url, 'baseUrl')), url);
  }
  for (const url of ['ws://127.0.0.1:4000', 'wss://api.monerium.app']) t.true(E.isRight(parseServiceUrl(url, 'wsUrl', { kind: 'websocket' })), url);
  t.true(isLoopbackHost('127.8.9.10'));
  t.false(isLoopbackHost('128.0.0.1'));
});

test('the wrong scheme, a fragment, user info, a query, or a non-string is refused', (t) => {
  const bad: ReadonlyArray<[unknown, 'http' | 'websocket']> = [
    ['wss://api.monerium.app#frag', 'websocket'],
    ['wss://api.monerium.app#', 'websocket'],
    ['https://api.monerium.app', 'websocket'],
    ['wss://api.monerium.app', 'http'],
    ['https://user:pw@api.example.com', 'http'],
    ['https://api.example.com/?a=1', 'http'],
    ['ftp://api.example.com', 'http'],
    ['not a url', 'http'],
    [null, 'http'],
    [42, 'websocket'],
    [`https://x/${'a'.repeat(5000)}`, 'http'],
  ];
  for (const [value, kind] of bad) t.like(parseServiceUrl(value, 'url', { kind }), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'url' } }, String(value).slice(0, 40));
  t.true(E.isRight(parseServiceUrl('https://x/?a=1', 'url', { allowQuery: true })));
});

test('parseBaseUrl drops trailing slashes', (t) => {
  t.deepEqual(parseBaseUrl('https://api.example.com/v1//', 'baseUrl'), E.right('https://api.example.com/v1'));
});
