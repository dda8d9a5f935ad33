'use strict';
// Segment manager and service management views: the BOM (segments, teams,
// staff counts), pending BOM change requests (decided here by service
// management, S1.5), the size and age of each segment's queue (W4.3), the
// orphans check and recovery (W4.5), timer stats (T8.*), and the audit
// trail of any entity or actor (X13.2). Each section
// is shown when the server answers it for the signed-in person; a refused
// one shows the refusal.
const { html, url } = require('../html');
const { formatTime, humanEnum } = require('../format');
const { barChart } = require('../svg');
const { settle } = require('./settle');
const { queuesSection } = require('./queues');
const { commandFields, formRequestId } = require('./sr');
const { errorDetails, GRPC } = require('../errors');

function refused(got, what) {
  if (got.error.code === GRPC.PERMISSION_DENIED) return html`<p class="hint">${what}: not open to your role (${got.error.info && got.error.info.rule_id ? got.error.info.rule_id : 'X13.1'}).</p>`;
  return html`<div class="error-box" role="alert">${errorDetails(got.error)}</div>`;
}

async function pages(fetch, key) {
  const out = [];
  let token = '';
  do {
    const r = await fetch(token);
    out.push(...r[key]);
    token = r.next_page_token;
  } while (token);
  return out;
}

async function servicePage(ctx) {
  const cms = ctx.cms;
  // W4.5's check reads every casegroup and open SR: run when asked for
  // (?orphans=check), not on every visit of the page.
  const checkOrphans = ctx.url.searchParams.get('orphans') === 'check';
  const [segments, teams, staff, orphans, timers, inbox, queues] = await Promise.all([
    pages((t) => cms.bom.listSegments({ page_size: 1000, page_token: t }), 'segments'),
    pages((t) => cms.bom.listTeams({ page_size: 1000, page_token: t }), 'teams'),
    pages((t) => cms.bom.listStaff({ page_size: 1000, page_token: t }), 'staff'),
    checkOrphans ? settle(cms.work.checkOrphans({})) : Promise.resolve(null),
    settle(cms.admin.getTimerStats({})),
    settle(cms.approvals.listApprovalInbox({ page_size: 100 })),
    // Service management is sent every segment's queue, a segment manager
    // their own; others are refused (W4.3).
    settle(cms.work.getQueueStats({})),
  ]);
  const staffPerSegment = new Map();
  for (const s of staff) if (s.active) staffPerSegment.set(s.segment_id, (staffPerSegment.get(s.segment_id) || 0) + 1);
  const teamsPerSegment = new Map();
  for (const t of teams) teamsPerSegment.set(t.segment_id, (teamsPerSegment.get(t.segment_id) || 0) + 1);
  const bars = segments.map((s) => ({ label: s.system_name, value: staffPerSegment.get(s.id) || 0 }));
  const bomChanges = inbox.value ? inbox.value.approvals.filter((a) => a.kind === 'APPROVAL_KIND_BOM_CHANGE') : [];

  ctx.send('Service', html`
    <section aria-labelledby="h-queues"><h2 id="h-queues">Queues</h2>
      ${queues.error ? refused(queues, 'Queue counts') : queuesSection(queues.value)}
    </section>
    <section aria-labelledby="h-orphans"><h2 id="h-orphans">Orphaned work (W4.5)</h2>
      ${!orphans ? html`<form method="get" action="/service"><input type="hidden" name="orphans" value="check">
        <p>Work whose allocatee left its segment, or whose segment was retired.
          <button type="submit">Check for orphaned work</button></p></form>`
    : orphans.error ? refused(orphans, 'The orphans check') : html`
        <p id="orphan-count">${orphans.value.count} orphaned item(s).</p>
        ${orphans.value.count !== '0' ? html`<form method="post" action="/service/recover-orphans">${commandFields(ctx, null)}
          <button type="submit">Return them to their queues</button></form>` : ''}`}
    </section>
    <section aria-labelledby="h-timers"><h2 id="h-timers">Timers</h2>
      ${timers.error ? refused(timers, 'Timer stats') : html`<dl class="facts">
        <dt>Pending</dt><dd>${timers.value.pending}</dd><dt>Overdue</dt><dd>${timers.value.overdue}</dd>
        <dt>Failed</dt><dd>${timers.value.failed}</dd>
        <dt>Oldest overdue lag</dt><dd>${timers.value.oldest_overdue_lag ? `${timers.value.oldest_overdue_lag.seconds} s` : '0 s'}</dd></dl>`}
    </section>
    <section aria-labelledby="h-bomchanges"><h2 id="h-bomchanges">BOM change requests</h2>
      ${inbox.error ? refused(inbox, 'The approvals inbox') : bomChanges.length ? html`<table>
        <caption>Waiting for service management</caption>
        <thead><tr><th scope="col">Submitted</th><th scope="col">Change</th><th scope="col">By</th><th scope="col">Reason</th><th scope="col">Decide</th></tr></thead>
        <tbody>${bomChanges.map((a) => html`<tr><td>${formatTime(a.submit_time)}</td><td>${a.step}</td><td>${a.submitted_by}</td>
          <td>${a.submit_comment}</td><td><form method="post" action="${url('/service/bom-change', a.id)}">${commandFields(ctx, null)}
            <label for="bc-${a.id}">Comment on request ${a.id} (required)</label>
            <textarea id="bc-${a.id}" name="comment" rows="2" cols="30" maxlength="4000"></textarea>
            <div><button type="submit" name="decision" value="APPROVAL_STATE_APPROVED">Approve</button>
            <button type="submit" name="decision" value="APPROVAL_STATE_REJECTED" class="secondary">Reject</button></div>
          </form></td></tr>`)}</tbody></table>` : html`<p>None waiting for you.</p>`}
    </section>
    <section aria-labelledby="h-bom"><h2 id="h-bom">The BOM: segments</h2>
      ${barChart({ id: 'staff-chart', title: 'Active staff per segment', desc: 'The same numbers are in the table below.', bars })}
      <table><caption>Segments</caption>
        <thead><tr><th scope="col">System name</th><th scope="col">Description</th><th scope="col">Status</th>
          <th scope="col" class="num">Teams</th><th scope="col" class="num">Active staff</th></tr></thead>
        <tbody>${segments.map((s) => html`<tr><td>${s.system_name}</td><td>${s.description}</td>
          <td>${humanEnum(s.status, 'LIFECYCLE_STATUS_')}</td><td class="num">${teamsPerSegment.get(s.id) || 0}</td>
          <td class="num">${staffPerSegment.get(s.id) || 0}</td></tr>`)}</tbody></table>
    </section>
    <p>See also: <a href="/audit">the audit trail</a>.</p>`, { current: '/service' });
}

async function recoverOrphans(ctx) {
  ctx.back = '/service';
  ctx.backText = 'the service page';
  const r = await ctx.cms.work.recoverOrphans({ request_id: formRequestId(ctx.form) });
  ctx.redirect('/service', { kind: 'ok', text: `${r.count} orphaned item(s) returned to their queues.` });
}

async function decideBomChange(ctx) {
  const id = String(ctx.params[0]);
  ctx.back = '/service';
  ctx.backText = 'the service page';
  const a = await ctx.cms.approvals.decideApproval({
    request_id: formRequestId(ctx.form), approval_id: /^\d{1,19}$/.test(id) ? id : '0',
    decision: String(ctx.form.get('decision') || ''), comment: String(ctx.form.get('comment') || '') });
  ctx.redirect('/service', { kind: 'ok', text: `Request ${a.id}: ${humanEnum(a.state, 'APPROVAL_STATE_').toLowerCase()}. ${a.action_result || ''}` });
}

// The audit trail: by entity (type + id) or by actor. A GET form: entity
// ids and staff ids, not personal data, go in the URL.
async function auditPage(ctx) {
  const q = ctx.url.searchParams;
  const entityType = String(q.get('entity_type') || '').slice(0, 64);
  const entityId = String(q.get('entity_id') || '').slice(0, 64);
  const actor = String(q.get('actor') || '').slice(0, 40);
  const page = String(q.get('page') || '').slice(0, 2000);
  let result = null;
  if (entityType || entityId || actor) {
    result = await settle(ctx.cms.admin.listAuditEvents({ entity_type: entityType, entity_id: entityId, actor,
      page_size: 50, page_token: page }));
  }
  const query = { entity_type: entityType, entity_id: entityId, actor };
  ctx.send('Audit trail', html`
    <form method="get" action="/audit" class="filters">
      <div><label for="a-type">Entity type</label><input type="text" id="a-type" name="entity_type" value="${entityType}" size="18"></div>
      <div><label for="a-id">Entity id</label><input type="text" id="a-id" name="entity_id" value="${entityId}" size="10"></div>
      <div><label for="a-actor">Or actor (staff id)</label><input type="text" id="a-actor" name="actor" value="${actor}" size="24"></div>
      <div><button type="submit">Show</button></div>
    </form>
    <p class="hint">Entity types are as the server records them, e.g. service_request, casegroup, case, person.</p>
    ${!result ? '' : result.error ? html`<div class="error-box" role="alert">${errorDetails(result.error)}</div>` : html`
      <table><caption>Audit events</caption>
        <thead><tr><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Client</th><th scope="col">RPC</th>
          <th scope="col">Entity</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
        <tbody>${result.value.events.map((e) => html`<tr><td>${formatTime(e.event_time)}</td><td>${e.actor}</td><td>${e.client}</td>
          <td>${e.rpc}</td><td>${e.entity_type} ${e.entity_id}</td>
          <td><details><summary>before</summary><pre>${e.before_json}</pre></details></td>
          <td><details><summary>after</summary><pre>${e.after_json}</pre></details></td></tr>`)}</tbody></table>
      ${result.value.next_page_token ? html`<p><a href="${url('/audit', { ...query, page: result.value.next_page_token })}" rel="next">Next page</a></p>` : ''}`}`,
  { current: '/audit' });
}

module.exports = {
  routes: () => [
    ['GET', /^\/service$/, servicePage, {}, 'service'],
    ['POST', /^\/service\/recover-orphans$/, recoverOrphans, {}, 'recover_orphans'],
    ['POST', /^\/service\/bom-change\/([^/]+)$/, decideBomChange, {}, 'bom_change_decide'],
    ['GET', /^\/audit$/, auditPage, {}, 'audit'],
  ],
};
