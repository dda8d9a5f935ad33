'use strict';
// Every page of the console, in one list (first match wins).
const PAGES = ['signin', 'work', 'sr', 'team', 'find', 'raise', 'casegroup', 'service', 'foi', 'compliance', 'arrears', 'assurance', 'mp', 'guidance'];

function allRoutes(deps) {
  const routes = [];
  for (const name of PAGES) {
    let mod;
    try {
      mod = require(`./pages/${name}`);
    } catch (e) {
      if (e.code === 'MODULE_NOT_FOUND' && String(e.message).includes(`pages/${name}`)) continue;
      throw e;
    }
    routes.push(...mod.routes(deps));
  }
  return routes;
}

module.exports = { allRoutes };
