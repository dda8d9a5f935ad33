'use strict';
// Find: open an SR or a casegroup by its number. GET forms, so the ids (not
// personal data) are in the URL and the page can be bookmarked.
const { html } = require('../html');

async function find(ctx) {
  const q = ctx.url.searchParams;
  const sr = String(q.get('sr') || '').trim();
  const cg = String(q.get('casegroup') || '').trim();
  if (/^\d{1,19}$/.test(sr)) ctx.redirect(`/sr/${sr}`);
  if (/^\d{1,19}$/.test(cg)) ctx.redirect(`/casegroup/${cg}`);
  ctx.send('Find', html`
    ${sr || cg ? html`<div class="error-box" role="alert"><p>Give a number.</p></div>` : ''}
    <form method="get" action="/find">
      <label for="find-sr">Service request number</label>
      <input type="text" id="find-sr" name="sr" inputmode="numeric" size="12">
      <button type="submit">Open SR</button>
    </form>
    <form method="get" action="/find">
      <label for="find-cg">Casegroup number</label>
      <input type="text" id="find-cg" name="casegroup" inputmode="numeric" size="12">
      <button type="submit">Open casegroup</button>
    </form>
    <h2>Log a contact</h2>
    <ul><li><a href="/mp/new">Log an MP's contact</a> (the MP hotline, AG11.4)</li>
      <li><a href="/foi/new">Log an FOI request</a> (AG11.3)</li></ul>`, { current: '/find' });
}

module.exports = { routes: () => [['GET', /^\/find$/, find, {}, 'find']] };
