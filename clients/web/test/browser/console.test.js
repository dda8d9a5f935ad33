'use strict';
// The console in headless chromium against the real cms_server (issue 18):
// a caseworker works an SR to closed, a team leader approves, another
// segment is refused, two sessions collide on an etag; axe-core checks every
// page visited. Production mode is in production.test.js.
const assert = require('node:assert/strict');
const { describe, it, before, after } = require('node:test');
const h = require('./harness');

// The values the status form's select offers, less its blank "Choose".
async function moveValues(page) {
  return (await page.locator('#move option').evaluateAll((os) => os.map((o) => o.value))).filter(Boolean);
}

describe('console (dev mode) against cms_server', () => {
  let server;
  let web;
  let browser;
  const ids = {};

  before(async () => {
    server = await h.startCmsServer();
    web = await h.startConsole(server);
    browser = await h.launchBrowser();
  });

  after(async () => {
    if (browser) await browser.close();
    if (web) await web.stop();
    if (server) await server.stop();
  });

  it('a caseworker gets next and works an SR through its plan to closed', async () => {
    const cw = server.cms.asUser('cw.gb.new_case.a1');
    const app = await h.createApplication(cw, 'LS1 1UR', 'LS2 7EY');
    const seeded = await h.createSr(cw, app, 'ARREARS_REVIEW', { Reason: 'Arrears Routing Logic' });
    ids.closed = seeded.id;
    await h.withPage(browser, 'caseworker-to-closed', async (page) => {
      await h.signIn(page, web.url, 'cw.gb.new_case.a1');
      assert.match(page.url(), /\/work$/);
      await h.checkA11y(page, 'my work');
      await page.click('#get-next');
      await page.waitForURL(new RegExp(`/sr/${seeded.id}$`));
      assert.match(await page.textContent('.flash'), new RegExp(`SR ${seeded.id} is now yours`));
      await h.checkA11y(page, 'SR page (open)');
      // The moves offered are the server's (allowed_next_statuses): from
      // OPEN, in progress or cancelled, with the type's sub statuses.
      const moves = (await moveValues(page)).map((v) => v.split('|')[0]);
      assert.deepEqual([...new Set(moves)], ['SR_STATUS_IN_PROGRESS', 'SR_STATUS_CANCELLED']);
      assert.ok((await moveValues(page)).includes('SR_STATUS_IN_PROGRESS|Gather Additional Info'));

      await page.selectOption('#move', 'SR_STATUS_IN_PROGRESS|Gather Additional Info');
      await page.click('#status-form button[type=submit]');
      await page.waitForSelector('#sr-status:has-text("In progress")');
      await h.checkA11y(page, 'SR page (in progress, plan)');

      // A letter issued for the SR shows with its rendered text.
      await cw.letters.issueLetter({ request_id: h.rid(), template_code: 'CMSL6031', case_id: app.case.id,
        person_id: app.case.paying_parent_id, service_request_id: seeded.id });
      await page.reload();
      await page.click('details.letter summary');
      assert.match(await page.textContent('details.letter summary'), /CMSL6031/);
      assert.match(await page.textContent('details.letter pre'), new RegExp(`Case reference: ${app.case.id}`));

      // Mandatory activities done, the rest not required, one at a time.
      for (;;) {
        const open = page.locator('form.inline').first();
        if (await open.count() === 0) break;
        const row = page.locator('tr', { has: open });
        const mandatory = (await row.locator('td').nth(2).textContent()).trim() === 'Yes';
        await open.locator(mandatory ? 'button:text-is("Done")' : 'button:text-is("Not required")').click();
        await page.waitForSelector('.flash:has-text("Activity updated")');
      }
      await page.selectOption('#move', 'SR_STATUS_CLOSED|');
      await page.selectOption('#resolution_code', 'No Action Appropriate');
      await page.fill('#move_note', 'Worked through the console');
      await page.click('#status-form button[type=submit]');
      await page.waitForSelector('#sr-status:has-text("Closed")');
      assert.match(await page.textContent('#sr-status'), /Complete/);
      assert.match(await page.textContent('.notes'), /Worked through the console/);
      await h.checkA11y(page, 'SR page (closed)');

      // My work lists open work: the closed SR has left it.
      await page.goto(`${web.url}/work?status=SR_STATUS_IN_PROGRESS`);
      assert.doesNotMatch(await page.textContent('main'), new RegExp(`SR ${seeded.id}\\b`));
    });
    const after = await cw.serviceRequests.getServiceRequest({ id: seeded.id });
    assert.equal(after.status, 'SR_STATUS_CLOSED');
  });

  it('a team leader approves what the caseworker submitted', async () => {
    const cw = server.cms.asUser('cw.ni.new_case.a1');
    const app = await h.createApplication(cw, 'BT1 5GS', 'BT7 1NN');
    const seeded = await h.createSr(cw, app, 'AMEND_EXISTING_MOPF', { 'MOPF Action': 'Cancel DEO' });
    await h.withPage(browser, 'caseworker-submits', async (page) => {
      await h.signIn(page, web.url, 'cw.ni.new_case.a1');
      await page.click('#get-next');
      await page.waitForURL(new RegExp(`/sr/${seeded.id}$`));
      assert.equal(await page.locator('#submit-form').count(), 0, 'an OPEN SR is not submitted (A6.1)');
      await page.selectOption('#move', 'SR_STATUS_IN_PROGRESS|');
      await page.click('#status-form button[type=submit]');
      await page.waitForSelector('#sr-status:has-text("In progress")');
      // PENDING_APPROVAL is entered by submitting, never offered as a move.
      assert.ok(!(await moveValues(page)).some((v) => v.startsWith('SR_STATUS_PENDING_APPROVAL')));
      await page.fill('#step', 'DEO cancellation');
      await page.fill('#submit_comment', 'Seg 5 passed');
      await page.click('#submit-form button[type=submit]');
      await page.waitForSelector('.flash:has-text("Submitted for approval")');
      assert.match(await page.textContent('#sr-status'), /Pending approval/);
      // Pending a team leader's decision: no move and no second submission.
      assert.equal(await page.locator('#move').count(), 0);
      assert.equal(await page.locator('#submit-form').count(), 0);
      assert.match(await page.textContent('#no-moves'), /team leader's decision/);
      await h.checkA11y(page, 'SR page (pending approval)');
    });
    await h.withPage(browser, 'team-leader-approves', async (page) => {
      await h.signIn(page, web.url, 'tl.ni.new_case.a');
      await page.click('nav a:text-is("Team")');
      await page.waitForSelector('#inbox');
      await h.checkA11y(page, 'team page');
      const row = page.locator('#inbox tr', { has: page.locator(`a:text-is("SR ${seeded.id}")`) });
      await row.locator('textarea').fill('Outcome attached');
      await row.locator('button:text-is("Approve")').click();
      await page.waitForSelector('.flash:has-text("approved")');
      // The decision is in the team's history, newest first (A6.2).
      // submitted, SR, step, by, state, decided by, decision comment, decided
      const newest = (await page.locator('#decision-history tbody tr').first().locator('td').allTextContents())
        .map((c) => c.trim());
      assert.deepEqual(newest.slice(1, 7), [`SR ${seeded.id}`, 'DEO cancellation', 'cw.ni.new_case.a1', 'Approved',
        'tl.ni.new_case.a', 'Outcome attached']);
      assert.match(newest[7], /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
      // ...and reallocates it within the team (W4.3).
      const work = page.locator('table', { has: page.locator('caption:text-is("SRs allocated to the team")') });
      const item = work.locator('tr', { has: page.locator(`a:text-is("SR ${seeded.id}")`) });
      await item.locator('select').selectOption('cw.ni.new_case.a2');
      await item.locator('button:text-is("Allocate")').click();
      await page.waitForSelector(`.flash:has-text("SR ${seeded.id} allocated to cw.ni.new_case.a2")`);
      // Back on the team page, each member's load is the server's count (W4.4).
      const load = await server.cms.asUser('tl.ni.new_case.a').work.getTeamLoad({});
      const shown = new Map(await page.locator('#load-table tbody tr').evaluateAll((rows) => rows
        .map((r) => [r.cells[0].textContent.trim(), parseInt(r.cells[2].textContent, 10)])));
      assert.deepEqual([...shown.keys()], load.members.map((m) => m.staff_id));
      for (const m of load.members) assert.equal(shown.get(m.staff_id), Number(m.open), m.staff_id);
      assert.ok(shown.get('cw.ni.new_case.a2') >= 1, 'the SR just allocated counts');
      await page.goto(`${web.url}/sr/${seeded.id}`);
      assert.match(await page.textContent('#h-appr + table'), /Approved[\s\S]*tl\.ni\.new_case\.a[\s\S]*Outcome attached/);
      await page.goto(`${web.url}/segment`);
      await h.checkA11y(page, 'segment queue');
      // The whole queue's exact size, by the server's count (GetQueueStats).
      assert.match(await page.textContent('#queue-size'), /^\d+$/);
      assert.equal(await page.locator('#age-chart-table tbody tr').count(), 4, 'the server\'s four age bands');
      await page.click('a:text-is("The whole queue\'s size and age profile")');
      const queued = Number(await page.textContent('#queue-size'));
      assert.match(await page.textContent('#profile-type-table caption'), /SR type \(the whole queue\)/);
      // The type counts add up to the queue's size (both the server's).
      const byType = await page.locator('#profile-type-table tbody td.num').allTextContents();
      assert.equal(byType.reduce((sum, n) => sum + Number(n), 0), queued);
      await h.checkA11y(page, 'segment queue profile');
    });
    // The segment's manager reads the same team's history from the segment queue.
    const { team_id: teamId } = await server.cms.bom.getStaffMember({ staff_id: 'cw.ni.new_case.a1' });
    await h.withPage(browser, 'segment-manager-decisions', async (page) => {
      await h.signIn(page, web.url, 'sm.ni.new_case');
      await page.goto(`${web.url}/segment`);
      await page.click('a:text-is("Your teams\' decision histories")');
      await page.selectOption('#dh-team', teamId);
      await page.click('form.filters button:text-is("Show")');
      const row = page.locator('#decision-history tr', { has: page.locator(`a:text-is("SR ${seeded.id}")`) });
      assert.match(await row.textContent(), /Approved/);
      await h.checkA11y(page, 'segment decision histories');
    });
    const sr = await cw.serviceRequests.getServiceRequest({ id: seeded.id });
    assert.equal(sr.status, 'SR_STATUS_IN_PROGRESS');
    assert.equal(sr.allocated_to, 'cw.ni.new_case.a2');
  });

  it('a caseworker of another segment is refused and sees the rule', async () => {
    assert.ok(ids.closed, 'needs the first scenario');
    await h.withPage(browser, 'other-segment-refused', async (page) => {
      await h.signIn(page, web.url, 'cw.gb.maintenance.a1');
      const response = await page.goto(`${web.url}/sr/${ids.closed}`);
      assert.equal(response.status(), 403);
      assert.equal((await page.textContent('.rule-id')).trim(), 'X13.1');
      assert.match(await page.textContent('.server-message'), /not visible to you/);
      await h.checkA11y(page, 'refusal page');
    });
  });

  it('a stale etag between two sessions says so and offers a reload', async () => {
    const cw = server.cms.asUser('cw.gb.new_case.a2');
    const app = await h.createApplication(cw, 'M1 1AE', 'M2 3AW');
    await h.createSr(cw, app, 'ARREARS_REVIEW', { Reason: 'Arrears Routing Logic' });
    const mine = await cw.work.getNextWork({ request_id: h.rid() });
    const first = await browser.newContext({ bypassCSP: true });
    try {
      const a = await first.newPage();
      await h.signIn(a, web.url, 'cw.gb.new_case.a2');
      await a.goto(`${web.url}/sr/${mine.id}`);
      await h.withPage(browser, 'stale-etag', async (b) => {
        await h.signIn(b, web.url, 'cw.gb.new_case.a2');
        await b.goto(`${web.url}/sr/${mine.id}`);
        await a.selectOption('#move', 'SR_STATUS_IN_PROGRESS|');
        await a.click('#status-form button[type=submit]');
        await a.waitForSelector('#sr-status:has-text("In progress")');

        await b.selectOption('#move', 'SR_STATUS_CANCELLED|');
        const [response] = await Promise.all([b.waitForNavigation(), b.click('#status-form button[type=submit]')]);
        assert.equal(response.status(), 409);
        assert.match(await b.textContent('h1'), /changed by someone else/);
        assert.equal((await b.textContent('.rule-id')).trim(), 'X13.3');
        await h.checkA11y(b, 'stale etag page');
        await b.click('a.reload');
        await b.waitForSelector('#sr-status:has-text("In progress")');
      });
    } finally {
      await first.close();
    }
    const sr = await cw.serviceRequests.getServiceRequest({ id: mine.id });
    assert.equal(sr.status, 'SR_STATUS_IN_PROGRESS');
  });
  it('an SR page lists its children (SR5.5) and a child names its parent', async () => {
    const cw = server.cms.asUser('cw.gb.new_case.a1');
    const app = await h.createApplication(cw, 'LS6 1AA', 'LS7 2BB');
    const parent = await h.createSr(cw, app, 'CHANGE_OF_ADDRESS');
    const child = (await cw.serviceRequests.createServiceRequest({ request_id: h.rid(), type_code: 'CHANGE_INCOME',
      casegroup_id: app.casegroup.id, case_id: app.case.id, source: 'SR_SOURCE_CASEWORKER', parent_id: parent.id }))
      .service_request;
    await h.withPage(browser, 'sr-children', async (page) => {
      await h.signIn(page, web.url, 'cw.gb.new_case.a1');
      await page.goto(`${web.url}/sr/${parent.id}`);
      assert.match(await page.textContent('#sr-children'), new RegExp(`^SR ${child.id} \\(Open\\)$`));
      await h.checkA11y(page, 'SR page with a child');
      await page.click(`#sr-children a:text-is("SR ${child.id}")`);
      await page.waitForURL(new RegExp(`/sr/${child.id}$`));
      assert.match(await page.textContent('#sr-children'), /^none$/);
      await page.click(`a:text-is("SR ${parent.id}")`);
      await page.waitForURL(new RegExp(`/sr/${parent.id}$`));
    });
    // Out of the segment's queue again, so later scenarios' Get next take their own SRs.
    for (const id of [child.id, parent.id]) {
      const sr = await cw.serviceRequests.getServiceRequest({ id });
      await cw.serviceRequests.changeServiceRequestStatus({ request_id: h.rid(), id, etag: sr.etag,
        status: 'SR_STATUS_CANCELLED' });
    }
  });

  it('works from the keyboard alone: skip link, get next, a note', async () => {
    const cw = server.cms.asUser('cw.ni.new_case.b1');
    const app = await h.createApplication(cw, 'BT9 5AB', 'BT9 6AD');
    const seeded = await h.createSr(cw, app, 'ARREARS_REVIEW', { Reason: 'Arrears Routing Logic' });
    await h.withPage(browser, 'keyboard-only', async (page) => {
      await h.signIn(page, web.url, 'cw.ni.new_case.b1');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
      await h.tabTo(page, '#get-next');
      await Promise.all([page.waitForURL(new RegExp(`/sr/${seeded.id}$`)), page.keyboard.press('Enter')]);
      await h.tabTo(page, '#note-text');
      await page.keyboard.type('Phoned the paying parent');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Add note');
      await Promise.all([page.waitForSelector('.flash:has-text("Note added")'), page.keyboard.press('Enter')]);
      assert.match(await page.textContent('.notes'), /Phoned the paying parent/);
    });
  });

  it('a caseworker raises an SR from the casegroup page, with the type\'s own fields', async () => {
    const cw = server.cms.asUser('cw.ni.new_case.a1');
    const app = await h.createApplication(cw, 'BT5 7AA', 'BT6 8BB');
    await h.withPage(browser, 'raise-sr', async (page) => {
      await h.signIn(page, web.url, 'cw.ni.new_case.a1');
      await page.goto(`${web.url}/casegroup/${app.casegroup.id}`);
      await h.checkA11y(page, 'casegroup page (no money)');
      await page.click('a:text-is("Raise a service request")');
      await page.selectOption('#type', 'ARREARS_REVIEW');
      await page.click('button:text-is("Continue")');
      await page.waitForSelector('#raise-form');
      await h.checkA11y(page, 'raise SR form');
      // Without its mandatory field the server refuses, naming it (SR5.4).
      const [refused] = await Promise.all([page.waitForNavigation(), page.click('#raise-form button[type=submit]')]);
      assert.equal(refused.status(), 422);
      assert.equal((await page.textContent('.rule-id')).trim(), 'SR5.4');
      assert.match(await page.textContent('.field-violations'), /Reason/);
      await page.goBack();
      await page.fill('#raise-form input[name=field_value]', 'Arrears Routing Logic');
      await page.click('#raise-form button[type=submit]');
      await page.waitForSelector('.flash:has-text("raised")');
      const first = page.url();
      assert.match(await page.textContent('#sr-status'), /Open/);
      // A second of a one-open-per-case type is the open one (SR5.10).
      await page.goto(`${web.url}/casegroup/${app.casegroup.id}/new-sr?type=ARREARS_REVIEW`);
      await page.fill('#raise-form input[name=field_value]', 'Again');
      await page.click('#raise-form button[type=submit]');
      await page.waitForSelector('.flash:has-text("already exists")');
      assert.equal(page.url(), first);
    });
  });

  it('the FOI team answers a request from its queue', async () => {
    const logged = await server.cms.asUser('cw.gb.new_case.a1').foi.createFoiRequest({
      request_id: h.rid(), country: 'COUNTRY_GB', requester_full_name: 'Alex Example',
      email_address: 'alex@example.org', channel: 'FOI_CHANNEL_EMAIL',
      received_date: h.serverDate(await server.cms.admin.getClock({}), 0),
      request_text: 'How many cases were opened last year?', personal_data: 'FOI_PERSONAL_DATA_NONE' });
    await h.withPage(browser, 'foi-queue', async (page) => {
      await h.signIn(page, web.url, 'cw.gb.foi.a1');
      await page.click('nav a:text-is("FOI requests")');
      const row = page.locator(`#foi-${logged.id}`);
      assert.match(await row.textContent(), /How many cases were opened last year\?/);
      await h.checkA11y(page, 'FOI queue');
      await row.locator('textarea').fill('Published figures enclosed.');
      await row.locator('button:text-is("Record and close")').click();
      await page.waitForSelector(`.flash:has-text("FOI ${logged.id}: response recorded")`);
    });
    const after = await server.cms.asUser('cw.gb.foi.a1').foi.getFoiRequest({ id: logged.id });
    assert.equal(after.state, 'FOI_STATE_CLOSED');
    assert.equal(after.response_text, 'Published figures enclosed.');
  });

  it('a specialist works a functionally unique SR on a casegroup it may only read (SR5.7)', async () => {
    const cw = server.cms.asUser('cw.ni.new_case.a1');
    const app = await h.createApplication(cw, 'BT1 5GS', 'CF10 1AA');
    const sr = (await cw.serviceRequests.createServiceRequest({ request_id: h.rid(), type_code: 'DISCLOSURE',
      casegroup_id: app.casegroup.id, case_id: app.case.id, subject_person_id: app.case.receiving_parent_id,
      source: 'SR_SOURCE_CASEWORKER', fields: { 'Disclosure Reason': 'Arrears' } })).service_request;
    await h.withPage(browser, 'specialist', async (page) => {
      await h.signIn(page, web.url, 'cw.gb.deduction_order_team.a1');
      await page.click('#get-next');
      await page.waitForURL(new RegExp(`/sr/${sr.id}$`));
      assert.match(await page.textContent('main'), /FS_GB_DOT_/);
      await h.checkA11y(page, 'SR page (specialist)');
      await page.click(`a:text-is("Casegroup ${app.casegroup.id}")`);
      assert.match(await page.textContent('h1'), new RegExp(`Casegroup ${app.casegroup.id}`));
      await h.checkA11y(page, 'casegroup page (specialist, read only)');
    });
  });

  // Last: it moves the shared test clock forward.
  it('service management sees a casegroup\'s money as tables and a chart, the service views and the audit trail', async () => {
    const cw = server.cms.asUser('cw.gb.new_case.b1');
    const app = await h.createApplication(cw, 'B1 1BB', 'B2 4QA');
    await h.createSr(cw, app, 'AMEND_EXISTING_MOPF', { 'MOPF Action': 'Set up' });
    let sr = await cw.work.getNextWork({ request_id: h.rid() });
    sr = await cw.serviceRequests.changeServiceRequestStatus({ request_id: h.rid(), id: sr.id, etag: sr.etag,
      status: 'SR_STATUS_IN_PROGRESS' });
    const today = h.serverDate(await server.cms.admin.getClock({}), 0);
    await cw.payments.setMopf({ request_id: h.rid(), casegroup_id: app.casegroup.id, service_request_id: sr.id,
      start_date: today, methods: [{ method: 'PAYMENT_METHOD_DD', share_percent: 100 }] });
    await cw.payments.generateSchedule({ request_id: h.rid(), case_id: app.case.id, weekly_liability_pence: 5000,
      frequency: 'FREQUENCY_WEEKLY', first_collection_date: h.serverDate(await server.cms.admin.getClock({}), 7) });
    await server.cms.admin.advanceClock({ by: { seconds: 22 * 86400 } });
    const owner = await h.ownerOf(server.cms, app.casegroup.id);
    await server.cms.asUser(owner).payments.recordPayment({ request_id: h.rid(), case_id: app.case.id,
      amount_pence: 7500, received_date: h.serverDate(await server.cms.admin.getClock({}), 0), method: 'PAYMENT_METHOD_DD' });

    await h.withPage(browser, 'service-views', async (page) => {
      await h.signIn(page, web.url, 'svc.manager');
      assert.match(page.url(), /\/service$/);
      await page.click('button:text-is("Check for orphaned work")');
      assert.match(await page.textContent('#orphan-count'), /^0 orphaned/);
      // Every live segment's queue, counted by the server (GetQueueStats).
      const counted = await server.cms.work.getQueueStats({});
      const queues = page.locator('#queue-stats');
      assert.match(await queues.locator('caption').textContent(), /Segment queues/);
      assert.equal(await queues.locator('tbody tr').count(), counted.segments.length, 'a row per segment');
      assert.equal(await page.locator('svg#queues-chart rect').count(), counted.segments.length);
      const busiest = counted.segments.reduce((a, b) => (Number(b.queued) > Number(a.queued) ? b : a));
      const cells = await queues.locator(`#queue-${busiest.segment_id} > *`).allTextContents();
      assert.deepEqual(cells.slice(0, 3).map((c) => c.trim()), [busiest.system_name, busiest.queued, busiest.queued_priority]);
      await h.checkA11y(page, 'service page');
      await page.goto(`${web.url}/casegroup/${app.casegroup.id}`);
      assert.equal(await page.locator(`svg#balance-${app.case.id} path`).count(), 1);
      const statement = page.locator('table', { has: page.locator('caption:has-text("Statement")') });
      assert.ok(await statement.locator('tbody tr').count() >= 3, 'items due and a payment');
      assert.match(await statement.textContent(), /£75\.00/);
      assert.match(await page.textContent('#h-routing + p'), /R3\.2/);
      assert.equal(await page.locator('details.recommendation').count(), 0, 'worked out on the arrears page');
      await h.checkA11y(page, 'casegroup page');
      await page.click(`a[href="/case/${app.case.id}/arrears"]`);
      assert.match(await page.textContent('details.recommendation'), /AR10\./);
      await page.goto(`${web.url}/audit`);
      await page.fill('#a-type', 'service_request');
      await page.fill('#a-id', String(sr.id));
      await page.click('button:text-is("Show")');
      assert.match(await page.textContent('main table'), /ChangeServiceRequestStatus/);
      await h.checkA11y(page, 'audit page');
    });
  });
});
