'use strict';
// Server-side sessions in memory: the browser holds only a random id in an
// HttpOnly, SameSite=Strict cookie; who the session acts for, its CSRF token
// and its one-shot flash message stay here. One console process serves one
// office, so memory is enough; sessions end after `idleMs` without a request
// and the oldest are dropped beyond `max`.
const crypto = require('node:crypto');
const { newToken } = require('./csrf');

const COOKIE = 'cms_sid';

class SessionStore {
  constructor({ idleMs = 8 * 3600 * 1000, max = 10000, secureCookie = false, now = Date.now } = {}) {
    this.idleMs = idleMs;
    this.max = max;
    this.secureCookie = secureCookie;
    this.now = now;
    this.sessions = new Map(); // id -> session, oldest use first
  }

  // The request's live session, or null.
  find(req) {
    const id = parseCookies(req.headers.cookie || '')[COOKIE];
    if (!id) return null;
    const s = this.sessions.get(id);
    if (!s) return null;
    if (this.now() - s.lastSeen > this.idleMs) {
      this.sessions.delete(id);
      return null;
    }
    s.lastSeen = this.now();
    this.sessions.delete(id); // re-insert: Map order is least recently used first
    this.sessions.set(id, s);
    return s;
  }

  // A new session (a new id and CSRF token) for `staffId` (null before
  // sign-in). Called again at sign-in so an id seen before it is never
  // reused after (session fixation).
  create(res, staffId = null) {
    while (this.sessions.size >= this.max) this.sessions.delete(this.sessions.keys().next().value);
    const s = { id: crypto.randomBytes(32).toString('base64url'), staffId, csrf: newToken(),
      lastSeen: this.now(), flash: null, staff: null };
    this.sessions.set(s.id, s);
    res.setHeader('Set-Cookie', this.cookie(s.id));
    return s;
  }

  destroy(res, session) {
    if (session) this.sessions.delete(session.id);
    res.setHeader('Set-Cookie', this.cookie('', 0));
  }

  cookie(value, maxAge) {
    const parts = [`${COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
    if (maxAge !== undefined) parts.push(`Max-Age=${maxAge}`);
    if (this.secureCookie) parts.push('Secure');
    return parts.join('; ');
  }
}

function parseCookies(header) {
  const out = {};
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

module.exports = { SessionStore, parseCookies, COOKIE };
