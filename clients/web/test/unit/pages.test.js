'use strict';
// The pure pieces of the SR, team and queue pages: what they offer and show
// is what the server sent, and nothing more.
const assert = require('node:assert/strict');
const { test } = require('node:test');
const { moveOptions, noMoveReason, mpEnquiryLink } = require('../../src/pages/sr');
const { decisionHistory } = require('../../src/pages/team');
const { ageBars, oldestText, ownRow, segmentQueueFigures, queuesSection } = require('../../src/pages/queues');

const TYPE = { sub_statuses: [
  { status: 'SR_STATUS_IN_PROGRESS', name: 'Gather Additional Info' },
  { status: 'SR_STATUS_WAIT', name: 'Awaiting Evidence' },
  { status: 'SR_STATUS_PENDING_APPROVAL', name: 'Pending Approval - TL' },
] };

test('the status moves offered are exactly the server\'s, each with the type\'s sub statuses', () => {
  const open = { status: 'SR_STATUS_OPEN', allowed_next_statuses: ['SR_STATUS_IN_PROGRESS', 'SR_STATUS_CANCELLED'] };
  assert.deepEqual(moveOptions(open, TYPE), [
    ['SR_STATUS_IN_PROGRESS|', 'In progress'],
    ['SR_STATUS_IN_PROGRESS|Gather Additional Info', 'In progress — Gather Additional Info'],
    ['SR_STATUS_CANCELLED|', 'Cancelled'],
  ]);
  // No copy of the machine: whatever the server lists is offered, nothing else.
  assert.deepEqual(moveOptions({ status: 'SR_STATUS_IN_PROGRESS', allowed_next_statuses: ['SR_STATUS_WAIT'] }, TYPE)
    .map(([v]) => v), ['SR_STATUS_WAIT|', 'SR_STATUS_WAIT|Awaiting Evidence']);
  // The status the SR is in, listed for a stay (SR5.2): its other sub statuses only.
  const staying = { status: 'SR_STATUS_WAIT', sub_status: 'Awaiting Evidence',
    allowed_next_statuses: ['SR_STATUS_IN_PROGRESS', 'SR_STATUS_WAIT'] };
  assert.deepEqual(moveOptions(staying, TYPE).map(([v]) => v),
    ['SR_STATUS_IN_PROGRESS|', 'SR_STATUS_IN_PROGRESS|Gather Additional Info']);
  assert.deepEqual(moveOptions({ ...staying, sub_status: '' }, TYPE).map(([v]) => v),
    ['SR_STATUS_IN_PROGRESS|', 'SR_STATUS_IN_PROGRESS|Gather Additional Info', 'SR_STATUS_WAIT|Awaiting Evidence']);
  assert.deepEqual(moveOptions({ status: 'SR_STATUS_IN_PROGRESS', allowed_next_statuses: [] }, TYPE), []);
  assert.deepEqual(moveOptions({ status: 'SR_STATUS_OPEN', allowed_next_statuses: ['SR_STATUS_CANCELLED'] }, undefined),
    [['SR_STATUS_CANCELLED|', 'Cancelled']], 'a type the catalog lacks: the bare statuses');
});

test('no move offered: the page says why in plain words', () => {
  assert.match(noMoveReason({ status: 'SR_STATUS_CLOSED' }), /closed; it does not move again/);
  assert.match(noMoveReason({ status: 'SR_STATUS_CANCELLED' }), /cancelled; it does not move again/);
  assert.match(noMoveReason({ status: 'SR_STATUS_PENDING_APPROVAL' }), /waiting for a team leader's decision/);
  assert.match(noMoveReason({ status: 'SR_STATUS_IN_PROGRESS' }), /offers no status change/);
});

test('an MP Enquiry Input SR links its enquiry; other SRs show nothing', () => {
  assert.match(mpEnquiryLink({ fields: { 'MP Enquiry': '42' } }).toString(), /<a href="\/mp\/42" id="sr-mp-enquiry">MP enquiry 42<\/a>/);
  assert.equal(mpEnquiryLink({ fields: {} }), '');
  assert.equal(mpEnquiryLink({}), '');
  const odd = mpEnquiryLink({ fields: { 'MP Enquiry': '<b>x</b>' } }).toString();
  assert.ok(!odd.includes('<a ') && !odd.includes('<b>'), 'not an id: shown as text, escaped');
});

const ROW = { segment_id: '3', system_name: 'GB_NEW_CASE', queued: '12', queued_priority: '2',
  aged_under_7_days: '5', aged_7_to_29_days: '4', aged_30_to_89_days: '2', aged_90_days_or_more: '1',
  oldest_create_time: { seconds: String(1_800_000_000 - 95 * 86400), nanos: 0 } };
const AS_OF = { seconds: String(1_800_000_000), nanos: 0 };

test('queue counts are the server\'s four age bands, size, priority and oldest', () => {
  assert.deepEqual(ageBars(ROW), [{ label: 'Under 7 days', value: 5 }, { label: '7 to 29 days', value: 4 },
    { label: '30 to 89 days', value: 2 }, { label: '90 days or more', value: 1 }]);
  assert.match(oldestText(ROW, 1_800_000_000_000), /^\d{4}-\d\d-\d\d \d\d:\d\d \(95 days\)$/);
  assert.equal(oldestText({ ...ROW, oldest_create_time: null }, 1_800_000_000_000), '', 'an empty queue has no oldest');
  const stats = { segments: [{ ...ROW, segment_id: '1' }, ROW], as_of: AS_OF };
  assert.equal(ownRow(stats, '3'), ROW);
  assert.equal(ownRow({ segments: [ROW] }, '9'), ROW, 'the one row sent is the caller\'s');
  assert.equal(ownRow({ segments: [] }, '3'), null);
  const one = segmentQueueFigures(ROW, AS_OF, { id: 'q' }).toString();
  assert.match(one, /<dd id="queue-size">12<\/dd>/);
  assert.match(one, /<dd id="queue-priority">2<\/dd>/);
  assert.match(one, /<desc id="q-d">Under 7 days: 5; 7 to 29 days: 4; 30 to 89 days: 2; 90 days or more: 1<\/desc>/);
  assert.match(one, /<caption>[^<]*whole queue[^<]*<\/caption>/);
  assert.match(one, /<th scope="row">90 days or more<\/th><td class="num">1<\/td>/);
});

test('the service page\'s queues: a chart and a table row per segment', () => {
  const out = queuesSection({ segments: [ROW, { segment_id: '4', system_name: 'NI_NEW_CASE', queued: '0' }], as_of: AS_OF })
    .toString();
  assert.match(out, /<svg class="chart" id="queues-chart"/);
  assert.match(out, /<table id="queue-stats"><caption>/);
  assert.match(out, /<tr id="queue-3"><th scope="row">GB_NEW_CASE<\/th>\s*<td class="num">12<\/td><td class="num">2<\/td>/);
  assert.match(out, /<tr id="queue-4"><th scope="row">NI_NEW_CASE<\/th>\s*<td class="num">0<\/td><td class="num">0<\/td>/);
  assert.equal((out.match(/<th scope="col"/g) || []).length, 8);
  assert.match(queuesSection({ segments: [] }).toString(), /No segment queues/);
});

test('the decision history: newest first as sent, SR links, the server\'s page token in the next link', () => {
  const got = { value: { approvals: [
    { service_request_id: '9', step: 'DEO cancellation', submitted_by: 'cw.a', state: 'APPROVAL_STATE_APPROVED',
      decided_by: 'tl.a', decision_comment: 'Fine', submit_time: AS_OF, decide_time: AS_OF },
    { service_request_id: '8', step: 'Seg 5', submitted_by: 'cw.b', state: 'APPROVAL_STATE_PENDING',
      decided_by: '', decision_comment: '', submit_time: AS_OF, decide_time: null },
  ], next_page_token: 'tok/1' } };
  const href = (t) => `/team?history=${encodeURIComponent(t)}`;
  const out = decisionHistory(got, '', href).toString();
  assert.match(out, /<table id="decision-history">\s*<caption>/);
  assert.ok(out.indexOf('SR 9') < out.indexOf('SR 8'), 'in the server\'s order');
  assert.match(out, /<a href="\/sr\/9">SR 9<\/a>/);
  assert.match(out, /Approved/);
  assert.match(out, /Pending/);
  assert.match(out, /href="\/team\?history&#61;tok%2F1" rel="next">Older decisions/);
  assert.doesNotMatch(out, /Newest first<\/a>/, 'the first page has no link back to itself');
  const last = decisionHistory({ value: { approvals: [], next_page_token: '' } }, 'tok/1', href).toString();
  assert.match(last, /No older submissions/);
  assert.match(last, /Newest first<\/a>/);
  assert.match(decisionHistory({ value: { approvals: [], next_page_token: '' } }, '', href).toString(),
    /Nothing submitted for approval yet/);
  const refused = decisionHistory({ error: { code: 7, codeName: 'PERMISSION_DENIED', details: 'not yours',
    info: { rule_id: 'A6.2' } } }, '', href).toString();
  assert.match(refused, /<dd class="rule-id">A6.2<\/dd>/);
  assert.match(refused, /not yours/);
});
