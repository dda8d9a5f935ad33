#!/usr/bin/env node
'use strict';
// Page server time under load: starts cms_server on a fresh database (as the
// browser tests do), loads N casegroups through the API (each an application
// with an Arrears Review SR, all in the GB New Case segment), lets the
// segment's caseworkers take work, then has 16 signed-in users work their
// pages for a while: 10 caseworkers (My work, one of their SRs, its
// casegroup, its case's arrears), 2 team leaders (the team page, the
// segment queue), 2 segment managers (the queue, its profile, the team
// decision histories) and 2 service managers (the service page, an SR's
// audit trail). Reports p50/p95/max of the console's own per-request time
// (its log line: from request to last byte written, gRPC calls included)
// per page, the client's view of the whole mix, and the weight of My work
// (HTML + stylesheet, no caching).
//
// With --think_ms=T each user pauses between pages, exponentially
// distributed with mean T (a caseworker reading the page); 0, the default,
// loops without pause, a load far above 16 people's. A list (0,250,1000)
// runs one phase per pause over the same data, one after the other.
//
//   CMS_TEST_DB_URI=... CMS_SERVER_BIN=... node bench/load.js [--casegroups=N] [--users=16] [--seconds=30] [--think_ms=0[,T...]]
const fs = require('node:fs');
const h = require('../test/browser/harness');

function argText(name, dflt) {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.split('=')[1] : dflt;
}

const arg = (name, dflt) => Number(argText(name, dflt));

// CPU seconds (user + system) a process has used, from /proc (Linux).
function cpuSeconds(pid) {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch (_) {
    return NaN;
  }
}

// The MariaDB server the test database lives in (the only mariadbd here,
// as `tools/cms db start` runs it); NaN figures when there is none.
function mariadbPid() {
  try {
    return Number(require('node:child_process').execFileSync('pgrep', ['-o', '-x', 'mariadbd'], { encoding: 'utf8' }).trim());
  } catch (_) {
    return NaN;
  }
}

function pct(values, p) {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

async function pool(n, count, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < count) await fn(next++);
  }));
}

// A dev-mode session for staffId: returns its cookie.
async function signIn(base, staffId) {
  const page = await fetch(`${base}/signin`);
  const cookie = page.headers.get('set-cookie').split(';')[0];
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())[1];
  const r = await fetch(`${base}/signin`, { method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ csrf, staff_id: staffId }) });
  return r.headers.get('set-cookie').split(';')[0];
}

// One run of every session's pages for `seconds`, each user pausing a mean
// of thinkMs between pages; prints the console's time per page.
async function phase(web, server, sessions, seconds, thinkMs, casegroups, users) {
  const think = () => (thinkMs > 0
    ? new Promise((resolve) => setTimeout(resolve, -thinkMs * Math.log(1 - Math.random()))) : null);
  const logStart = web.output().split('\n').length;
  const serverLogStart = fs.statSync(server.logPath).size;
  const db = mariadbPid();
  const cpu0 = { server: cpuSeconds(server.pid), console: cpuSeconds(web.pid), db: cpuSeconds(db),
    load: process.cpuUsage() };
  const client = [];
  let errors = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(sessions.map(async (s, u) => {
    for (let i = u; Date.now() < until; i++) {
      for (const path of s.paths(i)) {
        const t = process.hrtime.bigint();
        const r = await fetch(web.url + path, { headers: { cookie: s.cookie } });
        await r.arrayBuffer();
        client.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (r.status !== 200) {
          errors++;
          process.stderr.write(`${s.staffId} ${path}: HTTP ${r.status}\n`);
        }
        await think();
      }
    }
  }));
  const loadCpu = process.cpuUsage(cpu0.load);
  const cpu = { server: cpuSeconds(server.pid) - cpu0.server, console: cpuSeconds(web.pid) - cpu0.console,
    db: cpuSeconds(db) - cpu0.db, load: (loadCpu.user + loadCpu.system) / 1e6 };
  const logged = new Map(); // route -> server times (ms)
  for (const line of web.output().split('\n').slice(logStart)) {
    try {
      const ev = JSON.parse(line);
      if (ev.event !== 'http' || !ev.route) continue;
      if (!logged.has(ev.route)) logged.set(ev.route, []);
      logged.get(ev.route).push(ev.ms);
    } catch (_) { /* not a log line */ }
  }
  const row = (name, v) => `${name.padEnd(22)} n=${String(v.length).padStart(5)}  p50=${pct(v, 50).toFixed(1)} ms  `
    + `p95=${pct(v, 95).toFixed(1)} ms  max=${Math.max(...v).toFixed(1)} ms`;
  console.log(`data: ${casegroups} casegroups, ${casegroups} SRs (GB New Case), ${users} users `
    + `(${sessions.map((s) => s.staffId).join(', ')}), ${seconds} s, think ${thinkMs} ms, errors=${errors}`);
  for (const [route, times] of [...logged.entries()].sort()) console.log(row(`${route} (server)`, times));
  console.log(row('every page (client)', client));
  const pages = client.length;
  // Where cms_server's time went: each RPC's own latency (its log line),
  // the total first.
  const rpcs = new Map();
  const fd = fs.openSync(server.logPath, 'r');
  const size = fs.fstatSync(fd).size - serverLogStart;
  const buf = Buffer.alloc(size);
  fs.readSync(fd, buf, 0, size, serverLogStart);
  fs.closeSync(fd);
  for (const line of buf.toString('utf8').split('\n')) {
    if (!line.startsWith('{"')) continue;
    try {
      const ev = JSON.parse(line);
      if (!ev.rpc) continue;
      if (!rpcs.has(ev.rpc)) rpcs.set(ev.rpc, []);
      rpcs.get(ev.rpc).push(ev.latency_ms);
    } catch (_) { /* not a log line */ }
  }
  const sum = (v) => v.reduce((a, b) => a + b, 0);
  console.log('cms_server RPCs, by total time:');
  for (const [rpc, v] of [...rpcs.entries()].sort((x, y) => sum(y[1]) - sum(x[1]))) {
    console.log(`  ${rpc.replace('cms.v1.', '').padEnd(52)} n=${String(v.length).padStart(6)}  `
      + `mean=${(sum(v) / v.length).toFixed(2)} ms  p95=${pct(v, 95).toFixed(1)} ms  total=${(sum(v) / 1000).toFixed(1)} s`);
  }
  console.log(`CPU per page (ms): cms_server ${(cpu.server * 1000 / pages).toFixed(2)}, console `
    + `${(cpu.console * 1000 / pages).toFixed(2)}, MariaDB ${(cpu.db * 1000 / pages).toFixed(2)}, `
    + `load generator ${(cpu.load * 1000 / pages).toFixed(2)} `
    + `(${pages} pages, ${(pages / seconds).toFixed(0)} pages/s)`);
}

async function main() {
  const casegroups = arg('casegroups', 10000);
  const users = arg('users', 16);
  const seconds = arg('seconds', 30);
  const pauses = argText('think_ms', '0').split(',').map(Number);
  const server = await h.startCmsServer();
  const web = await h.startConsole(server);
  try {
    const t0 = Date.now();
    const cw = server.cms.asUser('cw.gb.new_case.a1');
    await pool(16, casegroups, async () => {
      const app = await h.createApplication(cw, 'LS1 1UR', 'LS2 7EY');
      await h.createSr(cw, app, 'ARREARS_REVIEW', { Reason: 'Arrears Routing Logic' });
    });
    process.stderr.write(`loaded ${casegroups} casegroups (+1 SR each) in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);

    // The segment's caseworkers take work up to their load limit (W4.4).
    const staff = (await server.cms.bom.listStaff({ page_size: 1000 })).staff
      .filter((s) => s.role === 'ROLE_CASEWORKER' && s.staff_id.startsWith('cw.gb.new_case.'));
    const theirs = new Map();
    for (const s of staff) {
      const me = server.cms.asUser(s.staff_id);
      for (let i = 0; i < 1000; i++) {
        try {
          await me.work.getNextWork({ request_id: h.rid() });
        } catch (e) {
          break; // the load limit, or an empty queue
        }
      }
      theirs.set(s.staff_id, (await me.work.listMyWork({ page_size: 1000 })).items);
      process.stderr.write(`${s.staff_id} holds ${theirs.get(s.staff_id).length} SRs\n`);
    }

    // Each session's pages, cycled: the i-th round of session u.
    const held = [...theirs.values()].flat();
    const pick = (i) => held[i % held.length];
    const caseworker = (staffId) => (i) => {
      const mine = theirs.get(staffId);
      const sr = mine[i % mine.length];
      return ['/work', `/sr/${sr.id}`, `/casegroup/${sr.casegroup_id}`, `/case/${sr.case_id}/arrears`];
    };
    const roles = [
      ...Array.from({ length: 10 }, (_, u) => [staff[u % staff.length].staff_id, caseworker(staff[u % staff.length].staff_id)]),
      ['tl.gb.new_case.a', () => ['/team', '/segment']],
      ['tl.gb.new_case.b', () => ['/team', '/segment']],
      ['sm.gb.new_case', () => ['/segment', '/segment/profile', '/segment/decisions']],
      ['sm.gb.new_case', () => ['/segment', '/segment/profile', '/segment/decisions']],
      ['svc.manager', (i) => ['/service', `/audit?entity_type=service_request&entity_id=${pick(i).id}`]],
      ['svc.manager', (i) => ['/service', `/audit?entity_type=service_request&entity_id=${pick(i).id}`]],
    ];
    const sessions = [];
    for (let u = 0; u < users; u++) {
      const [staffId, paths] = roles[u % roles.length];
      sessions.push({ staffId, paths, cookie: await signIn(web.url, staffId) });
    }
    const work = await fetch(`${web.url}/work`, { headers: { cookie: sessions[0].cookie } });
    const css = await fetch(`${web.url}/static/console.css`);
    const weight = { html: (await work.arrayBuffer()).byteLength, css: (await css.arrayBuffer()).byteLength };

    for (const thinkMs of pauses) await phase(web, server, sessions, seconds, thinkMs, casegroups, users);
    console.log(`My work page weight: ${weight.html} B HTML + ${weight.css} B CSS = ${weight.html + weight.css} B`);
  } finally {
    await web.stop();
    await server.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
