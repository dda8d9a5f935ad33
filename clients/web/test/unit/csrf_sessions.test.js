'use strict';
const assert = require('node:assert/strict');
const { test } = require('node:test');
const { newToken, checkToken } = require('../../src/csrf');
const { SessionStore, parseCookies } = require('../../src/sessions');

test('a CSRF token matches only itself', () => {
  const t = newToken();
  assert.ok(t.length >= 40);
  assert.notEqual(t, newToken());
  assert.equal(checkToken(t, t), true);
  assert.equal(checkToken(t, t.slice(1)), false);
  assert.equal(checkToken(t, t.slice(0, -1) + (t.endsWith('A') ? 'B' : 'A')), false);
  assert.equal(checkToken(t, null), false);
  assert.equal(checkToken(t, ''), false);
  assert.equal(checkToken('', ''), false, 'no session token: nothing matches');
  assert.equal(checkToken(undefined, undefined), false);
});

function fakeRes() {
  const headers = {};
  return { headers, setHeader: (k, v) => { headers[k.toLowerCase()] = v; } };
}

test('session cookies are HttpOnly, SameSite=Strict, random, and Secure when asked', () => {
  const store = new SessionStore();
  const res = fakeRes();
  const s = store.create(res, 'cw.gb.new_case.a1');
  assert.match(res.headers['set-cookie'], /^cms_sid=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
  assert.equal(store.find({ headers: { cookie: `x=1; cms_sid=${s.id}` } }), s);
  assert.equal(store.find({ headers: { cookie: 'cms_sid=guess' } }), null);
  const secure = new SessionStore({ secureCookie: true });
  const r2 = fakeRes();
  secure.create(r2);
  assert.match(r2.headers['set-cookie'], /; Secure$/);
});

test('sessions end when idle and the oldest go beyond the cap', () => {
  let now = 0;
  const store = new SessionStore({ idleMs: 1000, max: 2, now: () => now });
  const a = store.create(fakeRes());
  now = 999;
  assert.equal(store.find({ headers: { cookie: `cms_sid=${a.id}` } }), a);
  now = 2000;
  assert.equal(store.find({ headers: { cookie: `cms_sid=${a.id}` } }), null);
  const b = store.create(fakeRes());
  const c = store.create(fakeRes());
  store.create(fakeRes());
  assert.equal(store.find({ headers: { cookie: `cms_sid=${b.id}` } }), null);
  assert.equal(store.find({ headers: { cookie: `cms_sid=${c.id}` } }), c);
});

test('cookies parse', () => {
  assert.deepEqual(parseCookies('a=1; b = 2;c=x=y'), { a: '1', b: '2', c: 'x=y' });
});
