#!/usr/bin/env node
'use strict';
// npm pack hooks: the package ships its own copy of proto/cms/v1/*.proto, so
// an installed cms-client needs no checkout.
//
//   node scripts/bundle-protos.js          (prepack) copy <repo>/proto/cms/v1/*.proto
//                                          into ./proto/cms/v1, replacing any old copy
//   node scripts/bundle-protos.js --clean  (postpack) remove ./proto again
//
// The source is $CMS_PROTO_DIR (an include dir holding cms/v1/*.proto), else
// the repository's proto/. In the checkout index.js always reads the
// repository's protos, so the copy is only ever read from a packed tarball.

const fs = require('fs');
const path = require('path');

const pkgDir = path.resolve(__dirname, '..');
const dest = path.join(pkgDir, 'proto');

function clean() {
  fs.rmSync(dest, { recursive: true, force: true });
}

function bundle() {
  const srcRoot = path.resolve(process.env.CMS_PROTO_DIR || path.join(pkgDir, '..', '..', 'proto'));
  const src = path.join(srcRoot, 'cms', 'v1');
  let names;
  try {
    names = fs.readdirSync(src).filter((n) => n.endsWith('.proto')).sort();
  } catch (e) {
    throw new Error(`bundle-protos: cannot read ${src}: ${e.message} (set CMS_PROTO_DIR)`);
  }
  if (names.length === 0) throw new Error(`bundle-protos: no .proto files in ${src}`);
  clean();
  const out = path.join(dest, 'cms', 'v1');
  fs.mkdirSync(out, { recursive: true });
  for (const n of names) fs.copyFileSync(path.join(src, n), path.join(out, n));
  process.stderr.write(`bundle-protos: ${names.length} protos from ${src}\n`);
}

try {
  if (process.argv.includes('--clean')) clean();
  else bundle();
} catch (e) {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
