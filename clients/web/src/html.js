'use strict';
// The one way pages build HTML. `html` is a tagged template: every value
// interpolated into it is escaped unless it is itself the result of `html`
// (SafeHtml), so nothing reaches the browser unescaped by accident. Arrays
// are joined; null, undefined and false render as nothing. Templates quote
// every attribute, so escaping the five HTML metacharacters (plus ` and =,
// for old parsers) is enough in both text and attribute values.

class SafeHtml {
  constructor(value) {
    this.value = value;
  }

  toString() {
    return this.value;
  }
}

const ESCAPES = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
  '=': '&#61;',
};

function escapeHtml(value) {
  return String(value).replace(/[&<>"'`=]/g, (c) => ESCAPES[c]);
}

function render(value) {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value);
}

function html(strings, ...values) {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

// A path with each dynamic segment and query value percent-encoded, for
// href and action attributes (html escapes the result again as usual).
// url('/sr', 12) -> "/sr/12"; url('/work', {status: 'OPEN'}) -> "/work?status=OPEN".
function url(base, ...parts) {
  let query = null;
  if (parts.length && parts[parts.length - 1] !== null && typeof parts[parts.length - 1] === 'object') {
    query = parts.pop();
  }
  let out = base + parts.map((p) => '/' + encodeURIComponent(String(p))).join('');
  if (query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue;
      for (const one of Array.isArray(v) ? v : [v]) qs.append(k, String(one));
    }
    const text = qs.toString();
    if (text) out += '?' + text;
  }
  return out;
}

module.exports = { html, escapeHtml, SafeHtml, url, render };
