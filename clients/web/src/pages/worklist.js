'use strict';
// The SR tables shared by My work, Team work and the segment queue: the same
// filters (status, type, minimum age), the same markers and opaque paging,
// all passed straight to the server's list RPCs (W4.3).
const { html, url } = require('../html');
const { csrfField } = require('../layout');
const { statusName, ageDays, todayOf, dateBefore, formatDate } = require('../format');

const STATUSES = ['SR_STATUS_OPEN', 'SR_STATUS_IN_PROGRESS', 'SR_STATUS_WAIT', 'SR_STATUS_PENDING_APPROVAL',
  'SR_STATUS_CLOSED', 'SR_STATUS_CANCELLED'];
// The work views list open work only (the server refuses a final status
// as a filter, W4.3), so the filter offers the open ones.
const OPEN_STATUSES = STATUSES.slice(0, 4);
const PAGE_SIZE = 25;

// The filters of a list page's query string, validated; and the request
// fields for the server.
function readFilters(query) {
  const status = OPEN_STATUSES.includes(query.get('status')) ? query.get('status') : '';
  const type = /^[A-Z0-9_]{1,64}$/.test(query.get('type') || '') ? query.get('type') : '';
  const age = /^\d{1,4}$/.test(query.get('min_age') || '') ? Number(query.get('min_age')) : 0;
  const page = (query.get('page') || '').slice(0, 2000);
  return {
    status, type, age, page,
    request: { page_size: PAGE_SIZE, page_token: page, statuses: status ? [status] : [], type_code: type,
      min_age_days: age },
    query: { status, type, min_age: age || '' },
  };
}

function filterForm(action, filters, catalog) {
  return html`
    <form method="get" action="${action}" class="filters" aria-label="Filter the list">
      <div><label for="f-status">Status</label>
        <select id="f-status" name="status"><option value="">Any open</option>${OPEN_STATUSES.map((s) => html`
          <option value="${s}"${filters.status === s ? html` selected` : ''}>${statusName(s)}</option>`)}</select></div>
      <div><label for="f-type">SR type</label>
        <select id="f-type" name="type"><option value="">Any</option>${catalog.types.map((t) => html`
          <option value="${t.code}"${filters.type === t.code ? html` selected` : ''}>${t.sub_area}</option>`)}</select></div>
      <div><label for="f-age">At least this many days old</label>
        <input id="f-age" name="min_age" type="number" min="0" max="9999" value="${filters.age || ''}"></div>
      <div><button type="submit">Filter</button></div>
    </form>`;
}

// True when an OPEN activity's due date has passed on the server's clock.
function overdue(sr, nowMs) {
  const today = todayOf(nowMs);
  return (sr.activities || []).some((a) => a.status === 'ACTIVITY_STATUS_OPEN' && a.due_date && a.due_date.year
    && dateBefore(a.due_date, today));
}

function markers(sr, nowMs) {
  return html`${sr.priority ? html`<span class="marker priority">Priority</span>` : ''}${
    sr.reminder_due ? html`<span class="marker reminder">Reminder due</span>` : ''}${
    overdue(sr, nowMs) ? html`<span class="marker overdue">Overdue</span>` : ''}`;
}

// allocate: null, or { members: [StaffMember], back } to add an allocation form per row.
function workTable(ctx, items, { caption, nowMs, catalog, allocate = null, showAllocatee = false }) {
  if (!items.length) return html`<p class="empty">Nothing here${caption ? html` (${caption.toLowerCase()})` : ''}.</p>`;
  return html`
    <table>
      <caption>${caption}</caption>
      <thead><tr><th scope="col">SR</th><th scope="col">Type</th><th scope="col">Status</th>
        <th scope="col" class="num">Age (days)</th><th scope="col">Markers</th><th scope="col">Casegroup</th>
        ${showAllocatee ? html`<th scope="col">Allocated to</th>` : ''}
        ${allocate ? html`<th scope="col">Allocate</th>` : ''}</tr></thead>
      <tbody>${items.map((sr) => html`
        <tr>
          <td><a href="${url('/sr', sr.id)}">SR ${sr.id}</a></td>
          <td>${(catalog.byCode.get(sr.type_code) || {}).sub_area || sr.type_code}</td>
          <td>${statusName(sr.status)}${sr.sub_status ? html` — ${sr.sub_status}` : ''}${
            sr.wake_date && sr.wake_date.year ? html`<br><span class="hint">wakes ${formatDate(sr.wake_date)}</span>` : ''}</td>
          <td class="num">${ageDays(sr.create_time, nowMs)}</td>
          <td>${markers(sr, nowMs)}</td>
          <td><a href="${url('/casegroup', sr.casegroup_id)}">Casegroup ${sr.casegroup_id}</a></td>
          ${showAllocatee ? html`<td>${sr.allocated_to || html`<em>queue</em>`}</td>` : ''}
          ${allocate ? html`<td>${allocateForm(ctx, sr, allocate)}</td>` : ''}
        </tr>`)}</tbody>
    </table>`;
}

function allocateForm(ctx, sr, { members, back }) {
  const id = `alloc-${sr.id}`;
  return html`
    <form method="post" action="${url('/sr', sr.id, 'allocate')}" class="allocate">${csrfField(ctx)}
      <input type="hidden" name="etag" value="${sr.etag}">
      <input type="hidden" name="back" value="${back}">
      <label for="${id}" class="visually-hidden">Allocate SR ${sr.id} to</label>
      <select id="${id}" name="to">
        <option value="*least">Least-loaded caseworker</option>
        ${members.map((m) => html`<option value="${m.staff_id}"${m.staff_id === sr.allocated_to ? html` selected` : ''}>${m.staff_id}</option>`)}
        <option value="*queue">Return to the queue</option>
      </select>
      <button type="submit" class="secondary">Allocate</button>
    </form>`;
}

function pager(action, filters, nextToken) {
  if (!filters.page && !nextToken) return '';
  return html`<nav class="pager" aria-label="Pages">
    ${filters.page ? html`<a href="${url(action, filters.query)}">First page</a>` : ''}
    ${nextToken ? html`<a href="${url(action, { ...filters.query, page: nextToken })}" rel="next">Next page</a>` : ''}
  </nav>`;
}

module.exports = { readFilters, filterForm, workTable, pager, markers, overdue, STATUSES, PAGE_SIZE };
