'use strict';
// The page shell: one stylesheet, no script, a skip link, the main navigation
// for the signed-in role and a sign-out form. Every page is a full HTML
// document built with `html`, so it works without JavaScript and with a
// keyboard alone.
const { html, url } = require('./html');
const { roleName } = require('./format');

// Navigation is convenience only: the server still decides what each call may do.
function navItems(ctx) {
  const staff = ctx.staff;
  const role = staff ? staff.role : '';
  const items = [];
  if (role === 'ROLE_CASEWORKER' || role === 'ROLE_TEAM_LEADER') items.push(['/work', 'My work']);
  if (role === 'ROLE_TEAM_LEADER') items.push(['/team', 'Team']);
  if (role === 'ROLE_TEAM_LEADER' || role === 'ROLE_SEGMENT_MANAGER') items.push(['/segment', 'Segment queue']);
  if (role === 'ROLE_SERVICE_MANAGEMENT' || role === 'ROLE_AUDITOR' || role === 'ROLE_SEGMENT_MANAGER') {
    items.push(['/service', 'Service']);
  }
  const segment = ctx.segment ? ctx.segment.service_segment : '';
  if (segment === 'SERVICE_SEGMENT_FOI' || role === 'ROLE_SERVICE_MANAGEMENT' || role === 'ROLE_AUDITOR') {
    items.push(['/foi', 'FOI requests']);
  }
  const oversight = role === 'ROLE_SERVICE_MANAGEMENT' || role === 'ROLE_AUDITOR';
  // The procedure screens: casework segments work Segment 5; each
  // specialist team its own queue; service management and auditors read all.
  const specialist = ['SERVICE_SEGMENT_FOI', 'SERVICE_SEGMENT_QUALITY_AND_ASSURANCE', 'SERVICE_SEGMENT_GOVERNMENT_RELATIONS',
    'SERVICE_SEGMENT_ADVICE_AND_GUIDANCE'].includes(segment);
  if (oversight || (!specialist && ['ROLE_CASEWORKER', 'ROLE_TEAM_LEADER', 'ROLE_SEGMENT_MANAGER'].includes(role))) {
    items.push(['/compliance', 'Segment 5']);
  }
  if (segment === 'SERVICE_SEGMENT_GOVERNMENT_RELATIONS' || oversight) items.push(['/mp', 'MP enquiries']);
  if (segment === 'SERVICE_SEGMENT_ADVICE_AND_GUIDANCE' || segment === 'SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS' || oversight) {
    items.push(['/guidance', 'A&G requests']);
  }
  if (segment === 'SERVICE_SEGMENT_QUALITY_AND_ASSURANCE' || oversight) items.push(['/qa', 'Q&A samples']);
  if (role === 'ROLE_TEAM_LEADER') items.push(['/qa/coaching', 'Coaching']);
  if (role === 'ROLE_CASEWORKER' || role === 'ROLE_TEAM_LEADER' || oversight) items.push(['/qa/actions', 'Q&A feedback']);
  items.push(['/find', 'Find']);
  if (role === 'ROLE_SERVICE_MANAGEMENT' || role === 'ROLE_AUDITOR') items.push(['/audit', 'Audit trail']);
  return items;
}

function csrfField(ctx) {
  return html`<input type="hidden" name="csrf" value="${ctx.session ? ctx.session.csrf : ''}">`;
}

function flashBox(flash) {
  if (!flash) return '';
  return html`<div class="flash flash-${flash.kind}" role="status"><p>${flash.text}</p></div>`;
}

function layout(ctx, title, body, { current = '' } = {}) {
  const staff = ctx.staff;
  const signOut = ctx.config && ctx.config.mode === 'dev' && staff ? html`
      <form method="post" action="/signout" class="signout">${csrfField(ctx)}
        <button type="submit">Sign out</button></form>` : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — CMS console</title>
<link rel="stylesheet" href="/static/console.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <p class="brand"><a href="/">CMS console</a></p>
  ${staff ? html`<nav aria-label="Main"><ul>${navItems(ctx).map(([href, text]) => html`
    <li><a href="${href}"${href === current ? html` aria-current="page"` : ''}>${text}</a></li>`)}</ul></nav>
  <p class="who">Signed in as <strong>${staff.name || staff.staff_id}</strong>
    (<span class="staff-id">${staff.staff_id}</span>, ${roleName(staff.role)})</p>${signOut}` : ''}
</header>
<main id="main" tabindex="-1">
<h1>${title}</h1>
${flashBox(ctx.flash)}
${body}
</main>
</body>
</html>
`;
}

module.exports = { layout, csrfField, navItems, url };
