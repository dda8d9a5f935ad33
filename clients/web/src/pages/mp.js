'use strict';
// MP enquiries (AG11.4): the government relations team's queue with each
// enquiry's age and 20-working-day deadline (the server's, with its overdue
// mark), an enquiry with its history and the case owner's input, and the
// moves the MpService accepts: validate or reject, answer, close. Anyone
// may log an MP's contact (the hotline). Which move is legal when, and who
// may make it, is the server's rule; its refusal is shown as it is.
const { html, url } = require('../html');
const { formatDate, formatTime, humanEnum } = require('../format');
const { commandFields, formRequestId } = require('./sr');
const { idParam } = require('./ids');
const { enumSelect, textArea, textInput, text, dateOf, idOf, command } = require('./forms');

const STATES = ['MP_ENQUIRY_STATE_RECEIVED', 'MP_ENQUIRY_STATE_VALIDATED', 'MP_ENQUIRY_STATE_ANSWERED',
  'MP_ENQUIRY_STATE_CLOSED', 'MP_ENQUIRY_STATE_REJECTED'];
const KINDS = ['MP_ENQUIRY_KIND_GENERAL_ENQUIRY', 'MP_ENQUIRY_KIND_CASE_ENQUIRY', 'MP_ENQUIRY_KIND_PARLIAMENTARY_QUESTION',
  'MP_ENQUIRY_KIND_COMPLAINT'];
const CHANNELS = ['MP_CHANNEL_REGIONAL_HOTLINE', 'MP_CHANNEL_LETTER', 'MP_CHANNEL_EMAIL'];
const COUNTRIES = ['COUNTRY_GB', 'COUNTRY_NI'];
const OUTCOMES = ['MP_VALIDATION_OUTCOME_VALID', 'MP_VALIDATION_OUTCOME_REJECTED'];

const state = (s) => humanEnum(s, 'MP_ENQUIRY_STATE_');
const pick = (v, list) => (list.includes(v) ? v : '');

async function queue(ctx) {
  const q = ctx.url.searchParams;
  const st = pick(q.get('state'), STATES);
  const kind = pick(q.get('kind'), KINDS);
  const country = pick(q.get('country'), COUNTRIES);
  const overdue = q.get('overdue') === '1';
  const page = String(q.get('page') || '').slice(0, 2000);
  const r = await ctx.cms.mp.listMpEnquiries({ state: st || 'MP_ENQUIRY_STATE_UNSPECIFIED',
    kind: kind || 'MP_ENQUIRY_KIND_UNSPECIFIED', country: country || 'COUNTRY_UNSPECIFIED', overdue_only: overdue,
    page_size: 25, page_token: page });
  const query = { state: st, kind, country, overdue: overdue ? '1' : '' };
  ctx.send('MP enquiries', html`
    <p><a href="/mp/new">Log an MP's contact</a></p>
    <form method="get" action="/mp" class="filters" aria-label="Filter the queue">
      <div>${enumSelect('mp-f-state', 'state', 'State', STATES, 'MP_ENQUIRY_STATE_', { required: false, blank: 'Any', selected: st })}</div>
      <div>${enumSelect('mp-f-kind', 'kind', 'Kind', KINDS, 'MP_ENQUIRY_KIND_', { required: false, blank: 'Any', selected: kind })}</div>
      <div>${enumSelect('mp-f-country', 'country', 'Country', COUNTRIES, 'COUNTRY_', { required: false, blank: 'Any', selected: country })}</div>
      <div><input type="checkbox" id="mp-f-overdue" name="overdue" value="1"${overdue ? html` checked` : ''}>
        <label for="mp-f-overdue" class="check">Overdue only</label></div>
      <div><button type="submit">Filter</button></div>
    </form>
    ${r.enquiries.length ? html`<table id="mp-queue"><caption>Enquiries you can see</caption>
      <thead><tr><th scope="col">Enquiry</th><th scope="col">Kind</th><th scope="col">MP</th><th scope="col">Received</th>
        <th scope="col" class="num">Age (days)</th><th scope="col">Due</th><th scope="col">State</th></tr></thead>
      <tbody>${r.enquiries.map((e) => html`<tr id="mp-${e.id}"><td><a href="${url('/mp', e.id)}">MP ${e.id}</a>
          <span class="hint">(${String(e.country).replace('COUNTRY_', '')})</span></td>
        <td>${humanEnum(e.kind, 'MP_ENQUIRY_KIND_')}</td><td>${e.mp_name}, ${e.mp_constituency}</td>
        <td>${formatDate(e.received_date)} <span class="hint">${humanEnum(e.channel, 'MP_CHANNEL_')}</span></td>
        <td class="num">${e.age_days}</td>
        <td>${formatDate(e.response_due_date)}${e.overdue ? html` <span class="marker overdue">Overdue</span>` : ''}</td>
        <td>${state(e.state)}</td></tr>`)}</tbody></table>` : html`<p id="mp-empty">No enquiries that you can see.</p>`}
    ${r.next_page_token || page ? html`<nav class="pager" aria-label="Pages">
      ${page ? html`<a href="${url('/mp', query)}">First page</a>` : ''}
      ${r.next_page_token ? html`<a href="${url('/mp', { ...query, page: r.next_page_token })}" rel="next">Next page</a>` : ''}
    </nav>` : ''}`, { current: '/mp' });
}

async function showEnquiry(ctx) {
  const id = idParam(ctx.params[0]);
  const e = await ctx.cms.mp.getMpEnquiry({ id });
  const row = (k, v) => (v ? html`<dt>${k}</dt><dd>${v}</dd>` : '');
  const act = (what) => url('/mp', e.id, what);
  ctx.send(`MP enquiry ${e.id}`, html`
    <p><a href="/mp">Back to the MP queue</a></p>
    <dl class="facts">
      <dt>State</dt><dd id="mp-state"><strong>${state(e.state)}</strong>${e.overdue ? html` <span class="marker overdue">Overdue</span>` : ''}</dd>
      <dt>Kind</dt><dd>${humanEnum(e.kind, 'MP_ENQUIRY_KIND_')} (${humanEnum(e.channel, 'MP_CHANNEL_')}, ${String(e.country).replace('COUNTRY_', '')})</dd>
      <dt>MP</dt><dd>${e.mp_name}, ${e.mp_constituency}</dd>
      ${row('Constituent', e.constituent_name)}
      ${row('Constituent person', e.constituent_person_id !== '0' ? `person ${e.constituent_person_id}` : '')}
      ${row('Case', e.case_id !== '0' ? `case ${e.case_id}` : '')}
      ${e.casegroup_id !== '0' ? html`<dt>Casegroup</dt><dd><a href="${url('/casegroup', e.casegroup_id)}">Casegroup ${e.casegroup_id}</a></dd>` : ''}
      <dt>Received</dt><dd>${formatDate(e.received_date)}, logged by ${e.logged_by}; ${e.age_days} days old</dd>
      <dt>Response due</dt><dd>${formatDate(e.response_due_date)}</dd>
      ${row('Validated', e.validated_by ? `${formatDate(e.validated_date)} by ${e.validated_by}` : '')}
      ${row('Rejection reason', e.rejection_reason)}
      ${e.input_service_request_id !== '0' ? html`<dt>Input SR</dt><dd><a href="${url('/sr', e.input_service_request_id)}">SR ${e.input_service_request_id}</a>
        ${e.input_received ? `input received: ${e.input_outcome}` : 'input awaited'}</dd>` : ''}
      ${row('Answered', e.answered_by ? `${formatDate(e.answer_date)} by ${e.answered_by}` : '')}
      ${row('Closed', e.closed_by ? `${formatDate(e.close_date)} by ${e.closed_by}` : '')}
    </dl>
    <h2>The question</h2><p id="mp-question">${e.question}</p>
    ${e.answer_text ? html`<h2>The answer sent</h2><p id="mp-answer">${e.answer_text}</p>` : ''}
    ${e.input_notes.length ? html`<h2>The case owner's input</h2><ul class="notes">${e.input_notes.map((n) => html`
      <li><p>${n.text}</p><p class="hint">${n.author} ${formatTime(n.create_time)}</p></li>`)}</ul>` : ''}
    <section aria-labelledby="h-mp-act"><h2 id="h-mp-act">Work the enquiry</h2>
      <p class="hint">The moves the server has for an enquiry; it refuses one the enquiry's state or your role does not allow.</p>
      <div class="cols">
      <form method="post" action="${act('validate')}" id="mp-validate-form"><fieldset><legend>Validate</legend>${commandFields(ctx, e)}
        ${enumSelect('mp-outcome', 'outcome', 'Outcome', OUTCOMES, 'MP_VALIDATION_OUTCOME_')}
        ${textInput('mp-rejection', 'rejection_reason', 'Rejection reason (to reject)')}
        <div><button type="submit">Record the validation</button></div></fieldset></form>
      <form method="post" action="${act('answer')}" id="mp-answer-form"><fieldset><legend>Answer the MP</legend>${commandFields(ctx, e)}
        ${textArea('mp-answer-text', 'answer_text', 'The answer sent', { required: true, rows: 5 })}
        <div><button type="submit">Record the answer</button></div></fieldset></form>
      <form method="post" action="${act('close')}" id="mp-close-form"><fieldset><legend>Close</legend>${commandFields(ctx, e)}
        <p>Closing is final: nothing more is accepted on the enquiry.</p>
        <div><button type="submit">Close the enquiry</button></div></fieldset></form>
      </div>
    </section>
    <section aria-labelledby="h-mp-hist"><h2 id="h-mp-hist">History</h2>
      <table><caption>Events, oldest first</caption>
        <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">By</th><th scope="col">Detail</th></tr></thead>
        <tbody>${e.history.map((h) => html`<tr><td>${formatTime(h.event_time)}</td><td>${humanEnum(h.kind, 'MP_ENQUIRY_EVENT_KIND_')}</td>
          <td>${h.actor}</td><td>${h.detail}${h.service_request_id !== '0' ? html` <a href="${url('/sr', h.service_request_id)}">SR ${h.service_request_id}</a>` : ''}</td></tr>`)}</tbody>
      </table></section>`, { current: '/mp' });
}

function newForm(ctx) {
  ctx.send('Log an MP\'s contact', html`
    <form method="post" action="/mp/new" id="mp-new-form">${commandFields(ctx)}
      ${enumSelect('mp-n-country', 'country', 'Government relations team', COUNTRIES, 'COUNTRY_')}
      ${enumSelect('mp-n-kind', 'kind', 'Kind', KINDS, 'MP_ENQUIRY_KIND_')}
      ${enumSelect('mp-n-channel', 'channel', 'Channel', CHANNELS, 'MP_CHANNEL_')}
      ${textInput('mp-n-name', 'mp_name', 'MP\'s name', { required: true })}
      ${textInput('mp-n-const', 'mp_constituency', 'Constituency', { required: true })}
      ${textInput('mp-n-constituent', 'constituent_name', 'Constituent\'s name')}
      ${textInput('mp-n-person', 'constituent_person_id', 'Constituent\'s person number (a case enquiry or complaint)', { size: 12 })}
      ${textInput('mp-n-case', 'case_id', 'Case number (a case enquiry)', { size: 12 })}
      ${textArea('mp-n-question', 'question', 'The question', { required: true, rows: 5 })}
      ${textInput('mp-n-received', 'received_date', 'Received', { type: 'date', required: true })}
      <div><button type="submit">Log the enquiry</button></div>
    </form>`, { current: '/mp' });
}

async function create(ctx) {
  ctx.back = '/mp/new';
  ctx.backText = 'the form';
  const f = ctx.form;
  const e = await ctx.cms.mp.createMpEnquiry({ request_id: formRequestId(f), country: text(f, 'country'),
    kind: text(f, 'kind'), channel: text(f, 'channel'), mp_name: text(f, 'mp_name'),
    mp_constituency: text(f, 'mp_constituency'), constituent_name: text(f, 'constituent_name'),
    constituent_person_id: idOf(f, 'constituent_person_id'), case_id: idOf(f, 'case_id'),
    question: text(f, 'question'), received_date: dateOf(f, 'received_date') });
  ctx.redirect(url('/mp', e.id), { kind: 'ok', text: `MP enquiry ${e.id} logged; due ${formatDate(e.response_due_date)}.` });
}

const move = (call, done) => command((ctx, id) => ({ href: `/mp/${id}`, text: `MP enquiry ${id}` }),
  async (ctx, id, f, base) => {
    const e = await call(ctx.cms.mp, { ...base, id }, f);
    return `${done} MP enquiry ${e.id} is now ${state(e.state).toLowerCase()}.`;
  });

module.exports = {
  routes: () => [
    ['GET', /^\/mp$/, queue, {}, 'mp'],
    ['GET', /^\/mp\/new$/, newForm, {}, 'mp_new'],
    ['POST', /^\/mp\/new$/, create, {}, 'mp_create'],
    ['GET', /^\/mp\/([^/]+)$/, showEnquiry, {}, 'mp_enquiry'],
    ['POST', /^\/mp\/([^/]+)\/validate$/, move((m, b, f) => m.validateMpEnquiry({ ...b, outcome: text(f, 'outcome'),
      rejection_reason: text(f, 'rejection_reason') }), 'Validation recorded.'), {}, 'mp_validate'],
    ['POST', /^\/mp\/([^/]+)\/answer$/, move((m, b, f) => m.answerMpEnquiry({ ...b, answer_text: text(f, 'answer_text') }),
      'Answer recorded.'), {}, 'mp_answer'],
    ['POST', /^\/mp\/([^/]+)\/close$/, move((m, b) => m.closeMpEnquiry(b), 'Closed.'), {}, 'mp_close'],
  ],
};
