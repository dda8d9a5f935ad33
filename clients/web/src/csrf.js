'use strict';
// CSRF tokens: one random token per session, sent in a hidden field of every
// form and compared in constant time on every POST. The session cookie is
// also SameSite=Strict, so this is the second of two independent defences.
const crypto = require('node:crypto');

function newToken() {
  return crypto.randomBytes(32).toString('base64url');
}

// True only when `sent` is a string equal to the session's token.
function checkToken(expected, sent) {
  if (typeof expected !== 'string' || typeof sent !== 'string' || expected.length === 0) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(sent);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

module.exports = { newToken, checkToken };
