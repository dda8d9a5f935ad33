'use strict';
// The console's HTTP server: routing, who the request acts for, sessions,
// CSRF, security headers and error pages. Pages (src/pages/) only read the
// request and call cms_server through ctx.cms, a clients/node view acting for
// the signed-in staff member.
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { SessionStore } = require('./sessions');
const { checkToken } = require('./csrf');
const { html } = require('./html');
const { layout } = require('./layout');
const { isCmsError, classify, errorDetails, incidentId } = require('./errors');
const { ServerCache } = require('./cache');

const STAFF_ID = /^[A-Za-z0-9._-]{1,40}$/;
const LOOPBACK_HOST = /^(127(?:\.\d{1,3}){3}|localhost|\[::1\])(:\d{1,5})?$/i;
const MAX_BODY = 64 * 1024;
const STAFF_REFRESH_MS = 60 * 1000;
const MAX_VIEWS = 5000;
const CSS = fs.readFileSync(path.join(__dirname, '..', 'static', 'console.css'));

const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    + "frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

class HttpError extends Error {
  constructor(status, title, text) {
    super(text);
    this.status = status;
    this.title = title;
  }
}

// routes: [method, /regex/, handler, {public}, name]; handler(ctx) answers
// through ctx.send / ctx.redirect (a redirect is thrown, as is any error).
function createConsole({ config, cms, routes, log = defaultLog }) {
  const sessions = new SessionStore({ secureCookie: config.secureCookie });
  const cache = new ServerCache();
  // One clients/node view per person, made once: asUser builds a client
  // per service, which costs more than a page's own work (profiled).
  const views = new Map();
  const viewFor = (staffId) => {
    let view = views.get(staffId);
    if (!view) {
      if (views.size >= MAX_VIEWS) views.delete(views.keys().next().value);
      view = cms.asUser(staffId);
      views.set(staffId, view);
    }
    return view;
  };

  async function handle(req, res) {
    const started = process.hrtime.bigint();
    const ctx = { req, res, config, cache, sessions, log, session: null, staff: null, flash: null };
    ctx.redirect = (location, flash) => {
      if (flash && ctx.session) ctx.session.flash = flash;
      throw new Redirect(location);
    };
    ctx.send = (title, body, opts = {}) => sendPage(ctx, title, body, opts);
    let route = 'unmatched';
    try {
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
      ctx.url = new URL(req.url, 'http://console.invalid');
      if (req.method === 'GET' && ctx.url.pathname === '/static/console.css') {
        route = 'static';
        res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'max-age=3600' });
        res.end(CSS);
        return;
      }
      res.setHeader('Cache-Control', 'no-store'); // pages hold personal data
      const match = findRoute(routes, req.method, ctx.url.pathname);
      if (!match) throw new HttpError(404, 'Page not found', 'There is no such page in the console.');
      route = match.name;
      ctx.params = match.params;
      if (config.mode === 'dev' && !LOOPBACK_HOST.test(String(req.headers.host || ''))) {
        // Dev mode lets the browser pick whom it acts for; a page of another
        // site reaching it through DNS rebinding must not (its Host is not ours).
        throw new HttpError(421, 'Wrong address', 'Dev mode answers only at 127.0.0.1, localhost or [::1].');
      }
      await identify(ctx, match.options);
      if (req.method === 'POST') {
        ctx.form = await readForm(req);
        if (!checkToken(ctx.session && ctx.session.csrf, ctx.form.get('csrf'))) {
          throw new HttpError(403, 'Form expired', 'This form is out of date or did not come from the console. '
            + 'Go back, reload the page and try again.');
        }
      }
      if (ctx.session && ctx.session.flash && req.method === 'GET') {
        ctx.flash = ctx.session.flash;
        ctx.session.flash = null;
      }
      await match.handler(ctx);
    } catch (err) {
      sendError(ctx, err);
    } finally {
      // No personal data: the route's name, never its URL or who asked.
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log({ event: 'http', method: req.method, route, status: res.statusCode, ms: Math.round(ms * 10) / 10 });
    }
  }

  // Sets ctx.session, ctx.staff and ctx.cms, or throws (401 / redirect).
  async function identify(ctx, options) {
    const { req, res } = ctx;
    if (config.mode === 'production') {
      const raw = req.headers[config.identityHeader];
      const staffId = typeof raw === 'string' ? raw.trim() : '';
      if (!STAFF_ID.test(staffId)) {
        throw new HttpError(401, 'Not signed in', 'This console is reached through the organisation\'s sign-in. '
          + 'Sign in again, or ask the service desk if this persists.');
      }
      let session = sessions.find(req);
      // A session belongs to one person: another identity gets a fresh one.
      if (!session || session.staffId !== staffId) session = sessions.create(res, staffId);
      ctx.session = session;
    } else {
      ctx.session = sessions.find(req) || (options.public ? sessions.create(res) : null);
      if (!ctx.session || (!ctx.session.staffId && !options.public)) {
        throw new Redirect('/signin');
      }
    }
    if (ctx.session.staffId) {
      ctx.cms = viewFor(ctx.session.staffId);
      const s = ctx.session;
      if (!s.staff || Date.now() - s.staffAt > STAFF_REFRESH_MS) {
        s.staff = await ctx.cms.bom.getStaffMember({ staff_id: s.staffId });
        s.staffAt = Date.now();
      }
      ctx.staff = s.staff;
      // The person's segment, for the navigation (the FOI team sees its queue).
      ctx.segment = (await cache.segmentsOf(ctx.cms)).get(ctx.staff.segment_id) || null;
    }
  }

  function sendPage(ctx, title, body, { status = 200, current } = {}) {
    const page = layout(ctx, title, body, { current }).toString();
    ctx.res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
    ctx.res.end(page);
  }

  function sendError(ctx, err) {
    const { res } = ctx;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof Redirect) {
      res.writeHead(303, { Location: err.location });
      res.end();
      return;
    }
    let status;
    let title;
    let body;
    if (err instanceof HttpError) {
      ({ status, title } = err);
      body = html`<div class="error-box" role="alert"><p>${err.message}</p></div>`;
      if (status === 401) ctx.staff = null;
    } else if (isCmsError(err)) {
      const c = classify(err);
      ({ status, title } = c);
      const back = ctx.back; // set by the page: where a reload or retry starts
      body = html`<div class="error-box" role="alert">
        <h2>${title}</h2>
        <p>${c.lead}</p>
        ${errorDetails(err)}
        ${back ? html`<p><a class="reload" href="${back}">${status === 409 ? 'Reload' : 'Back to'} ${ctx.backText || 'the page'}</a></p>` : ''}
      </div>`;
      if (status >= 500) log({ event: 'grpc_failure', code: err.codeName });
    } else {
      const ref = incidentId();
      log({ event: 'internal_error', ref, error: String(err && err.stack || err) });
      status = 500;
      title = 'Something went wrong in the console';
      body = html`<div class="error-box" role="alert"><p>The console failed to show this page. Nothing you
        did caused it. Quote reference <strong>${ref}</strong> to the service desk.</p></div>`;
    }
    try {
      sendPage(ctx, title, body, { status });
    } catch (e) {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(title);
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res);
  });
  server.sessions = sessions;
  return server;
}

class Redirect extends Error {
  constructor(location) {
    super('redirect');
    this.location = location;
  }
}

function findRoute(routes, method, pathname) {
  for (const [m, re, handler, options = {}, name] of routes) {
    if (m !== method) continue;
    const hit = re.exec(pathname);
    if (hit) return { handler, options, params: hit.slice(1), name: name || String(re) };
  }
  return null;
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    const type = String(req.headers['content-type'] || '');
    if (!type.startsWith('application/x-www-form-urlencoded')) {
      reject(new HttpError(415, 'Not a form', 'The console accepts only its own forms.'));
      return;
    }
    let size = 0;
    const chunks = [];
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, 'Too much text', 'The form sent more text than the console accepts.'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function defaultLog(fields) {
  process.stdout.write(JSON.stringify({ ts: new Date().toISOString(), ...fields }) + '\n');
}

module.exports = { createConsole, HttpError, Redirect, STAFF_ID };
