'use strict';
// Production mode: the console will not start without the identity header's
// name, answers 401 to a request without the header, acts for whom the
// header names (never a browser choice), and shows a clear page when
// cms_server is down.
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { describe, it, before, after } = require('node:test');
const h = require('./harness');

const HEADER = 'X-Remote-User';

describe('console (production mode)', () => {
  let server;
  let web;
  let browser;

  before(async () => {
    server = await h.startCmsServer();
    web = await h.startConsole(server, { CMS_WEB_MODE: 'production', CMS_WEB_IDENTITY_HEADER: HEADER });
    browser = await h.launchBrowser();
  });

  after(async () => {
    if (browser) await browser.close();
    if (web) await web.stop();
    if (server) await server.stop();
  });

  it('refuses to start without the identity header configured', () => {
    const run = spawnSync(process.execPath, [path.join(h.WEB, 'bin', 'cms-web.js'), '--listen=127.0.0.1:0'], {
      env: { ...process.env, CMS_WEB_MODE: 'production', CMS_WEB_IDENTITY_HEADER: '', CMS_TOKEN: 'x-token-123',
        CMS_SERVER: server.address },
      encoding: 'utf8', timeout: 10000,
    });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /identity header.*refusing to start/);
  });

  it('refuses a request without the identity header', async () => {
    await h.withPage(browser, 'production-401', async (page) => {
      const response = await page.goto(`${web.url}/work`);
      assert.equal(response.status(), 401);
      assert.match(await page.textContent('h1'), /Not signed in/);
      assert.equal(await page.locator('nav').count(), 0);
      await h.checkA11y(page, '401 page');
      const signin = await page.goto(`${web.url}/signin`);
      assert.equal(signin.status(), 401, 'no staff picker in production');
    });
  });

  it('acts for whom the proxy names, and the browser never sees the token', async () => {
    await h.withPage(browser, 'production-header', async (page) => {
      const response = await page.goto(`${web.url}/`);
      assert.equal(response.status(), 200);
      assert.equal((await page.textContent('.staff-id')).trim(), 'tl.gb.new_case.a');
      assert.match(page.url(), /\/work$/);
      const body = await page.content();
      assert.ok(!body.includes(server.token), 'the client token is never in a page');
      const cookies = await page.context().cookies();
      assert.equal(cookies.length, 1);
      assert.equal(cookies[0].httpOnly, true);
      assert.equal(cookies[0].sameSite, 'Strict');
      await h.checkA11y(page, 'my work (production)');
    }, { extraHTTPHeaders: { [HEADER]: 'tl.gb.new_case.a' } });
  });

  it('shows a clear page when cms_server is down', async () => {
    const down = await h.startConsole(null, { CMS_WEB_MODE: 'production', CMS_WEB_IDENTITY_HEADER: HEADER,
      CMS_SERVER: '127.0.0.1:1' });
    try {
      await h.withPage(browser, 'server-down', async (page) => {
        const response = await page.goto(`${down.url}/work`);
        assert.equal(response.status(), 503);
        assert.match(await page.textContent('h1'), /not answering/);
        assert.ok(!(await page.content()).includes('    at '), 'no stack trace');
        await h.checkA11y(page, 'server down page');
      }, { extraHTTPHeaders: { [HEADER]: 'cw.gb.new_case.a1' } });
    } finally {
      await down.stop();
    }
  });
});
