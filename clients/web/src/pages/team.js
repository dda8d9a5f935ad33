'use strict';
// Team leader (W4.3, W4.4, A6.1, A6.2): the approvals inbox with approve /
// reject and a comment, the team's work with allocate / reallocate, and the
// load per caseworker; and the segment queue (team leaders and segment
// managers) with its age profile.
const { html, url } = require('../html');
const { readFilters, filterForm, workTable, pager } = require('./worklist');
const { commandFields, formRequestId } = require('./sr');
const { idParam } = require('./ids');
const { formatTime, ageDays } = require('../format');
const { barChart } = require('../svg');
const { HttpError } = require('../app');

const FINAL = ['SR_STATUS_CLOSED', 'SR_STATUS_CANCELLED'];
const LOAD_PAGES = 10;

async function teamMembers(ctx) {
  if (ctx.staff.team_id === '0') return [];
  const r = await ctx.cms.bom.listStaff({ team_id: ctx.staff.team_id, page_size: 1000 });
  return r.staff.filter((s) => s.active && s.role === 'ROLE_CASEWORKER');
}

// Open SRs per member, counted over the team view (at most LOAD_PAGES pages).
async function teamLoad(ctx, members) {
  const load = new Map(members.map((m) => [m.staff_id, 0]));
  let token = '';
  let pages = 0;
  do {
    const r = await ctx.cms.work.listTeamWork({ page_size: 1000, page_token: token });
    for (const sr of r.items) {
      if (FINAL.includes(sr.status) || !sr.allocated_to) continue;
      load.set(sr.allocated_to, (load.get(sr.allocated_to) || 0) + 1);
    }
    token = r.next_page_token;
  } while (token && ++pages < LOAD_PAGES);
  return { load, partial: Boolean(token) };
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

async function teamPage(ctx) {
  const filters = readFilters(ctx.url.searchParams);
  const [catalog, nowMs, inbox, work, members] = await Promise.all([
    ctx.cache.catalogOf(ctx.cms), ctx.cache.nowOf(ctx.cms),
    ctx.cms.approvals.listApprovalInbox({ page_size: 100 }),
    ctx.cms.work.listTeamWork(filters.request),
    teamMembers(ctx),
  ]);
  const { load, partial } = await teamLoad(ctx, members);
  const bars = [...load.entries()].map(([label, value]) => ({ label, value }));
  ctx.send('Team', html`
    <section aria-labelledby="h-inbox"><h2 id="h-inbox">Approvals inbox</h2>${inboxTable(ctx, inbox.approvals)}</section>
    <section aria-labelledby="h-load"><h2 id="h-load">Load per caseworker</h2>
      ${barChart({ id: 'load-chart', title: 'Open SRs per caseworker',
        desc: bars.map((b) => `${b.label}: ${b.value}`).join('; ') || 'no caseworkers', bars })}
      <table><caption>Open SRs per caseworker${partial ? ' (first 10,000 SRs of the team view)' : ''}</caption>
        <thead><tr><th scope="col">Caseworker</th><th scope="col" class="num">Open SRs</th></tr></thead>
        <tbody>${bars.map((b) => html`<tr><td>${b.label}</td><td class="num">${b.value}</td></tr>`)}</tbody></table>
    </section>
    <section aria-labelledby="h-team"><h2 id="h-team">Team work</h2>
      ${filterForm('/team', filters, catalog)}
      ${workTable(ctx, work.items, { caption: 'SRs allocated to the team', nowMs, catalog, showAllocatee: true,
        allocate: { members, back: '/team' } })}
      ${pager('/team', filters, work.next_page_token)}
    </section>`, { current: '/team' });
}

async function segmentPage(ctx) {
  const filters = readFilters(ctx.url.searchParams);
  const isTl = ctx.staff.role === 'ROLE_TEAM_LEADER';
  const [catalog, nowMs, queue, members] = await Promise.all([
    ctx.cache.catalogOf(ctx.cms), ctx.cache.nowOf(ctx.cms), ctx.cms.work.listSegmentQueue(filters.request),
    isTl ? teamMembers(ctx) : Promise.resolve([]),
  ]);
  const bands = [['0–1 days', 0, 1], ['2–7 days', 2, 7], ['8–30 days', 8, 30], ['31+ days', 31, Infinity]];
  const bars = bands.map(([label, lo, hi]) => ({
    label, value: queue.items.filter((sr) => { const a = ageDays(sr.create_time, nowMs); return a >= lo && a <= hi; }).length,
  }));
  ctx.send('Segment queue', html`
    <p>Unallocated work of your segment, priority first, then oldest first (W4.3).
      <a href="/segment/profile">The whole queue's size and age profile</a>.</p>
    ${barChart({ id: 'age-chart', title: 'Queue items on this page by age',
      desc: bars.map((b) => `${b.label}: ${b.value}`).join('; '), bars })}
    ${filterForm('/segment', filters, catalog)}
    ${workTable(ctx, queue.items, { caption: 'Segment queue', nowMs, catalog,
      allocate: isTl ? { members, back: '/segment' } : null })}
    ${pager('/segment', filters, queue.next_page_token)}`, { current: '/segment' });
}

const PROFILE_PAGES = 10;
const AGE_BANDS = [['0–1 days', 0, 1], ['2–7 days', 2, 7], ['8–30 days', 8, 30], ['31–90 days', 31, 90],
  ['91+ days', 91, Infinity]];

// The whole queue's size and age profile (up to PROFILE_PAGES pages of
// 1000): its own page, as reading a large queue takes longer than a page should.
async function queueProfile(ctx) {
  const [nowMs, catalog] = await Promise.all([ctx.cache.nowOf(ctx.cms), ctx.cache.catalogOf(ctx.cms)]);
  const ages = [];
  const byType = new Map();
  let priority = 0;
  let token = '';
  let pages = 0;
  do {
    const r = await ctx.cms.work.listSegmentQueue({ page_size: 1000, page_token: token });
    for (const sr of r.items) {
      ages.push(ageDays(sr.create_time, nowMs));
      byType.set(sr.type_code, (byType.get(sr.type_code) || 0) + 1);
      if (sr.priority) priority++;
    }
    token = r.next_page_token;
  } while (token && ++pages < PROFILE_PAGES);
  const bands = AGE_BANDS.map(([label, lo, hi]) => ({ label, value: ages.filter((a) => a >= lo && a <= hi).length }));
  const types = [...byType.entries()].sort((a, b) => b[1] - a[1])
    .map(([code, value]) => ({ label: (catalog.byCode.get(code) || {}).sub_area || code, value }));
  const size = token ? `at least ${ages.length}` : String(ages.length);
  ctx.send('Segment queue profile', html`
    <dl class="facts"><dt>Items waiting</dt><dd id="queue-size">${size}</dd><dt>Priority</dt><dd>${priority}</dd>
      <dt>Oldest</dt><dd>${ages.length ? Math.max(...ages) : 0} days</dd></dl>
    <h2>By age</h2>
    ${barChart({ id: 'profile-age', title: 'Queue items by age', desc: bands.map((b) => `${b.label}: ${b.value}`).join('; '), bars: bands })}
    <table><caption>Queue items by age</caption><thead><tr><th scope="col">Age</th><th scope="col" class="num">Items</th></tr></thead>
      <tbody>${bands.map((b) => html`<tr><td>${b.label}</td><td class="num">${b.value}</td></tr>`)}</tbody></table>
    <h2>By SR type</h2>
    ${barChart({ id: 'profile-type', title: 'Queue items by SR type', desc: types.map((b) => `${b.label}: ${b.value}`).join('; ') || 'none', bars: types })}
    <table><caption>Queue items by SR type</caption><thead><tr><th scope="col">SR type</th><th scope="col" class="num">Items</th></tr></thead>
      <tbody>${types.map((b) => html`<tr><td>${b.label}</td><td class="num">${b.value}</td></tr>`)}</tbody></table>
    <p><a href="/segment">Back to the queue</a></p>`, { current: '/segment' });
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
    ['POST', /^\/approvals\/([^/]+)\/decide$/, decide, {}, 'approval_decide'],
    ['POST', /^\/sr\/([^/]+)\/allocate$/, allocate, {}, 'sr_allocate'],
  ],
};
