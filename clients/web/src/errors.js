'use strict';
// How a failed gRPC call is shown. The console decides nothing itself: a
// refusal shows the server's own message, its rule id, reason and each bad
// field from the ErrorInfo trailer (CmsError.info). Only the framing differs:
// a stale etag says someone else changed the record and offers a reload; the
// server being unreachable gets its own page; anything unexpected gets a
// reference number, never a stack trace.
const crypto = require('node:crypto');
const { html } = require('./html');

const GRPC = {
  CANCELLED: 1, UNKNOWN: 2, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5,
  ALREADY_EXISTS: 6, PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9,
  ABORTED: 10, OUT_OF_RANGE: 11, UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
};

function isCmsError(err) {
  return err && err.name === 'CmsError' && typeof err.code === 'number';
}

// { status, title, lead } for a CmsError: the HTTP status and the page's framing.
function classify(err) {
  switch (err.code) {
    case GRPC.ABORTED:
      return { status: 409, title: 'Not saved: changed by someone else',
        lead: 'Someone else changed this record after you loaded it, so your change was not saved. '
          + 'Reload it to see the current version, then make your change again.' };
    case GRPC.PERMISSION_DENIED:
      return { status: 403, title: 'Refused', lead: 'The case management server refused this.' };
    case GRPC.NOT_FOUND:
      return { status: 404, title: 'Not found', lead: 'The case management server found nothing here.' };
    case GRPC.INVALID_ARGUMENT:
    case GRPC.FAILED_PRECONDITION:
    case GRPC.OUT_OF_RANGE:
    case GRPC.ALREADY_EXISTS:
      return { status: 422, title: 'Not done', lead: 'The case management server refused this.' };
    case GRPC.UNAVAILABLE:
    case GRPC.DEADLINE_EXCEEDED:
      return { status: 503, title: 'The case management server is not answering',
        lead: 'Nothing was changed by this page. Try again in a minute; if it persists, tell the service desk.' };
    case GRPC.RESOURCE_EXHAUSTED:
      return { status: 503, title: 'The case management server is busy',
        lead: 'It turned this request away to protect itself. Try again shortly.' };
    case GRPC.UNAUTHENTICATED:
      return { status: 502, title: 'The console is not trusted by the server',
        lead: 'The console\'s own client token was refused. Tell the service desk.' };
    default:
      return { status: 502, title: 'The case management server failed',
        lead: 'Nothing may have been changed. Try again; if it persists, tell the service desk.' };
  }
}

// The body of an error box for a CmsError (used on error pages and inline).
function errorDetails(err) {
  const info = err.info || {};
  const violations = info.field_violations || [];
  return html`
    <p class="server-message"><span class="label">Server says:</span> ${err.details || err.codeName}</p>
    <dl class="error-facts">
      ${info.rule_id ? html`<dt>Rule</dt><dd class="rule-id">${info.rule_id}</dd>` : ''}
      ${info.reason ? html`<dt>Reason</dt><dd>${info.reason}</dd>` : ''}
      <dt>Status</dt><dd>${err.codeName}</dd>
    </dl>
    ${violations.length ? html`<p>Fields:</p><ul class="field-violations">${violations.map((v) => html`
      <li><code>${v.field}</code>: ${v.description}</li>`)}</ul>` : ''}`;
}

// A reference to quote to the service desk for an unexpected failure; the
// log line carries the same reference with the stack.
function incidentId() {
  return crypto.randomBytes(6).toString('hex');
}

module.exports = { GRPC, isCmsError, classify, errorDetails, incidentId };
