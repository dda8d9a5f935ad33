'use strict';
// Ids the console makes and reads: a fresh request_id per command (X13.4:
// a retry of the same submission is not made, as forms post once), and
// entity ids from paths and forms.
const crypto = require('node:crypto');
const { HttpError } = require('../app');

function requestId() {
  return 'web-' + crypto.randomUUID();
}

// A positive int64 id from text, as a decimal string; 404 otherwise.
function idParam(text) {
  if (!/^[1-9]\d{0,18}$/.test(String(text || ''))) {
    throw new HttpError(404, 'Page not found', 'That is not an id the console knows.');
  }
  return String(text);
}

module.exports = { requestId, idParam };
