'use strict';
// Sections a page shows "as the server allows": a read the server refuses
// (or finds nothing for) becomes that section's message, and the rest of
// the page still shows. The server being down still fails the whole page.
const { html } = require('../html');
const { errorDetails, isCmsError, GRPC } = require('../errors');

// { value } or { error } (a CmsError); other failures still fail the page.
async function settle(promise) {
  try {
    return { value: await promise };
  } catch (err) {
    if (isCmsError(err) && err.code !== GRPC.UNAVAILABLE && err.code !== GRPC.DEADLINE_EXCEEDED) return { error: err };
    throw err;
  }
}

function refusedBox(err, what) {
  if (err.code === GRPC.NOT_FOUND) return html`<p>No ${what}.</p>`;
  return html`<div class="error-box" role="alert"><h3>${what}: not shown</h3>${errorDetails(err)}</div>`;
}

module.exports = { settle, refusedBox };
