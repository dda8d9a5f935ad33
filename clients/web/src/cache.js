'use strict';
// Server facts every page needs and that change rarely: the SR catalog
// (loaded by cms_server at start-up) and the server's clock (a test clock
// may be moved, so it is re-read every few seconds). Fetched as whoever
// asks first; both are open to every active staff member.

const CATALOG_TTL_MS = 60 * 1000;
const CLOCK_TTL_MS = 2 * 1000;

class ServerCache {
  constructor(now = Date.now) {
    this.now = now;
    this.catalog = null; // { at, types, byCode }
    this.clock = null;   // { at, serverMs }
    this.segments = null; // { at, byId: Map id -> Segment }
    this.pending = {};
  }

  // Once at a time: concurrent pages share one in-flight call.
  once(key, fetch) {
    if (!this.pending[key]) {
      this.pending[key] = fetch().finally(() => {
        delete this.pending[key];
      });
    }
    return this.pending[key];
  }

  async catalogOf(cms) {
    if (this.catalog && this.now() - this.catalog.at < CATALOG_TTL_MS) return this.catalog;
    return this.once('catalog', async () => {
      const types = [];
      let token = '';
      do {
        const r = await cms.serviceRequests.listSrTypes({ page_size: 1000, page_token: token });
        types.push(...r.types);
        token = r.next_page_token;
      } while (token);
      this.catalog = { at: this.now(), types, byCode: new Map(types.map((t) => [t.code, t])) };
      return this.catalog;
    });
  }

  // Segment id -> Segment (retired ones included; BOM reads are open to all).
  async segmentsOf(cms) {
    if (this.segments && this.now() - this.segments.at < CATALOG_TTL_MS) return this.segments.byId;
    return this.once('segments', async () => {
      const byId = new Map();
      let token = '';
      do {
        const r = await cms.bom.listSegments({ page_size: 1000, page_token: token, include_retired: true });
        for (const s of r.segments) byId.set(s.id, s);
        token = r.next_page_token;
      } while (token);
      this.segments = { at: this.now(), byId };
      return byId;
    });
  }

  // Segment id -> system name.
  async segmentNamesOf(cms) {
    const byId = await this.segmentsOf(cms);
    return { get: (id) => (byId.get(id) || {}).system_name };
  }

  // The server's now in milliseconds (its test clock when on).
  async nowOf(cms) {
    if (this.clock && this.now() - this.clock.at < CLOCK_TTL_MS) {
      return this.clock.serverMs + (this.now() - this.clock.at);
    }
    return this.once('clock', async () => {
      const c = await cms.admin.getClock({});
      const serverMs = Number(c.now.seconds) * 1000 + Math.floor(Number(c.now.nanos) / 1e6);
      this.clock = { at: this.now(), serverMs };
      return serverMs;
    });
  }
}

module.exports = { ServerCache };
