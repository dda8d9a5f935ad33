'use strict';
// Form pieces shared by the procedure screens (Segment 5, arrears, Q&A, MP,
// guidance, FOI): labelled controls whose options are the proto's enum
// values as the server names them, and the post/redirect/get command that
// sends what the person decided and shows the server's refusal as it is.
const { html, url } = require('../html');
const { humanEnum, parseDate } = require('../format');
const { formRequestId } = require('./sr');
const { idParam } = require('./ids');

// <label> + <select> of enum values (shown without their prefix).
function enumSelect(id, name, label, values, prefix, { required = true, blank = 'Choose', selected = '' } = {}) {
  return html`<label for="${id}">${label}</label>
    <select id="${id}" name="${name}"${required ? html` required` : ''}><option value="">${blank}</option>${values.map((v) => html`
      <option value="${v}"${v === selected ? html` selected` : ''}>${humanEnum(v, prefix)}</option>`)}</select>`;
}

function textArea(id, name, label, { required = false, rows = 3, max = 4000, hint = '' } = {}) {
  return html`<label for="${id}">${label}</label>${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}
    <textarea id="${id}" name="${name}" rows="${rows}" cols="60" maxlength="${max}"${required ? html` required` : ''}${
  hint ? html` aria-describedby="${id}-hint"` : ''}></textarea>`;
}

function textInput(id, name, label, { required = false, type = 'text', value = '', size = 40, hint = '' } = {}) {
  return html`<label for="${id}">${label}</label>${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}
    <input type="${type}" id="${id}" name="${name}" value="${value}"${type === 'text' ? html` size="${size}"` : ''}${
  required ? html` required` : ''}${hint ? html` aria-describedby="${id}-hint"` : ''}>`;
}

function checkBox(id, name, label) {
  return html`<div><input type="checkbox" id="${id}" name="${name}" value="1"> <label for="${id}" class="check">${label}</label></div>`;
}

// Form readers: what the person typed, as the proto wants it. Nothing is
// judged here; the server refuses what is wrong.
const text = (f, name) => String(f.get(name) || '');
const dateOf = (f, name) => parseDate(f.get(name)) || undefined;
const idOf = (f, name) => (/^[1-9]\d{0,18}$/.test(text(f, name).trim()) ? text(f, name).trim() : '0');
const penceOf = (f, name) => {
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text(f, name).trim().replace(/^£/, ''));
  return m ? String(BigInt(m[1]) * 100n + BigInt((m[2] || '0').padEnd(2, '0'))) : '0';
};

// A command: (ctx, id, form, {request_id, etag}) -> flash text; where(ctx,
// id) names the page to go back to. The server's refusal is the error page.
function command(where, call) {
  return async (ctx) => {
    const id = idParam(ctx.params[0]);
    const back = where(ctx, id);
    ctx.back = back.href;
    ctx.backText = back.text;
    const f = ctx.form;
    const flash = await call(ctx, id, f, { request_id: formRequestId(f), etag: text(f, 'etag') });
    ctx.redirect(back.href, { kind: 'ok', text: flash });
  };
}

// Read-side pieces the procedure pages share: whether a proto value is set
// (not empty, 0 or *_UNSPECIFIED), a link to an SR when one is named, and a
// definition list of the facts that have a value.
const set = (v) => v && v !== '0' && !String(v).endsWith('_UNSPECIFIED');
const srLink = (id) => (set(id) ? html`<a href="${url('/sr', id)}">SR ${id}</a>` : '');
const yesNo = (b) => (b ? 'Yes' : 'No');
function facts(rows) {
  const shown = rows.filter(([, v]) => v !== '' && v !== null && v !== undefined && !(v && v.value === ''));
  return shown.length ? html`<dl class="facts">${shown.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>` : '';
}

module.exports = { enumSelect, textArea, textInput, checkBox, text, dateOf, idOf, penceOf, command, set, srLink, yesNo,
  facts };
