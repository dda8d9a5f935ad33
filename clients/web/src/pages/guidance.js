'use strict';
// Advice and guidance (AG11.1): A&G's queue (open A&G SRs and private
// requests of special client records, oldest first with their age), an A&G
// SR's question with its answer and corrections, a private request, and
// the moves the GuidanceService accepts: answer, correct an answer, raise a
// private request (SCR), close it. Who may read or answer is the server's
// rule (A&G of the country; the raiser and their team leader read).
const { html, url } = require('../html');
const { formatTime, humanEnum } = require('../format');
const { commandFields, formRequestId } = require('./sr');
const { idParam } = require('./ids');
const { settle, refusedBox } = require('./settle');
const { enumSelect, textArea, text, command } = require('./forms');

const COUNTRIES = ['COUNTRY_GB', 'COUNTRY_NI'];
const KINDS = ['GUIDANCE_KIND_SERVICE_REQUEST', 'GUIDANCE_KIND_PRIVATE'];
const PSTATE = 'PRIVATE_GUIDANCE_STATE_';
const some = (id) => id && id !== '0';
const country = (c) => String(c).replace('COUNTRY_', '');

function itemLink(i) {
  return i.kind === 'GUIDANCE_KIND_PRIVATE' ? html`<a href="${url('/guidance/private', i.id)}">Private request ${i.id}</a>`
    : html`<a href="${url('/guidance/sr', i.id)}">A&amp;G SR ${i.id}</a>`;
}

async function queue(ctx) {
  const q = ctx.url.searchParams;
  const kind = KINDS.includes(q.get('kind')) ? q.get('kind') : '';
  const page = String(q.get('page') || '').slice(0, 2000);
  const [items, mine] = await Promise.all([
    settle(ctx.cms.guidance.listGuidanceQueue({ kind: kind || 'GUIDANCE_KIND_UNSPECIFIED', page_size: 25, page_token: page })),
    settle(ctx.cms.guidance.listPrivateGuidanceRequests({ page_size: 50 })),
  ]);
  ctx.send('Advice and guidance', html`
    <section aria-labelledby="h-ag-queue"><h2 id="h-ag-queue">A&amp;G queue</h2>
      <form method="get" action="/guidance" class="filters" aria-label="Filter the queue">
        <div>${enumSelect('ag-kind', 'kind', 'Kind', KINDS, 'GUIDANCE_KIND_', { required: false, blank: 'Both', selected: kind })}</div>
        <div><button type="submit">Filter</button></div></form>
      ${items.error ? refusedBox(items.error, 'A&G queue') : items.value.items.length ? html`<table id="ag-queue">
        <caption>Open requests, oldest first</caption>
        <thead><tr><th scope="col">Request</th><th scope="col">Question</th><th scope="col">Raised by</th>
          <th scope="col" class="num">Age (days)</th><th scope="col">State</th><th scope="col">With</th></tr></thead>
        <tbody>${items.value.items.map((i) => html`<tr><td>${itemLink(i)} <span class="hint">(${country(i.country)})</span>${
  i.priority ? html` <span class="marker priority">Priority</span>` : ''}</td>
          <td>${i.question}</td><td>${i.raised_by}${i.raising_team ? html`<br><span class="hint">${i.raising_team}</span>` : ''}</td>
          <td class="num">${i.age_days}</td>
          <td>${i.kind === 'GUIDANCE_KIND_PRIVATE' ? humanEnum(i.private_state, PSTATE) : humanEnum(i.sr_status, 'SR_STATUS_')}</td>
          <td>${i.allocated_to}</td></tr>`)}</tbody></table>
        ${items.value.next_page_token ? html`<nav class="pager" aria-label="Pages"><a href="${url('/guidance', { kind, page: items.value.next_page_token })}" rel="next">Next page</a></nav>` : ''}`
    : html`<p>No open requests that you can see.</p>`}
    </section>
    <section aria-labelledby="h-ag-private"><h2 id="h-ag-private">Private requests (special client records)</h2>
      ${mine.error ? refusedBox(mine.error, 'private requests') : mine.value.requests.length ? html`<table id="ag-private">
        <caption>Private requests you can read, oldest first</caption>
        <thead><tr><th scope="col">Request</th><th scope="col">Question</th><th scope="col">Raised by</th><th scope="col">State</th></tr></thead>
        <tbody>${mine.value.requests.map((p) => html`<tr><td><a href="${url('/guidance/private', p.id)}">Private request ${p.id}</a></td>
          <td>${p.question}</td><td>${p.raised_by}</td><td>${humanEnum(p.state, PSTATE)}</td></tr>`)}</tbody></table>`
    : html`<p>None that you can read.</p>`}
      <form method="post" action="/guidance/private" id="ag-new-form"><fieldset><legend>Ask A&amp;G privately (special client records)</legend>
        ${commandFields(ctx)}
        ${enumSelect('ag-n-country', 'country', 'A&G team', COUNTRIES, 'COUNTRY_')}
        ${textArea('ag-n-question', 'question', 'The question', { required: true, rows: 4,
    hint: 'The question alone: no name, NINO, postcode, date of birth or CMS reference (the server refuses one).' })}
        <div><button type="submit">Send to A&amp;G</button></div></fieldset></form>
    </section>`, { current: '/guidance' });
}

function answers(history, current) {
  if (!history.length) return html`<p>Not answered yet.</p>`;
  return html`<ol class="notes">${history.map((a) => html`<li${current && a.id === current.id ? html` id="ag-current"` : ''}>
    <p>${a.text}</p><p class="hint">Answer ${a.id}, ${a.answered_by} ${formatTime(a.answer_time)}${
  a.correction_reason ? `; corrects answer ${a.supersedes_id}: ${a.correction_reason}` : ''}${some(a.superseded_by_id) ? `; corrected by answer ${a.superseded_by_id}` : ''}</p></li>`)}</ol>`;
}

function correctForm(ctx, current, back) {
  if (!current || !some(current.id)) return '';
  return html`<form method="post" action="${url('/guidance/answer', current.id, 'correct')}" id="ag-correct-form"><fieldset>
    <legend>Correct answer ${current.id}</legend>${commandFields(ctx)}<input type="hidden" name="back" value="${back}">
    ${textArea('ag-c-answer', 'answer', 'The corrected answer', { required: true })}
    ${textArea('ag-c-reason', 'reason', 'Why it is corrected', { required: true, max: 2000, rows: 2 })}
    <div><button type="submit">Correct</button></div></fieldset></form>`;
}

async function srGuidance(ctx) {
  const id = idParam(ctx.params[0]);
  const g = await ctx.cms.guidance.getGuidanceAnswer({ service_request_id: id });
  const answered = g.answer && some(g.answer.id);
  ctx.send(`A&G SR ${id}`, html`
    <dl class="facts"><dt>SR</dt><dd><a href="${url('/sr', id)}">SR ${id}</a> (${humanEnum(g.status, 'SR_STATUS_')})</dd>
      <dt>Raised by</dt><dd>${g.raised_by}</dd></dl>
    <h2>The question</h2><p id="ag-question">${g.question}</p>
    <h2>Answers</h2>${answers(g.history, g.answer)}
    ${answered ? correctForm(ctx, g.answer, `/guidance/sr/${id}`) : html`
      <form method="post" action="${url('/guidance/sr', id, 'answer')}" id="ag-answer-form"><fieldset><legend>Answer (closes the SR)</legend>
        ${commandFields(ctx, g)}${textArea('ag-answer', 'answer', 'The answer', { required: true, rows: 5 })}
        <div><button type="submit">Answer</button></div></fieldset></form>`}`, { current: '/guidance' });
}

async function privateRequest(ctx) {
  const id = idParam(ctx.params[0]);
  const p = await ctx.cms.guidance.getPrivateGuidanceRequest({ id });
  const answered = p.answer && some(p.answer.id);
  ctx.send(`Private A&G request ${id}`, html`
    <dl class="facts"><dt>State</dt><dd id="ag-state">${humanEnum(p.state, PSTATE)}</dd>
      <dt>A&amp;G team</dt><dd>${country(p.country)}</dd><dt>Raised by</dt><dd>${p.raised_by}, ${p.raising_team}; ${p.age_days} days ago</dd>
      ${p.closed_by ? html`<dt>Closed</dt><dd>${p.closed_by} ${formatTime(p.close_time)}</dd>` : ''}</dl>
    <h2>The question</h2><p id="ag-question">${p.question}</p>
    <h2>Answers</h2>${answers(p.history, p.answer)}
    <div class="cols">
    ${answered ? correctForm(ctx, p.answer, `/guidance/private/${id}`) : html`
      <form method="post" action="${url('/guidance/private', id, 'answer')}" id="ag-answer-form"><fieldset><legend>Answer (A&amp;G)</legend>
        ${commandFields(ctx, p)}${textArea('ag-answer', 'answer', 'The answer', { required: true, rows: 5 })}
        <div><button type="submit">Answer</button></div></fieldset></form>`}
    <form method="post" action="${url('/guidance/private', id, 'close')}" id="ag-close-form"><fieldset><legend>Close (the raiser or their team leader)</legend>
      ${commandFields(ctx, p)}<p>Closing an unanswered request withdraws it.</p>
      <div><button type="submit">Close the request</button></div></fieldset></form>
    </div>`, { current: '/guidance' });
}

module.exports = {
  routes: () => [
    ['GET', /^\/guidance$/, queue, {}, 'guidance'],
    ['GET', /^\/guidance\/sr\/([^/]+)$/, srGuidance, {}, 'guidance_sr'],
    ['POST', /^\/guidance\/sr\/([^/]+)\/answer$/, command((ctx, id) => ({ href: `/guidance/sr/${id}`, text: `A&G SR ${id}` }),
      async (ctx, id, f, base) => {
        await ctx.cms.guidance.answerGuidanceRequest({ ...base, service_request_id: id, answer: text(f, 'answer') });
        return `A&G SR ${id} answered and closed.`;
      }), {}, 'guidance_sr_answer'],
    ['POST', /^\/guidance\/private$/, async (ctx) => {
      ctx.back = '/guidance';
      ctx.backText = 'advice and guidance';
      const p = await ctx.cms.guidance.createPrivateGuidanceRequest({ request_id: formRequestId(ctx.form),
        country: text(ctx.form, 'country'), question: text(ctx.form, 'question') });
      ctx.redirect(url('/guidance/private', p.id), { kind: 'ok', text: `Private request ${p.id} sent to A&G.` });
    }, {}, 'guidance_private_new'],
    ['GET', /^\/guidance\/private\/([^/]+)$/, privateRequest, {}, 'guidance_private'],
    ['POST', /^\/guidance\/private\/([^/]+)\/answer$/, command((ctx, id) => ({ href: `/guidance/private/${id}`, text: `request ${id}` }),
      async (ctx, id, f, base) => {
        const p = await ctx.cms.guidance.answerPrivateGuidanceRequest({ ...base, id, answer: text(f, 'answer') });
        return `Private request ${p.id} answered.`;
      }), {}, 'guidance_private_answer'],
    ['POST', /^\/guidance\/private\/([^/]+)\/close$/, command((ctx, id) => ({ href: `/guidance/private/${id}`, text: `request ${id}` }),
      async (ctx, id, f, base) => {
        const p = await ctx.cms.guidance.closePrivateGuidanceRequest({ ...base, id });
        return `Private request ${p.id} is ${humanEnum(p.state, PSTATE).toLowerCase()}.`;
      }), {}, 'guidance_private_close'],
    ['POST', /^\/guidance\/answer\/([^/]+)\/correct$/, command((ctx) => {
      const b = text(ctx.form, 'back');
      return /^\/guidance\/(sr|private)\/\d+$/.test(b) ? { href: b, text: 'the request' } : { href: '/guidance', text: 'advice and guidance' };
    }, async (ctx, id, f, base) => {
      const a = await ctx.cms.guidance.correctGuidanceAnswer({ request_id: base.request_id, answer_id: id,
        answer: text(f, 'answer'), reason: text(f, 'reason') });
      return `Answer ${id} corrected by answer ${a.id}.`;
    }), {}, 'guidance_correct'],
  ],
};
