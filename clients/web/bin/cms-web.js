#!/usr/bin/env node
'use strict';
// Starts the console: settings from flags and the environment (src/config.js),
// one gRPC channel to cms_server, and the HTTP server. Prints its address
// once listening; stops on SIGINT / SIGTERM.
const { connect } = require('../../node');
const { loadConfig, ConfigError } = require('../src/config');
const { createConsole } = require('../src/app');
const { allRoutes } = require('../src/routes');

function main() {
  let config;
  try {
    config = loadConfig(process.argv.slice(2));
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`cms-web: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const cms = connect({ server: config.server, token: config.token, user: config.devUser, timeoutMs: 10000 });
  const server = createConsole({ config, cms, routes: allRoutes({ cms, config }) });
  server.listen(config.listen.port, config.listen.host, () => {
    const { port } = server.address();
    const host = config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host;
    process.stdout.write(JSON.stringify({ ts: new Date().toISOString(), event: 'serving', mode: config.mode,
      url: `http://${host}:${port}/`, cms_server: config.server }) + '\n');
  });
  const stop = () => {
    server.close(() => {
      cms.close();
      process.exit(0);
    });
    server.closeAllConnections();
  };
  // A page's stray promise must not take every session down with it.
  process.on('unhandledRejection', (err) => {
    process.stdout.write(JSON.stringify({ ts: new Date().toISOString(), event: 'unhandled_rejection',
      error: String(err && err.stack || err) }) + '\n');
  });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main();
