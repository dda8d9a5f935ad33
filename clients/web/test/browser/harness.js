'use strict';
// The browser tests' world, as tests/e2e/conftest.py makes it for Python:
// the real cms_server on a fresh database of the MariaDB named by
// CMS_TEST_DB_URI (--create_database --migrate --seed_demo_bom --test_clock),
// the console as its own process, and Debian's headless chromium driven by
// playwright-core. Failing steps leave a screenshot in CMS_WEB_ARTIFACTS.
//
//   CMS_TEST_DB_URI   SOCI connect string without db= (required)
//   CMS_SERVER_BIN    cms_server (default <repo>/.build/server/cms_server)
//   CMS_CHROMIUM      the browser (default /usr/bin/chromium)
//   CMS_WEB_ARTIFACTS where screenshots go (default <tmp>/cms-web-artifacts)
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { connect } = require('../../../node');

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const WEB = path.resolve(__dirname, '..', '..');
const TOKEN = 'web-e2e-token';
const CLIENT = 'web-e2e';
const START_TIMEOUT_MS = 60000;

function artifactsDir() {
  const dir = process.env.CMS_WEB_ARTIFACTS || path.join(os.tmpdir(), 'cms-web-artifacts');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

// Starts cms_server; resolves { address, cms (client as svc.manager), stop() }.
async function startCmsServer() {
  const baseUri = (process.env.CMS_TEST_DB_URI || '').trim();
  if (!baseUri) {
    throw new Error('CMS_TEST_DB_URI is not set: give a SOCI connect string without db= '
      + '(`tools/cms db start` prints one), or run through `tools/cms test`');
  }
  const binary = process.env.CMS_SERVER_BIN || path.join(REPO, '.build', 'server', 'cms_server');
  fs.accessSync(binary, fs.constants.X_OK);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cms-web-e2e-'));
  const dbName = `web_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const tokens = path.join(tmp, 'tokens');
  fs.writeFileSync(tokens, `${TOKEN} ${CLIENT}\n`, { mode: 0o600 });
  const portFile = path.join(tmp, 'port');
  const logPath = path.join(tmp, 'server.log');
  const args = ['--db_uri', `${baseUri} db=${dbName}`, '--create_database', '--migrate', '--seed_demo_bom',
    '--test_clock', '--listen', '127.0.0.1:0', '--port_file', portFile, '--tokens_file', tokens,
    // The harness and the console name their users (x-cms-user); the tests
    // make refused calls on purpose, so the refusal limiter gets a large burst.
    '--trusted_clients', CLIENT, '--refusal_burst', '100000'];
  // CMS_* settings of our own environment must not leak into the server's.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CMS_')));
  const log = fs.openSync(logPath, 'w');
  const proc = spawn(binary, args, { cwd: tmp, env, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const tail = () => fs.readFileSync(logPath, 'utf8').split('\n').slice(-40).join('\n');
  let exited = null;
  proc.on('exit', (code) => { exited = code; });

  const deadline = Date.now() + START_TIMEOUT_MS;
  let port = null;
  while (!port) {
    if (exited !== null) throw new Error(`cms_server exited with ${exited} before serving\n${tail()}`);
    if (Date.now() > deadline) throw new Error(`cms_server wrote no port file\n${tail()}`);
    try {
      port = Number(fs.readFileSync(portFile, 'utf8').trim()) || null;
    } catch (_) {
      port = null;
    }
    if (!port) await sleep(50);
  }
  const address = `127.0.0.1:${port}`;
  const cms = connect({ server: address, token: TOKEN, user: 'svc.manager', timeoutMs: 10000 });
  for (;;) { // serving once a read answers
    try {
      await cms.bom.listSegments({ page_size: 1 }, { timeoutMs: 2000 });
      break;
    } catch (e) {
      if (exited !== null || Date.now() > deadline) throw new Error(`cms_server never answered: ${e.message}\n${tail()}`);
      await sleep(100);
    }
  }

  async function stop() {
    cms.close();
    if (exited === null) {
      proc.kill('SIGTERM');
      for (let i = 0; i < 200 && exited === null; i++) await sleep(100);
      if (exited === null) proc.kill('SIGKILL');
    }
    dropDatabase(baseUri, dbName);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { address, token: TOKEN, cms, stop, logTail: tail, logPath, pid: proc.pid };
}

function dropDatabase(baseUri, dbName) {
  const opts = Object.fromEntries(baseUri.split(/\s+/).filter((p) => p.includes('=')).map((p) => {
    const i = p.indexOf('=');
    return [p.slice(0, i), p.slice(i + 1)];
  }));
  const args = ['--no-defaults', '-u', opts.user || 'root'];
  if (opts.unix_socket) args.push('--socket', opts.unix_socket);
  else args.push('-h', opts.host || '127.0.0.1', '-P', opts.port || '3306');
  if (opts.password) args.push(`-p${opts.password}`);
  spawnSync('mariadb', [...args, '-e', `DROP DATABASE IF EXISTS \`${dbName}\``], { timeout: 30000 });
}

// Starts bin/cms-web.js on a free port; resolves { url, stop(), output() }.
// extraEnv may set CMS_WEB_MODE, CMS_WEB_IDENTITY_HEADER, CMS_SERVER...
async function startConsole(server, extraEnv = {}) {
  const env = { ...process.env, CMS_SERVER: server ? server.address : '127.0.0.1:1', CMS_TOKEN: TOKEN,
    CMS_USER: 'svc.manager', CMS_DEV_FILE: '/nonexistent', ...extraEnv };
  // CMS_WEB_NODE_ARGS: extra node flags for the console (e.g. --cpu-prof for bench/load.js).
  const nodeArgs = (process.env.CMS_WEB_NODE_ARGS || '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, path.join(WEB, 'bin', 'cms-web.js'), '--listen=127.0.0.1:0'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`console did not start: ${stderr}`)), 15000);
    readline.createInterface({ input: proc.stdout }).on('line', (line) => {
      lines.push(line);
      try {
        const ev = JSON.parse(line);
        if (ev.event === 'serving') {
          clearTimeout(timer);
          resolve(ev.url.replace(/\/$/, ''));
        }
      } catch (_) { /* not JSON */ }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`console exited with ${code}: ${stderr}`));
    });
  });
  return {
    url,
    pid: proc.pid,
    output: () => lines.join('\n') + stderr,
    stop: () => new Promise((resolve) => {
      if (proc.exitCode !== null) return resolve();
      proc.on('exit', resolve);
      proc.kill('SIGTERM');
    }),
  };
}

async function launchBrowser() {
  const { chromium } = require('playwright-core');
  return chromium.launch({ executablePath: process.env.CMS_CHROMIUM || '/usr/bin/chromium' });
}

// Runs fn(page) in a fresh browser context; on failure saves a screenshot
// named after the step, then rethrows.
async function withPage(browser, name, fn, contextOptions = {}) {
  const context = await browser.newContext({ bypassCSP: true, ...contextOptions });
  const page = await context.newPage();
  try {
    return await fn(page, context);
  } catch (err) {
    const file = path.join(artifactsDir(), `${name.replace(/[^A-Za-z0-9_-]+/g, '_')}-${Date.now()}.png`);
    try {
      await page.screenshot({ path: file, fullPage: true });
      err.message += `\nscreenshot: ${file}`;
    } catch (_) { /* the page may be gone */ }
    throw err;
  } finally {
    await context.close();
  }
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// axe-core on the current page: fails on any serious or critical violation.
async function checkA11y(page, label) {
  const result = await page.evaluate(async (source) => {
    if (!window.axe) (0, eval)(source); // eslint-disable-line no-eval
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  }, AXE_SOURCE);
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `accessibility violations on ${label}: ${JSON.stringify(bad, null, 1)}`);
  return result;
}

// Presses Tab until the element matching `selector` has the focus (the
// keyboard's way there); fails after `max` presses.
async function tabTo(page, selector, max = 300) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((sel) => document.activeElement && document.activeElement.matches(sel), selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${selector} is not reachable with Tab`);
}

async function signIn(page, consoleUrl, staffId) {
  await page.goto(`${consoleUrl}/signin`);
  await checkA11y(page, 'sign-in');
  await page.selectOption('#staff_id', staffId);
  await page.click('button:has-text("Sign in")');
  await page.waitForSelector(`.staff-id:text-is("${staffId}")`);
}

// --- data the scenarios start from (made through the API, as the Python e2e tests do)

const NINO_PREFIXES = ['AB', 'CE', 'JK', 'HP', 'WL', 'SN', 'PR', 'EH', 'MA', 'TC'];
const usedNinos = new Set();

function nino() {
  for (;;) {
    const n = NINO_PREFIXES[crypto.randomInt(NINO_PREFIXES.length)]
      + String(crypto.randomInt(1000000)).padStart(6, '0') + 'ABCD'[crypto.randomInt(4)];
    if (!usedNinos.has(n)) {
      usedNinos.add(n);
      return n;
    }
  }
}

function rid() {
  return `web-e2e-${crypto.randomUUID()}`;
}

function person(postcode) {
  return { given_name: 'Pat', family_name: 'Web' + crypto.randomBytes(3).toString('hex'),
    date_of_birth: { year: 1985, month: 6, day: 15 }, nino: nino(),
    residential_address: { lines: ['1 Test Street'], postcode } };
}

// extra: { legacy (a LegacyLink), pp (fields added to the paying parent) }.
async function createApplication(client, ppPostcode, rpPostcode, extra = {}) {
  const rp = person(rpPostcode);
  return client.casegroups.createApplication({
    request_id: rid(), paying_parent: { new_person: { ...person(ppPostcode), ...(extra.pp || {}) } },
    receiving_parent: { new_person: rp }, legacy: extra.legacy,
    children: [{ given_name: 'Sam', family_name: rp.family_name, date_of_birth: { year: 2015, month: 1, day: 20 } }],
    pp_requested_service_type: 'SERVICE_TYPE_DIRECT_PAY', rp_requested_service_type: 'SERVICE_TYPE_COLLECT_AND_PAY',
  });
}

async function createSr(client, app, typeCode, fields) {
  const r = await client.serviceRequests.createServiceRequest({
    request_id: rid(), type_code: typeCode, casegroup_id: app.casegroup.id, case_id: app.case.id,
    source: 'SR_SOURCE_CASEWORKER', fields });
  return r.service_request;
}

// The server clock's civil date (UTC) plus `days`, as a cms.v1.Date.
function serverDate(clock, days) {
  const d = new Date(Number(clock.now.seconds) * 1000 + days * 86400000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

// A caseworker of the segment owning the casegroup now (it moves as money happens).
async function ownerOf(cms, casegroupId) {
  const group = await cms.casegroups.getCasegroup({ id: casegroupId });
  if (group.allocated_to) return group.allocated_to;
  const staff = await cms.bom.listStaff({ segment_id: group.owning_segment_id, page_size: 100 });
  return staff.staff.find((s) => s.role === 'ROLE_CASEWORKER').staff_id;
}

module.exports = { tabTo, serverDate, ownerOf, startCmsServer, startConsole, launchBrowser, withPage, checkA11y, signIn, createApplication,
  createSr, rid, artifactsDir, WEB };
