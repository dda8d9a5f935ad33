'use strict';
// Dev-mode sign-in: pick a member of staff from the server's BOM. Production
// mode has no sign-in page: the authenticating proxy names the person.
const { html } = require('../html');
const { csrfField } = require('../layout');
const { roleName } = require('../format');
const { STAFF_ID } = require('../app');

async function listAllStaff(cms) {
  const staff = [];
  let token = '';
  do {
    const r = await cms.bom.listStaff({ page_size: 1000, page_token: token });
    staff.push(...r.staff);
    token = r.next_page_token;
  } while (token);
  return staff;
}

function routes({ cms, config }) {
  async function showSignIn(ctx) {
    if (config.mode !== 'dev') ctx.redirect('/');
    const lister = cms.asUser(config.devUser);
    const staff = (await listAllStaff(lister)).filter((s) => s.active);
    const byRole = new Map();
    for (const s of staff) {
      if (!byRole.has(s.role)) byRole.set(s.role, []);
      byRole.get(s.role).push(s);
    }
    ctx.send('Sign in (development)', html`
      <p>Development mode: choose the member of staff of the demo BOM to act as. In production the
        organisation's sign-in decides this and this page does not exist.</p>
      <form method="post" action="/signin">${csrfField(ctx)}
        <label for="staff_id">Member of staff</label>
        <select id="staff_id" name="staff_id" required>
          ${[...byRole.entries()].map(([role, list]) => html`<optgroup label="${roleName(role)}">${list.map((s) => html`
            <option value="${s.staff_id}">${s.staff_id} — ${s.name}</option>`)}</optgroup>`)}
        </select>
        <button type="submit">Sign in</button>
      </form>`);
  }

  async function signIn(ctx) {
    if (config.mode !== 'dev') ctx.redirect('/');
    const staffId = String(ctx.form.get('staff_id') || '');
    if (!STAFF_ID.test(staffId)) ctx.redirect('/signin');
    // Check the person exists and is active before the session names them.
    const me = await cms.asUser(staffId).bom.getStaffMember({ staff_id: staffId });
    ctx.sessions.destroy(ctx.res, ctx.session);
    const s = ctx.sessions.create(ctx.res, staffId);
    s.staff = me;
    s.staffAt = Date.now();
    ctx.res.writeHead(303, { Location: '/' });
    ctx.res.end();
  }

  async function signOut(ctx) {
    ctx.sessions.destroy(ctx.res, ctx.session);
    ctx.res.writeHead(303, { Location: '/signin' });
    ctx.res.end();
  }

  // Home: each role's first page.
  async function home(ctx) {
    const role = ctx.staff.role;
    if (role === 'ROLE_CASEWORKER' || role === 'ROLE_TEAM_LEADER') ctx.redirect('/work');
    if (role === 'ROLE_SEGMENT_MANAGER') ctx.redirect('/segment');
    ctx.redirect('/service');
  }

  return [
    ['GET', /^\/signin$/, showSignIn, { public: true }, 'signin'],
    ['POST', /^\/signin$/, signIn, { public: true }, 'signin'],
    ['POST', /^\/signout$/, signOut, {}, 'signout'],
    ['GET', /^\/$/, home, {}, 'home'],
  ];
}

module.exports = { routes, listAllStaff };
