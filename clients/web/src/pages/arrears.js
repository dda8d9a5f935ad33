'use strict';
// The arrears action of a case (AR10.*): the server's recommendation (the
// next step, the facts it read and the rungs passed over), the action as
// the ArrearsService holds it (review, rung, contacts, letters, HMRC, final
// negotiation, LO referral, disclosure and RDO payments, RP contact,
// enforcement), the PP's assets, the history, and every decision the
// service accepts as a form of its own. Which decision is legal now is the
// server's rule; a refusal shows its message and rule id.
const { html, url } = require('../html');
const { formatDate, formatTime, humanEnum, money } = require('../format');
const { commandFields } = require('./sr');
const { idParam } = require('./ids');
const { settle, refusedBox } = require('./settle');
const { HttpError } = require('../app');
const { GRPC } = require('../errors');
const { enumSelect, textArea, textInput, checkBox, text, dateOf, idOf, penceOf, command, set,
  srLink, yesNo, facts } = require('./forms');

const RUNG = 'ARREARS_RUNG_';

// Each decision: its path, legend, RPC and fields [type, name, label, extra].
const DECISIONS = [
  { path: 'contact', legend: 'Contact with the PP (AR10.1, AR10.4)', rpc: 'recordArrearsContact', fields: [
    ['enum', 'outcome', 'Outcome', ['ARREARS_CONTACT_OUTCOME_REFUSES_TO_PAY', 'ARREARS_CONTACT_OUTCOME_ASKS_TO_RENEGOTIATE',
      'ARREARS_CONTACT_OUTCOME_CLAIMS_DIRECT_PAYMENT', 'ARREARS_CONTACT_OUTCOME_AGREES_TO_PAY', 'ARREARS_CONTACT_OUTCOME_NO_CONTACT'],
    'ARREARS_CONTACT_OUTCOME_'],
    ['note', 'note', 'What was said', true],
    ['money', 'claimed_pence', 'Direct payment claimed (£, with a claim)'], ['date', 'claimed_date', 'Claimed payment date']] },
  { path: 'letter', legend: 'Issue the arrears letter (AR10.4; the server picks it)', rpc: 'issueArrearsLetter', fields: [] },
  { path: 'employment', legend: 'Ask HMRC for the PP\'s employment (AR10.5)', rpc: 'requestEmploymentStatus', fields: [] },
  { path: 'business', legend: 'The PP\'s business structure (AR10.3)', rpc: 'recordPpBusinessStructure', fields: [
    ['enum', 'business_structure', 'Business structure', ['BUSINESS_STRUCTURE_EMPLOYEE', 'BUSINESS_STRUCTURE_SOLE_TRADER',
      'BUSINESS_STRUCTURE_MULTIPLE_DIRECTOR'], 'BUSINESS_STRUCTURE_'],
    ['note', 'note', 'Evidence (e.g. the Companies House entry)', true]] },
  { path: 'negotiation', legend: 'Start the final negotiation (AR10.6, AR10.7)', rpc: 'startFinalNegotiation', fields: [
    ['enum', 'purpose', 'Before', ['ARREARS_RUNG_DISCLOSURE', 'ARREARS_RUNG_LIABILITY_ORDER'], RUNG],
    ['note', 'note', 'Note (optional)']] },
  { path: 'negotiation-outcome', legend: 'Final negotiation outcome', rpc: 'recordNegotiationOutcome', fields: [
    ['enum', 'outcome', 'Outcome', ['NEGOTIATION_OUTCOME_NEW_SCHEDULE_AGREED', 'NEGOTIATION_OUTCOME_FAILED'], 'NEGOTIATION_OUTCOME_'],
    ['note', 'note', 'What was agreed, or why it failed', true]] },
  { path: 'rp-contact', legend: 'Contact with the RP (AR10.11)', rpc: 'recordRpContact', fields: [
    ['enum', 'outcome', 'Outcome', ['RP_CONTACT_OUTCOME_REACHED', 'RP_CONTACT_OUTCOME_NOT_REACHED'], 'RP_CONTACT_OUTCOME_'],
    ['note', 'note', 'What the RP said (employer, income, assets, the child\'s welfare)']] },
  { path: 'disclosure', legend: 'Request disclosure from the Deduction Order Team (AR10.6)', rpc: 'requestDisclosure', fields: [
    ['text', 'reason', 'Disclosure reason']] },
  { path: 'disclosure-outcome', legend: 'Disclosure outcome (the Deduction Order Team, AR10.6, AR10.11)', rpc: 'recordDisclosureOutcome', fields: [
    ['enum', 'outcome', 'Outcome', ['DISCLOSURE_OUTCOME_SUCCESSFUL', 'DISCLOSURE_OUTCOME_UNSUCCESSFUL', 'DISCLOSURE_OUTCOME_RDO_SET_UP',
      'DISCLOSURE_OUTCOME_LSDO_SET_UP', 'DISCLOSURE_OUTCOME_NOT_APPROVED'], 'DISCLOSURE_OUTCOME_'],
    ['bool', 'assets_found', 'Assets found'], ['note', 'note', 'What DOT found and did', true],
    ['money', 'rdo_payment_pence', 'RDO payment (£)'], ['date', 'rdo_first_payment_date', 'RDO first payment'],
    ['enum?', 'rdo_frequency', 'RDO frequency', ['FREQUENCY_WEEKLY', 'FREQUENCY_FORTNIGHTLY', 'FREQUENCY_FOUR_WEEKLY', 'FREQUENCY_MONTHLY'], 'FREQUENCY_'],
    ['money', 'lsdo_amount_pence', 'LSDO amount (£)']] },
  { path: 'authorise', legend: 'Authorise the deduction order (AR10.11)', rpc: 'authoriseDeductionOrder', fields: [
    ['enum', 'order', 'Order', ['DEDUCTION_ORDER_RDO', 'DEDUCTION_ORDER_LSDO'], 'DEDUCTION_ORDER_'], ['note', 'note', 'Note']] },
  { path: 'rdo-payment', legend: 'An RDO payment as DOT reports it (AR10.6)', rpc: 'recordRdoPayment', fields: [
    ['date', 'due_date', 'Scheduled payment date', true], ['money', 'received_pence', 'Received (£; 0 when nothing came)']] },
  { path: 'lo', legend: 'Refer for a liability order (AR10.7; to the team leader)', rpc: 'referLiabilityOrder', fields: [
    ['note', 'checklist_note', 'Enforcement checklist: what was reviewed', true]] },
  { path: 'monitor', legend: 'Disable Missed Payment Monitor (AR10.13)', rpc: 'setMissedPaymentMonitor', fields: [
    ['bool', 'disabled', 'Disable the monitor (unticked: enable it)'], ['note', 'reason', 'Reason', true]] },
  { path: 'rdo-viability', legend: 'RDO viability after DOT\'s negotiation (enforcement, AR10.12)', rpc: 'recordRdoViability', fields: [
    ['enum', 'viability', 'The RDO is', ['RDO_VIABILITY_VIABLE', 'RDO_VIABILITY_LAPSED', 'RDO_VIABILITY_DISCHARGED'], 'RDO_VIABILITY_'],
    ['bool', 'further_assets', 'DOT found further assets'], ['note', 'note', 'Note']] },
  { path: 'enforcement', legend: 'Take an enforcement action (enforcement, AR10.8)', rpc: 'takeEnforcementAction', fields: [
    ['enum', 'action', 'Action', ['ENFORCEMENT_ACTION_LIABILITY_ORDER', 'ENFORCEMENT_ACTION_LSDO', 'ENFORCEMENT_ACTION_CHARGING_ORDER',
      'ENFORCEMENT_ACTION_ORDER_FOR_SALE', 'ENFORCEMENT_ACTION_COMMITMENT'], 'ENFORCEMENT_ACTION_'],
    ['text', 'court', 'Court (a charging order)'], ['id', 'asset_id', 'Property asset number (charging order, order for sale)'],
    ['note', 'note', 'Note', true]] },
];

function field(d, [type, name, label, a, b]) {
  const id = `ar-${d.path}-${name}`;
  switch (type) {
    case 'enum': return enumSelect(id, name, label, a, b);
    case 'enum?': return enumSelect(id, name, label, a, b, { required: false, blank: 'None' });
    case 'note': return textArea(id, name, label, { required: !!a, rows: 2, max: 2000 });
    case 'bool': return checkBox(id, name, label);
    case 'date': return textInput(id, name, label, { type: 'date', required: !!a });
    default: return textInput(id, name, label, { size: type === 'text' ? 40 : 12 });
  }
}

function read(f, [type, name]) {
  switch (type) {
    case 'enum': case 'enum?': return text(f, name) || undefined;
    case 'bool': return f.get(name) === '1';
    case 'date': return dateOf(f, name);
    case 'money': return penceOf(f, name);
    case 'id': return idOf(f, name);
    default: return text(f, name);
  }
}

function decisionForms(ctx, caseId, action) {
  return html`<section aria-labelledby="h-ar-decide"><h2 id="h-ar-decide">Decisions</h2>
    <p class="hint">Every arrears decision the server has; it refuses one the action's state or your role does not allow, naming its rule.</p>
    <div class="cols">${DECISIONS.map((d) => html`
      <form method="post" action="${url('/case', caseId, 'arrears', d.path)}" id="ar-${d.path}-form"><fieldset><legend>${d.legend}</legend>
        ${commandFields(ctx, action)}${d.fields.map((x) => field(d, x))}
        <div><button type="submit">Record</button></div></fieldset></form>`)}
    </div></section>`;
}

function actionSection(a) {
  const n = a.negotiation;
  const lo = a.lo;
  const dsc = a.disclosure;
  const rp = a.rp_contact;
  const er = a.enforcement_rdo_review;
  return html`<section aria-labelledby="h-ar-action"><h2 id="h-ar-action">Arrears action ${a.id}</h2>
    ${facts([['State', html`<strong id="ar-state">${humanEnum(a.state, 'ARREARS_STATE_')}</strong>`],
    ['Rung', set(a.rung) ? html`<span id="ar-rung">${humanEnum(a.rung, RUNG)}</span>` : 'none yet'],
    ['Arrears Review', srLink(a.review_service_request_id)], ['Review reason', humanEnum(a.review_reason, 'ARREARS_REVIEW_REASON_')],
    ['Reviewed', formatDate(a.review_date)], ['Arrears at review', money(a.balance_at_review_pence)],
    ['Latest trigger', a.latest_trigger_date && a.latest_trigger_date.year ? `${formatDate(a.latest_trigger_date)}, ${money(a.latest_balance_pence)}` : ''],
    ['Missed payments then', String(a.missed_payments)], ['Payment failure reason', a.payment_failure_reason],
    ['Segment 5 case', yesNo(a.segment5_case)],
    ['Business structure', set(a.business_structure) ? humanEnum(a.business_structure, 'BUSINESS_STRUCTURE_') : 'not established'],
    ['Missed payment monitor', a.monitor && a.monitor.disabled ? `disabled by ${a.monitor.set_by}: ${a.monitor.reason}` : 'on'],
    ['Legacy debt to migrate', set(a.legacy_debt_to_migrate_pence) ? money(a.legacy_debt_to_migrate_pence) : ''],
    ['Closed', a.closed_resolution ? `${a.closed_resolution}: ${a.closed_reason}` : '']])}
    ${a.contacts.length ? html`<table id="ar-contacts"><caption>Contacts with the PP, oldest first</caption>
      <thead><tr><th scope="col">Date</th><th scope="col">Outcome</th><th scope="col">Note</th><th scope="col">Claimed</th><th scope="col">SR raised</th><th scope="col">By</th></tr></thead>
      <tbody>${a.contacts.map((c) => html`<tr><td>${formatDate(c.contact_date)}</td><td>${humanEnum(c.outcome, 'ARREARS_CONTACT_OUTCOME_')}</td>
        <td>${c.note}</td><td>${set(c.claimed_pence) ? `${money(c.claimed_pence)} on ${formatDate(c.claimed_date)}` : ''}</td>
        <td>${srLink(c.raised_service_request_id)}</td><td>${c.recorded_by}</td></tr>`)}</tbody></table>` : ''}
    ${a.letters.length ? html`<table><caption>Arrears letters</caption>
      <thead><tr><th scope="col">Letter</th><th scope="col">Issued</th><th scope="col">Why this letter</th><th scope="col">From</th></tr></thead>
      <tbody>${a.letters.map((l) => html`<tr><td>${l.template_code}</td><td>${formatDate(l.issue_date)}</td><td>${l.reason}</td>
        <td>${srLink(l.service_request_id)}</td></tr>`)}</tbody></table>` : ''}
    ${a.deo && set(a.deo.hmrc_answer) ? html`<h3>HMRC (AR10.5)</h3>${facts([['Answer', humanEnum(a.deo.hmrc_answer, 'HMRC_ANSWER_')],
    ['On', formatDate(a.deo.hmrc_answer_date)], ['Employer', a.deo.employer_name], ['DEO desire flag set', yesNo(a.deo.desire_flag_set)],
    ['Prompt due', formatDate(a.deo.reminder_due_date)]])}` : ''}
    ${n && set(n.service_request_id) ? html`<h3>Final negotiation</h3>${facts([['SR', srLink(n.service_request_id)],
    ['Before', humanEnum(n.purpose, RUNG)], ['Started', formatDate(n.start_date)],
    ['Outcome', set(n.outcome) ? `${humanEnum(n.outcome, 'NEGOTIATION_OUTCOME_')} (${formatDate(n.outcome_date)})` : 'under way'], ['Note', n.note]])}` : ''}
    ${lo && set(lo.state) ? html`<h3>Liability order referral</h3>${facts([['State', humanEnum(lo.state, 'LO_REFERRAL_STATE_')],
    ['Review LO SR', srLink(lo.review_lo_service_request_id)], ['Checklist', lo.checklist_note], ['Referred', formatDate(lo.referred_date)],
    ['Decided', lo.decided_by ? `${formatDate(lo.decided_date)} by ${lo.decided_by}` : ''],
    ['Team leader\'s alternative', lo.team_leader_alternative], ['Review Case SR', srLink(lo.review_case_service_request_id)],
    ['Ownership moves', formatTime(lo.ownership_move_time)]])}` : ''}
    ${dsc && set(dsc.service_request_id) ? html`<h3>Disclosure</h3>${facts([['Disclosure SR', srLink(dsc.service_request_id)],
    ['Requested', `${formatDate(dsc.requested_date)}: ${dsc.reason}`],
    ['Outcome', set(dsc.outcome) ? `${humanEnum(dsc.outcome, 'DISCLOSURE_OUTCOME_')} (${formatDate(dsc.outcome_date)}, ${dsc.recorded_by})` : 'DOT is working it'],
    ['Assets found', yesNo(dsc.assets_found)], ['Note', dsc.outcome_note],
    ['Returned Authorisation SR', srLink(dsc.returned_authorisation_service_request_id)],
    ['Authorise by', formatTime(dsc.authorisation_due_time)],
    ['Authorised', set(dsc.authorised_order) ? `${humanEnum(dsc.authorised_order, 'DEDUCTION_ORDER_')} by ${dsc.authorised_by} ${formatTime(dsc.authorised_time)}${dsc.authorised_late ? ' (late)' : ''}` : ''],
    ['RDO', set(dsc.rdo_payment_pence) ? `${money(dsc.rdo_payment_pence)} ${humanEnum(dsc.rdo_frequency, 'FREQUENCY_').toLowerCase()} from ${formatDate(dsc.rdo_first_payment_date)}` : ''],
    ['RDO next payment', formatDate(dsc.rdo_next_due_date)], ['RDO review', formatDate(dsc.rdo_review_date)],
    ['RDO compliant', dsc.rdo_compliant ? 'Yes' : ''], ['LSDO', set(dsc.lsdo_amount_pence) ? money(dsc.lsdo_amount_pence) : '']])}
    ${dsc.rdo_payments.length ? html`<table><caption>RDO payments</caption><thead><tr><th scope="col">Due</th><th scope="col" class="num">Expected</th>
      <th scope="col" class="num">Received</th><th scope="col">Shortfall</th><th scope="col">Recorded</th></tr></thead>
      <tbody>${dsc.rdo_payments.map((p) => html`<tr><td>${formatDate(p.due_date)}</td><td class="num">${money(p.expected_pence)}</td>
        <td class="num">${money(p.received_pence)}</td><td>${yesNo(p.shortfall)}</td><td>${p.recorded_by} ${formatDate(p.recorded_date)}</td></tr>`)}</tbody></table>` : ''}` : ''}
    ${rp && set(rp.outcome) ? html`<h3>Contact with the RP</h3>${facts([['Outcome', humanEnum(rp.outcome, 'RP_CONTACT_OUTCOME_')],
    ['On', formatDate(rp.contact_date)], ['Note', rp.note], ['Letter', rp.letter_template_code], ['Wait until', formatDate(rp.wait_until)]])}` : ''}
    ${er && set(er.review_service_request_id) ? html`<h3>RDO review (enforcement)</h3>${facts([['Viability', humanEnum(er.viability, 'RDO_VIABILITY_')],
    ['Further assets', yesNo(er.further_assets)], ['Note', er.note], ['Parallel action', yesNo(er.parallel_action)],
    ['Annual review', formatDate(er.annual_review_date)], ['Annual review SR', srLink(er.annual_review_service_request_id)]])}` : ''}
    ${a.enforcement_actions.length ? html`<table><caption>Enforcement actions</caption><thead><tr><th scope="col">Action</th><th scope="col">Taken</th>
      <th scope="col" class="num">Arrears</th><th scope="col" class="num">De minimis</th><th scope="col">Note</th></tr></thead>
      <tbody>${a.enforcement_actions.map((e) => html`<tr><td>${humanEnum(e.action, 'ENFORCEMENT_ACTION_')}${e.court ? ` (${e.court})` : ''}</td>
        <td>${formatDate(e.taken_date)} ${e.taken_by}</td><td class="num">${money(e.arrears_pence)}</td><td class="num">${money(e.threshold_pence)}</td>
        <td>${e.note}</td></tr>`)}</tbody></table>` : ''}
  </section>`;
}

function assetsSection(ctx, caseId, got, ppId) {
  return html`<section aria-labelledby="h-ar-assets"><h2 id="h-ar-assets">The PP's assets (AR10.14)</h2>
    ${got.error ? refusedBox(got.error, 'assets') : got.value.assets.length ? html`<table id="ar-assets"><caption>Assets, active and ended</caption>
      <thead><tr><th scope="col">Asset</th><th scope="col">Type</th><th scope="col">Description</th><th scope="col">Source</th>
        <th scope="col">State</th><th scope="col">End it</th></tr></thead>
      <tbody>${got.value.assets.map((x) => html`<tr><td>${x.id}</td>
        <td>${humanEnum(x.type, 'ASSET_TYPE_')}${set(x.account_type) ? ` (${humanEnum(x.account_type, 'BANK_ACCOUNT_TYPE_').toLowerCase()})` : ''}</td>
        <td>${x.description} ${x.reference}</td><td>${humanEnum(x.source, 'ASSET_SOURCE_')}, ${x.recorded_by}</td>
        <td>${humanEnum(x.state, 'ASSET_STATE_')}${x.end_reason ? `: ${x.end_reason}` : ''}</td>
        <td>${x.state === 'ASSET_STATE_ACTIVE' ? html`<form method="post" action="${url('/case', caseId, 'asset', x.id, 'end')}">${commandFields(ctx, x)}
          <label for="ar-end-${x.id}">Why asset ${x.id} ended</label><input type="text" id="ar-end-${x.id}" name="reason" size="20" required>
          <button type="submit">End</button></form>` : ''}</td></tr>`)}</tbody></table>` : html`<p>None recorded.</p>`}
    <form method="post" action="${url('/case', caseId, 'asset')}" id="ar-asset-form"><fieldset><legend>Record an asset of the PP</legend>${commandFields(ctx)}
      <input type="hidden" name="person_id" value="${ppId}">
      ${enumSelect('ar-asset-type', 'type', 'Type', ['ASSET_TYPE_BANK_ACCOUNT', 'ASSET_TYPE_VEHICLE', 'ASSET_TYPE_PROPERTY', 'ASSET_TYPE_OTHER'], 'ASSET_TYPE_')}
      ${enumSelect('ar-asset-account', 'account_type', 'Account type (a bank account)', ['BANK_ACCOUNT_TYPE_CURRENT', 'BANK_ACCOUNT_TYPE_SAVINGS',
    'BANK_ACCOUNT_TYPE_BUSINESS', 'BANK_ACCOUNT_TYPE_OTHER'], 'BANK_ACCOUNT_TYPE_', { required: false, blank: 'Not a bank account' })}
      ${textInput('ar-asset-desc', 'description', 'Description', { required: true })}
      ${textInput('ar-asset-ref', 'reference', 'Reference (an account number is kept masked)')}
      ${enumSelect('ar-asset-source', 'source', 'Found by', ['ASSET_SOURCE_CASEWORKER', 'ASSET_SOURCE_RECEIVING_PARENT',
    'ASSET_SOURCE_DEDUCTION_ORDER_TEAM', 'ASSET_SOURCE_CREDIT_REFERENCE_AGENCY'], 'ASSET_SOURCE_')}
      ${checkBox('ar-asset-prev', 'previous_address', 'At a previous address (bank account)')}
      ${checkBox('ar-asset-dd', 'used_for_csa_direct_debit', 'Used for a CSA direct debit (bank account)')}
      <div><button type="submit">Record the asset</button></div></fieldset></form>
  </section>`;
}

// AR10.3: the server's next step for the case, the facts it read and why
// each earlier rung was passed over. Shown as the server words it.
function recommendation(got) {
  if (got.error) return refusedBox(got.error, 'arrears recommendation');
  const r = got.value;
  return html`<details class="recommendation" open><summary>Arrears recommendation: ${humanEnum(r.step, 'ARREARS_STEP_')}${
    r.rung && r.rung !== 'ARREARS_RUNG_UNSPECIFIED' ? ` (${humanEnum(r.rung, 'ARREARS_RUNG_')})` : ''}</summary>
    <p>${r.why} <span class="rule-id">${r.rule}</span></p>
    ${r.facts.length ? html`<dl class="facts">${r.facts.map((f) => html`<dt>${f.name}</dt><dd>${f.value}</dd>`)}</dl>` : ''}
    ${r.passed_over.length ? html`<p>Passed over:</p><ul>${r.passed_over.map((p) => html`
      <li>${humanEnum(p.rung, 'ARREARS_RUNG_')}: ${p.why}</li>`)}</ul>` : ''}
  </details>`;
}

async function showArrears(ctx) {
  const caseId = idParam(ctx.params[0]);
  // Read side by side: a refusal of the case refuses the page, and the
  // server refuses the rest alike.
  const [c, action, advice, assets] = await Promise.all([
    ctx.cms.casegroups.getCase({ id: caseId }),
    settle(ctx.cms.arrears.getArrearsAction({ case_id: caseId })),
    settle(ctx.cms.arrears.getArrearsRecommendation({ case_id: caseId })),
    settle(ctx.cms.arrears.listAssets({ case_id: caseId, include_closed: true, page_size: 100 })),
  ]);
  const a = action.error ? null : action.value;
  const events = a ? await settle(ctx.cms.arrears.listArrearsEvents({ arrears_action_id: a.id, page_size: 200 })) : null;
  ctx.send(`Arrears, case ${caseId}`, html`
    <p><a href="${url('/casegroup', c.casegroup_id)}">Casegroup ${c.casegroup_id}</a></p>
    <section aria-labelledby="h-ar-rec"><h2 id="h-ar-rec">Recommendation (AR10.3)</h2>${recommendation(advice)}</section>
    ${a ? actionSection(a) : action.error.code === GRPC.NOT_FOUND ? html`<p id="ar-none">The case has no arrears action: it starts with an Arrears Review SR.</p>`
    : refusedBox(action.error, 'arrears action')}
    ${decisionForms(ctx, caseId, a)}
    ${assetsSection(ctx, caseId, assets, c.paying_parent_id)}
    ${events ? html`<section aria-labelledby="h-ar-events"><h2 id="h-ar-events">History</h2>
      ${events.error ? refusedBox(events.error, 'history') : html`<table id="ar-events"><caption>Events, oldest first</caption>
        <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">State, rung after</th><th scope="col">Detail</th>
          <th scope="col">SR</th><th scope="col">By</th></tr></thead>
        <tbody>${events.value.events.map((e) => html`<tr><td>${formatTime(e.event_time)}</td><td>${humanEnum(e.kind, 'ARREARS_EVENT_KIND_')}</td>
          <td>${humanEnum(e.state, 'ARREARS_STATE_')}${set(e.rung) ? `, ${humanEnum(e.rung, RUNG).toLowerCase()}` : ''}</td><td>${e.detail}</td>
          <td>${srLink(e.service_request_id)}</td><td>${e.actor}</td></tr>`)}</tbody></table>`}</section>` : ''}`);
}

const back = (ctx, id) => ({ href: `/case/${id}/arrears`, text: `case ${id}'s arrears` });

async function decide(ctx) {
  const d = DECISIONS.find((x) => x.path === ctx.params[1]);
  if (!d) throw new HttpError(404, 'Page not found', 'There is no such arrears decision.');
  return command(back, async (c, id, f, base) => {
    const req = { ...base, case_id: id };
    for (const x of d.fields) req[x[1]] = read(f, x);
    const a = await c.cms.arrears[d.rpc](req);
    return `${d.legend.replace(/ \(.*$/, '')}: recorded. The action is ${humanEnum(a.state, 'ARREARS_STATE_').toLowerCase()}${
      set(a.rung) ? `, on the ${humanEnum(a.rung, RUNG).toLowerCase()} rung` : ''}.`;
  })(ctx);
}

module.exports = {
  routes: () => [
    ['GET', /^\/case\/([^/]+)\/arrears$/, showArrears, {}, 'arrears'],
    ['POST', /^\/case\/([^/]+)\/asset$/, command(back, async (ctx, id, f, base) => {
      const x = await ctx.cms.arrears.recordAsset({ request_id: base.request_id, case_id: id, person_id: idOf(f, 'person_id'),
        type: text(f, 'type'), account_type: text(f, 'account_type') || undefined, description: text(f, 'description'),
        reference: text(f, 'reference'), source: text(f, 'source'), previous_address: f.get('previous_address') === '1',
        used_for_csa_direct_debit: f.get('used_for_csa_direct_debit') === '1' });
      return `Asset ${x.id} recorded.`;
    }), {}, 'arrears_asset'],
    ['POST', /^\/case\/([^/]+)\/asset\/([^/]+)\/end$/, command(back, async (ctx, id, f, base) => {
      const x = await ctx.cms.arrears.endAsset({ ...base, id: idParam(ctx.params[1]), reason: text(f, 'reason') });
      return `Asset ${x.id} ended.`;
    }), {}, 'arrears_asset_end'],
    ['POST', /^\/case\/([^/]+)\/arrears\/([a-z-]+)$/, decide, {}, 'arrears_decide'],
  ],
};
