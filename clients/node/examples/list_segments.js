#!/usr/bin/env node
'use strict';
// Lists every BOM segment (following next_page_token) and prints them as a
// JSON array on stdout. Enums are printed as short names ("GB", "NEW_CASE").
//
//   node examples/list_segments.js [--include-retired]
//
// Server, token and staff id come from CMS_SERVER / CMS_TOKEN / CMS_USER, else
// from <repo>/.cms/dev.env (written by `tools/cms up`).
// Exit code 0 on success; 1 on error, with the message (and the ErrorInfo,
// when the server sent one) on stderr.

const { connect, toShortEnums } = require('..');

async function main() {
  const includeRetired = process.argv.includes('--include-retired');
  const cms = connect();
  try {
    const out = [];
    let page_token = '';
    do {
      const resp = await cms.bom.listSegments({ page_size: 100, page_token, include_retired: includeRetired });
      for (const seg of resp.segments) {
        const s = toShortEnums(seg, 'cms.v1.Segment');
        out.push({
          id: s.id,
          system_name: s.system_name,
          country: s.country,
          service_segment: s.service_segment,
          description: s.description,
          code: s.code,
          status: s.status,
          etag: s.etag,
        });
      }
      page_token = resp.next_page_token;
    } while (page_token);
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } finally {
    cms.close();
  }
}

main().catch((err) => {
  process.stderr.write(`list_segments: ${err.message}\n`);
  if (err.info) process.stderr.write(`ErrorInfo: ${JSON.stringify(err.info)}\n`);
  process.exitCode = 1;
});
