import { authError } from '@paygate/core';
import test from 'ava';
import { escapeHtml, html } from '../src/html.js';
import { accountPage, errorPage } from '../src/pages.js';

const hostile = `<img src=x onerror="alert('x')">&`;
const escaped = '&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;';

test('escapeHtml replaces the five characters that matter in text and attributes', (t) => {
  t.is(escapeHtml(hostile), escaped);
});

test('html escapes every interpolated value but keeps nested html fragments as they are', (t) => {
  const items = ['a<b', 'c&d'];
  const out = html`<ul>${items.map((item) => html`<li title="${item}">${item}</li>`)}</ul>${undefined}${null}${false}${hostile}`.value;
  t.is(out, `<ul><li title="a&lt;b">a&lt;b</li><li title="c&amp;d">c&amp;d</li></ul>${escaped}`);
});

test('the account page escapes what the provider returned', (t) => {
  const page = accountPage({
    provider: 'Monerium',
    user: hostile,
    balances: [{ amount: '1', currency: 'EUR', account: hostile }],
    payments: [
      { id: hostile, status: 'completed', amount: { amount: '2', currency: 'EUR' }, createdAt: hostile, counterpart: { name: hostile }, raw: {} },
    ],
  });
  t.false(page.includes(hostile));
  t.is(page.split(escaped).length - 1, 5);
});

test('the error page shows the tag, the reason and the message, escaped', (t) => {
  const page = errorPage(authError({ reason: 'state_mismatch', message: `state did not match ${hostile}` }));
  t.regex(page, /<h1 class="error" id="error">AuthError: state_mismatch<\/h1>/);
  t.true(page.includes(`state did not match ${escaped}`));
});
