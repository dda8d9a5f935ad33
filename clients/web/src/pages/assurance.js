'use strict';
// Quality and assurance (AG11.2): Q&A's samples and drawing one, a sample's
// items, recording a check of an item (three criteria, each pass, fail or
// not applicable with a comment), a check with its feedback and corrective
// actions, the caseworker's own feedback and actions, and the team
// leader's coaching view. Who may do what is the server's rule (Q&A draws
// and checks; the team leader reads the coaching view of their team); a
// refusal is shown as it is.
const { html, url } = require('../html');
const { formatDate, formatTime, humanEnum, parseDate, todayOf } = require('../format');
const { commandFields, formRequestId } = require('./sr');
const { idParam } = require('./ids');
const { settle, refusedBox } = require('./settle');
const { enumSelect, textArea, textInput, text, dateOf, idOf, command } = require('./forms');

const KINDS = ['ASSURANCE_ITEM_KIND_SERVICE_REQUEST', 'ASSURANCE_ITEM_KIND_ACTIVITY', 'ASSURANCE_ITEM_KIND_DECISION'];
const CRITERIA = ['ASSURANCE_CRITERION_CASH_VALUE_ACCURACY', 'ASSURANCE_CRITERION_PROCEDURE_FOLLOWED',
  'ASSURANCE_CRITERION_CLIENT_HANDLING'];
const RESULTS = ['ASSURANCE_RESULT_PASS', 'ASSURANCE_RESULT_FAIL', 'ASSURANCE_RESULT_NOT_APPLICABLE'];
const DECISION_TYPES = ['BUSINESS_DECISION_TYPE_APPROVAL', 'BUSINESS_DECISION_TYPE_SR_RESOLUTION',
  'BUSINESS_DECISION_TYPE_COMPLIANCE', 'BUSINESS_DECISION_TYPE_ARREARS', 'BUSINESS_DECISION_TYPE_CALCULATION'];
const DAY_MS = 86400000;

const kind = (k) => humanEnum(k, 'ASSURANCE_ITEM_KIND_');
const result = (r) => (r && r !== 'ASSURANCE_RESULT_UNSPECIFIED' ? humanEnum(r, 'ASSURANCE_RESULT_') : 'not checked');
const criterion = (c) => humanEnum(c, 'ASSURANCE_CRITERION_');
const some = (id) => id && id !== '0';

// A period from two date fields: [from, to) from 00:00 London time, as
// cmsctl reads --from and --to (the business day's time zone).
const LONDON_HOUR = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' });
function period(from, to) {
  const ts = (d) => {
    const utc = Date.UTC(d.year, d.month - 1, d.day);
    // London is UTC or one hour ahead; clocks change at 01:00 UTC, so the
    // hour at 00:00 UTC is the day's offset at its midnight.
    return { seconds: String((utc - Number(LONDON_HOUR.format(new Date(utc))) * 3600000) / 1000) };
  };
  return { start_time: from ? ts(from) : undefined, end_time: to ? ts(to) : undefined };
}
const dateText = (ms) => { const d = todayOf(ms); return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`; };

function itemWhat(i) {
  const bits = [kind(i.kind), `${i.kind === 'ASSURANCE_ITEM_KIND_DECISION' ? 'decision' : i.kind === 'ASSURANCE_ITEM_KIND_ACTIVITY' ? 'activity' : 'SR'} ${i.item_id}`];
  if (i.sr_type_code) bits.push(i.sr_type_code);
  if (i.decision_type && i.decision_type !== 'BUSINESS_DECISION_TYPE_UNSPECIFIED') bits.push(humanEnum(i.decision_type, 'BUSINESS_DECISION_TYPE_'));
  return bits.join(', ');
}

// --- Q&A: samples
async function samples(ctx) {
  const page = String(ctx.url.searchParams.get('page') || '').slice(0, 2000);
  const [r, nowMs] = await Promise.all([
    ctx.cms.assurance.listAssuranceSamples({ page_size: 25, page_token: page }), ctx.cache.nowOf(ctx.cms)]);
  ctx.send('Q&A samples', html`
    <p><a href="/qa/actions">Corrective actions</a></p>
    ${r.samples.length ? html`<table id="qa-samples"><caption>Samples drawn</caption>
      <thead><tr><th scope="col">Sample</th><th scope="col">Period</th><th scope="col">Kinds</th><th scope="col" class="num">Items</th>
        <th scope="col">Drawn</th></tr></thead>
      <tbody>${r.samples.map((s) => html`<tr><td><a href="${url('/qa/sample', s.id)}">Sample ${s.id}</a> <span class="hint">seed ${s.seed}</span></td>
        <td>${formatTime(s.period.start_time)} to ${formatTime(s.period.end_time)}</td><td>${s.kinds.map(kind).join(', ')}</td>
        <td class="num">${s.item_count}</td><td>${formatTime(s.draw_time)} by ${s.drawn_by}</td></tr>`)}</tbody></table>`
    : html`<p>No samples that you can see.</p>`}
    ${r.next_page_token ? html`<nav class="pager" aria-label="Pages"><a href="${url('/qa', { page: r.next_page_token })}" rel="next">Next page</a></nav>` : ''}
    <section aria-labelledby="h-draw"><h2 id="h-draw">Draw a sample</h2>
      <form method="post" action="/qa/draw" id="qa-draw-form">${commandFields(ctx)}
        ${textInput('qa-seed', 'seed', 'Seed (the same seed draws the same items)', { required: true })}
        ${textInput('qa-from', 'from', 'From (inclusive)', { type: 'date', required: true, value: dateText(nowMs - 7 * DAY_MS) })}
        ${textInput('qa-to', 'to', 'To (exclusive)', { type: 'date', required: true, value: dateText(nowMs + DAY_MS) })}
        <fieldset><legend>Kinds of work</legend>${KINDS.map((k, i) => html`<div><input type="checkbox" id="qa-kind-${i}" name="kinds" value="${k}" checked>
          <label for="qa-kind-${i}" class="check">${kind(k)}</label></div>`)}</fieldset>
        <fieldset><legend>Only the work of (optional)</legend>
          ${textInput('qa-case', 'case_id', 'Case', { size: 12 })}
          ${textInput('qa-casegroup', 'casegroup_id', 'Casegroup', { size: 12 })}
          ${textInput('qa-segment', 'segment_id', 'Segment number', { size: 12 })}
          ${textInput('qa-team', 'team_id', 'Team number', { size: 12 })}
          ${textInput('qa-type', 'sr_type_code', 'SR type code', { size: 30 })}
          ${enumSelect('qa-decision-type', 'decision_type', 'Decision type', DECISION_TYPES, 'BUSINESS_DECISION_TYPE_', { required: false, blank: 'Any' })}
        </fieldset>
        ${textInput('qa-size', 'size', 'Size (a number of items), or', { type: 'number' })}
        ${textInput('qa-rate', 'rate_ppm', 'Rate in parts per million (1000000: every item)', { type: 'number' })}
        <div><button type="submit">Draw</button></div>
      </form></section>`, { current: '/qa' });
}

async function draw(ctx) {
  ctx.back = '/qa';
  ctx.backText = 'Q&A samples';
  const f = ctx.form;
  const s = await ctx.cms.assurance.drawAssuranceSample({ request_id: formRequestId(f), seed: text(f, 'seed'),
    period: period(parseDate(f.get('from')), parseDate(f.get('to'))), kinds: f.getAll('kinds').map(String),
    targets: { case_id: idOf(f, 'case_id'), casegroup_id: idOf(f, 'casegroup_id'), segment_id: idOf(f, 'segment_id'),
      team_id: idOf(f, 'team_id'), sr_type_code: text(f, 'sr_type_code').trim(),
      decision_type: text(f, 'decision_type') || 'BUSINESS_DECISION_TYPE_UNSPECIFIED' },
    size: Number.parseInt(text(f, 'size'), 10) || 0, rate_ppm: Number.parseInt(text(f, 'rate_ppm'), 10) || 0 });
  ctx.redirect(url('/qa/sample', s.id), { kind: 'ok', text: `Sample ${s.id} drawn: ${s.item_count} items.` });
}

async function sample(ctx) {
  const id = idParam(ctx.params[0]);
  const s = await ctx.cms.assurance.getAssuranceSample({ id });
  const t = s.targets || {};
  ctx.send(`Q&A sample ${s.id}`, html`
    <dl class="facts"><dt>Seed</dt><dd>${s.seed}</dd><dt>Period</dt><dd>${formatTime(s.period.start_time)} to ${formatTime(s.period.end_time)}</dd>
      <dt>Kinds</dt><dd>${s.kinds.map(kind).join(', ')}</dd>
      <dt>Targets</dt><dd>${[some(t.case_id) && `case ${t.case_id}`, some(t.casegroup_id) && `casegroup ${t.casegroup_id}`,
    some(t.segment_id) && `segment ${t.segment_id}`, some(t.team_id) && `team ${t.team_id}`, t.sr_type_code].filter(Boolean).join(', ') || 'all work'}</dd>
      <dt>Size</dt><dd>${s.size ? `${s.size} items` : `${s.rate_ppm} per million`}; ${s.item_count} drawn</dd>
      <dt>Drawn</dt><dd>${formatTime(s.draw_time)} by ${s.drawn_by}</dd></dl>
    <table id="qa-items"><caption>Items</caption>
      <thead><tr><th scope="col">Item</th><th scope="col">Work</th><th scope="col">Caseworker</th><th scope="col">Casegroup</th>
        <th scope="col">When</th><th scope="col">Current check</th></tr></thead>
      <tbody>${s.items.map((i) => html`<tr id="qa-item-${i.id}"><td><a href="${url('/qa/item', i.id, { sample: s.id })}">Check item ${i.id}</a></td>
        <td>${itemWhat(i)}${some(i.service_request_id) ? html` <a href="${url('/sr', i.service_request_id)}">SR ${i.service_request_id}</a>` : ''}</td>
        <td>${i.caseworker}</td><td>${some(i.casegroup_id) ? html`<a href="${url('/casegroup', i.casegroup_id)}">${i.casegroup_id}</a>` : ''}</td>
        <td>${formatTime(i.occur_time)}</td>
        <td>${some(i.current_check_id) ? html`<a href="${url('/qa/check', i.current_check_id)}">${result(i.current_outcome)}</a>` : 'not checked'}</td></tr>`)}</tbody>
    </table>`, { current: '/qa' });
}

// One item and the check form (a second check corrects the current one).
async function item(ctx) {
  const itemId = idParam(ctx.params[0]);
  const sampleId = idParam(ctx.url.searchParams.get('sample'));
  const s = await ctx.cms.assurance.getAssuranceSample({ id: sampleId });
  const i = s.items.find((x) => x.id === itemId);
  if (!i) {
    const { HttpError } = require('../app');
    throw new HttpError(404, 'Page not found', `Sample ${sampleId} has no item ${itemId}.`);
  }
  ctx.send(`Check item ${i.id}`, html`
    <p><a href="${url('/qa/sample', s.id)}">Back to sample ${s.id}</a></p>
    <dl class="facts"><dt>Work</dt><dd>${itemWhat(i)}</dd><dt>Caseworker</dt><dd>${i.caseworker}</dd>
      ${some(i.service_request_id) ? html`<dt>SR</dt><dd><a href="${url('/sr', i.service_request_id)}">SR ${i.service_request_id}</a></dd>` : ''}
      ${some(i.casegroup_id) ? html`<dt>Casegroup</dt><dd><a href="${url('/casegroup', i.casegroup_id)}">Casegroup ${i.casegroup_id}</a></dd>` : ''}
      <dt>When</dt><dd>${formatTime(i.occur_time)}</dd>
      <dt>Current check</dt><dd>${some(i.current_check_id) ? html`<a href="${url('/qa/check', i.current_check_id)}">Check ${i.current_check_id}: ${result(i.current_outcome)}</a>` : 'not checked'}</dd></dl>
    <form method="post" action="${url('/qa/item', i.id, 'check')}" id="qa-check-form">${commandFields(ctx)}
      <input type="hidden" name="sample_id" value="${s.id}">
      ${some(i.current_check_id) ? html`<input type="hidden" name="corrects_check_id" value="${i.current_check_id}">
        <p>This check corrects check ${i.current_check_id}.</p>` : ''}
      ${CRITERIA.map((c, n) => html`<fieldset><legend>${criterion(c)}</legend>
        <input type="hidden" name="criterion" value="${c}">
        ${enumSelect(`qa-c${n}-result`, 'result', 'Result', RESULTS, 'ASSURANCE_RESULT_')}
        ${textArea(`qa-c${n}-comment`, 'criterion_comment', 'Comment (needed with a fail)', { rows: 2, max: 2000 })}
      </fieldset>`)}
      ${textArea('qa-comment', 'comment', 'Overall comment (optional)')}
      <div><button type="submit">Record the check</button></div>
    </form>`, { current: '/qa' });
}

async function recordCheck(ctx) {
  const itemId = idParam(ctx.params[0]);
  const f = ctx.form;
  const sampleId = idOf(f, 'sample_id');
  ctx.back = url('/qa/item', itemId, { sample: sampleId });
  ctx.backText = `item ${itemId}`;
  const criteria = f.getAll('criterion').map(String);
  const results = f.getAll('result').map(String);
  const comments = f.getAll('criterion_comment').map(String);
  const c = await ctx.cms.assurance.recordAssuranceCheck({ request_id: formRequestId(f), sample_item_id: itemId,
    results: criteria.map((cr, n) => ({ criterion: cr, result: results[n] || 'ASSURANCE_RESULT_UNSPECIFIED', comment: comments[n] || '' })),
    comment: text(f, 'comment'), corrects_check_id: idOf(f, 'corrects_check_id') });
  ctx.redirect(url('/qa/check', c.id), { kind: 'ok', text: `Check ${c.id} recorded: ${result(c.outcome).toLowerCase()}.` });
}

// A check with its feedback and corrective actions.
async function check(ctx) {
  const id = idParam(ctx.params[0]);
  const c = await ctx.cms.assurance.getAssuranceCheck({ id });
  const [fb, actions, nowMs] = await Promise.all([
    settle(ctx.cms.assurance.listAssuranceFeedback({ check_id: id, page_size: 100 })),
    settle(ctx.cms.assurance.listCorrectiveActions({ check_id: id, page_size: 100 })),
    ctx.cache.nowOf(ctx.cms),
  ]);
  const current = fb.error ? [] : fb.value.feedback.filter((x) => !some(x.superseded_by_feedback_id));
  ctx.send(`Q&A check ${c.id}`, html`
    <p><a href="${url('/qa/sample', c.sample_id)}">Sample ${c.sample_id}</a></p>
    <dl class="facts"><dt>Outcome</dt><dd id="qa-outcome"><strong>${result(c.outcome)}</strong></dd>
      <dt>Work of</dt><dd>${c.caseworker}</dd><dt>Item</dt><dd>${kind(c.kind)} ${c.item_id}</dd>
      ${some(c.casegroup_id) ? html`<dt>Casegroup</dt><dd><a href="${url('/casegroup', c.casegroup_id)}">Casegroup ${c.casegroup_id}</a></dd>` : ''}
      <dt>Checked</dt><dd>${formatTime(c.check_time)} by ${c.checked_by}</dd>
      ${some(c.corrects_check_id) ? html`<dt>Corrects</dt><dd><a href="${url('/qa/check', c.corrects_check_id)}">Check ${c.corrects_check_id}</a></dd>` : ''}
      ${some(c.superseded_by_check_id) ? html`<dt>Superseded by</dt><dd><a href="${url('/qa/check', c.superseded_by_check_id)}">Check ${c.superseded_by_check_id}</a></dd>` : ''}
      ${c.comment ? html`<dt>Comment</dt><dd>${c.comment}</dd>` : ''}</dl>
    <table id="qa-results"><caption>Criteria</caption><thead><tr><th scope="col">Criterion</th><th scope="col">Result</th><th scope="col">Comment</th></tr></thead>
      <tbody>${c.results.map((r) => html`<tr><td>${criterion(r.criterion)}</td><td>${result(r.result)}</td><td>${r.comment}</td></tr>`)}</tbody></table>
    <section aria-labelledby="h-fb"><h2 id="h-fb">Feedback to ${c.caseworker}</h2>
      ${fb.error ? refusedBox(fb.error, 'feedback') : feedbackList(fb.value.feedback)}
      <form method="post" action="${url('/qa/check', c.id, 'feedback')}" id="qa-feedback-form">${commandFields(ctx)}
        ${current.length ? html`<input type="hidden" name="corrects_feedback_id" value="${current[current.length - 1].id}">
          <p class="hint">This feedback corrects feedback ${current[current.length - 1].id}.</p>` : ''}
        ${textArea('qa-fb-text', 'text', 'Feedback', { required: true })}
        <div><button type="submit">Give feedback</button></div></form>
    </section>
    <section aria-labelledby="h-ca"><h2 id="h-ca">Corrective actions</h2>
      ${actions.error ? refusedBox(actions.error, 'corrective actions') : actionTable(ctx, actions.value.actions, `/qa/check/${c.id}`)}
      <form method="post" action="${url('/qa/check', c.id, 'action')}" id="qa-action-form">${commandFields(ctx)}
        <fieldset><legend>Add a corrective action</legend>
        ${textArea('qa-ca-desc', 'description', 'What is to be done', { required: true, max: 2000 })}
        ${textInput('qa-ca-to', 'assigned_to', 'Assigned to (staff id)', { required: true, value: c.caseworker })}
        ${textInput('qa-ca-due', 'due_date', 'Due', { type: 'date', required: true, value: dateText(nowMs + 14 * DAY_MS) })}
        <div><button type="submit">Add the action</button></div></fieldset></form>
    </section>`, { current: '/qa' });
}

function feedbackList(list) {
  if (!list.length) return html`<p>None yet.</p>`;
  return html`<ul class="notes">${list.map((x) => html`<li${some(x.superseded_by_feedback_id) ? html` class="superseded"` : ''}>
    <p>${x.text}</p><p class="hint">Feedback ${x.id}, ${x.given_by} ${formatTime(x.give_time)}${
  some(x.superseded_by_feedback_id) ? `; corrected by feedback ${x.superseded_by_feedback_id}` : ''}</p></li>`)}</ul>`;
}

function actionTable(ctx, list, back) {
  if (!list.length) return html`<p>None.</p>`;
  return html`<table class="qa-actions"><caption>Corrective actions</caption>
    <thead><tr><th scope="col">Action</th><th scope="col">What</th><th scope="col">Assigned to</th><th scope="col">Due</th>
      <th scope="col">State</th><th scope="col">Done</th></tr></thead>
    <tbody>${list.map((a) => html`<tr id="qa-action-${a.id}"><td>${a.id}<br><a href="${url('/qa/check', a.check_id)}">check ${a.check_id}</a></td>
      <td>${a.description}<br><span class="hint">set by ${a.set_by}; work of ${a.caseworker}</span></td><td>${a.assigned_to}</td>
      <td>${formatDate(a.due_date)}${a.overdue ? html` <span class="marker overdue">Overdue</span>` : ''}</td>
      <td>${humanEnum(a.state, 'CORRECTIVE_ACTION_STATE_')}</td>
      <td>${a.state === 'CORRECTIVE_ACTION_STATE_OPEN' ? html`<form method="post" action="${url('/qa/action', a.id, 'complete')}">${commandFields(ctx, a)}
        <input type="hidden" name="back" value="${back}">
        <label for="qa-done-${a.id}">What was done (action ${a.id})</label>
        <textarea id="qa-done-${a.id}" name="note" rows="2" cols="30" maxlength="2000" required></textarea>
        <div><button type="submit">Complete</button></div></form>` : html`${a.completion_note}<br><span class="hint">${a.completed_by} ${formatTime(a.complete_time)}</span>`}</td>
    </tr>`)}</tbody></table>`;
}

// The signed-in person's corrective actions and the feedback addressed to them.
async function myActions(ctx) {
  const q = ctx.url.searchParams;
  const mine = q.get('all') !== '1';
  const [actions, fb] = await Promise.all([
    settle(ctx.cms.assurance.listCorrectiveActions({ assigned_to_me: mine, open_only: q.get('done') !== '1', page_size: 100 })),
    settle(ctx.cms.assurance.listAssuranceFeedback({ caseworker: ctx.staff.staff_id, page_size: 50 })),
  ]);
  ctx.send('Q&A feedback and corrective actions', html`
    <form method="get" action="/qa/actions" class="filters" aria-label="Which actions">
      <div><input type="checkbox" id="qa-all" name="all" value="1"${mine ? '' : html` checked`}> <label for="qa-all" class="check">Everyone's (Q&A, service management)</label></div>
      <div><input type="checkbox" id="qa-done" name="done" value="1"${q.get('done') === '1' ? html` checked` : ''}> <label for="qa-done" class="check">Include completed</label></div>
      <div><button type="submit">Show</button></div></form>
    <section aria-labelledby="h-my-ca"><h2 id="h-my-ca">Corrective actions</h2>
      ${actions.error ? refusedBox(actions.error, 'corrective actions') : actionTable(ctx, actions.value.actions, '/qa/actions')}</section>
    <section aria-labelledby="h-my-fb"><h2 id="h-my-fb">Feedback on my work</h2>
      ${fb.error ? refusedBox(fb.error, 'feedback') : feedbackList(fb.value.feedback)}</section>`, { current: '/qa/actions' });
}

// The team leader's coaching view: per caseworker, checks and failures by criterion.
async function coaching(ctx) {
  const q = ctx.url.searchParams;
  const nowMs = await ctx.cache.nowOf(ctx.cms);
  const team = /^[1-9]\d{0,18}$/.test(q.get('team') || '') ? q.get('team') : (ctx.staff.team_id && ctx.staff.team_id !== '0' ? String(ctx.staff.team_id) : '');
  const from = q.get('from') || dateText(nowMs - 90 * DAY_MS);
  const to = q.get('to') || dateText(nowMs + DAY_MS);
  const got = team ? await settle(ctx.cms.assurance.getCoachingNeeds({ team_id: team, period: period(parseDate(from), parseDate(to)) })) : null;
  ctx.send('Coaching needs', html`
    <form method="get" action="/qa/coaching" class="filters" aria-label="Team and period">
      <div>${textInput('co-team', 'team', 'Team number', { size: 8, value: team, required: true })}</div>
      <div>${textInput('co-from', 'from', 'From (inclusive)', { type: 'date', value: from })}</div>
      <div>${textInput('co-to', 'to', 'To (exclusive)', { type: 'date', value: to })}</div>
      <div><button type="submit">Show</button></div></form>
    ${!got ? html`<p>Give a team number.</p>` : got.error ? refusedBox(got.error, 'coaching needs') : got.value.caseworkers.length ? html`
      <table id="qa-coaching"><caption>Checks of the team's work recorded from ${from} to ${to}</caption>
        <thead><tr><th scope="col">Caseworker</th><th scope="col" class="num">Checks</th><th scope="col" class="num">Failed</th>
          ${CRITERIA.map((c) => html`<th scope="col" class="num">${criterion(c)} failures</th>`)}
          <th scope="col" class="num">Open actions</th><th scope="col" class="num">Overdue actions</th></tr></thead>
        <tbody>${got.value.caseworkers.map((w) => html`<tr id="coach-${w.staff_id}"><th scope="row">${w.staff_id}</th>
          <td class="num">${w.checks}</td><td class="num">${w.failed_checks}</td>
          ${CRITERIA.map((c) => html`<td class="num">${(w.failed_criteria.find((x) => x.criterion === c) || { failures: 0 }).failures}</td>`)}
          <td class="num">${w.open_corrective_actions}</td><td class="num">${w.overdue_corrective_actions}</td></tr>`)}</tbody></table>`
    : html`<p>No checks of the team's work in the period.</p>`}`, { current: '/qa/coaching' });
}

const back = (ctx, id) => ({ href: `/qa/check/${id}`, text: `check ${id}` });

module.exports = {
  routes: () => [
    ['GET', /^\/qa$/, samples, {}, 'qa'],
    ['POST', /^\/qa\/draw$/, draw, {}, 'qa_draw'],
    ['GET', /^\/qa\/sample\/([^/]+)$/, sample, {}, 'qa_sample'],
    ['GET', /^\/qa\/item\/([^/]+)$/, item, {}, 'qa_item'],
    ['POST', /^\/qa\/item\/([^/]+)\/check$/, recordCheck, {}, 'qa_check_record'],
    ['GET', /^\/qa\/check\/([^/]+)$/, check, {}, 'qa_check'],
    ['POST', /^\/qa\/check\/([^/]+)\/feedback$/, command(back, async (ctx, id, f, base) => {
      const x = await ctx.cms.assurance.giveAssuranceFeedback({ request_id: base.request_id, check_id: id, text: text(f, 'text'),
        corrects_feedback_id: idOf(f, 'corrects_feedback_id') });
      return `Feedback ${x.id} given to ${x.caseworker}.`;
    }), {}, 'qa_feedback'],
    ['POST', /^\/qa\/check\/([^/]+)\/action$/, command(back, async (ctx, id, f, base) => {
      const a = await ctx.cms.assurance.addCorrectiveAction({ request_id: base.request_id, check_id: id,
        description: text(f, 'description'), assigned_to: text(f, 'assigned_to').trim(), due_date: dateOf(f, 'due_date') });
      return `Corrective action ${a.id} added for ${a.assigned_to}.`;
    }), {}, 'qa_action_add'],
    ['POST', /^\/qa\/action\/([^/]+)\/complete$/, command((ctx) => {
      const b = text(ctx.form, 'back');
      return /^\/qa\/(actions|check\/\d+)$/.test(b) ? { href: b, text: 'the actions' } : { href: '/qa/actions', text: 'the actions' };
    }, async (ctx, id, f, base) => {
      await ctx.cms.assurance.completeCorrectiveAction({ ...base, id, note: text(f, 'note') });
      return `Corrective action ${id} completed.`;
    }), {}, 'qa_action_complete'],
    ['GET', /^\/qa\/actions$/, myActions, {}, 'qa_actions'],
    ['GET', /^\/qa\/coaching$/, coaching, {}, 'qa_coaching'],
  ],
};
