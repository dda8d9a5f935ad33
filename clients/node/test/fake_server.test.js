'use strict';
// An in-process grpc-js BomService on 127.0.0.1:0: checks the auth metadata,
// asUser, the promise wrappers and the error trailer end to end. No CMS server.
const test = require('node:test');
const assert = require('node:assert/strict');
const { connect, loadProtos, grpc, CmsError, STATUS_DETAILS_KEY } = require('..');

const { grpcObject, root } = loadProtos();
const RpcStatus = root.lookupType('cms.v1.RpcStatus');
const ErrorInfo = root.lookupType('cms.v1.ErrorInfo');

function startFake() {
  const seen = [];
  const server = new grpc.Server();
  server.addService(grpcObject.cms.v1.BomService.service, {
    ListSegments(call, cb) {
      seen.push({ auth: call.metadata.get('authorization')[0], user: call.metadata.get('x-cms-user')[0] });
      const page = call.request.page_token === '' ? 1 : 2;
      cb(null, {
        segments: [{ id: String(page), country: 'COUNTRY_GB', service_segment: 'SERVICE_SEGMENT_OPTIONS',
          description: 'Options', code: 'Core', system_name: `FS_GB_OPT_O_CORE${page}` }],
        next_page_token: page === 1 ? 'p2' : '',
      });
    },
    GetSegment(call, cb) {
      const trailer = new grpc.Metadata();
      const value = ErrorInfo.encode(ErrorInfo.create({ reason: 'NOT_FOUND' })).finish();
      trailer.set(STATUS_DETAILS_KEY, Buffer.from(RpcStatus.encode(RpcStatus.create({
        code: grpc.status.NOT_FOUND, message: `segment ${call.request.id} not found`,
        details: [{ type_url: 'type.googleapis.com/cms.v1.ErrorInfo', value }],
      })).finish()));
      cb({ code: grpc.status.NOT_FOUND, details: `segment ${call.request.id} not found`, metadata: trailer });
    },
  });
  return new Promise((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
      if (err) reject(err);
      else resolve({ server, port, seen });
    });
  });
}

test('calls carry auth metadata, pages and errors decode', async () => {
  const { server, port, seen } = await startFake();
  const cms = connect({ server: `127.0.0.1:${port}`, token: 'sekrit', user: 'svc.manager' });
  try {
    const r1 = await cms.bom.listSegments({ page_size: 1 });
    assert.equal(r1.segments[0].country, 'COUNTRY_GB');
    assert.equal(r1.segments[0].id, '1');
    assert.equal(r1.segments[0].status, 'LIFECYCLE_STATUS_UNSPECIFIED', 'defaults: true');
    await cms.asUser('tl.gb.new_case.a').bom.listSegments({ page_token: r1.next_page_token });
    assert.deepEqual(seen, [
      { auth: 'Bearer sekrit', user: 'svc.manager' },
      { auth: 'Bearer sekrit', user: 'tl.gb.new_case.a' },
    ]);
    await assert.rejects(cms.bom.getSegment({ id: 42 }), (err) => {
      assert.ok(err instanceof CmsError);
      assert.equal(err.code, grpc.status.NOT_FOUND);
      assert.equal(err.details, 'segment 42 not found');
      assert.deepEqual(err.info, { rule_id: '', field_violations: [], reason: 'NOT_FOUND' });
      return true;
    });
    await assert.rejects(cms.bom.listTeams({}), (err) => err.code === grpc.status.UNIMPLEMENTED && err.info === null);
  } finally {
    cms.close();
    server.forceShutdown();
  }
});
