'use strict';
// The casegroup page: its cases and parties, why it sits where it is
// (routing explanation, R3.2) and how it moved (R3.5), its SRs, and per case
// the money (schedule, statement, arrears; M7.*) as tables and a chart of
// the running balance, with links to its procedures' screens. A section the server refuses shows that refusal
// alone; the rest of the page still shows.
const { html, url } = require('../html');
const { formatDate, formatTime, humanEnum, statusName, money } = require('../format');
const { settle, refusedBox } = require('./settle');
const { stepChart } = require('../svg');
const { idParam } = require('./ids');
const { GRPC } = require('../errors');

function dateMs(d) {
  return Date.UTC(d.year, d.month - 1, d.day);
}

function partyRow(role, got) {
  if (got.error) return html`<tr><th scope="row">${role}</th><td colspan="4">${refusedBox(got.error, role)}</td></tr>`;
  const p = got.value;
  return html`<tr><th scope="row">${role}</th><td>${p.given_name} ${p.family_name}</td><td>${formatDate(p.date_of_birth)}</td>
    <td>${(p.residential_address && p.residential_address.postcode) || ''}</td>
    <td>${p.nationally_sensitive ? 'Nationally sensitive' : ''}</td></tr>`;
}

// A case's sections, read side by side: everything but its receiving
// parent needs only the case's id, so only that waits for the case. `pp` is
// the read of the casegroup's paying parent (every case of a casegroup has
// the same one: the casegroup is theirs), made once for all the cases.
async function loadCase(ctx, caseId, pp) {
  const [c, schedule, statement, arrears, opportunity] = await Promise.all([
    ctx.cms.casegroups.getCase({ id: caseId }),
    settle(ctx.cms.payments.getSchedule({ case_id: caseId })),
    settle(ctx.cms.payments.getStatement({ case_id: caseId })),
    settle(ctx.cms.payments.getArrears({ case_id: caseId })),
    settle(ctx.cms.compliance.getComplianceOpportunity({ case_id: caseId })),
  ]);
  const rp = await settle(ctx.cms.casegroups.getPerson({ id: c.receiving_parent_id }));
  return { c, pp: await pp, rp, schedule, statement, arrears, opportunity };
}

function caseSection(k) {
  const { c } = k;
  return html`
    <section aria-labelledby="h-case-${c.id}"><h2 id="h-case-${c.id}">Case ${c.id}</h2>
      <dl class="facts">
        <dt>Lifecycle stage</dt><dd>${humanEnum(c.lifecycle_stage, 'LIFECYCLE_STAGE_')}</dd>
        <dt>Service type</dt><dd>${humanEnum(c.service_type, 'SERVICE_TYPE_')}</dd>
        <dt>Application date</dt><dd>${formatDate(c.application_date)}</dd>
        <dt>Annual review</dt><dd>${formatDate(c.annual_review_date)}</dd>
        <dt>Children</dt><dd>${c.children.map((ch, i) => html`${i ? ', ' : ''}${ch.given_name} ${ch.family_name} (${formatDate(ch.date_of_birth)})`)}</dd>
      </dl>
      <table><caption>Parties</caption>
        <thead><tr><th scope="col">Role</th><th scope="col">Name</th><th scope="col">Date of birth</th>
          <th scope="col">Postcode</th><th scope="col">Flags</th></tr></thead>
        <tbody>${partyRow('Paying parent', k.pp)}${partyRow('Receiving parent', k.rp)}</tbody></table>
      ${procedures(c, k.opportunity)}
      <h3>Money</h3>
      ${arrearsFacts(k.arrears)}
      ${statementSection(c, k.statement)}
      ${scheduleTable(k.schedule)}
    </section>`;
}

// Links to the case's procedure screens: its Segment 5 compliance
// opportunity (when the server has one; its state as the server gives it)
// and its arrears action, where the server's recommended next step is
// (AR10.3: it reads the case's whole ladder, so it is worked out there, not
// for every case of the casegroup here).
function procedures(c, opp) {
  return html`<ul class="procedures">
    ${opp.error ? (opp.error.code === GRPC.NOT_FOUND ? '' : html`<li>${refusedBox(opp.error, 'compliance opportunity')}</li>`)
    : html`<li><a href="${url('/case', c.id, 'compliance')}">Segment 5 compliance opportunity</a>:
      ${humanEnum(opp.value.state, 'COMPLIANCE_STATE_')} (eligibility ${humanEnum(opp.value.eligibility, 'PP_ELIGIBILITY_').toLowerCase()})</li>`}
    <li><a href="${url('/case', c.id, 'arrears')}">Arrears action, decisions and the recommended next step</a></li>
  </ul>`;
}

function arrearsFacts(got) {
  if (got.error) return refusedBox(got.error, 'arrears');
  const a = got.value;
  return html`<dl class="facts"><dt>Arrears</dt><dd>${money(a.balance_pence)}</dd>
    <dt>Missed items</dt><dd>${a.missed_items}</dd><dt>Part-paid items</dt><dd>${a.partial_items}</dd>
    <dt>As of</dt><dd>${formatDate(a.as_of)}</dd></dl>`;
}

function statementSection(c, got) {
  if (got.error) return refusedBox(got.error, 'statement');
  const s = got.value;
  const points = s.lines.filter((l) => l.date && l.date.year)
    .map((l) => ({ x: dateMs(l.date), y: Number(l.balance_pence) / 100 }));
  return html`
    ${stepChart({ id: `balance-${c.id}`, title: `Running balance of case ${c.id}`,
      desc: `From ${points.length ? formatDate(s.lines[0].date) : 'no entries'}; now ${money(s.balance_pence)} owed, of which arrears ${money(s.arrears_pence)}. The statement table below has every entry.`,
      points, format: (v) => money(Math.round(v * 100)) })}
    ${s.lines.length ? html`<table><caption>Statement (balance ${money(s.balance_pence)}; arrears ${money(s.arrears_pence)})</caption>
      <thead><tr><th scope="col">Date</th><th scope="col">Entry</th><th scope="col">Description</th>
        <th scope="col" class="num">Debit</th><th scope="col" class="num">Credit</th><th scope="col" class="num">Balance</th></tr></thead>
      <tbody>${s.lines.map((l) => html`<tr><td>${formatDate(l.date)}</td><td>${humanEnum(l.kind, 'STATEMENT_LINE_KIND_')}</td>
        <td>${l.description}</td><td class="num">${l.debit_pence !== '0' ? money(l.debit_pence) : ''}</td>
        <td class="num">${l.credit_pence !== '0' ? money(l.credit_pence) : ''}</td><td class="num">${money(l.balance_pence)}</td></tr>`)}</tbody>
    </table>` : html`<p>No statement entries yet.</p>`}`;
}

function scheduleTable(got) {
  if (got.error) return refusedBox(got.error, 'schedule');
  const s = got.value;
  return html`<table><caption>Schedule ${s.id} (${humanEnum(s.state, 'SCHEDULE_STATE_')}, ${humanEnum(s.frequency, 'FREQUENCY_')},
      weekly liability ${money(s.weekly_liability_pence)})</caption>
    <thead><tr><th scope="col" class="num">#</th><th scope="col">Due</th><th scope="col" class="num">Expected</th>
      <th scope="col" class="num">Paid</th><th scope="col">Status</th></tr></thead>
    <tbody>${s.items.map((i) => html`<tr><td class="num">${i.sequence}</td><td>${formatDate(i.due_date)}</td>
      <td class="num">${money(i.expected_pence)}</td><td class="num">${money(i.paid_pence)}</td>
      <td>${humanEnum(i.status, 'ITEM_STATUS_')}</td></tr>`)}</tbody></table>`;
}

async function showCasegroup(ctx) {
  const id = idParam(ctx.params[0]);
  const group = await ctx.cms.casegroups.getCasegroup({ id });
  const pp = settle(ctx.cms.casegroups.getPerson({ id: group.paying_parent_id }));
  const [routing, moves, srs, cases, names] = await Promise.all([
    settle(ctx.cms.casegroups.explainRouting({ casegroup_id: id })),
    settle(ctx.cms.casegroups.listCasegroupMoves({ casegroup_id: id, page_size: 100 })),
    settle(ctx.cms.serviceRequests.listServiceRequests({ casegroup_id: id, include_closed: true, page_size: 100 })),
    Promise.all(group.case_ids.map((c) => loadCase(ctx, c, pp))),
    ctx.cache.segmentNamesOf(ctx.cms),
  ]);
  const segment = (id) => names.get(id) || `segment ${id}`;
  ctx.send(`Casegroup ${group.id}`, html`
    <dl class="facts">
      <dt>Owning segment</dt><dd>${group.owning_segment_system_name} <span class="hint">(segment ${group.owning_segment_id})</span></dd>
      <dt>Country</dt><dd>${String(group.country).replace('COUNTRY_', '')}</dd>
      <dt>Allocated to</dt><dd>${group.allocated_to || html`<em>the segment queue</em>`}</dd>
      <dt>Placed by rule</dt><dd class="rule-id">${group.routing_rule}</dd>
      <dt>Created</dt><dd>${formatTime(group.create_time)}</dd>
    </dl>
    <section aria-labelledby="h-routing"><h2 id="h-routing">Routing explanation</h2>
      ${routing.error ? refusedBox(routing.error, 'routing explanation') : html`
        <p>${routing.value.explanation}</p>
        <dl class="facts"><dt>Rule</dt><dd class="rule-id">${routing.value.rule_id}</dd>
          <dt>Resolves to</dt><dd>${routing.value.target_segment_system_name}</dd>
          <dt>PP postcode</dt><dd>${routing.value.facts.pp_postcode}</dd>
          <dt>Lifecycle stage</dt><dd>${humanEnum(routing.value.facts.lifecycle_stage, 'LIFECYCLE_STAGE_')}</dd>
          <dt>Any party nationally sensitive</dt><dd>${routing.value.facts.any_party_nationally_sensitive ? 'Yes' : 'No'}</dd>
          <dt>PP address outside the UK</dt><dd>${routing.value.facts.pp_address_outside_uk ? 'Yes' : 'No'}</dd></dl>`}
    </section>
    <section aria-labelledby="h-moves"><h2 id="h-moves">Movement history</h2>
      ${moves.error ? refusedBox(moves.error, 'movement history') : html`<table><caption>Moves, oldest first</caption>
        <thead><tr><th scope="col">When</th><th scope="col">From segment</th><th scope="col">To segment</th>
          <th scope="col">Rule</th><th scope="col">Trigger</th><th scope="col">By</th></tr></thead>
        <tbody>${moves.value.moves.map((m) => html`<tr><td>${formatTime(m.move_time)}</td>
          <td>${m.from_segment_id === '0' ? 'first placement' : segment(m.from_segment_id)}</td><td>${segment(m.to_segment_id)}</td>
          <td class="rule-id">${m.rule_id}</td><td>${m.trigger}</td><td>${m.actor}</td></tr>`)}</tbody></table>`}
    </section>
    <section aria-labelledby="h-srs"><h2 id="h-srs">Service requests</h2>
      <p><a href="${url('/casegroup', group.id, 'new-sr')}">Raise a service request</a></p>
      ${srs.error ? refusedBox(srs.error, 'service requests') : srs.value.service_requests.length ? html`<table>
        <caption>Service requests of the casegroup</caption>
        <thead><tr><th scope="col">SR</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Allocated to</th></tr></thead>
        <tbody>${srs.value.service_requests.map((s) => html`<tr><td><a href="${url('/sr', s.id)}">SR ${s.id}</a></td>
          <td>${s.sub_area}</td><td>${statusName(s.status)}${s.sub_status ? html` — ${s.sub_status}` : ''}</td>
          <td>${s.allocated_to}</td></tr>`)}</tbody></table>` : html`<p>None.</p>`}
    </section>
    ${cases.map(caseSection)}`);
}

module.exports = { routes: () => [['GET', /^\/casegroup\/([^/]+)$/, showCasegroup, {}, 'casegroup']] };
