'use strict';
// The procedure screens of issue 18 in headless chromium against the real
// cms_server: a Segment 5 offer decided from the console (first refused
// with the server's rule, then recorded); a Q&A round (sample drawn, a
// check recorded with a failed criterion, feedback and a corrective action)
// seen in the team leader's coaching view; an MP enquiry logged by the
// hotline and answered from the government relations queue. axe-core runs
// on every page visited.
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { describe, it, before, after } = require('node:test');
const h = require('./harness');

describe('procedure screens against cms_server', () => {
  let server;
  let web;
  let browser;

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

  it('a caseworker records the PP\'s decision on a Segment 5 offer', async () => {
    // S5.1: an enforced legacy DEO and an employed PP who names it: the
    // server raises the offer (as tests/e2e/test_compliance.py sets it up).
    const reference = 'CSCS' + crypto.randomBytes(5).toString('hex').toUpperCase();
    await server.cms.admin.setLegacyCsaCase({ record: { system: 'LEGACY_SYSTEM_CSCS', legacy_case_reference: reference,
      method_of_collection: 'DEO', deo_kind: 'LEGACY_DEO_KIND_ENFORCED', t_date: { year: 2099, month: 1, day: 1 } } });
    const cw = server.cms.asUser('cw.gb.new_case.a1');
    const app = await h.createApplication(cw, 'LS1 1UR', 'LS2 7EY', {
      legacy: { system: 'LEGACY_SYSTEM_CSCS', legacy_case_reference: reference },
      pp: { employment_status: 'EMPLOYMENT_STATUS_EMPLOYED', employers: [{ name: 'Leeds Looms Ltd' }] } });
    const before = await cw.compliance.getComplianceOpportunity({ case_id: app.case.id });
    assert.equal(before.state, 'COMPLIANCE_STATE_OFFERED');

    await h.withPage(browser, 'segment5-offer', async (page) => {
      await h.signIn(page, web.url, 'cw.gb.new_case.a1');
      await page.goto(`${web.url}/casegroup/${app.casegroup.id}`);
      await h.checkA11y(page, 'casegroup with a compliance opportunity');
      await page.click(`a[href="/case/${app.case.id}/compliance"]`);
      assert.match(await page.textContent('#co-state'), /Offered/);
      assert.match(await page.textContent('#co-eligibility'), /Yes/);
      assert.match(await page.textContent('#co-checks'), /Legacy enforcement/);
      await h.checkA11y(page, 'compliance opportunity (offered)');

      // Declined without the reason the procedure asks for: the server's refusal.
      await page.selectOption('#co-offer-decision', 'OFFER_DECISION_DECLINED');
      await page.click('#co-offer-form button[type=submit]');
      await page.waitForSelector('.error-box .rule-id');
      await h.checkA11y(page, 'compliance refusal');
      await page.click('a.reload');

      await page.selectOption('#co-offer-decision', 'OFFER_DECISION_ACCEPTED');
      await page.click('#co-offer-form button[type=submit]');
      await page.waitForSelector('.flash:has-text("Decision on the offer recorded")');
      assert.match(await page.textContent('#co-state'), /Accepted/);
      assert.match(await page.textContent('#co-decision'), /Accepted/);
      assert.match(await page.textContent('#co-events'), /Offer decided/);
      await h.checkA11y(page, 'compliance opportunity (accepted)');

      await page.click('nav a:text-is("Segment 5")');
      await page.selectOption('#co-filter-state', 'COMPLIANCE_STATE_ACCEPTED');
      await page.click('form.filters button');
      assert.match(await page.textContent('#co-list'), new RegExp(`Case ${app.case.id}\\b`));
      await h.checkA11y(page, 'compliance list');
    });
    const after = await cw.compliance.getComplianceOpportunity({ case_id: app.case.id });
    assert.equal(after.decision, 'OFFER_DECISION_ACCEPTED');
    assert.equal(after.decided_by, 'cw.gb.new_case.a1');
  });

  it('a caseworker records a contact with the PP on the case\'s arrears action', async () => {
    const cw = server.cms.asUser('cw.gb.new_case.a1');
    const app = await h.createApplication(cw, 'LS1 3AB', 'LS2 3CD');
    const review = await h.createSr(cw, app, 'ARREARS_REVIEW', { Reason: 'Arrears Routing Logic' });
    await h.withPage(browser, 'arrears-contact', async (page) => {
      await h.signIn(page, web.url, 'cw.gb.new_case.a1');
      await page.goto(`${web.url}/casegroup/${app.casegroup.id}`);
      await page.click(`a[href="/case/${app.case.id}/arrears"]`);
      await page.waitForSelector('#h-ar-rec');
      assert.match(await page.textContent('main'), new RegExp(`SR ${review.id}\\b`));
      await h.checkA11y(page, 'arrears page');
      // A claimed direct payment without its amount: the server's refusal.
      await page.selectOption('#ar-contact-outcome', 'ARREARS_CONTACT_OUTCOME_CLAIMS_DIRECT_PAYMENT');
      await page.fill('#ar-contact-note', 'Says they paid the RP directly');
      await page.click('#ar-contact-form button[type=submit]');
      await page.waitForSelector('.error-box .rule-id');
      await page.click('a.reload');
      await page.selectOption('#ar-contact-outcome', 'ARREARS_CONTACT_OUTCOME_AGREES_TO_PAY');
      await page.fill('#ar-contact-note', 'Will pay the missed amount on Friday');
      await page.click('#ar-contact-form button[type=submit]');
      await page.waitForSelector('.flash:has-text("recorded")');
      assert.match(await page.textContent('#ar-contacts'), /Will pay the missed amount on Friday/);
      assert.match(await page.textContent('#ar-events'), /Contact recorded/);
      await h.checkA11y(page, 'arrears page after a contact');
    });
    const action = await cw.arrears.getArrearsAction({ case_id: app.case.id });
    assert.equal(action.contacts.at(-1).outcome, 'ARREARS_CONTACT_OUTCOME_AGREES_TO_PAY');
  });

  it('Q&A records a check and the team leader sees it in the coaching view', async () => {
    const cw = server.cms.asUser('cw.gb.new_case.a1');
    const app = await h.createApplication(cw, 'LS1 4AP', 'LS2 9JT');
    const income = await h.createSr(cw, app, 'CHANGE_INCOME');
    const tl = server.cms.asUser('tl.gb.new_case.a');
    const me = await server.cms.bom.getStaffMember({ staff_id: 'cw.gb.new_case.a1' });
    const nowMs = Number((await server.cms.admin.getClock({})).now.seconds) * 1000;
    const period = { start_time: { seconds: String(Math.floor(nowMs / 1000) - 30 * 86400) },
      end_time: { seconds: String(Math.floor(nowMs / 1000) + 86400) } };
    const failuresBefore = async () => {
      const c = await tl.assurance.getCoachingNeeds({ team_id: me.team_id, period });
      const row = c.caseworkers.find((w) => w.staff_id === 'cw.gb.new_case.a1');
      return row ? row.failed_checks : 0;
    };
    const failedBefore = await failuresBefore();

    let checkId;
    await h.withPage(browser, 'qa-check', async (page) => {
      await h.signIn(page, web.url, 'cw.gb.quality_and_assurance.a1');
      await page.click('nav a:text-is("Q&A samples")');
      await h.checkA11y(page, 'Q&A samples');
      await page.fill('#qa-seed', `web-${crypto.randomBytes(4).toString('hex')}`);
      await page.uncheck('#qa-kind-1');
      await page.uncheck('#qa-kind-2');
      await page.fill('#qa-case', app.case.id);
      await page.fill('#qa-rate', '1000000');
      await page.click('#qa-draw-form button[type=submit]');
      await page.waitForSelector('#qa-items');
      await h.checkA11y(page, 'Q&A sample');
      const row = page.locator('#qa-items tr', { hasText: `SR ${income.id}` });
      await row.locator('a:has-text("Check item")').click();
      await page.waitForSelector('#qa-check-form');
      await h.checkA11y(page, 'Q&A item');
      await page.selectOption('#qa-c0-result', 'ASSURANCE_RESULT_PASS');
      await page.selectOption('#qa-c1-result', 'ASSURANCE_RESULT_FAIL');
      await page.fill('#qa-c1-comment', 'Income changed without the payslips');
      await page.selectOption('#qa-c2-result', 'ASSURANCE_RESULT_NOT_APPLICABLE');
      await page.click('#qa-check-form button[type=submit]');
      await page.waitForSelector('.flash:has-text("recorded: fail")');
      assert.match(await page.textContent('#qa-results'), /Income changed without the payslips/);
      checkId = /\/qa\/check\/(\d+)$/.exec(page.url())[1];
      await page.fill('#qa-fb-text', 'Ask for the payslips before changing income');
      await page.click('#qa-feedback-form button[type=submit]');
      await page.waitForSelector('.flash:has-text("Feedback")');
      await page.fill('#qa-ca-desc', 'Get the payslips and review the calculation');
      await page.click('#qa-action-form button[type=submit]');
      await page.waitForSelector('.flash:has-text("Corrective action")');
      assert.match(await page.textContent('.qa-actions'), /Get the payslips/);
      await h.checkA11y(page, 'Q&A check with feedback and action');
    });

    await h.withPage(browser, 'qa-caseworker', async (page) => {
      await h.signIn(page, web.url, 'cw.gb.new_case.a1');
      await page.click('nav a:text-is("Q&A feedback")');
      assert.match(await page.textContent('main'), /Ask for the payslips/);
      await h.checkA11y(page, 'Q&A feedback for the caseworker');
    });

    await h.withPage(browser, 'qa-coaching', async (page) => {
      await h.signIn(page, web.url, 'tl.gb.new_case.a');
      await page.click('nav a:text-is("Coaching")');
      await page.waitForSelector('#qa-coaching');
      const cells = await page.locator('#coach-cw\\.gb\\.new_case\\.a1 td').allTextContents();
      // checks, failed, then failures per criterion (cash, procedure, handling), open actions
      assert.equal(Number(cells[1]), failedBefore + 1, `coaching row: ${cells}`);
      assert.ok(Number(cells[3]) >= 1, `procedure failures: ${cells}`);
      assert.ok(Number(cells[5]) >= 1, `open actions: ${cells}`);
      await h.checkA11y(page, 'coaching view');
    });
    assert.ok(checkId);
  });

  it('the hotline logs an MP enquiry and government relations answers it from the queue', async () => {
    const question = `How are arrears collected? ${crypto.randomBytes(3).toString('hex')}`;
    let id;
    await h.withPage(browser, 'mp-log', async (page) => {
      await h.signIn(page, web.url, 'cw.gb.maintenance.a1');
      await page.click('nav a:text-is("Find")');
      await page.click('a:text-is("Log an MP\'s contact")');
      await h.checkA11y(page, 'log an MP contact');
      const clock = await server.cms.admin.getClock({});
      const today = new Date(Number(clock.now.seconds) * 1000).toISOString().slice(0, 10);
      await page.selectOption('#mp-n-country', 'COUNTRY_GB');
      await page.selectOption('#mp-n-kind', 'MP_ENQUIRY_KIND_GENERAL_ENQUIRY');
      await page.selectOption('#mp-n-channel', 'MP_CHANNEL_REGIONAL_HOTLINE');
      await page.fill('#mp-n-name', 'Jo Member');
      await page.fill('#mp-n-const', 'Leeds Central');
      await page.fill('#mp-n-question', question);
      await page.fill('#mp-n-received', today);
      await page.click('#mp-new-form button[type=submit]');
      await page.waitForSelector('.flash:has-text("logged")');
      id = /MP enquiry (\d+) logged/.exec(await page.textContent('.flash'))[1];
    });

    await h.withPage(browser, 'mp-answer', async (page) => {
      await h.signIn(page, web.url, 'cw.gb.government_relations.a1');
      await page.click('nav a:text-is("MP enquiries")');
      const row = page.locator(`#mp-${id}`);
      assert.match(await row.textContent(), /Received/);
      assert.match(await row.textContent(), /Leeds Central/);
      await h.checkA11y(page, 'MP queue');
      await row.locator('a').first().click();
      assert.match(await page.textContent('#mp-question'), /How are arrears collected/);
      await h.checkA11y(page, 'MP enquiry');

      // Answered before validation: the server's refusal, with its rule.
      await page.fill('#mp-answer-text', 'Too early');
      await page.click('#mp-answer-form button[type=submit]');
      assert.equal(await page.textContent('.error-box .rule-id'), 'AG11.4');
      await page.click('a.reload');

      await page.selectOption('#mp-outcome', 'MP_VALIDATION_OUTCOME_VALID');
      await page.click('#mp-validate-form button[type=submit]');
      await page.waitForSelector('#mp-state:has-text("Validated")');
      await page.fill('#mp-answer-text', 'Arrears are collected as the 2012 scheme sets out.');
      await page.click('#mp-answer-form button[type=submit]');
      await page.waitForSelector('#mp-state:has-text("Answered")');
      assert.match(await page.textContent('#mp-answer'), /2012 scheme/);
      await h.checkA11y(page, 'MP enquiry answered');
    });
    const e = await server.cms.asUser('cw.gb.government_relations.a1').mp.getMpEnquiry({ id });
    assert.equal(e.state, 'MP_ENQUIRY_STATE_ANSWERED');
    assert.equal(e.answered_by, 'cw.gb.government_relations.a1');
  });
  it('a case enquiry\'s MP Enquiry Input SR links the enquiry', async () => {
    const cw = server.cms.asUser('cw.gb.new_case.a1');
    const app = await h.createApplication(cw, 'LS1 6GH', 'LS2 6JK');
    const gr = server.cms.asUser('cw.gb.government_relations.a1');
    const logged = await cw.mp.createMpEnquiry({ request_id: h.rid(), country: 'COUNTRY_GB',
      kind: 'MP_ENQUIRY_KIND_CASE_ENQUIRY', channel: 'MP_CHANNEL_LETTER', mp_name: 'Jo Member',
      mp_constituency: 'Leeds Central', constituent_name: 'Pat Web', constituent_person_id: app.case.paying_parent_id,
      case_id: app.case.id, question: 'Why has my constituent\'s case not moved?',
      received_date: h.serverDate(await server.cms.admin.getClock({}), 0) });
    const e = await gr.mp.validateMpEnquiry({ request_id: h.rid(), id: logged.id, etag: logged.etag,
      outcome: 'MP_VALIDATION_OUTCOME_VALID' });
    assert.notEqual(e.input_service_request_id, '0', 'validating a case enquiry raises the input SR');
    const owner = await h.ownerOf(server.cms, app.casegroup.id);
    await h.withPage(browser, 'mp-input-sr', async (page) => {
      await h.signIn(page, web.url, owner);
      await page.goto(`${web.url}/sr/${e.input_service_request_id}`);
      assert.equal(await page.getAttribute('#sr-mp-enquiry', 'href'), `/mp/${logged.id}`);
      assert.equal(await page.textContent('#sr-mp-enquiry'), `MP enquiry ${logged.id}`);
      await h.checkA11y(page, 'MP Enquiry Input SR');
    });
  });

  it('A&G answers an A&G SR from its queue and the raiser reads the answer', async () => {
    const cw = server.cms.asUser('cw.gb.new_case.a1');
    const app = await h.createApplication(cw, 'LS1 5EF', 'LS2 5GH');
    const question = `May a DEO and an RDO run together? ${crypto.randomBytes(3).toString('hex')}`;
    const { service_request: sr } = await cw.serviceRequests.createServiceRequest({ request_id: h.rid(),
      type_code: 'ADVICE_AND_GUIDANCE', casegroup_id: app.casegroup.id, case_id: app.case.id,
      subject_person_id: app.case.paying_parent_id, source: 'SR_SOURCE_CASEWORKER', fields: { Question: question } });
    await h.withPage(browser, 'ag-answer', async (page) => {
      await h.signIn(page, web.url, 'cw.gb.advice_and_guidance.a1');
      await page.click('nav a:text-is("A&G requests")');
      await h.checkA11y(page, 'A&G queue');
      await page.click(`#ag-queue a[href="/guidance/sr/${sr.id}"]`);
      assert.equal(await page.textContent('#ag-question'), question);
      await h.checkA11y(page, 'A&G SR');
      await page.fill('#ag-answer', 'No: end the DEO before the RDO starts.');
      await page.click('#ag-answer-form button[type=submit]');
      await page.waitForSelector('.flash:has-text("answered and closed")');
      assert.match(await page.textContent('#ag-current'), /end the DEO/);
      await h.checkA11y(page, 'A&G SR answered');
    });
    await h.withPage(browser, 'ag-read', async (page) => {
      await h.signIn(page, web.url, 'cw.gb.new_case.a1');
      await page.goto(`${web.url}/sr/${sr.id}`);
      await page.click('a:text-is("The question and its answer")');
      assert.match(await page.textContent('#ag-current'), /end the DEO/);
    });
  });
});
