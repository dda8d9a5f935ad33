'use strict';
// The size and age of segment queues as the server counts them
// (WorkService.GetQueueStats, W4.3): exact figures over the whole queue, in
// the server's own four age bands, shown on the segment queue, its profile
// and the service page. Nothing is counted here; every number is the server's.
const { html } = require('../html');
const { formatTime, ageDays, tsMillis } = require('../format');
const { barChart } = require('../svg');

// The server's age bands (SegmentQueueStats fields), in order, as read.
const QUEUE_AGE_BANDS = [
  ['Under 7 days', 'aged_under_7_days'],
  ['7 to 29 days', 'aged_7_to_29_days'],
  ['30 to 89 days', 'aged_30_to_89_days'],
  ['90 days or more', 'aged_90_days_or_more'],
];

// int64 counts arrive as decimal strings; a queue's counts fit a double.
const count = (v) => Number(v || 0);

// One segment's row as chart bars: [{label, value}] per age band.
function ageBars(row) {
  return QUEUE_AGE_BANDS.map(([label, field]) => ({ label, value: count(row[field]) }));
}

// "2026-11-30 09:15 (7 days)" for the oldest queued SR, aged on the
// server's clock at the count (as_of); '' when the queue is empty.
function oldestText(row, asOfMs) {
  if (!tsMillis(row.oldest_create_time)) return '';
  const days = ageDays(row.oldest_create_time, asOfMs);
  return `${formatTime(row.oldest_create_time)} (${days} ${days === 1 ? 'day' : 'days'})`;
}

// The caller's own segment's row: a team leader or segment manager is sent
// only theirs; service management every segment's, so pick by id.
function ownRow(stats, segmentId) {
  const rows = stats.segments || [];
  return rows.find((r) => r.segment_id === String(segmentId)) || (rows.length === 1 ? rows[0] : null);
}

// One segment's queue: size, priority, oldest, and the age bands as a chart
// and the same numbers in a table.
function segmentQueueFigures(row, asOf, { id }) {
  const bars = ageBars(row);
  const asOfMs = tsMillis(asOf);
  return html`
    <dl class="facts"><dt>Items waiting</dt><dd id="queue-size">${count(row.queued)}</dd>
      <dt>Priority</dt><dd id="queue-priority">${count(row.queued_priority)}</dd>
      <dt>Oldest</dt><dd id="queue-oldest">${oldestText(row, asOfMs) || 'none waiting'}</dd>
      <dt>Counted</dt><dd>${formatTime(asOf)}, over the whole queue</dd></dl>
    ${barChart({ id, title: 'Queue items by how long they have waited',
    desc: bars.map((b) => `${b.label}: ${b.value}`).join('; '), bars })}
    <table id="${id}-table"><caption>Queue items by how long they have waited (the whole queue)</caption>
      <thead><tr><th scope="col">Waited</th><th scope="col" class="num">Items</th></tr></thead>
      <tbody>${bars.map((b) => html`<tr><th scope="row">${b.label}</th><td class="num">${b.value}</td></tr>`)}</tbody></table>`;
}

// Every segment the caller may read: queued items per segment as a chart,
// and a table with priority, the age bands and the oldest item.
function queuesSection(stats) {
  const rows = stats.segments || [];
  if (!rows.length) return html`<p>No segment queues to show.</p>`;
  const asOfMs = tsMillis(stats.as_of);
  const bars = rows.map((r) => ({ label: r.system_name, value: count(r.queued) }));
  return html`
    ${barChart({ id: 'queues-chart', title: 'Queued items per segment',
    desc: 'The same numbers are in the table below.', bars })}
    <table id="queue-stats"><caption>Segment queues (unallocated open SRs), counted ${formatTime(stats.as_of)}</caption>
      <thead><tr><th scope="col">Segment</th><th scope="col" class="num">Queued</th><th scope="col" class="num">Priority</th>
        ${QUEUE_AGE_BANDS.map(([label]) => html`<th scope="col" class="num">${label}</th>`)}
        <th scope="col">Oldest</th></tr></thead>
      <tbody>${rows.map((r) => html`<tr id="queue-${r.segment_id}"><th scope="row">${r.system_name}</th>
        <td class="num">${count(r.queued)}</td><td class="num">${count(r.queued_priority)}</td>
        ${QUEUE_AGE_BANDS.map(([, field]) => html`<td class="num">${count(r[field])}</td>`)}
        <td>${oldestText(r, asOfMs)}</td></tr>`)}</tbody></table>`;
}

module.exports = { QUEUE_AGE_BANDS, ageBars, oldestText, ownRow, segmentQueueFigures, queuesSection };
