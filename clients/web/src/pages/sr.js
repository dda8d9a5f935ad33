'use strict';
// The service request page (SR5.*): fields, status and sub status moves,
// the activity plan, notes, relations, letters issued from it, approvals
// and submitting for approval. Every option offered comes from the server:
// the moves and whether it may be submitted from the SR itself, the names
// from its catalog (ListSrTypes); every refusal is the server's.
const { html, url } = require('../html');
const { csrfField } = require('../layout');
const { statusName, formatTime, formatDate, parseDate, humanEnum } = require('../format');
const { markers } = require('./worklist');
const { requestId, idParam } = require('./ids');
const { settle, refusedBox } = require('./settle');

const FINAL = ['SR_STATUS_CLOSED', 'SR_STATUS_CANCELLED'];

// A hidden request_id made when the form is drawn, so a form sent twice is
// one command to the server (X13.4).
function commandFields(ctx, sr) {
  return html`${csrfField(ctx)}<input type="hidden" name="request_id" value="${requestId()}">${
    sr ? html`<input type="hidden" name="etag" value="${sr.etag}">` : ''}`;
}

function formRequestId(form) {
  const rid = String(form.get('request_id') || '');
  return /^web-[0-9a-f-]{36}$/.test(rid) ? rid : requestId();
}

// The declared fields of a type (SrType.fields); for a server that predates
// them, the mandatory names.
function declaredFields(type) {
  if (!type) return [];
  if (type.fields && type.fields.length) return type.fields;
  return (type.mandatory_fields || []).map((name) => ({ name, mandatory: true, description: '' }));
}

async function loadSr(ctx, id) {
  // What needs only the id goes out with the SR itself: one round trip less.
  const early = [
    ctx.cache.catalogOf(ctx.cms),
    ctx.cache.nowOf(ctx.cms),
    ctx.cache.segmentNamesOf(ctx.cms),
    ctx.cms.serviceRequests.listNotes({ subject: 'NOTE_SUBJECT_SERVICE_REQUEST', subject_id: id, page_size: 200 }),
    ctx.cms.approvals.listApprovals({ service_request_id: id, page_size: 100 }),
    // The children (SR5.5) and the letters are read with the casegroup: a
    // reader of the SR may not be one of its readers (a specialist, SR5.7),
    // so a refusal shows in its section only.
    settle(ctx.cms.serviceRequests.listServiceRequests({ parent_id: id, include_closed: true, page_size: 1000 })),
    settle(ctx.cms.letters.listInteractions({ service_request_id: id, page_size: 500 })),
  ];
  for (const p of early) p.catch(() => {}); // awaited below; no unhandled rejection if the SR fails first
  const sr = await ctx.cms.serviceRequests.getServiceRequest({ id });
  const [catalog, nowMs, segmentNames, notes, approvals, children, letters] = await Promise.all(early);
  return {
    sr, catalog, nowMs, type: catalog.byCode.get(sr.type_code),
    segmentName: segmentNames.get(sr.owning_segment_id) || `segment ${sr.owning_segment_id}`,
    notes: notes.notes,
    approvals: approvals.approvals,
    children: children.error ? children : children.value.service_requests,
    // The section shows letters; other interactions recorded from the SR
    // (calls, visits) are the case's contact history, not shown here.
    letters: letters.error ? letters : letters.value.interactions.filter((i) => i.channel === 'INTERACTION_CHANNEL_LETTER'),
  };
}

function summary(d) {
  const { sr, type } = d;
  const marks = markers(sr, d.nowMs);
  return html`
    <dl class="facts">
      <dt>Type</dt><dd>${sr.process} / ${sr.area} / ${sr.sub_area} <span class="hint">(${sr.type_code})</span></dd>
      ${sr.type_code === 'ADVICE_AND_GUIDANCE' ? html`<dt>A&amp;G</dt><dd><a href="${url('/guidance/sr', sr.id)}">The question and its answer</a></dd>` : ''}
      ${mpEnquiryLink(sr)}
      <dt>Status</dt><dd id="sr-status">${statusName(sr.status)}${sr.sub_status ? html` — ${sr.sub_status}` : ''}</dd>
      ${sr.resolution_code ? html`<dt>Resolution</dt><dd>${sr.resolution_code}</dd>` : ''}
      ${sr.wake_date && sr.wake_date.year ? html`<dt>Wakes</dt><dd>${formatDate(sr.wake_date)}</dd>` : ''}
      <dt>Markers</dt><dd>${marks.value ? marks : 'none'}</dd>
      <dt>Casegroup</dt><dd><a href="${url('/casegroup', sr.casegroup_id)}">Casegroup ${sr.casegroup_id}</a>${
        sr.case_id !== '0' ? html`, case ${sr.case_id}` : ''}</dd>
      <dt>Allocated to</dt><dd>${sr.allocated_to || html`<em>the segment queue</em>`} <span class="hint">(${d.segmentName})</span></dd>
      <dt>Source</dt><dd>${humanEnum(sr.source, 'SR_SOURCE_')}${sr.created_by_rule ? html` (rule ${sr.created_by_rule})` : ''}</dd>
      <dt>Created</dt><dd>${formatTime(sr.create_time)} by ${sr.created_by || 'the system'}</dd>
      <dt>Kind</dt><dd>${humanEnum(sr.kind, 'SR_KIND_')}</dd>
      ${sr.description ? html`<dt>Description</dt><dd>${sr.description}</dd>` : ''}
      ${type && type.description ? html`<dt>About this type</dt><dd>${type.description}</dd>` : ''}
    </dl>`;
}

// The MP enquiry an MP Enquiry Input SR gives its input to (its "MP
// Enquiry" field holds the enquiry's id, AG11.4); the enquiry page itself
// is the government relations team's, and the server says who may read it.
function mpEnquiryLink(sr) {
  const id = String((sr.fields || {})['MP Enquiry'] || '').trim();
  if (!id) return '';
  return html`<dt>MP enquiry</dt><dd>${/^[1-9]\d{0,18}$/.test(id)
    ? html`<a href="${url('/mp', id)}" id="sr-mp-enquiry">MP enquiry ${id}</a>` : id}</dd>`;
}

// The moves offered: exactly the statuses the server says the caller may
// ask for now (allowed_next_statuses: SR5.2's machine less what other use
// cases own, A6.1 and AG11.1), each bare and with each of the type's sub
// statuses for it (catalog). The status the SR is in is listed when it may
// stay there for another sub status (SR5.2): then only the other sub
// statuses are offered. [[value "STATUS|sub status", text]].
function moveOptions(sr, type) {
  const options = [];
  for (const status of sr.allowed_next_statuses || []) {
    const stays = status === sr.status;
    if (!stays) options.push([`${status}|`, statusName(status)]);
    for (const s of ((type && type.sub_statuses) || []).filter((x) => x.status === status)) {
      if (stays && s.name === sr.sub_status) continue;
      options.push([`${status}|${s.name}`, `${statusName(status)} — ${s.name}`]);
    }
  }
  return options;
}

// Why the server offers no move, in plain words: the SR is final, or it
// waits for a team leader's decision (which moves it, A6.1).
function noMoveReason(sr) {
  if (FINAL.includes(sr.status)) return `This SR is ${statusName(sr.status).toLowerCase()}; it does not move again.`;
  if (sr.status === 'SR_STATUS_PENDING_APPROVAL') {
    return 'This SR is waiting for a team leader\'s decision on its approval; it moves when they approve or reject it.';
  }
  return 'The server offers no status change for this SR now.';
}

function statusForm(ctx, d) {
  const { sr, type } = d;
  const allowed = sr.allowed_next_statuses || [];
  if (!allowed.length) return html`<p id="no-moves">${noMoveReason(sr)}</p>`;
  // A resolution code goes with a close and wait days with a wait: asked
  // for only when that move is on offer.
  const codes = allowed.includes('SR_STATUS_CLOSED') ? (type && type.resolution_codes) || [] : [];
  const waits = allowed.includes('SR_STATUS_WAIT');
  return html`
    <form method="post" action="${url('/sr', sr.id, 'status')}" id="status-form">${commandFields(ctx, sr)}
      <label for="move">Move to</label>
      <select id="move" name="move" required><option value="">Choose a status</option>${moveOptions(sr, type).map(([v, t]) => html`<option value="${v}">${t}</option>`)}</select>
      ${codes.length ? html`<label for="resolution_code">Resolution code (to close)</label>
      <select id="resolution_code" name="resolution_code"><option value="">None</option>${codes.map((c) => html`
        <option value="${c}">${c}</option>`)}</select>` : ''}
      ${waits ? html`<label for="wait_days">Wait days (to wait; empty: the type's default${type && type.default_wait_days ? html`, ${type.default_wait_days}` : ''})</label>
      <input id="wait_days" name="wait_days" type="number" min="1" max="3650">` : ''}
      <label for="move_note">Note recorded with the move (optional)</label>
      <textarea id="move_note" name="note" rows="2" cols="60" maxlength="4000"></textarea>
      <div><button type="submit">Change status</button></div>
    </form>`;
}

function fieldsForm(ctx, d) {
  const { sr } = d;
  const declared = declaredFields(d.type);
  const extra = Object.keys(sr.fields || {}).filter((k) => !declared.some((f) => f.name === k));
  const all = [...declared, ...extra.map((name) => ({ name, mandatory: false, description: '' }))];
  if (!all.length) return html`<p>This type holds no fields.</p>`;
  return html`
    <form method="post" action="${url('/sr', sr.id, 'fields')}" id="fields-form">${commandFields(ctx, sr)}
      ${all.map((f, i) => html`
        <label for="field-${i}">${f.name}${f.mandatory ? ' (required past Open)' : ''}</label>
        ${f.description ? html`<p class="hint" id="field-${i}-hint">${f.description}</p>` : ''}
        <input type="hidden" name="field_name" value="${f.name}">
        <input type="text" id="field-${i}" name="field_value" size="60" maxlength="2000"
          value="${(sr.fields || {})[f.name] || ''}"${f.description ? html` aria-describedby="field-${i}-hint"` : ''}>`)}
      <div><button type="submit">Save fields</button></div>
    </form>`;
}

function activityTable(ctx, d) {
  const { sr } = d;
  const acts = sr.activities || [];
  const final = FINAL.includes(sr.status);
  return html`
    ${acts.length ? html`<table>
      <caption>Activity plan</caption>
      <thead><tr><th scope="col" class="num">#</th><th scope="col">Activity</th><th scope="col">Mandatory</th>
        <th scope="col">Due</th><th scope="col">Status</th><th scope="col">Action</th></tr></thead>
      <tbody>${acts.map((a) => html`
        <tr>
          <td class="num">${a.seq}</td>
          <td>${a.name}${a.manual ? html` <span class="hint">(added by hand)</span>` : ''}</td>
          <td>${a.mandatory ? 'Yes' : 'No'}</td>
          <td>${formatDate(a.due_date)}${a.reminder_due ? html` <span class="marker reminder">Reminder due</span>` : ''}</td>
          <td>${humanEnum(a.status, 'ACTIVITY_STATUS_')}${a.completed_by ? html` <span class="hint">by ${a.completed_by}</span>` : ''}</td>
          <td>${a.status === 'ACTIVITY_STATUS_OPEN' && !final ? html`
            <form method="post" action="${url('/sr', sr.id, 'activity')}" class="inline">${commandFields(ctx, sr)}
              <input type="hidden" name="activity_id" value="${a.id}">
              <button type="submit" name="status" value="ACTIVITY_STATUS_DONE" aria-label="Mark “${a.name}” done">Done</button>
              <button type="submit" name="status" value="ACTIVITY_STATUS_NOT_REQUIRED" class="secondary"
                aria-label="Mark “${a.name}” not required">Not required</button>
            </form>` : ''}</td>
        </tr>`)}</tbody>
    </table>` : html`<p>No activity plan yet: it is made when the SR first goes in progress.</p>`}
    ${final ? '' : html`
    <details><summary>Add an activity by hand</summary>
      <form method="post" action="${url('/sr', sr.id, 'activities')}">${commandFields(ctx, sr)}
        <label for="act-name">Activity</label><input type="text" id="act-name" name="name" size="50" required maxlength="200">
        <label for="act-due">Due date (optional)</label><input type="date" id="act-due" name="due_date">
        <div><input type="checkbox" id="act-alarm" name="alarm" value="1">
          <label for="act-alarm" class="check">Remind me when it is due</label></div>
        <button type="submit">Add activity</button>
      </form></details>`}`;
}

function relations(d) {
  const { sr, children } = d;
  const link = (id) => html`<a href="${url('/sr', id)}">SR ${id}</a>`;
  return html`
    <dl class="facts">
      <dt>Parent</dt><dd>${sr.parent_id !== '0' ? link(sr.parent_id) : 'none'}</dd>
      <dt>Related</dt><dd>${sr.related_ids.length ? sr.related_ids.map((id, i) => html`${i ? ', ' : ''}${link(id)}`) : 'none'}</dd>
      <dt>Children</dt><dd id="sr-children">${children.error ? refusedBox(children.error, 'child SRs') : children.length ? children.map((c, i) => html`${i ? ', ' : ''}${link(c.id)} (${statusName(c.status)})`) : 'none'}</dd>
    </dl>`;
}

function approvalsSection(ctx, d) {
  const { sr, approvals } = d;
  return html`
    ${approvals.length ? html`<table>
      <caption>Submissions and decisions</caption>
      <thead><tr><th scope="col">Submitted</th><th scope="col">Step</th><th scope="col">By</th><th scope="col">Comment</th>
        <th scope="col">Decision</th><th scope="col">Decided by</th><th scope="col">Decision comment</th></tr></thead>
      <tbody>${approvals.map((a) => html`<tr>
        <td>${formatTime(a.submit_time)}</td><td>${a.step}</td><td>${a.submitted_by}</td><td>${a.submit_comment}</td>
        <td>${humanEnum(a.state, 'APPROVAL_STATE_')}</td><td>${a.decided_by}</td><td>${a.decision_comment}</td></tr>`)}</tbody>
    </table>` : html`<p>Never submitted for approval.</p>`}
    ${sr.may_submit_for_approval ? html`
      <form method="post" action="${url('/sr', sr.id, 'submit')}" id="submit-form">${commandFields(ctx, sr)}
        <label for="step">What needs approving</label>
        <input type="text" id="step" name="step" size="50" required maxlength="200">
        <label for="submit_comment">Comment for the team leader (optional)</label>
        <textarea id="submit_comment" name="comment" rows="2" cols="60" maxlength="4000"></textarea>
        <div><button type="submit">Submit for approval</button></div>
      </form>` : ''}`;
}

function notesSection(ctx, d) {
  return html`
    ${d.notes.length ? html`<ol class="notes">${d.notes.map((n) => html`
      <li><p>${n.text}</p><p class="hint">${n.author}, ${formatTime(n.create_time)}</p></li>`)}</ol>` : html`<p>No notes.</p>`}
    <form method="post" action="${url('/sr', d.sr.id, 'note')}">${commandFields(ctx, null)}
      <label for="note-text">New note</label>
      <textarea id="note-text" name="text" rows="3" cols="60" required maxlength="4000"></textarea>
      <div><button type="submit">Add note</button></div>
    </form>`;
}

function lettersSection(d) {
  if (d.letters.error) return refusedBox(d.letters.error, 'letters');
  if (!d.letters.length) return html`<p>No letters issued from this SR.</p>`;
  return html`${d.letters.map((l) => html`
    <details class="letter"><summary>${l.template_code || 'Letter'} to person ${l.person_id}, ${formatTime(l.create_time)}${
      l.return_time && l.return_time.seconds !== '0' ? ' (returned undelivered)' : ''}</summary>
      <pre>${l.text}</pre></details>`)}`;
}

async function showSr(ctx) {
  const id = idParam(ctx.params[0]);
  const d = await loadSr(ctx, id);
  ctx.send(`SR ${d.sr.id}: ${d.sr.sub_area}`, html`
    <div class="cols">
      <section aria-labelledby="h-summary"><h2 id="h-summary">Summary</h2>${summary(d)}</section>
      <section aria-labelledby="h-status"><h2 id="h-status">Change status</h2>${statusForm(ctx, d)}</section>
    </div>
    <section aria-labelledby="h-plan"><h2 id="h-plan">Activity plan</h2>${activityTable(ctx, d)}</section>
    <div class="cols">
      <section aria-labelledby="h-fields"><h2 id="h-fields">Fields</h2>${fieldsForm(ctx, d)}</section>
      <section aria-labelledby="h-rel"><h2 id="h-rel">Related service requests</h2>${relations(d)}</section>
    </div>
    <section aria-labelledby="h-appr"><h2 id="h-appr">Approval</h2>${approvalsSection(ctx, d)}</section>
    <section aria-labelledby="h-notes"><h2 id="h-notes">Notes</h2>${notesSection(ctx, d)}</section>
    <section aria-labelledby="h-letters"><h2 id="h-letters">Letters</h2>${lettersSection(d)}</section>`);
}

// --- commands: each answers with a redirect back to the SR (post/redirect/get)

function command(name, call) {
  return async (ctx) => {
    const id = idParam(ctx.params[0]);
    ctx.back = `/sr/${id}`;
    ctx.backText = `SR ${id}`;
    const f = ctx.form;
    const text = await call(ctx, id, f, { request_id: formRequestId(f), etag: String(f.get('etag') || '') });
    ctx.redirect(`/sr/${id}`, { kind: 'ok', text: text || `${name}: done.` });
  };
}

const changeStatus = command('Status', async (ctx, id, f, base) => {
  const [status, subStatus = ''] = String(f.get('move') || '').split('|');
  const waitDays = Number(f.get('wait_days') || 0);
  const sr = await ctx.cms.serviceRequests.changeServiceRequestStatus({
    ...base, id, status, sub_status: subStatus, resolution_code: String(f.get('resolution_code') || ''),
    wait_days: Number.isInteger(waitDays) && waitDays > 0 ? waitDays : 0, note: String(f.get('note') || ''),
  });
  return `SR ${id} is now ${statusName(sr.status).toLowerCase()}${sr.sub_status ? ` (${sr.sub_status})` : ''}.`;
});

// fields.<key> as the update mask names it: backquoted unless a plain identifier.
function maskPath(name) {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `fields.${name}` : `fields.\`${name}\``;
}

const updateFields = command('Fields', async (ctx, id, f, base) => {
  const names = f.getAll('field_name').map(String);
  const values = f.getAll('field_value').map(String);
  const fields = {};
  names.forEach((n, i) => {
    if ((values[i] || '').trim() !== '') fields[n] = values[i];
  });
  await ctx.cms.serviceRequests.updateServiceRequestFields({
    ...base, id, fields, update_mask: { paths: names.map(maskPath) },
  });
  return 'Fields saved.';
});

const updateActivity = command('Activity', async (ctx, id, f, base) => {
  await ctx.cms.serviceRequests.updateActivity({
    ...base, service_request_id: id, activity_id: String(f.get('activity_id') || '0'),
    status: String(f.get('status') || ''),
  });
  return 'Activity updated.';
});

const addActivity = command('Activity', async (ctx, id, f, base) => {
  await ctx.cms.serviceRequests.addActivity({
    ...base, service_request_id: id, name: String(f.get('name') || ''),
    due_date: parseDate(f.get('due_date')) || undefined, alarm: f.get('alarm') === '1',
  });
  return 'Activity added.';
});

const addNote = command('Note', async (ctx, id, f, base) => {
  await ctx.cms.serviceRequests.addNote({
    request_id: base.request_id, subject: 'NOTE_SUBJECT_SERVICE_REQUEST', subject_id: id,
    text: String(f.get('text') || ''),
  });
  return 'Note added.';
});

const submitForApproval = command('Submit', async (ctx, id, f, base) => {
  const a = await ctx.cms.approvals.submitForApproval({
    ...base, service_request_id: id, step: String(f.get('step') || ''), comment: String(f.get('comment') || ''),
  });
  return `Submitted for approval (approval ${a.id}).`;
});

module.exports = {
  routes: () => [
    ['GET', /^\/sr\/([^/]+)$/, showSr, {}, 'sr'],
    ['POST', /^\/sr\/([^/]+)\/status$/, changeStatus, {}, 'sr_status'],
    ['POST', /^\/sr\/([^/]+)\/fields$/, updateFields, {}, 'sr_fields'],
    ['POST', /^\/sr\/([^/]+)\/activity$/, updateActivity, {}, 'sr_activity'],
    ['POST', /^\/sr\/([^/]+)\/activities$/, addActivity, {}, 'sr_activity_add'],
    ['POST', /^\/sr\/([^/]+)\/note$/, addNote, {}, 'sr_note'],
    ['POST', /^\/sr\/([^/]+)\/submit$/, submitForApproval, {}, 'sr_submit'],
  ],
  commandFields, formRequestId, maskPath, moveOptions, noMoveReason, mpEnquiryLink,
};
