'use strict';
const assert = require('node:assert/strict');
const { test } = require('node:test');
const { html, escapeHtml, url } = require('../../src/html');

test('every interpolated value is escaped', () => {
  const evil = `<script>alert("x")</script>' onmouseover=alert(1) \``;
  const out = html`<p title="${evil}">${evil}</p>`.toString();
  assert.ok(!out.includes('<script>'));
  assert.ok(!out.includes('" onmouseover') && !out.includes("' onmouseover"), 'no attribute break-out');
  assert.equal(out, `<p title="${escapeHtml(evil)}">${escapeHtml(evil)}</p>`);
  assert.equal(escapeHtml(`&<>"'\`=`), '&amp;&lt;&gt;&quot;&#39;&#96;&#61;');
});

test('nested templates are not escaped twice; arrays join; nothing renders as empty', () => {
  const inner = html`<b>${'a&b'}</b>`;
  assert.equal(html`<p>${inner}${[html`<i>1</i>`, '<2>']}${null}${undefined}${false}</p>`.toString(),
    '<p><b>a&amp;b</b><i>1</i>&lt;2&gt;</p>');
  assert.equal(html`${0}`.toString(), '0');
});

test('a plain object that looks like SafeHtml is still escaped', () => {
  assert.equal(html`${{ value: '<x>' }}`.toString(), '[object Object]');
  assert.equal(html`${{ toString: () => '<x>' }}`.toString(), '&lt;x&gt;');
});

test('url encodes path segments and query values', () => {
  assert.equal(url('/sr', 12), '/sr/12');
  assert.equal(url('/sr', '../admin'), '/sr/..%2Fadmin');
  assert.equal(url('/work', { status: 'A B', page: '', type: 'X&y=1' }), '/work?status=A+B&type=X%26y%3D1');
  assert.equal(url('/work', {}), '/work');
});
