'use strict';
// Raising an SR on a casegroup (SR5.1, SR5.4, SR5.10): first the type, from
// the catalog; then that type's declared fields (names, mandatory marks and
// help from the catalog), the case, the person a functionally unique type
// is raised against, and the rest. Two steps, so no browser script is needed
// to show a type's own fields. The source is the caseworker (SR5.8).
const { html, url } = require('../html');
const { commandFields, formRequestId } = require('./sr');
const { idParam } = require('./ids');
const { humanEnum } = require('../format');

function declared(type) {
  if (type.fields && type.fields.length) return type.fields;
  return (type.mandatory_fields || []).map((name) => ({ name, mandatory: true, description: '' }));
}

async function showRaise(ctx) {
  const id = idParam(ctx.params[0]);
  const [group, catalog] = await Promise.all([ctx.cms.casegroups.getCasegroup({ id }), ctx.cache.catalogOf(ctx.cms)]);
  const type = catalog.byCode.get(String(ctx.url.searchParams.get('type') || ''));
  const pick = html`
    <form method="get" action="${url('/casegroup', id, 'new-sr')}">
      <label for="type">Service request type</label>
      <select id="type" name="type" required>${catalog.types.map((t) => html`
        <option value="${t.code}"${type && type.code === t.code ? html` selected` : ''}>${t.process} / ${t.area} / ${t.sub_area}</option>`)}</select>
      <button type="submit" class="secondary">${type ? 'Change type' : 'Continue'}</button>
    </form>`;
  if (!type) {
    ctx.send(`Raise a service request on casegroup ${id}`, pick);
    return;
  }
  const cases = await Promise.all(group.case_ids.map((c) => ctx.cms.casegroups.getCase({ id: c })));
  const fu = type.kind === 'SR_KIND_FUNCTIONALLY_UNIQUE';
  ctx.send(`Raise a service request on casegroup ${id}`, html`
    ${pick}
    <h2>${type.sub_area}</h2>
    ${type.description ? html`<p>${type.description}</p>` : ''}
    <p class="hint">${humanEnum(type.kind, 'SR_KIND_')}${type.one_open_per_case ? '; one open per case' : ''}${type.priority ? '; priority' : ''}.</p>
    <form method="post" action="${url('/casegroup', id, 'sr')}" id="raise-form">${commandFields(ctx, null)}
      <input type="hidden" name="type_code" value="${type.code}">
      <label for="case_id">Case</label>
      <select id="case_id" name="case_id">${cases.map((c) => html`<option value="${c.id}">Case ${c.id}</option>`)}
        <option value="0">None (the casegroup)</option></select>
      ${fu ? html`<label for="subject">Raised against</label>
        <select id="subject" name="subject_person_id">${cases.map((c) => html`
          <option value="${c.paying_parent_id}">Paying parent of case ${c.id}</option>
          <option value="${c.receiving_parent_id}">Receiving parent of case ${c.id}</option>`)}</select>` : ''}
      ${declared(type).map((f, i) => html`
        <label for="nf-${i}">${f.name}${f.mandatory ? ' (required)' : ''}</label>
        ${f.description ? html`<p class="hint" id="nf-${i}-hint">${f.description}</p>` : ''}
        <input type="hidden" name="field_name" value="${f.name}">
        <input type="text" id="nf-${i}" name="field_value" size="60" maxlength="2000"${
          f.description ? html` aria-describedby="nf-${i}-hint"` : ''}>`)}
      <label for="description">Description (optional)</label>
      <textarea id="description" name="description" rows="2" cols="60" maxlength="4000"></textarea>
      <label for="parent_id">Parent SR number (optional)</label>
      <input type="text" id="parent_id" name="parent_id" inputmode="numeric" size="12">
      <div><input type="checkbox" id="priority" name="priority" value="1">
        <label for="priority" class="check">Priority</label></div>
      <div><button type="submit">Raise service request</button></div>
    </form>`);
}

async function raise(ctx) {
  const id = idParam(ctx.params[0]);
  ctx.back = `/casegroup/${id}/new-sr`;
  ctx.backText = 'the form';
  const f = ctx.form;
  const names = f.getAll('field_name').map(String);
  const values = f.getAll('field_value').map(String);
  const fields = {};
  names.forEach((n, i) => {
    if ((values[i] || '').trim() !== '') fields[n] = values[i];
  });
  const num = (v) => (/^\d{1,19}$/.test(String(v || '').trim()) ? String(v).trim() : '0');
  const r = await ctx.cms.serviceRequests.createServiceRequest({
    request_id: formRequestId(f), type_code: String(f.get('type_code') || ''), casegroup_id: id,
    case_id: num(f.get('case_id')), subject_person_id: num(f.get('subject_person_id')),
    source: 'SR_SOURCE_CASEWORKER', parent_id: num(f.get('parent_id')), fields,
    description: String(f.get('description') || ''), priority: f.get('priority') === '1',
  });
  const sr = r.service_request;
  ctx.redirect(`/sr/${sr.id}`, { kind: 'ok', text: r.existing
    ? `An open SR of this type already exists for the case (SR5.10): this is SR ${sr.id}.`
    : `SR ${sr.id} raised; ${sr.allocated_to ? `allocated to ${sr.allocated_to}` : 'it waits in its segment\'s queue'}.` });
}

module.exports = {
  routes: () => [
    ['GET', /^\/casegroup\/([^/]+)\/new-sr$/, showRaise, {}, 'sr_new'],
    ['POST', /^\/casegroup\/([^/]+)\/sr$/, raise, {}, 'sr_create'],
  ],
};
