'use strict';
// My work (W4.3): the signed-in person's SRs with age, priority, reminder
// and overdue markers, filters and paging; "Get next" takes the next item of
// their segment's queue.
const { html } = require('../html');
const { csrfField } = require('../layout');
const { readFilters, filterForm, workTable, pager } = require('./worklist');
const { GRPC, isCmsError } = require('../errors');
const { requestId } = require('./ids');

async function myWork(ctx) {
  const filters = readFilters(ctx.url.searchParams);
  const [catalog, nowMs, list] = await Promise.all([
    ctx.cache.catalogOf(ctx.cms), ctx.cache.nowOf(ctx.cms), ctx.cms.work.listMyWork(filters.request)]);
  ctx.send('My work', html`
    <form method="post" action="/work/next">${csrfField(ctx)}
      <button type="submit" id="get-next">Get next</button>
      <span class="hint">Takes the oldest priority item of your segment's queue, else the oldest item.</span>
    </form>
    ${filterForm('/work', filters, catalog)}
    ${workTable(ctx, list.items, { caption: 'My service requests', nowMs, catalog })}
    ${pager('/work', filters, list.next_page_token)}`, { current: '/work' });
}

async function getNext(ctx) {
  ctx.back = '/work';
  ctx.backText = 'My work';
  try {
    const sr = await ctx.cms.work.getNextWork({ request_id: requestId() });
    ctx.redirect(`/sr/${sr.id}`, { kind: 'ok', text: `SR ${sr.id} is now yours.` });
  } catch (err) {
    if (isCmsError(err) && err.code === GRPC.NOT_FOUND) {
      ctx.redirect('/work', { kind: 'ok', text: `Nothing to take: ${err.details}` });
    }
    throw err;
  }
}

module.exports = {
  routes: () => [
    ['GET', /^\/work$/, myWork, {}, 'work'],
    ['POST', /^\/work\/next$/, getNext, {}, 'work_next'],
  ],
};
