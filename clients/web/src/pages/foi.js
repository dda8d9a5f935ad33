'use strict';
// The FOI team's queue (AG11.3): requests in the order received, each with
// its age, statutory deadline and overdue mark (the server's), filtered by
// state and overdue; the team records the response sent, which closes the
// request. Who may see and answer is the server's decision.
const { html, url } = require('../html');
const { commandFields, formRequestId } = require('./sr');
const { idParam } = require('./ids');
const { formatDate, humanEnum } = require('../format');

const STATES = ['FOI_STATE_OPEN', 'FOI_STATE_CLOSED'];
const HANDLING = { FOI_HANDLING_FOI_ACT: 'FOI Act' };

async function foiQueue(ctx) {
  const q = ctx.url.searchParams;
  const state = STATES.includes(q.get('state')) ? q.get('state') : (q.has('state') ? '' : 'FOI_STATE_OPEN');
  const overdue = q.get('overdue') === '1';
  const page = String(q.get('page') || '').slice(0, 2000);
  const r = await ctx.cms.foi.listFoiRequests({ state: state || 'FOI_STATE_UNSPECIFIED', overdue_only: overdue,
    page_size: 25, page_token: page });
  const query = { state, overdue: overdue ? '1' : '' };
  ctx.send('FOI requests', html`
    <form method="get" action="/foi" class="filters" aria-label="Filter the queue">
      <div><label for="foi-state">State</label><select id="foi-state" name="state">
        <option value="">Any</option>${STATES.map((s) => html`<option value="${s}"${s === state ? html` selected` : ''}>${humanEnum(s, 'FOI_STATE_')}</option>`)}
      </select></div>
      <div><input type="checkbox" id="foi-overdue" name="overdue" value="1"${overdue ? html` checked` : ''}>
        <label for="foi-overdue" class="check">Overdue only</label></div>
      <div><button type="submit">Filter</button></div>
    </form>
    ${r.requests.length ? html`<table id="foi-queue">
      <caption>Requests in the order received</caption>
      <thead><tr><th scope="col">Request</th><th scope="col">Received</th><th scope="col" class="num">Age (days)</th>
        <th scope="col">Due</th><th scope="col">From</th><th scope="col">Asks</th><th scope="col">Handling</th><th scope="col">Response</th></tr></thead>
      <tbody>${r.requests.map((f) => html`<tr id="foi-${f.id}">
        <td>FOI ${f.id} <span class="hint">(${String(f.country).replace('COUNTRY_', '')})</span></td>
        <td>${formatDate(f.received_date)} <span class="hint">${humanEnum(f.channel, 'FOI_CHANNEL_')}</span></td>
        <td class="num">${f.age_days}</td>
        <td>${formatDate(f.response_due_date)}${f.overdue ? html` <span class="marker overdue">Overdue</span>` : ''}</td>
        <td>${f.requester_full_name}</td>
        <td>${f.request_text}</td>
        <td>${HANDLING[f.handling] || humanEnum(f.handling, 'FOI_HANDLING_')}</td>
        <td>${f.state === 'FOI_STATE_OPEN' ? html`
          <form method="post" action="${url('/foi', f.id, 'respond')}">${commandFields(ctx, f)}
            <label for="foi-r-${f.id}">Response sent for FOI ${f.id}</label>
            <textarea id="foi-r-${f.id}" name="response_text" rows="3" cols="30" maxlength="4000"></textarea>
            <div><button type="submit">Record and close</button></div>
          </form>` : html`${f.response_text}<br><span class="hint">${formatDate(f.response_date)}, ${f.responded_by}</span>`}</td>
      </tr>`)}</tbody></table>` : html`<p id="foi-empty">No requests${state ? ` ${humanEnum(state, 'FOI_STATE_').toLowerCase()}` : ''}${overdue ? ' overdue' : ''} that you can see.</p>`}
    ${r.next_page_token || page ? html`<nav class="pager" aria-label="Pages">
      ${page ? html`<a href="${url('/foi', query)}">First page</a>` : ''}
      ${r.next_page_token ? html`<a href="${url('/foi', { ...query, page: r.next_page_token })}" rel="next">Next page</a>` : ''}
    </nav>` : ''}`, { current: '/foi' });
}

async function respond(ctx) {
  const id = idParam(ctx.params[0]);
  ctx.back = '/foi';
  ctx.backText = 'the FOI queue';
  await ctx.cms.foi.respondToFoiRequest({ request_id: formRequestId(ctx.form), id,
    etag: String(ctx.form.get('etag') || ''), response_text: String(ctx.form.get('response_text') || '') });
  ctx.redirect('/foi', { kind: 'ok', text: `FOI ${id}: response recorded, request closed.` });
}

module.exports = {
  routes: () => [
    ['GET', /^\/foi$/, foiQueue, {}, 'foi'],
    ['POST', /^\/foi\/([^/]+)\/respond$/, respond, {}, 'foi_respond'],
  ],
};
