'use strict';
// The FOI team's queue (AG11.3): requests in the order received, each with
// its age, statutory deadline and overdue mark (the server's), filtered by
// state and overdue; the team records the response sent, which closes the
// request. Who may see and answer is the server's decision.
const { html, url } = require('../html');
const { commandFields, formRequestId } = require('./sr');
const { idParam } = require('./ids');
const { formatDate, humanEnum } = require('../format');
const { enumSelect, textArea, textInput, text, dateOf } = require('./forms');

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
    <p><a href="/foi/new">Log an FOI request</a></p>
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

// Logging a request as received (anyone may; the server sets its handling
// from the personal data it concerns and its statutory due date).
function newForm(ctx) {
  ctx.send('Log an FOI request', html`
    <form method="post" action="/foi/new" id="foi-new-form">${commandFields(ctx)}
      ${enumSelect('foi-n-country', 'country', 'FOI team', ['COUNTRY_GB', 'COUNTRY_NI'], 'COUNTRY_')}
      ${textInput('foi-n-name', 'requester_full_name', 'Requester\'s full name (forename and surname)', { required: true })}
      ${textArea('foi-n-address', 'postal_address', 'Postal address (a postal or an email address is needed)', { rows: 3, max: 1000 })}
      ${textInput('foi-n-email', 'email_address', 'Email address', { type: 'email' })}
      ${enumSelect('foi-n-channel', 'channel', 'Received by', ['FOI_CHANNEL_LETTER', 'FOI_CHANNEL_EMAIL'], 'FOI_CHANNEL_')}
      ${textInput('foi-n-received', 'received_date', 'Received', { type: 'date', required: true })}
      ${textArea('foi-n-text', 'request_text', 'What is asked', { required: true, rows: 5 })}
      ${enumSelect('foi-n-personal', 'personal_data', 'Personal data asked for', ['FOI_PERSONAL_DATA_NONE',
    'FOI_PERSONAL_DATA_LIVING_PERSON', 'FOI_PERSONAL_DATA_DECEASED_PERSON'], 'FOI_PERSONAL_DATA_')}
      <div><button type="submit">Log the request</button></div>
    </form>`, { current: '/foi' });
}

async function create(ctx) {
  ctx.back = '/foi/new';
  ctx.backText = 'the form';
  const f = ctx.form;
  const r = await ctx.cms.foi.createFoiRequest({ request_id: formRequestId(f), country: text(f, 'country'),
    requester_full_name: text(f, 'requester_full_name'), postal_address: text(f, 'postal_address'),
    email_address: text(f, 'email_address'), channel: text(f, 'channel'), received_date: dateOf(f, 'received_date'),
    request_text: text(f, 'request_text'), personal_data: text(f, 'personal_data') });
  ctx.redirect('/foi/new', { kind: 'ok', text: `FOI ${r.id} logged (${humanEnum(r.handling, 'FOI_HANDLING_')}); due ${formatDate(r.response_due_date)}.` });
}

module.exports = {
  routes: () => [
    ['GET', /^\/foi$/, foiQueue, {}, 'foi'],
    ['GET', /^\/foi\/new$/, newForm, {}, 'foi_new'],
    ['POST', /^\/foi\/new$/, create, {}, 'foi_create'],
    ['POST', /^\/foi\/([^/]+)\/respond$/, respond, {}, 'foi_respond'],
  ],
};
