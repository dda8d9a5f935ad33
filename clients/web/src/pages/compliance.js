'use strict';
// The Segment 5 compliance opportunity of a case (S5.1–S5.18): what the
// server's ComplianceOpportunity holds (eligibility and each criterion,
// the offer, the trial, the proposal, extensions, an early end, the
// recorded outcome and what the server did), its history, and the
// caseworker's decisions the ComplianceService accepts. Every decision form
// is offered whatever the state: which decision is legal now is the
// server's rule, and its refusal (with the rule id) is what the person sees.
const { html, url } = require('../html');
const { formatDate, formatTime, humanEnum, money } = require('../format');
const { commandFields } = require('./sr');
const { idParam } = require('./ids');
const { settle, refusedBox } = require('./settle');
const { enumSelect, textArea, textInput, checkBox, text, dateOf, idOf, command, set, srLink,
  yesNo, facts } = require('./forms');

const STATES = ['COMPLIANCE_STATE_ASSESSING', 'COMPLIANCE_STATE_NOT_ELIGIBLE', 'COMPLIANCE_STATE_OFFERED',
  'COMPLIANCE_STATE_DECLINED', 'COMPLIANCE_STATE_ACCEPTED', 'COMPLIANCE_STATE_WITHDRAWN',
  'COMPLIANCE_STATE_OUTCOME_DUE', 'COMPLIANCE_STATE_PENDING_APPROVAL', 'COMPLIANCE_STATE_COMPLETED'];
const OFFER_DECISIONS = ['OFFER_DECISION_ACCEPTED', 'OFFER_DECISION_DECLINED', 'OFFER_DECISION_NO_RESPONSE',
  'OFFER_DECISION_NOT_APPROPRIATE'];
const ACTIONS = ['COMPLIANCE_ACTION_PASS', 'COMPLIANCE_ACTION_FAIL', 'COMPLIANCE_ACTION_ENDED_EARLY'];
const REASONS = ['COMPLIANCE_REASON_ALL_PAYMENTS_RECEIVED', 'COMPLIANCE_REASON_PAYMENT_DEFAULT'];
const UTP = ['UNLIKELY_TO_PAY_STATUS_NOT_APPLICABLE', 'UNLIKELY_TO_PAY_STATUS_NRP_UNLIKELY_TO_PAY'];
const EXTENSION_REASONS = ['EXTENSION_REASON_CHANGE_TO_EMPLOYER', 'EXTENSION_REASON_CHANGE_TO_METHOD_OF_PAYMENT_FROM',
  'EXTENSION_REASON_MISSED_PAYMENTS', 'EXTENSION_REASON_CHANGE_OF_CIRCUMSTANCE'];
const EARLY_END_REASONS = ['EARLY_END_REASON_CHANGE_TO_DIRECT_PAY', 'EARLY_END_REASON_CASE_CLOSED',
  'EARLY_END_REASON_PAYING_PARENT_NIL_ASSESSED', 'EARLY_END_REASON_CHANGE_OF_CIRCUMSTANCE',
  'EARLY_END_REASON_ON_BENEFIT_CHANGE', 'EARLY_END_REASON_MISSED_PAYMENTS',
  'EARLY_END_REASON_NON_AGREED_METHOD_OF_PAYMENT'];
const CONTACTS = ['MISSED_PAYMENT_CONTACT_NO_CONTACT', 'MISSED_PAYMENT_CONTACT_ACCEPTABLE_REASON',
  'MISSED_PAYMENT_CONTACT_UNACCEPTABLE_REASON'];
const DEO_KINDS = ['LEGACY_DEO_KIND_VOLUNTARY', 'LEGACY_DEO_KIND_ENFORCED', 'LEGACY_DEO_KIND_UNKNOWN'];


function eligibility(o) {
  return html`<section aria-labelledby="h-elig"><h2 id="h-elig">Eligibility (S5.1)</h2>
    ${facts([['PP eligibility', html`<span id="co-eligibility">${humanEnum(o.eligibility, 'PP_ELIGIBILITY_')}</span>`],
    ['Assessed', formatTime(o.assess_time)], ['Legacy facts from', humanEnum(o.legacy_source, 'LEGACY_FACTS_SOURCE_')],
    ['Legacy look-up outstanding', yesNo(o.legacy_lookup_outstanding)],
    ['Manual Handling SR', srLink(o.manual_handling_service_request_id)],
    ['PP says the legacy DEO was voluntary', yesNo(o.pp_states_deo_voluntary)]])}
    ${o.checks.length ? html`<table id="co-checks"><caption>Criteria, in the procedure's order</caption>
      <thead><tr><th scope="col">Criterion</th><th scope="col">Result</th><th scope="col">Why</th></tr></thead>
      <tbody>${o.checks.map((c) => html`<tr><td>${humanEnum(c.criterion, 'ELIGIBILITY_CRITERION_')}</td>
        <td>${humanEnum(c.result, 'CRITERION_RESULT_')}</td><td>${c.explanation}</td></tr>`)}</tbody></table>` : ''}
  </section>`;
}

function offer(o) {
  return html`<section aria-labelledby="h-offer"><h2 id="h-offer">Offer (S5.3–S5.6)</h2>
    ${facts([['Offer SR', srLink(o.offer_service_request_id)], ['Provisional calculation letter', formatDate(o.offer_letter_date)],
    ['Response due', formatDate(o.response_due_date)], ['Offer date (first contact)', formatDate(o.offer_date)],
    ['Decision', set(o.decision) ? html`<span id="co-decision">${humanEnum(o.decision, 'OFFER_DECISION_')}</span>` : ''],
    ['Decided', set(o.decision) ? `${formatDate(o.decision_date)} by ${o.decided_by}` : ''],
    ['Reason recorded', o.decision_reason],
    ['PP employment at the decision', set(o.employment_at_decision) ? humanEnum(o.employment_at_decision, 'EMPLOYMENT_STATUS_') : '']])
  || html`<p>No offer made.</p>`}
  </section>`;
}

function trial(o) {
  return html`<section aria-labelledby="h-trial"><h2 id="h-trial">Trial (S5.5, S5.7)</h2>
    ${facts([['Starts', formatDate(o.start_date)], ['Ends', formatDate(o.end_date)],
    ['Fee waiver', set(o.fee_waiver_id) ? `waiver ${o.fee_waiver_id}` : ''],
    ['Unlikely to pay status', set(o.utp_status) ? humanEnum(o.utp_status, 'UNLIKELY_TO_PAY_STATUS_') : ''],
    ['UTP effective', formatDate(o.utp_effective_date)], ['Outcome SR', srLink(o.outcome_service_request_id)],
    ['Change of Address SR (prison)', srLink(o.prison_service_request_id)]]) || html`<p>No trial.</p>`}
    ${o.early_end && set(o.early_end.reason) ? html`<h3>Ended early (S5.12)</h3>${facts([
    ['Reason', humanEnum(o.early_end.reason, 'EARLY_END_REASON_')], ['Ended', formatDate(o.early_end.end_date)],
    ['Triggering SR', srLink(o.early_end.trigger_service_request_id)], ['Note', o.early_end.note], ['By', o.early_end.ended_by]])}` : ''}
    ${o.extensions.length ? html`<table><caption>Extensions (S5.11), oldest first</caption>
      <thead><tr><th scope="col">Reason</th><th scope="col">Proposed date</th><th scope="col">Previous end</th>
        <th scope="col">Result</th><th scope="col">Requested</th><th scope="col">Decided</th></tr></thead>
      <tbody>${o.extensions.map((e) => html`<tr><td>${humanEnum(e.reason, 'EXTENSION_REASON_')}<br><span class="hint">${e.note}</span></td>
        <td>${formatDate(e.proposed_revised_date)}</td><td>${formatDate(e.previous_end_date)}</td>
        <td>${humanEnum(e.result, 'EXTENSION_RESULT_')}</td><td>${e.requested_by} ${formatTime(e.request_time)} ${srLink(e.service_request_id)}</td>
        <td>${e.decided_by} ${formatTime(e.decide_time)} ${e.decision_comment}</td></tr>`)}</tbody></table>` : ''}
  </section>`;
}

function proposalAndOutcome(o) {
  const p = o.proposal;
  const r = o.outcome;
  return html`<section aria-labelledby="h-outcome"><h2 id="h-outcome">Outcome (S5.8–S5.10)</h2>
    ${p && set(p.action) ? html`<h3>The server's proposal</h3>
      ${facts([['Action', humanEnum(p.action, 'COMPLIANCE_ACTION_')], ['Reason', humanEnum(p.reason, 'COMPLIANCE_REASON_')],
    ['Period', `${formatDate(p.period_start)} to ${formatDate(p.period_end)} (end exclusive)`],
    ['Proposed', formatTime(p.propose_time)]])}
      <p>${p.explanation}</p>
      ${p.items.length ? html`<table><caption>Items due in the period</caption>
        <thead><tr><th scope="col">Due</th><th scope="col">Method</th><th scope="col" class="num">Expected</th>
          <th scope="col" class="num">Paid</th><th scope="col">On time</th><th scope="col">In full</th>
          <th scope="col">Agreed method</th><th scope="col">Counted</th><th scope="col">Finding</th></tr></thead>
        <tbody>${p.items.map((i) => html`<tr><td>${formatDate(i.due_date)}</td><td>${humanEnum(i.expected_method, 'PAYMENT_METHOD_')}</td>
          <td class="num">${money(i.expected_pence)}</td><td class="num">${money(i.paid_pence)}</td><td>${yesNo(i.on_time)}</td>
          <td>${yesNo(i.in_full)}</td><td>${yesNo(i.agreed_method)}</td><td>${yesNo(i.counted)}</td><td>${i.finding}</td></tr>`)}</tbody>
      </table>` : ''}` : html`<p>No proposal yet.</p>`}
    ${r && set(r.action) ? html`<h3>Recorded outcome</h3>
      ${facts([['Action', html`<span id="co-outcome">${humanEnum(r.action, 'COMPLIANCE_ACTION_')}</span>`],
    ['Reason', humanEnum(r.reason, 'COMPLIANCE_REASON_')], ['UTP check', humanEnum(r.utp_status, 'UNLIKELY_TO_PAY_STATUS_')],
    ['DP rejected reason', r.dp_rejected_reason], ['Effective', formatDate(r.effective_date)], ['Note', r.note],
    ['Recorded', `${r.recorded_by} ${formatTime(r.record_time)}`],
    ['Team leader approval', set(r.approval_id) ? `approval ${r.approval_id}` : ''],
    ['SRs raised', r.child_service_request_ids.length ? r.child_service_request_ids.map((id, i) => html`${i ? ', ' : ''}${srLink(id)}`) : '']])}
      ${r.consequences.length ? html`<p>What the server did:</p><ol>${r.consequences.map((c) => html`<li>${c}</li>`)}</ol>` : ''}` : ''}
  </section>`;
}

function twelveMonths(got) {
  if (got.error) return refusedBox(got.error, 'twelve-month status');
  const t = got.value;
  if (!t.applies) return '';
  return html`<section aria-labelledby="h-twelve"><h2 id="h-twelve">Twelve consecutive months (S5.15)</h2>
    ${facts([['Months in the run', String(t.consecutive_months)], ['Run started', formatDate(t.run_start)],
    ['Reached', yesNo(t.reached)], [t.reached ? 'Reached on' : 'Reached by', formatDate(t.reach_date)]])}
    <p>${t.explanation}</p></section>`;
}

function history(got) {
  if (got.error) return refusedBox(got.error, 'history');
  const events = got.value.events;
  return html`<section aria-labelledby="h-co-events"><h2 id="h-co-events">History</h2>
    ${events.length ? html`<table id="co-events"><caption>Events, oldest first</caption>
      <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">State</th><th scope="col">Detail</th>
        <th scope="col">SR</th><th scope="col">By</th></tr></thead>
      <tbody>${events.map((e) => html`<tr><td>${formatTime(e.event_time)}</td><td>${humanEnum(e.kind, 'COMPLIANCE_EVENT_KIND_')}</td>
        <td>${humanEnum(e.from_state, 'COMPLIANCE_STATE_')} → ${humanEnum(e.to_state, 'COMPLIANCE_STATE_')}</td>
        <td>${e.detail}</td><td>${srLink(e.service_request_id)}</td><td>${e.actor}</td></tr>`)}</tbody></table>` : html`<p>None.</p>`}
  </section>`;
}

// The decisions, each a form of its own posting to the opportunity.
function decisions(ctx, o) {
  const act = (what) => url('/compliance', o.id, what);
  const hidden = html`${commandFields(ctx, o)}<input type="hidden" name="case_id" value="${o.case_id}">`;
  return html`<section aria-labelledby="h-decide"><h2 id="h-decide">Decisions</h2>
    <p class="hint">Every decision the procedure has is offered; the server refuses one the opportunity's
      state does not allow, naming its rule.</p>
    <div class="cols">
    <form method="post" action="${act('offer')}" id="co-offer-form"><fieldset><legend>The PP's decision on the offer (S5.5, S5.6)</legend>${hidden}
      ${enumSelect('co-offer-decision', 'decision', 'Decision', OFFER_DECISIONS, 'OFFER_DECISION_')}
      ${textArea('co-offer-reason', 'reason', 'Reason (kept in the SR\'s notes; needed unless accepted)')}
      ${checkBox('co-offer-dd', 'cannot_set_up_direct_debit', 'Accepted, but the PP cannot set up a direct debit (100% standing order)')}
      <div><button type="submit">Record the decision</button></div></fieldset></form>
    <form method="post" action="${act('contact')}" id="co-contact-form"><fieldset><legend>First attempted contact to make the offer (S5.4)</legend>${hidden}
      ${textInput('co-contact-date', 'contact_date', 'Contact date', { type: 'date', required: true })}
      <div><button type="submit">Record the contact</button></div></fieldset></form>
    <form method="post" action="${act('deo')}" id="co-deo-form"><fieldset><legend>The PP's statement about the legacy DEO (S5.1)</legend>${hidden}
      ${checkBox('co-deo-voluntary', 'voluntary', 'The PP says the legacy DEO was voluntary')}
      <div><button type="submit">Record the statement</button></div></fieldset></form>
    <form method="post" action="${act('legacy')}" id="co-legacy-form"><fieldset><legend>Manual legacy look-up (S5.2)</legend>${hidden}
      ${textInput('co-legacy-moc', 'method_of_collection', 'Legacy method of collection (e.g. DEO, DER, RDO, DD, SO)', { size: 10 })}
      ${enumSelect('co-legacy-deo', 'deo_kind', 'DEO kind', DEO_KINDS, 'LEGACY_DEO_KIND_', { required: false, blank: 'Not recorded' })}
      ${textInput('co-legacy-enf', 'active_enforcement_actions', 'Active enforcement actions (comma separated, e.g. LO, LSDO)')}
      ${textInput('co-legacy-tdate', 't_date', 'End of legacy liability (T date)', { type: 'date' })}
      ${checkBox('co-legacy-ofs', 'order_for_sale', 'Order for sale')}
      ${checkBox('co-legacy-com', 'committal', 'Committal')}
      ${checkBox('co-legacy-sis', 'sisted', 'Sisted')}
      ${checkBox('co-legacy-dd', 'driving_disqualification', 'Driving disqualification')}
      ${textInput('co-legacy-sr', 'service_request_id', 'Manual Handling SR (empty: a call from the CSA Legal SPOC)', { size: 12,
    value: set(o.manual_handling_service_request_id) ? o.manual_handling_service_request_id : '' })}
      <div><button type="submit">Record the look-up</button></div></fieldset></form>
    <form method="post" action="${act('outcome')}" id="co-outcome-form"><fieldset><legend>Outcome and Unlikely to Pay check (S5.8–S5.10)</legend>${hidden}
      ${enumSelect('co-out-action', 'action', 'Compliance action', ACTIONS, 'COMPLIANCE_ACTION_')}
      ${enumSelect('co-out-reason', 'reason', 'Compliance reason', REASONS, 'COMPLIANCE_REASON_')}
      ${enumSelect('co-out-utp', 'utp_status', 'Unlikely to pay status', UTP, 'UNLIKELY_TO_PAY_STATUS_')}
      ${textInput('co-out-dp', 'dp_rejected_reason', 'DP rejected reason (with unlikely to pay)')}
      ${textArea('co-out-note', 'note', 'Note: the reason for the decision and what it was based on', { required: true })}
      <div><button type="submit">Record the outcome</button></div></fieldset></form>
    <form method="post" action="${act('extend')}" id="co-extend-form"><fieldset><legend>Request an extension (S5.11)</legend>${hidden}
      ${enumSelect('co-ext-reason', 'reason', 'Reason', EXTENSION_REASONS, 'EXTENSION_REASON_')}
      ${textInput('co-ext-date', 'proposed_revised_date', 'Proposed revised end date', { type: 'date', required: true })}
      ${textArea('co-ext-note', 'note', 'Why (kept in the SR\'s notes)', { required: true })}
      <div><button type="submit">Send to the team leader</button></div></fieldset></form>
    <form method="post" action="${act('end-early')}" id="co-early-form"><fieldset><legend>End the trial early (S5.12)</legend>${hidden}
      ${enumSelect('co-early-reason', 'reason', 'Reason', EARLY_END_REASONS, 'EARLY_END_REASON_')}
      ${textInput('co-early-sr', 'trigger_service_request_id', 'Triggering SR (empty: the outcome SR is raised as a parent)', { size: 12 })}
      ${textArea('co-early-note', 'note', 'Note', { required: true })}
      <div><button type="submit">End the trial</button></div></fieldset></form>
    <form method="post" action="${act('missed-payment')}" id="co-missed-form"><fieldset><legend>Missed payment: what the Arrears Review found (AR10.9, S5.13)</legend>${hidden}
      ${textInput('co-missed-sr', 'arrears_review_service_request_id', 'Arrears Review SR', { size: 12, required: true })}
      ${enumSelect('co-missed-contact', 'contact', 'Contact', CONTACTS, 'MISSED_PAYMENT_CONTACT_')}
      ${textArea('co-missed-note', 'note', 'What was said, or the attempts made', { required: true })}
      <div><button type="submit">Record</button></div></fieldset></form>
    </div>
  </section>`;
}

async function showOpportunity(ctx) {
  const caseId = idParam(ctx.params[0]);
  const o = await ctx.cms.compliance.getComplianceOpportunity({ case_id: caseId });
  const [events, twelve] = await Promise.all([
    settle(ctx.cms.compliance.listComplianceEvents({ opportunity_id: o.id, page_size: 200 })),
    settle(ctx.cms.compliance.getTwelveMonthStatus({ case_id: caseId })),
  ]);
  ctx.send(`Segment 5 compliance opportunity, case ${caseId}`, html`
    ${facts([['State', html`<strong id="co-state">${humanEnum(o.state, 'COMPLIANCE_STATE_')}</strong>`],
    ['Opportunity', o.id], ['Casegroup', html`<a href="${url('/casegroup', o.casegroup_id)}">Casegroup ${o.casegroup_id}</a>`],
    ['Updated', formatTime(o.update_time)]])}
    <div class="cols">${eligibility(o)}${offer(o)}</div>
    ${trial(o)}
    ${proposalAndOutcome(o)}
    ${twelveMonths(twelve)}
    ${decisions(ctx, o)}
    ${history(events)}`);
}

// The opportunity list (by state), for finding the cases to work.
async function listOpportunities(ctx) {
  const q = ctx.url.searchParams;
  const state = STATES.includes(q.get('state')) ? q.get('state') : '';
  const page = String(q.get('page') || '').slice(0, 2000);
  const r = await ctx.cms.compliance.listComplianceOpportunities({ state: state || 'COMPLIANCE_STATE_UNSPECIFIED',
    page_size: 25, page_token: page });
  ctx.send('Segment 5 compliance opportunities', html`
    <form method="get" action="/compliance" class="filters" aria-label="Filter the opportunities">
      <div>${enumSelect('co-filter-state', 'state', 'State', STATES, 'COMPLIANCE_STATE_', { required: false, blank: 'Any', selected: state })}</div>
      <div><button type="submit">Filter</button></div></form>
    ${r.opportunities.length ? html`<table id="co-list"><caption>Opportunities you can see, in id order</caption>
      <thead><tr><th scope="col">Case</th><th scope="col">State</th><th scope="col">Eligibility</th><th scope="col">Response due</th>
        <th scope="col">Trial</th><th scope="col">Decision</th></tr></thead>
      <tbody>${r.opportunities.map((o) => html`<tr><td><a href="${url('/case', o.case_id, 'compliance')}">Case ${o.case_id}</a></td>
        <td>${humanEnum(o.state, 'COMPLIANCE_STATE_')}</td><td>${humanEnum(o.eligibility, 'PP_ELIGIBILITY_')}</td>
        <td>${formatDate(o.response_due_date)}</td><td>${o.start_date && o.start_date.year ? `${formatDate(o.start_date)} to ${formatDate(o.end_date)}` : ''}</td>
        <td>${set(o.decision) ? humanEnum(o.decision, 'OFFER_DECISION_') : ''}</td></tr>`)}</tbody></table>` : html`<p>None that you can see.</p>`}
    ${r.next_page_token || page ? html`<nav class="pager" aria-label="Pages">
      ${page ? html`<a href="${url('/compliance', { state })}">First page</a>` : ''}
      ${r.next_page_token ? html`<a href="${url('/compliance', { state, page: r.next_page_token })}" rel="next">Next page</a>` : ''}</nav>` : ''}`,
  { current: '/compliance' });
}

// --- decisions: each answers with a redirect back to the case's opportunity
const back = (ctx) => {
  const caseId = idOf(ctx.form, 'case_id');
  return caseId === '0' ? { href: '/compliance', text: 'the opportunities' }
    : { href: `/case/${caseId}/compliance`, text: `case ${caseId}'s opportunity` };
};
const decide = (call, done) => command(back, async (ctx, id, f, base) => {
  const o = await call(ctx.cms.compliance, { ...base, opportunity_id: id }, f);
  return `${done} The opportunity is now ${humanEnum(o.state, 'COMPLIANCE_STATE_').toLowerCase()}.`;
});

const routes = () => [
  ['GET', /^\/compliance$/, listOpportunities, {}, 'compliance_list'],
  ['GET', /^\/case\/([^/]+)\/compliance$/, showOpportunity, {}, 'compliance'],
  ['POST', /^\/compliance\/([^/]+)\/offer$/, decide((c, b, f) => c.decideOffer({ ...b, decision: text(f, 'decision'),
    reason: text(f, 'reason'), cannot_set_up_direct_debit: f.get('cannot_set_up_direct_debit') === '1' }),
  'Decision on the offer recorded.'), {}, 'compliance_offer'],
  ['POST', /^\/compliance\/([^/]+)\/contact$/, decide((c, b, f) => c.recordOfferContact({ ...b,
    contact_date: dateOf(f, 'contact_date') }), 'Offer contact recorded.'), {}, 'compliance_contact'],
  ['POST', /^\/compliance\/([^/]+)\/deo$/, decide((c, b, f) => c.recordDeoStatement({ ...b,
    pp_states_deo_voluntary: f.get('voluntary') === '1' }), 'DEO statement recorded.'), {}, 'compliance_deo'],
  ['POST', /^\/compliance\/([^/]+)\/legacy$/, decide((c, b, f) => c.recordLegacyLookup({ ...b,
    service_request_id: idOf(f, 'service_request_id'),
    facts: { method_of_collection: text(f, 'method_of_collection').trim(), deo_kind: text(f, 'deo_kind') || 'LEGACY_DEO_KIND_UNSPECIFIED',
      active_enforcement_actions: text(f, 'active_enforcement_actions').split(',').map((s) => s.trim()).filter(Boolean),
      t_date: dateOf(f, 't_date'), order_for_sale: f.get('order_for_sale') === '1', committal: f.get('committal') === '1',
      sisted: f.get('sisted') === '1', driving_disqualification: f.get('driving_disqualification') === '1' } }),
  'Legacy look-up recorded.'), {}, 'compliance_legacy'],
  ['POST', /^\/compliance\/([^/]+)\/outcome$/, decide((c, b, f) => c.recordOutcome({ ...b, action: text(f, 'action'),
    reason: text(f, 'reason'), utp_status: text(f, 'utp_status'), dp_rejected_reason: text(f, 'dp_rejected_reason'),
    note: text(f, 'note') }), 'Outcome recorded.'), {}, 'compliance_outcome'],
  ['POST', /^\/compliance\/([^/]+)\/extend$/, decide((c, b, f) => c.requestExtension({ ...b, reason: text(f, 'reason'),
    proposed_revised_date: dateOf(f, 'proposed_revised_date'), note: text(f, 'note') }),
  'Extension sent to the team leader.'), {}, 'compliance_extend'],
  ['POST', /^\/compliance\/([^/]+)\/end-early$/, decide((c, b, f) => c.endEarly({ ...b, reason: text(f, 'reason'),
    trigger_service_request_id: idOf(f, 'trigger_service_request_id'), note: text(f, 'note') }),
  'Trial ended early.'), {}, 'compliance_end_early'],
  ['POST', /^\/compliance\/([^/]+)\/missed-payment$/, decide((c, b, f) => c.recordMissedPaymentReason({ ...b,
    arrears_review_service_request_id: idOf(f, 'arrears_review_service_request_id'), contact: text(f, 'contact'),
    note: text(f, 'note') }), 'Missed payment reason recorded.'), {}, 'compliance_missed'],
];

module.exports = { routes };
