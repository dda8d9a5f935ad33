'use strict';
// cms-client: a thin Node.js client for the CMS gRPC server (package cms.v1).
//
//   const { connect } = require('cms-client');
//   const cms = connect();                       // env / .cms/dev.env defaults
//                                                // (protos: the checkout's, or the bundled copy)
//   const { segments } = await cms.bom.listSegments({ page_size: 100 });
//   const tl = cms.asUser('tl.gb.new_case.a');   // same channel, other staff id
//   cms.close();
//
// Every call carries `authorization: Bearer <token>` and `x-cms-user: <user>`.
// A failed call rejects with a CmsError: .code (grpc status number),
// .codeName ("NOT_FOUND"), .details (the status message), .info (the
// cms.v1.ErrorInfo from the `grpc-status-details-bin` trailer, or null).

const fs = require('fs');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const protobuf = require('protobufjs');

// In the repository checkout (this file is <repo>/clients/node/index.js):
// <repo>. Installed from the packed tarball (node_modules/cms-client): null.
const REPO_ROOT = (() => {
  const root = path.resolve(__dirname, '..', '..');
  const inCheckout = path.resolve(root, 'clients', 'node') === path.resolve(__dirname)
    && fs.existsSync(path.join(root, 'proto', 'cms', 'v1'));
  return inCheckout ? root : null;
})();
// The protos: the repository's in the checkout; installed, the copy the
// tarball ships in <package>/proto (npm pack's prepack puts it there).
const BUNDLED_PROTO_DIR = path.join(__dirname, 'proto');
const DEFAULT_PROTO_DIR = REPO_ROOT ? path.join(REPO_ROOT, 'proto') : BUNDLED_PROTO_DIR;
// The checkout's dev.env (null when installed); see devEnvFile().
const DEFAULT_DEV_ENV = REPO_ROOT ? path.join(REPO_ROOT, '.cms', 'dev.env') : null;
const DEFAULT_SERVER = '127.0.0.1:50051';
const DEFAULT_TIMEOUT_MS = 30000;
const STATUS_DETAILS_KEY = 'grpc-status-details-bin';
const ERROR_INFO_TYPE = 'cms.v1.ErrorInfo';

const LOADER_OPTIONS = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

// grpc status number -> name ("NOT_FOUND").
const STATUS_NAMES = Object.fromEntries(
  Object.entries(grpc.status).filter(([, v]) => typeof v === 'number').map(([k, v]) => [v, k]));

// ---------------------------------------------------------------------------
// Proto loading

// The relative names ("cms/v1/bom.proto") of every proto file of cms.v1.
function protoFiles(protoDir) {
  const dir = path.join(protoDir, 'cms', 'v1');
  let names;
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    throw new Error(`cms-client: cannot read protos in ${dir}: ${e.message}`);
  }
  const files = names.filter((n) => n.endsWith('.proto')).sort().map((n) => `cms/v1/${n}`);
  if (files.length === 0) throw new Error(`cms-client: no .proto files in ${dir}`);
  return files;
}

const protoCache = new Map();

// { packageDefinition, grpcObject, root } for a proto include dir (cached).
// `root` is a protobufjs Root over the same files, used to decode the error
// trailer and to find enum types; google/protobuf/* imports resolve to the
// well-known types bundled with protobufjs.
function loadProtos(protoDir = DEFAULT_PROTO_DIR) {
  protoDir = path.resolve(protoDir);
  let loaded = protoCache.get(protoDir);
  if (loaded) return loaded;
  const files = protoFiles(protoDir);
  const packageDefinition = protoLoader.loadSync(files, { ...LOADER_OPTIONS, includeDirs: [protoDir] });
  const grpcObject = grpc.loadPackageDefinition(packageDefinition);
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => (path.isAbsolute(target) ? target : path.join(protoDir, target));
  root.loadSync(files, { keepCase: true });
  root.resolveAll();
  loaded = { packageDefinition, grpcObject, root };
  protoCache.set(protoDir, loaded);
  return loaded;
}

// ---------------------------------------------------------------------------
// Enum short names

// The enum type for "cms.v1.Country", "Country" or a protobufjs Enum.
function lookupEnumType(enumType, root) {
  if (enumType instanceof protobuf.Enum) return enumType;
  root = root || loadProtos().root;
  const name = String(enumType);
  const full = name.includes('.') ? name : `cms.v1.${name}`;
  return root.lookupEnum(full);
}

// The prefix the values of an enum carry: the zero value's name less
// "UNSPECIFIED" (COUNTRY_UNSPECIFIED -> "COUNTRY_"); "" when the zero value
// does not end in "_UNSPECIFIED".
function enumPrefix(enumType, root) {
  const type = lookupEnumType(enumType, root);
  const zero = type.valuesById[0];
  return zero && zero.endsWith('_UNSPECIFIED') ? zero.slice(0, -'UNSPECIFIED'.length) : '';
}

// The short name of a value given as its full name or number:
// shortName(value, prefix) is the pure form; enumShortName('cms.v1.Country',
// 'COUNTRY_GB') === 'GB'. Unknown numbers come back as their decimal string.
function stripPrefix(name, prefix) {
  return prefix && typeof name === 'string' && name.startsWith(prefix) && name.length > prefix.length
    ? name.slice(prefix.length)
    : name;
}

function enumShortName(enumType, value, root) {
  const type = lookupEnumType(enumType, root);
  const name = typeof value === 'number' ? (type.valuesById[value] ?? String(value)) : String(value);
  return stripPrefix(name, enumPrefix(type, root));
}

// The full name for a short or full name, case-insensitively, with '-' or ' '
// for '_' ("gb" -> "COUNTRY_GB", "team-leader" -> "ROLE_TEAM_LEADER"). Throws
// for unknown names; use it to build requests from user input.
function enumFullName(enumType, text, root) {
  const type = lookupEnumType(enumType, root);
  const prefix = enumPrefix(type, root);
  const want = String(text).trim().toUpperCase().replace(/[-\s]+/g, '_');
  for (const name of Object.keys(type.values)) {
    if (name === want || name === prefix + want) return name;
  }
  const accepted = Object.keys(type.values).filter((n) => type.values[n] !== 0).map((n) => stripPrefix(n, prefix));
  throw new Error(`unknown ${type.name} "${text}"; expected one of ${accepted.join(', ')}`);
}

// A copy of a decoded message (plain object as proto-loader returns it) with
// every enum field, at any depth, replaced by its short name.
function toShortEnums(message, typeName, root) {
  root = root || loadProtos().root;
  const type = typeName instanceof protobuf.Type ? typeName : root.lookupType(
    String(typeName).includes('.') ? String(typeName) : `cms.v1.${typeName}`);
  return shortenMessage(message, type, root);
}

function shortenMessage(message, type, root) {
  if (message === null || typeof message !== 'object') return message;
  const out = { ...message };
  for (const field of type.fieldsArray) {
    const key = field.name;
    if (!(key in out) || out[key] === null || out[key] === undefined) continue;
    const rt = field.resolvedType;
    let convert = null;
    if (rt instanceof protobuf.Enum) {
      const prefix = enumPrefix(rt, root);
      convert = (v) => stripPrefix(typeof v === 'number' ? (rt.valuesById[v] ?? String(v)) : v, prefix);
    } else if (rt instanceof protobuf.Type && !rt.fullName.startsWith('.google.protobuf.')) {
      convert = (v) => shortenMessage(v, rt, root);
    }
    if (!convert) continue;
    if (field.map) {
      out[key] = Object.fromEntries(Object.entries(out[key]).map(([k, v]) => [k, convert(v)]));
    } else if (field.repeated) {
      out[key] = out[key].map(convert);
    } else {
      out[key] = convert(out[key]);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Errors

class CmsError extends Error {
  constructor({ code, details, info, status, metadata, method }) {
    const codeName = STATUS_NAMES[code] || String(code);
    let text = `${method ? method + ': ' : ''}${codeName}: ${details || '(no message)'}`;
    if (info) {
      const extra = [];
      if (info.reason) extra.push(`reason=${info.reason}`);
      if (info.rule_id) extra.push(`rule=${info.rule_id}`);
      for (const v of info.field_violations || []) extra.push(`${v.field}: ${v.description}`);
      if (extra.length) text += ` [${extra.join('; ')}]`;
    }
    super(text);
    this.name = 'CmsError';
    this.code = code;             // grpc status number (grpc.status.*)
    this.codeName = codeName;     // "NOT_FOUND"
    this.details = details || ''; // the status message
    this.info = info || null;     // { rule_id, field_violations: [{field, description}], reason } or null
    this.status = status || null; // the decoded cms.v1.RpcStatus, or null
    this.metadata = metadata || null; // trailers (grpc.Metadata), when known
    if (method) this.method = method;
  }
}

// google.rpc.ErrorInfo and google.rpc.BadRequest (AIP-193), with their
// official names and field numbers: the server sends them beside
// cms.v1.ErrorInfo so generic gRPC tools read its errors. Declared here
// rather than loaded, as the package ships only the cms.v1 protos.
const GOOGLE_RPC = protobuf.Root.fromJSON({
  nested: { google: { nested: { rpc: { nested: {
    ErrorInfo: {
      fields: {
        reason: { type: 'string', id: 1 },
        domain: { type: 'string', id: 2 },
        metadata: { keyType: 'string', type: 'string', id: 3 },
      },
    },
    BadRequest: {
      fields: { field_violations: { rule: 'repeated', type: 'FieldViolation', id: 1 } },
      nested: {
        FieldViolation: {
          fields: { field: { type: 'string', id: 1 }, description: { type: 'string', id: 2 } },
        },
      },
    },
  } } } } },
});

// Decodes a serialized google.rpc.Status (the trailer value; read as the
// wire-identical cms.v1.RpcStatus). Returns { status, info }: status is the
// RpcStatus as a plain object (details as { type_url, value: Buffer }), info
// the cms.v1.ErrorInfo detail, else one assembled from google.rpc.ErrorInfo
// (reason, metadata.rule_id) and google.rpc.BadRequest, else null.
function decodeStatusDetails(buffer, root) {
  root = root || loadProtos().root;
  const RpcStatus = root.lookupType('cms.v1.RpcStatus');
  const ErrorInfo = root.lookupType(ERROR_INFO_TYPE);
  const msg = RpcStatus.decode(buffer);
  const status = RpcStatus.toObject(msg, { longs: String, defaults: true, arrays: true });
  let assembled = null;
  const assemble = () => assembled || (assembled = { rule_id: '', field_violations: [], reason: '' });
  for (const any of status.details) {
    const typeName = String(any.type_url || '').split('/').pop();
    if (typeName === ERROR_INFO_TYPE) {
      const info = ErrorInfo.toObject(ErrorInfo.decode(any.value), { defaults: true, arrays: true });
      return { status, info };
    }
    if (typeName === 'google.rpc.ErrorInfo') {
      const g = GOOGLE_RPC.lookupType(typeName).decode(any.value);
      assemble().reason = g.reason || '';
      assembled.rule_id = (g.metadata && g.metadata.rule_id) || '';
    } else if (typeName === 'google.rpc.BadRequest') {
      const b = GOOGLE_RPC.lookupType(typeName).decode(any.value);
      for (const v of b.field_violations || []) {
        assemble().field_violations.push({ field: v.field || '', description: v.description || '' });
      }
    }
  }
  return { status, info: assembled };
}

// Turns a grpc-js ServiceError (or anything with .code/.details/.metadata)
// into a CmsError, decoding the status-details trailer when present. A
// malformed trailer is ignored (info stays null).
function decodeServiceError(err, { root, method } = {}) {
  if (err instanceof CmsError) return err;
  const code = typeof err.code === 'number' ? err.code : grpc.status.UNKNOWN;
  const details = err.details !== undefined ? err.details : err.message;
  let status = null;
  let info = null;
  const metadata = err.metadata instanceof grpc.Metadata ? err.metadata : null;
  const raw = metadata ? metadata.get(STATUS_DETAILS_KEY) : [];
  if (raw.length > 0) {
    try {
      const buf = Buffer.isBuffer(raw[0]) ? raw[0] : Buffer.from(String(raw[0]), 'base64');
      ({ status, info } = decodeStatusDetails(buf, root));
    } catch (_) {
      status = null;
      info = null;
    }
  }
  const out = new CmsError({ code, details, info, status, metadata, method });
  out.cause = err;
  return out;
}

// ---------------------------------------------------------------------------
// Configuration

// The .cms/dev.env to read, or null: env CMS_DEV_FILE, else .cms/dev.env in
// the current directory or its nearest parent that has one (as cmsctl), else
// the checkout's own.
function devEnvFile(env = process.env) {
  if (env.CMS_DEV_FILE) return env.CMS_DEV_FILE;
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, '.cms', 'dev.env');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  return DEFAULT_DEV_ENV && fs.existsSync(DEFAULT_DEV_ENV) ? DEFAULT_DEV_ENV : null;
}

// KEY=VALUE lines; blank lines and # comments skipped; optional quotes and a
// leading "export " allowed. Missing file -> {}.
function parseDevEnv(file = devEnvFile()) {
  if (!file) return {};
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (_) {
    return {};
  }
  const out = {};
  for (let line of text.split(/\r?\n/)) {
    line = line.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('export ')) line = line.slice(7).trim();
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) {
      value = value.slice(1, -1);
    }
    out[key] = value;
  }
  return out;
}

// server/token/user from: explicit options, else env CMS_SERVER/CMS_TOKEN/
// CMS_USER, else .cms/dev.env (devEnvFile()), else (server only) 127.0.0.1:50051.
function resolveConfig(opts = {}) {
  const env = opts.env || process.env;
  let dev = null;
  const devValue = (key) => {
    if (dev === null) dev = parseDevEnv(opts.devEnvFile || devEnvFile(env));
    return dev[key];
  };
  const pick = (opt, key) => opt || env[key] || devValue(key) || '';
  return {
    server: pick(opts.server, 'CMS_SERVER') || DEFAULT_SERVER,
    token: pick(opts.token, 'CMS_TOKEN'),
    user: pick(opts.user, 'CMS_USER'),
  };
}

// ---------------------------------------------------------------------------
// Clients

const SERVICES = {
  bom: 'BomService',
  casegroups: 'CasegroupService',
  serviceRequests: 'ServiceRequestService',
  work: 'WorkService',
  letters: 'LetterService',
  approvals: 'ApprovalService',
  payments: 'PaymentService',
  compliance: 'ComplianceService',
  arrears: 'ArrearsService',
  foi: 'FoiService',
  mp: 'MpService',
  guidance: 'GuidanceService',
  assurance: 'AssuranceService',
  admin: 'AdminService',
};

function lowerCamel(name) {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

// An interceptor adding the auth headers to every call.
function authInterceptor(token, user) {
  return (options, nextCall) => new grpc.InterceptingCall(nextCall(options), {
    start(metadata, listener, next) {
      metadata.set('authorization', `Bearer ${token}`);
      if (user) metadata.set('x-cms-user', user);
      next(metadata, listener);
    },
  });
}

// Promise wrappers over one grpc-js client: wrapper.listSegments(req, opts).
// opts: { timeoutMs, deadline, metadata: {k: v} | grpc.Metadata }.
// wrapper.raw is the grpc-js client for callbacks or streaming.
function wrapService(rawClient, serviceDef, root, defaultTimeoutMs) {
  const wrapper = { raw: rawClient };
  for (const [rpcName, def] of Object.entries(serviceDef)) {
    if (def.requestStream || def.responseStream) continue; // cms.v1 is all unary
    const method = `${def.path.slice(1).split('/')[0]}/${rpcName}`;
    wrapper[lowerCamel(rpcName)] = (request = {}, opts = {}) => new Promise((resolve, reject) => {
      let md = opts.metadata;
      if (md && !(md instanceof grpc.Metadata)) {
        const m = new grpc.Metadata();
        for (const [k, v] of Object.entries(md)) m.set(k, v);
        md = m;
      }
      const timeoutMs = opts.timeoutMs !== undefined ? opts.timeoutMs : defaultTimeoutMs;
      const callOpts = {};
      if (opts.deadline) callOpts.deadline = opts.deadline;
      else if (timeoutMs > 0) callOpts.deadline = new Date(Date.now() + timeoutMs);
      rawClient[rpcName](request, md || new grpc.Metadata(), callOpts, (err, response) => {
        if (err) reject(decodeServiceError(err, { root, method }));
        else resolve(response);
      });
    });
  }
  return wrapper;
}

// connect({server, token, user, protoDir, timeoutMs, channelOptions,
//          credentials, devEnvFile}) -> { bom, casegroups, admin, asUser,
//          close, server, user, grpc clients in .raw of each }.
// timeoutMs: per-call deadline (default 30000; 0 = none).
function connect(options = {}) {
  const cfg = resolveConfig(options);
  if (!cfg.token) {
    throw new Error('cms-client: no token: pass {token}, set CMS_TOKEN, or run `tools/cms up` '
      + '(writes .cms/dev.env)');
  }
  const protos = loadProtos(options.protoDir || DEFAULT_PROTO_DIR);
  const pkg = protos.grpcObject.cms.v1;
  const timeoutMs = options.timeoutMs !== undefined ? options.timeoutMs : DEFAULT_TIMEOUT_MS;
  const credentials = options.credentials || grpc.credentials.createInsecure();
  let channel = null; // shared by every client of this connection and its asUser() views

  const build = (user) => {
    const conn = { server: cfg.server, user };
    for (const [prop, svcName] of Object.entries(SERVICES)) {
      const Ctor = pkg[svcName];
      const clientOpts = { interceptors: [authInterceptor(cfg.token, user)] };
      if (channel) clientOpts.channelOverride = channel;
      const raw = new Ctor(cfg.server, credentials, { ...(options.channelOptions || {}), ...clientOpts });
      if (!channel) channel = raw.getChannel();
      conn[prop] = wrapService(raw, Ctor.service, protos.root, timeoutMs);
    }
    // The same channel, calling as another staff member.
    conn.asUser = (staffId) => build(staffId);
    // Closes the shared channel (every asUser view included).
    conn.close = () => channel.close();
    return conn;
  };
  return build(cfg.user);
}

module.exports = {
  connect,
  resolveConfig,
  parseDevEnv,
  devEnvFile,
  loadProtos,
  decodeServiceError,
  decodeStatusDetails,
  GOOGLE_RPC_TYPES: GOOGLE_RPC,
  CmsError,
  enumPrefix,
  enumShortName,
  enumFullName,
  toShortEnums,
  STATUS_DETAILS_KEY,
  DEFAULT_PROTO_DIR,
  BUNDLED_PROTO_DIR,
  DEFAULT_DEV_ENV,
  grpc,
};
