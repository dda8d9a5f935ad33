'use strict';
// No server needed: builds fake status trailers with protobufjs and checks the
// decoding, and checks enum short names against the real protos.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const {
  loadProtos, decodeServiceError, decodeStatusDetails, CmsError, grpc, STATUS_DETAILS_KEY,
  enumPrefix, enumShortName, enumFullName, toShortEnums, parseDevEnv, resolveConfig, connect,
} = require('..');

const { root } = loadProtos();
const RpcStatus = root.lookupType('cms.v1.RpcStatus');
const ErrorInfo = root.lookupType('cms.v1.ErrorInfo');

function statusBuffer(code, message, info, typeUrl = 'type.googleapis.com/cms.v1.ErrorInfo') {
  const details = info ? [{ type_url: typeUrl, value: ErrorInfo.encode(ErrorInfo.create(info)).finish() }] : [];
  return Buffer.from(RpcStatus.encode(RpcStatus.create({ code, message, details })).finish());
}

function serviceError(code, details, trailerBuf) {
  const metadata = new grpc.Metadata();
  if (trailerBuf) metadata.set(STATUS_DETAILS_KEY, trailerBuf);
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata });
}

test('decodes ErrorInfo from grpc-status-details-bin', () => {
  const info = {
    rule_id: 'S1.3',
    reason: 'INVALID_FIELDS',
    field_violations: [
      { field: 'code', description: 'must be 1..20 letters or digits' },
      { field: 'description', description: 'required' },
    ],
  };
  const buf = statusBuffer(grpc.status.INVALID_ARGUMENT, 'bad segment', info);
  const err = decodeServiceError(serviceError(grpc.status.INVALID_ARGUMENT, 'bad segment', buf),
    { method: 'cms.v1.BomService/CreateSegment' });
  assert.ok(err instanceof CmsError);
  assert.ok(err instanceof Error);
  assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
  assert.equal(err.codeName, 'INVALID_ARGUMENT');
  assert.equal(err.details, 'bad segment');
  assert.deepEqual(err.info, info);
  assert.equal(err.status.code, grpc.status.INVALID_ARGUMENT);
  assert.equal(err.status.details[0].type_url, 'type.googleapis.com/cms.v1.ErrorInfo');
  assert.match(err.message, /CreateSegment: INVALID_ARGUMENT: bad segment/);
  assert.match(err.message, /reason=INVALID_FIELDS/);
  assert.match(err.message, /rule=S1\.3/);
  assert.match(err.message, /code: must be 1\.\.20/);
});

test('X13.5 (AIP-193): cms.v1.ErrorInfo is found among google.rpc details, or rebuilt from them', () => {
  const { GOOGLE_RPC_TYPES } = require('..');
  const GErrorInfo = GOOGLE_RPC_TYPES.lookupType('google.rpc.ErrorInfo');
  const BadRequest = GOOGLE_RPC_TYPES.lookupType('google.rpc.BadRequest');
  const google = [
    {
      type_url: 'type.googleapis.com/google.rpc.ErrorInfo',
      value: GErrorInfo.encode(GErrorInfo.create({
        reason: 'INVALID_FIELDS', domain: 'cms.v1', metadata: { rule_id: 'SR5.4' },
      })).finish(),
    },
    {
      type_url: 'type.googleapis.com/google.rpc.BadRequest',
      value: BadRequest.encode(BadRequest.create({
        field_violations: [{ field: 'source', description: 'required' }],
      })).finish(),
    },
  ];
  const ours = { rule_id: 'SR5.4', reason: 'INVALID_FIELDS', field_violations: [{ field: 'source', description: 'required' }] };
  const cmsInfo = { type_url: 'type.googleapis.com/cms.v1.ErrorInfo', value: ErrorInfo.encode(ErrorInfo.create(ours)).finish() };
  const encode = (details) => Buffer.from(RpcStatus.encode(RpcStatus.create({
    code: grpc.status.INVALID_ARGUMENT, message: 'source: required', details,
  })).finish());
  // As the server sends it: cms.v1.ErrorInfo first, then the google.rpc ones.
  assert.deepEqual(decodeStatusDetails(encode([cmsInfo, ...google])).info, ours);
  // A trailer with only the google.rpc details loses nothing.
  assert.deepEqual(decodeStatusDetails(encode(google)).info, ours);
});

test('ErrorInfo with defaults only (reason alone)', () => {
  const buf = statusBuffer(grpc.status.ABORTED, 'etag is stale', { reason: 'STALE_ETAG' });
  const { status, info } = decodeStatusDetails(buf);
  assert.equal(status.message, 'etag is stale');
  assert.deepEqual(info, { rule_id: '', field_violations: [], reason: 'STALE_ETAG' });
});

test('no trailer, empty details, foreign Any, malformed trailer -> info null', () => {
  let err = decodeServiceError(serviceError(grpc.status.UNAVAILABLE, 'down'));
  assert.equal(err.code, grpc.status.UNAVAILABLE);
  assert.equal(err.details, 'down');
  assert.equal(err.info, null);

  err = decodeServiceError(serviceError(grpc.status.NOT_FOUND, 'x', statusBuffer(5, 'x', null)));
  assert.equal(err.info, null);
  assert.equal(err.status.code, 5);

  err = decodeServiceError(serviceError(grpc.status.NOT_FOUND, 'x',
    statusBuffer(5, 'x', { reason: 'NOT_FOUND' }, 'type.googleapis.com/google.rpc.ErrorInfo')));
  assert.equal(err.info, null);

  err = decodeServiceError(serviceError(grpc.status.INTERNAL, 'x', Buffer.from([0xff, 0xff, 0xff])));
  assert.equal(err.code, grpc.status.INTERNAL);
  assert.equal(err.info, null);
});

test('enum prefixes and short names', () => {
  assert.equal(enumPrefix('cms.v1.Country'), 'COUNTRY_');
  assert.equal(enumPrefix('ServiceSegment'), 'SERVICE_SEGMENT_');
  assert.equal(enumShortName('cms.v1.Country', 'COUNTRY_GB'), 'GB');
  assert.equal(enumShortName('cms.v1.Country', 2), 'NI');
  assert.equal(enumShortName('cms.v1.ServiceSegment', 'SERVICE_SEGMENT_OPTIONS'), 'OPTIONS');
  assert.equal(enumShortName('cms.v1.ServiceSegment', 'SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS'), 'SPECIAL_CLIENT_RECORDS');
  assert.equal(enumShortName('cms.v1.Role', 'ROLE_TEAM_LEADER'), 'TEAM_LEADER');
  assert.equal(enumShortName('cms.v1.Country', 'COUNTRY_UNSPECIFIED'), 'UNSPECIFIED');
  assert.equal(enumShortName('cms.v1.Country', 99), '99');
  assert.equal(enumFullName('cms.v1.Country', 'gb'), 'COUNTRY_GB');
  assert.equal(enumFullName('cms.v1.Role', 'team-leader'), 'ROLE_TEAM_LEADER');
  assert.equal(enumFullName('cms.v1.Role', 'ROLE_AUDITOR'), 'ROLE_AUDITOR');
  assert.throws(() => enumFullName('cms.v1.Country', 'fr'), /expected one of GB, NI/);
});

test('toShortEnums shortens nested and repeated enum fields', () => {
  const seg = { id: '7', country: 'COUNTRY_NI', service_segment: 'SERVICE_SEGMENT_NEW_CASE', status: 'LIFECYCLE_STATUS_ACTIVE',
    create_time: { seconds: '1', nanos: 0 } };
  assert.deepEqual(toShortEnums(seg, 'cms.v1.Segment'),
    { ...seg, country: 'NI', service_segment: 'NEW_CASE', status: 'ACTIVE' });
  const bom = toShortEnums({ segments: [seg], staff: [{ staff_id: 'a', role: 'ROLE_CASEWORKER' }] }, 'cms.v1.Bom');
  assert.equal(bom.segments[0].service_segment, 'NEW_CASE');
  assert.equal(bom.staff[0].role, 'CASEWORKER');
  assert.equal(seg.country, 'COUNTRY_NI', 'input is not modified');
});

test('dev.env parsing and config precedence', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cms-client-'));
  const file = path.join(dir, 'dev.env');
  fs.writeFileSync(file, '# dev\nCMS_SERVER=127.0.0.1:6000\nCMS_TOKEN="tok"\n\nCMS_USER=svc.manager\n');
  assert.deepEqual(parseDevEnv(file), { CMS_SERVER: '127.0.0.1:6000', CMS_TOKEN: 'tok', CMS_USER: 'svc.manager' });
  assert.deepEqual(resolveConfig({ env: {}, devEnvFile: file }),
    { server: '127.0.0.1:6000', token: 'tok', user: 'svc.manager' });
  assert.deepEqual(resolveConfig({ env: { CMS_USER: 'qa.auditor' }, devEnvFile: file, token: 't2' }),
    { server: '127.0.0.1:6000', token: 't2', user: 'qa.auditor' });
  assert.deepEqual(resolveConfig({ env: {}, devEnvFile: path.join(dir, 'missing') }),
    { server: '127.0.0.1:50051', token: '', user: '' });
  fs.rmSync(dir, { recursive: true });
});

test('connect builds promise clients with lowerCamel methods (no call made)', () => {
  const cms = connect({ server: '127.0.0.1:1', token: 't', user: 'svc.manager' });
  try {
    assert.equal(typeof cms.bom.listSegments, 'function');
    assert.equal(typeof cms.approvals.decideApproval, 'function');
    assert.equal(typeof cms.casegroups.explainRouting, 'function');
    assert.equal(typeof cms.admin.listAuditEvents, 'function');
    assert.equal(typeof cms.admin.getTimerStats, 'function');
    assert.equal(typeof cms.serviceRequests.createServiceRequest, 'function');
    assert.equal(typeof cms.work.getNextWork, 'function');
    assert.equal(typeof cms.letters.issueLetter, 'function');
    for (const m of ['setMopf', 'getMopf', 'generateSchedule', 'releaseSchedule', 'getSchedule',
      'recordPayment', 'getArrears', 'getStatement', 'waiveFees', 'addCharge']) {
      assert.equal(typeof cms.payments[m], 'function', `cms.payments.${m}`);
    }
    const tl = cms.asUser('tl.gb.new_case.a');
    assert.equal(tl.user, 'tl.gb.new_case.a');
    assert.equal(tl.bom.raw.getChannel(), cms.bom.raw.getChannel());
  } finally {
    cms.close();
  }
});
