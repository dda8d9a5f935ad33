'use strict';
const assert = require('node:assert/strict');
const { test } = require('node:test');
const { loadConfig, ConfigError } = require('../../src/config');

const BASE = { CMS_TOKEN: 'tok-12345678', CMS_SERVER: '127.0.0.1:50051', CMS_DEV_FILE: '/nonexistent' };

test('production mode refuses to start without the identity header name', () => {
  assert.throws(() => loadConfig([], { ...BASE, CMS_WEB_MODE: 'production' }), (e) => e instanceof ConfigError
    && /identity header.*refusing to start/.test(e.message));
  assert.throws(() => loadConfig(['--mode=production', '--identity_header=bad header'], BASE), ConfigError);
  const c = loadConfig(['--mode=production'], { ...BASE, CMS_WEB_IDENTITY_HEADER: 'X-Remote-User' });
  assert.equal(c.identityHeader, 'x-remote-user');
  assert.equal(c.secureCookie, true);
});

test('dev mode lets the browser choose, so it stays on loopback', () => {
  assert.throws(() => loadConfig(['--listen=0.0.0.0:8080'], BASE), /loopback only/);
  const c = loadConfig(['--listen=127.0.0.1:0'], BASE);
  assert.equal(c.mode, 'dev');
  assert.deepEqual(c.listen, { host: '127.0.0.1', port: 0 });
  assert.equal(c.secureCookie, false);
});

test('production mode takes no token from a dev file, and a token is required', () => {
  assert.throws(() => loadConfig([], { CMS_DEV_FILE: '/nonexistent' }), /no client token/);
  assert.throws(() => loadConfig(['--bogus=1'], BASE), /unknown flag/);
  assert.throws(() => loadConfig(['--mode=staging'], BASE), /neither dev nor production/);
});
