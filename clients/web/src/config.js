'use strict';
// The console's settings, from flags and the environment, checked before
// anything listens. Two modes:
//   dev         the sign-in page lists the demo BOM's staff and the browser
//               picks one; only on a loopback address.
//   production  the authenticating proxy names the staff member in a request
//               header (CMS_WEB_IDENTITY_HEADER); the console refuses to start
//               without that name, and refuses requests without the header.
// The gRPC client token (CMS_TOKEN) is held here and never sent to browsers.
const { resolveConfig } = require('../../node');

class ConfigError extends Error {}

const HEADER_NAME = /^[A-Za-z0-9-]{1,64}$/;

function parseListen(text) {
  const m = /^(.*):(\d{1,5})$/.exec(text);
  if (!m) throw new ConfigError(`listen address "${text}" is not host:port`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

function isLoopback(host) {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

// argv: process.argv.slice(2) style; flags win over the environment.
function loadConfig(argv = [], env = process.env) {
  const flags = {};
  for (const arg of argv) {
    const m = /^--([a-z_]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new ConfigError(`unknown argument "${arg}"`);
    flags[m[1]] = m[2] === undefined ? 'true' : m[2];
  }
  const known = ['mode', 'listen', 'identity_header', 'server', 'secure_cookie', 'dev_user'];
  for (const k of Object.keys(flags)) {
    if (!known.includes(k)) throw new ConfigError(`unknown flag --${k}; known: ${known.map((x) => '--' + x).join(' ')}`);
  }
  const mode = flags.mode || env.CMS_WEB_MODE || 'dev';
  if (mode !== 'dev' && mode !== 'production') {
    throw new ConfigError(`mode "${mode}" is neither dev nor production`);
  }
  const listen = parseListen(flags.listen || env.CMS_WEB_LISTEN || '127.0.0.1:8080');
  const identityHeader = (flags.identity_header || env.CMS_WEB_IDENTITY_HEADER || '').trim();

  if (mode === 'production') {
    if (!identityHeader) {
      throw new ConfigError('production mode needs the identity header the authenticating proxy sets: '
        + 'set CMS_WEB_IDENTITY_HEADER (or --identity_header); refusing to start');
    }
    if (!HEADER_NAME.test(identityHeader)) {
      throw new ConfigError(`identity header name "${identityHeader}" is not a header name`);
    }
  } else if (!isLoopback(listen.host)) {
    // Dev mode lets the browser choose whom it acts for: never off this machine.
    throw new ConfigError(`dev mode listens on loopback only, not ${listen.host}; use production mode`);
  }

  // In production the token comes from the environment only, never a dev file.
  const client = resolveConfig({
    server: flags.server,
    env,
    devEnvFile: mode === 'production' ? '/nonexistent/cms-dev.env' : undefined,
  });
  if (!client.token) {
    throw new ConfigError('no client token: set CMS_TOKEN (dev: `tools/cms up` writes .cms/dev.env)');
  }
  const secure = flags.secure_cookie || env.CMS_WEB_SECURE_COOKIE;
  return {
    mode,
    listen,
    identityHeader: identityHeader.toLowerCase(),
    server: client.server,
    token: client.token,
    // Dev mode only: who lists the staff on the sign-in page.
    devUser: flags.dev_user || client.user || 'svc.manager',
    // Production sits behind TLS at the proxy, so its cookie is Secure.
    secureCookie: secure !== undefined ? secure === 'true' || secure === '1' : mode === 'production',
  };
}

module.exports = { loadConfig, ConfigError, parseListen, isLoopback };
