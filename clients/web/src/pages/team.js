'use strict';
// Team leader (W4.3, W4.4, A6.1, A6.2): the approvals inbox with approve /
// reject and a comment, the team's decision history, the team's work with
// allocate / reallocate, and the load per member as the server counts it; and the segment queue
// (team leaders and segment managers) with the server's count of its size
// and age, and a segment manager's view of their teams' decision histories.
const { html, url } = require('../html');
const { readFilters, filterForm, workTable, pager } = require('./worklist');
const { commandFields, formRequestId } = require('./sr');
const { idParam } = require('./ids');
const { srLink } = require('./forms');
const { settle, refusedBox } = require('./settle');
const { ownRow, segmentQueueFigures } = require('./queues');
const { formatTime, humanEnum } = require('../format');
const { barChart } = require('../svg');
const { HttpError } = require('../app');

const HISTORY_PAGE_SIZE = 50;

// W4.4: the server's count of each member's open SRs against the load limit
// (GetTeamLoad, the caller's own team), or its refusal.
function readTeamLoad(ctx) {
  return ctx.staff.team_id === '0' ? Promise.resolve(null) : settle(ctx.cms.work.getTeamLoad({}));
}

// The team's active caseworkers, whom work may be allocated to: every one
// is in the load count, holding work or not.
function caseworkersOf(load) {
  return load && load.value ? load.value.members.filter((m) => m.role === 'ROLE_CASEWORKER') : [];
}

function loadSection(got) {
  if (!got) return html`<p>You lead no team.</p>`;
  if (got.error) return refusedBox(got.error, 'team load');
  const { members, load_limit: limit } = got.value;
  const bars = members.map((m) => ({ label: m.staff_id, value: Number(m.open) }));
  return html`
    ${barChart({ id: 'load-chart', title: 'Open SRs per member',
      desc: bars.map((b) => `${b.label}: ${b.value}`).join('; ') || 'no caseworkers', bars })}
    <table id="load-table"><caption>Open SRs per member (the load limit is ${limit})</caption>
      <thead><tr><th scope="col">Member</th><th scope="col">Role</th><th scope="col" class="num">Open SRs</th>
        <th scope="col" class="num">Of them priority</th><th scope="col">Oldest raised</th></tr></thead>
      <tbody>${members.map((m) => html`<tr><th scope="row">${m.staff_id}</th><td>${humanEnum(m.role, 'ROLE_')}</td>
        <td class="num">${m.open}${Number(m.open) >= Number(limit) ? html` <span class="marker overdue">At the limit</span>` : ''}</td>
        <td class="num">${m.open_priority}</td><td>${formatTime(m.oldest_create_time)}</td></tr>`)}</tbody></table>`;
}

function inboxTable(ctx, approvals) {
  if (!approvals.length) return html`<p id="inbox-empty">No approvals waiting for you.</p>`;
  return html`
    <table id="inbox">
      <caption>Waiting for a decision, oldest first</caption>
      <thead><tr><th scope="col">Submitted</th><th scope="col">What</th><th scope="col">Step</th><th scope="col">By</th>
        <th scope="col">Comment</th><th scope="col">Decide</th></tr></thead>
      <tbody>${approvals.map((a) => html`<tr>
        <td>${formatTime(a.submit_time)}</td>
        <td>${a.service_request_id && a.service_request_id !== '0'
          ? html`<a href="${url('/sr', a.service_request_id)}">SR ${a.service_request_id}</a>`
          : html`BOM change: ${a.step}`}</td>
        <td>${a.step}</td><td>${a.submitted_by}</td><td>${a.submit_comment}</td>
        <td><form method="post" action="${url('/approvals', a.id, 'decide')}" class="decide">${commandFields(ctx, null)}
          <label for="dc-${a.id}">Comment on approval ${a.id} (required)</label>
          <textarea id="dc-${a.id}" name="comment" rows="2" cols="30" maxlength="4000"></textarea>
          <div><button type="submit" name="decision" value="APPROVAL_STATE_APPROVED">Approve</button>
          <button type="submit" name="decision" value="APPROVAL_STATE_REJECTED" class="secondary">Reject</button></div>
        </form></td></tr>`)}</tbody>
    </table>`;
}

// A6.2: a team's SR-step submissions and their decisions, newest first, one
// page at a time. The server says who may read them (the team's leader and
// its segment's manager): a refusal shows in its section only.
function readDecisions(ctx, teamId, pageToken) {
  return settle(ctx.cms.approvals.listApprovals({ team_id: teamId, page_size: HISTORY_PAGE_SIZE,
    page_token: pageToken }));
}

// The history page's token from the query string: opaque, the server's.
const historyToken = (query) => String(query.get('history') || '').slice(0, 2000);

// got: settle(readDecisions(...)); page: the token shown ('' the newest);
// href(token): the same page showing the history page of that token.
function decisionHistory(got, page, href) {
  if (got.error) return refusedBox(got.error, 'decision history');
  const { approvals, next_page_token: next } = got.value;
  return html`
    ${approvals.length ? html`<table id="decision-history">
      <caption>Submissions for approval and their decisions, newest first</caption>
      <thead><tr><th scope="col">Submitted</th><th scope="col">SR</th><th scope="col">Step</th><th scope="col">By</th>
        <th scope="col">State</th><th scope="col">Decided by</th><th scope="col">Decision comment</th>
        <th scope="col">Decided</th></tr></thead>
      <tbody>${approvals.map((a) => html`<tr>
        <td>${formatTime(a.submit_time)}</td><td>${srLink(a.service_request_id)}</td><td>${a.step}</td>
        <td>${a.submitted_by}</td><td>${humanEnum(a.state, 'APPROVAL_STATE_')}</td><td>${a.decided_by}</td>
        <td>${a.decision_comment}</td><td>${formatTime(a.decide_time)}</td></tr>`)}</tbody>
    </table>` : html`<p id="decision-history-empty">${page ? 'No older submissions.' : 'Nothing submitted for approval yet.'}</p>`}
    ${page || next ? html`<nav class="pager" aria-label="Decision history pages">
      ${page ? html`<a href="${href('')}">Newest first</a>` : ''}
      ${next ? html`<a href="${href(next)}" rel="next">Older decisions</a>` : ''}
    </nav>` : ''}`;
}

async function teamPage(ctx) {
  const filters = readFilters(ctx.url.searchParams);
  const history = historyToken(ctx.url.searchParams);
  const teamId = ctx.staff.team_id;
  const [catalog, nowMs, inbox, work, load, decisions] = await Promise.all([
    ctx.cache.catalogOf(ctx.cms), ctx.cache.nowOf(ctx.cms),
    ctx.cms.approvals.listApprovalInbox({ page_size: 100 }),
    ctx.cms.work.listTeamWork(filters.request),
    readTeamLoad(ctx),
    teamId !== '0' ? readDecisions(ctx, teamId, history) : null,
  ]);
  const members = caseworkersOf(load);
  // The history's pages keep the work list's filters and page as they are.
  const historyHref = (token) => `${url('/team', { ...filters.query, page: filters.page, history: token })}#h-history`;
  ctx.send('Team', html`
    <section aria-labelledby="h-inbox"><h2 id="h-inbox">Approvals inbox</h2>${inboxTable(ctx, inbox.approvals)}</section>
    <section aria-labelledby="h-history"><h2 id="h-history">Decision history</h2>
      ${decisions ? decisionHistory(decisions, history, historyHref) : html`<p>You lead no team.</p>`}</section>
    <section aria-labelledby="h-load"><h2 id="h-load">Load per member</h2>${loadSection(load)}</section>
    <section aria-labelledby="h-team"><h2 id="h-team">Team work</h2>
      ${filterForm('/team', filters, catalog)}
      ${workTable(ctx, work.items, { caption: 'SRs allocated to the team', nowMs, catalog, showAllocatee: true,
        allocate: { members, back: '/team' } })}
      ${pager('/team', filters, work.next_page_token)}
    </section>`, { current: '/team' });
}

// The server's exact count of the caller's segment's whole queue (W4.3),
// or its refusal: got is settle(getQueueStats).
function queueCounts(ctx, got, id) {
  if (got.error) return refusedBox(got.error, 'queue counts');
  const row = ownRow(got.value, ctx.staff.segment_id);
  return row ? segmentQueueFigures(row, got.value.as_of, { id }) : html`<p>The server counted no queue of your segment.</p>`;
}

async function segmentPage(ctx) {
  const filters = readFilters(ctx.url.searchParams);
  const isTl = ctx.staff.role === 'ROLE_TEAM_LEADER';
  const [catalog, nowMs, queue, load, counts] = await Promise.all([
    ctx.cache.catalogOf(ctx.cms), ctx.cache.nowOf(ctx.cms), ctx.cms.work.listSegmentQueue(filters.request),
    isTl ? readTeamLoad(ctx) : null,
    settle(ctx.cms.work.getQueueStats({})),
  ]);
  const members = caseworkersOf(load);
  // Navigation only: the server decides whose decision history is read (A6.2).
  const histories = ctx.staff.role === 'ROLE_SEGMENT_MANAGER'
    ? html` <a href="/segment/decisions">Your teams' decision histories</a>.` : '';
  ctx.send('Segment queue', html`
    <p>Unallocated work of your segment, priority first, then oldest first (W4.3).
      <a href="/segment/profile">The whole queue's size and age profile</a>.${histories}</p>
    <section aria-labelledby="h-queue-count"><h2 id="h-queue-count">The whole queue</h2>
      ${queueCounts(ctx, counts, 'age-chart')}</section>
    <section aria-labelledby="h-queue-items"><h2 id="h-queue-items">Queued items</h2>
      ${filterForm('/segment', filters, catalog)}
      ${workTable(ctx, queue.items, { caption: 'Segment queue', nowMs, catalog,
        allocate: isTl ? { members, back: '/segment' } : null })}
      ${pager('/segment', filters, queue.next_page_token)}</section>`, { current: '/segment' });
}

// The whole queue's size and age profile, and its items by SR type, each
// exactly as the server counts them (GetQueueStats with by_type, the
// caller's own segment). Its own page: counting by type reads every queued
// SR's row.
async function queueProfile(ctx) {
  const [catalog, counts] = await Promise.all([ctx.cache.catalogOf(ctx.cms),
    settle(ctx.cms.work.getQueueStats({ by_type: true }))]);
  const row = counts.value ? ownRow(counts.value, ctx.staff.segment_id) : null;
  const types = ((row && row.queued_by_type) || [])
    .map((t) => ({ label: (catalog.byCode.get(t.type_code) || {}).sub_area || t.type_code, value: Number(t.queued) }));
  const caption = 'Queue items by SR type (the whole queue)';
  ctx.send('Segment queue profile', html`
    <section aria-labelledby="h-profile-age"><h2 id="h-profile-age">Size and age</h2>
      ${queueCounts(ctx, counts, 'profile-age')}</section>
    ${counts.error ? '' : html`<section aria-labelledby="h-profile-type"><h2 id="h-profile-type">By SR type</h2>
      ${barChart({ id: 'profile-type', title: caption, desc: types.map((b) => `${b.label}: ${b.value}`).join('; ') || 'none', bars: types })}
      <table id="profile-type-table"><caption>${caption}</caption>
        <thead><tr><th scope="col">SR type</th><th scope="col" class="num">Items</th></tr></thead>
        <tbody>${types.map((b) => html`<tr><th scope="row">${b.label}</th><td class="num">${b.value}</td></tr>`)}</tbody></table>
    </section>`}
    <p><a href="/segment">Back to the queue</a></p>`, { current: '/segment' });
}

// A6.2 for a segment manager: the decision history of one team of their
// segment, picked from the segment's teams (BOM); a team leader's own team
// first. The server refuses a team that is not the caller's to read.
async function segmentDecisions(ctx) {
  const q = ctx.url.searchParams;
  const segmentId = ctx.staff.segment_id;
  const teams = segmentId !== '0'
    ? (await ctx.cms.bom.listTeams({ segment_id: segmentId, page_size: 1000 })).teams : [];
  const asked = /^[1-9]\d{0,18}$/.test(q.get('team') || '') ? q.get('team') : '';
  const team = asked || (ctx.staff.team_id !== '0' ? ctx.staff.team_id : (teams[0] || {}).id || '');
  const history = historyToken(q);
  const got = team ? await readDecisions(ctx, team, history) : null;
  const href = (token) => url('/segment/decisions', { team, history: token });
  ctx.send('Decision histories', html`
    <p><a href="/segment">Back to the queue</a></p>
    <form method="get" action="/segment/decisions" class="filters" aria-label="Which team">
      <div><label for="dh-team">Team</label>
        <select id="dh-team" name="team" required>${teams.map((t) => html`
          <option value="${t.id}"${t.id === team ? html` selected` : ''}>${t.name} (team ${t.id})</option>`)}</select></div>
      <div><button type="submit">Show</button></div>
    </form>
    <section aria-labelledby="h-history"><h2 id="h-history">Decision history${team ? ` of team ${team}` : ''}</h2>
      ${got ? decisionHistory(got, history, href) : html`<p>Your segment has no teams.</p>`}</section>`,
  { current: '/segment' });
}

async function decide(ctx) {
  const id = idParam(ctx.params[0]);
  ctx.back = '/team';
  ctx.backText = 'the team page';
  const f = ctx.form;
  const a = await ctx.cms.approvals.decideApproval({
    request_id: formRequestId(f), approval_id: id, decision: String(f.get('decision') || ''),
    comment: String(f.get('comment') || ''),
  });
  const verb = a.state === 'APPROVAL_STATE_APPROVED' ? 'approved' : 'rejected';
  ctx.redirect('/team', { kind: 'ok', text: `Approval ${a.id} ${verb}.${a.action_result ? ' ' + a.action_result : ''}` });
}

async function allocate(ctx) {
  const id = idParam(ctx.params[0]);
  const f = ctx.form;
  const back = ['/team', '/segment'].includes(f.get('back')) ? f.get('back') : '/team';
  ctx.back = back;
  ctx.backText = 'the list';
  const to = String(f.get('to') || '');
  if (to !== '*least' && to !== '*queue' && !/^[A-Za-z0-9._-]{1,40}$/.test(to)) {
    throw new HttpError(422, 'Not done', 'Choose whom to allocate to.');
  }
  const sr = await ctx.cms.work.allocateWork({
    request_id: formRequestId(f), service_request_id: id, etag: String(f.get('etag') || ''),
    staff_id: to.startsWith('*') ? '' : to, least_loaded: to === '*least',
  });
  ctx.redirect(back, { kind: 'ok', text: sr.allocated_to ? `SR ${id} allocated to ${sr.allocated_to}.` : `SR ${id} returned to the queue.` });
}

module.exports = {
  routes: () => [
    ['GET', /^\/team$/, teamPage, {}, 'team'],
    ['GET', /^\/segment$/, segmentPage, {}, 'segment'],
    ['GET', /^\/segment\/profile$/, queueProfile, {}, 'segment_profile'],
    ['GET', /^\/segment\/decisions$/, segmentDecisions, {}, 'segment_decisions'],
    ['POST', /^\/approvals\/([^/]+)\/decide$/, decide, {}, 'approval_decide'],
    ['POST', /^\/sr\/([^/]+)\/allocate$/, allocate, {}, 'sr_allocate'],
  ],
  decisionHistory,
};
