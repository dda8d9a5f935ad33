'use strict';
// The console's HTTP layer for real (a real client, no server behind it):
// production mode refuses requests without the identity header, and every
// POST needs the session's CSRF token.
const assert = require('node:assert/strict');
const { test, before, after } = require('node:test');
const { connect } = require('../../../node');
const { loadConfig } = require('../../src/config');
const { createConsole } = require('../../src/app');
const { allRoutes } = require('../../src/routes');

const ENV = { CMS_TOKEN: 'tok-12345678', CMS_SERVER: '127.0.0.1:1', CMS_DEV_FILE: '/nonexistent' };
const servers = [];
let cms;

before(() => {
  cms = connect({ server: ENV.CMS_SERVER, token: ENV.CMS_TOKEN, user: 'svc.manager', timeoutMs: 2000 });
});

after(() => {
  for (const s of servers) s.close();
  cms.close();
});

async function start(argv, env) {
  const config = loadConfig(['--listen=127.0.0.1:0', ...argv], { ...ENV, ...env });
  const logs = [];
  const server = createConsole({ config, cms, routes: allRoutes({ cms, config }), log: (l) => logs.push(l) });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return { base: `http://127.0.0.1:${server.address().port}`, logs };
}

test('production mode: no identity header, 401; nothing personal in the log', async () => {
  const { base, logs } = await start(['--mode=production', '--identity_header=X-Remote-User'], {});
  for (const path of ['/', '/work', '/sr/1', '/signin']) {
    const r = await fetch(base + path + '?nino=AB123456C', { redirect: 'manual' });
    assert.equal(r.status, 401, path);
    const body = await r.text();
    assert.match(body, /Not signed in/);
    assert.equal(r.headers.get('set-cookie'), null);
    assert.match(r.headers.get('content-security-policy'), /default-src 'none'/);
  }
  const bad = await fetch(base + '/work', { headers: { 'X-Remote-User': '<script>' } });
  assert.equal(bad.status, 401, 'a malformed identity is no identity');
  assert.ok(logs.length >= 5);
  assert.ok(logs.every((l) => !JSON.stringify(l).includes('AB123456C')), 'query strings are not logged');
});

test('dev mode: a POST without the CSRF token is refused before anything runs', async () => {
  const { base } = await start([], {});
  const page = await fetch(base + '/signin', { redirect: 'manual' }); // lists staff: server down here
  assert.equal(page.status, 503);
  const cookie = page.headers.get('set-cookie').split(';')[0];
  const post = (body, headers = {}) => fetch(base + '/signin', { method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...headers }, body });
  const r = await post('staff_id=svc.manager');
  assert.equal(r.status, 403);
  assert.match(await r.text(), /Form expired/);
  assert.equal((await post('staff_id=svc.manager&csrf=wrong')).status, 403);
  const noSession = await fetch(base + '/signout', { method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'csrf=x' });
  assert.equal(noSession.status, 303);
  assert.equal(noSession.headers.get('location'), '/signin');
});

test('dev mode answers only to a loopback Host (no DNS rebinding)', async () => {
  const { base } = await start([], {});
  const port = new URL(base).port;
  const http = require('node:http');
  const status = (host) => new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/signin', headers: { host } }, (r) => {
      r.resume();
      resolve(r.statusCode);
    }).on('error', reject);
  });
  assert.equal(await status('evil.example:' + port), 421);
  assert.equal(await status('127.0.0.1.evil.example'), 421);
  assert.notEqual(await status(`localhost:${port}`), 421);
  assert.notEqual(await status(`127.0.0.1:${port}`), 421);
});

test('the server being down is a clear page, never a stack trace', async () => {
  const { base } = await start([], {});
  const r = await fetch(base + '/signin');
  assert.equal(r.status, 503);
  const body = await r.text();
  assert.match(body, /not answering/);
  assert.doesNotMatch(body, /\bat .*\.js:\d+/);
});
