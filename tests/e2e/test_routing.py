"""Applications, routing, movement, idempotency and concurrency (SPEC §2, §3, X13)."""

import grpc

import cms_client
from cms_client import admin_pb2, bom_pb2, common_pb2
from cms_client import casegroup_pb2 as cg
from cms_e2e import address, application, nino, person, raises_code


def _segment(client, segment_id):
    return client.bom.GetSegment(bom_pb2.GetSegmentRequest(id=segment_id))


def _explain(client, casegroup_id):
    return client.casegroups.ExplainRouting(cg.ExplainRoutingRequest(casegroup_id=casegroup_id))


# ----------------------------------------------------------------- (a) region


def test_pp_in_belfast_goes_to_ni_new_case(cms):
    # C2.4: a PP postcode in area BT puts the casegroup in NI (the RP's GB postcode is ignored).
    # R3.2: a new application with no existing case fires rule 5 -> NEW_CASE.
    cw = cms.as_user("cw.ni.new_case.a1")
    app = cw.casegroups.CreateApplication(application(person("BT1 5GS"), person("SW1A 1AA")))
    assert app.casegroup_created  # C2.3: the PP had no casegroup
    group = app.casegroup
    assert group.owning_segment_system_name.startswith("FS_NI_"), group
    assert group.country == common_pb2.COUNTRY_NI
    assert group.routing_rule == "R3.2.5"
    assert list(group.case_ids) == [app.case.id]

    seg = _segment(cw, group.owning_segment_id)
    assert seg.country == common_pb2.COUNTRY_NI
    assert seg.service_segment == common_pb2.SERVICE_SEGMENT_NEW_CASE
    assert seg.system_name == group.owning_segment_system_name

    why = _explain(cw, group.id)
    assert why.rule_id == "R3.2.5"
    assert why.explanation.startswith("R3.2 rule 5"), why.explanation
    assert why.country == common_pb2.COUNTRY_NI
    assert why.service_segment == common_pb2.SERVICE_SEGMENT_NEW_CASE
    assert why.target_segment_id == why.current_segment_id == group.owning_segment_id
    assert why.facts.pp_postcode == "BT1 5GS"
    assert not why.facts.any_party_nationally_sensitive
    assert not why.facts.pp_address_outside_uk


def test_rp_in_belfast_does_not_make_the_casegroup_ni(cms):
    # C2.4: the RP's postcode never affects the region.
    cw = cms.as_user("cw.gb.new_case.a1")
    app = cw.casegroups.CreateApplication(application(person("CF10 1AA"), person("BT1 5GS")))
    assert app.casegroup.country == common_pb2.COUNTRY_GB
    assert app.casegroup.owning_segment_system_name.startswith("FS_GB_")
    assert _explain(cw, app.casegroup.id).rule_id == "R3.2.5"


# ----------------------------------------------------------------- (b) special client records


def test_sensitive_party_routes_to_special_client_records_visible_only_to_it(cms):
    # R3.2 rule 1: any party nationally sensitive -> SPECIAL_CLIENT_RECORDS (it beats rule 5).
    creator = cms.as_user("cw.gb.new_case.a1")
    app = creator.casegroups.CreateApplication(
        application(person("SW1A 1AA"), person("SW1A 1AA", sensitive=True)))
    group = app.casegroup
    seg = _segment(creator, group.owning_segment_id)  # BOM reads are open to everyone
    assert seg.service_segment == common_pb2.SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS
    assert seg.country == common_pb2.COUNTRY_GB  # C2.4 still picks the country
    assert group.routing_rule == "R3.2.1"

    scr = cms.as_user("cw.gb.special_client_records.a1")
    why = _explain(scr, group.id)
    assert why.rule_id == "R3.2.1"
    assert "R3.2" in why.explanation
    assert why.service_segment == common_pb2.SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS
    assert why.facts.any_party_nationally_sensitive
    assert scr.casegroups.GetCasegroup(cg.GetCasegroupRequest(id=group.id)).id == group.id

    # X13.1: special client records are visible only to that segment.
    with raises_code(grpc.StatusCode.PERMISSION_DENIED):
        _explain(creator, group.id)
    with raises_code(grpc.StatusCode.PERMISSION_DENIED):
        creator.casegroups.GetCasegroup(cg.GetCasegroupRequest(id=group.id))
    with raises_code(grpc.StatusCode.PERMISSION_DENIED):
        creator.casegroups.ListCasegroupMoves(cg.ListCasegroupMovesRequest(casegroup_id=group.id))


# ----------------------------------------------------------------- (c) validation


def _newest_audit_id(cms, actor):
    resp = cms.admin.ListAuditEvents(admin_pb2.ListAuditEventsRequest(actor=actor, page_size=1))
    return resp.events[0].id if resp.events else 0


def test_bad_nino_is_refused_naming_the_field_and_writes_nothing(cms):
    # C2.1: the NINO format is validated; X13.5: INVALID_ARGUMENT names each bad field
    # and nothing is half-written (no party, no audit row, no idempotency record).
    actor = "cw.gb.maintenance.a1"  # used by no other test, so its audit trail is ours alone
    cw = cms.as_user(actor)
    pp = person("SW1A 1AA", nino_value="AB12345")  # six digits and a suffix are required
    rp = person("SW1A 1AA")
    req = application(pp, rp)
    audit_before = _newest_audit_id(cms, actor)

    with raises_code(grpc.StatusCode.INVALID_ARGUMENT) as e:
        cw.casegroups.CreateApplication(req)
    assert e.value.info is not None, "INVALID_ARGUMENT must carry an ErrorInfo (X13.5)"
    fields = [v.field for v in e.value.info.field_violations]
    assert "paying_parent.new_person.nino" in fields, fields
    assert _newest_audit_id(cms, actor) == audit_before, "a refused call must write nothing"

    # X13.5 (AIP-193): the trailer is a google.rpc.Status whose details hold
    # google.rpc.ErrorInfo (domain cms.v1) and google.rpc.BadRequest beside the
    # cms.v1.ErrorInfo; read from the google.rpc ones alone, nothing is lost.
    raw = dict(e.value.trailing_metadata())[cms_client.STATUS_DETAILS_KEY]
    status = common_pb2.RpcStatus.FromString(raw)
    kinds = [d.type_url.rsplit("/", 1)[-1] for d in status.details]
    assert kinds[0] == "cms.v1.ErrorInfo", kinds  # where clients before AIP-193 look
    assert "google.rpc.ErrorInfo" in kinds and "google.rpc.BadRequest" in kinds, kinds
    google_only = common_pb2.RpcStatus(code=status.code, message=status.message)
    google_only.details.extend(
        d for d in status.details if d.type_url.rsplit("/", 1)[-1].startswith("google.rpc."))
    rebuilt = cms_client.error_info_from_status(google_only)
    assert rebuilt.reason == e.value.info.reason
    assert rebuilt.rule_id == e.value.info.rule_id
    assert [v.field for v in rebuilt.field_violations] == fields

    # X13.4: a failed call stores no result, so the retry (same request id, valid NINO) runs.
    good = nino()
    req.paying_parent.new_person.nino = good
    app = cw.casegroups.CreateApplication(req)
    assert app.casegroup_created
    assert _newest_audit_id(cms, actor) > audit_before
    # The case went to NEW_CASE, which the maintenance caseworker has no need
    # to read (X13.1); service management does.
    pp_saved = cms.casegroups.GetPerson(cg.GetPersonRequest(id=app.case.paying_parent_id))
    assert pp_saved.nino == good
    assert pp_saved.family_name == pp.family_name


# ----------------------------------------------------------------- (d) movement


def test_pp_moving_to_belfast_moves_the_casegroup_to_ni(cms):
    # R3.3: a routing fact change (the PP's residential address) re-routes the casegroup.
    creator = cms.as_user("cw.gb.new_case.a1")
    app = creator.casegroups.CreateApplication(application(person("SW1A 1AA"), person("SW1A 1AA")))
    group = app.casegroup
    gb_segment = group.owning_segment_id
    assert group.country == common_pb2.COUNTRY_GB

    updater_id = "tl.gb.new_case.a"
    updater = cms.as_user(updater_id)
    pp = updater.casegroups.GetPerson(cg.GetPersonRequest(id=app.case.paying_parent_id))
    pp.residential_address.CopyFrom(address("BT1 5GS", "2 Donegall Square"))
    updated = updater.casegroups.UpdatePerson(
        cg.UpdatePersonRequest(request_id=cms_client.new_request_id(), person=pp))
    assert updated.residential_address.postcode == "BT1 5GS"
    assert updated.etag != pp.etag

    moved = cms.casegroups.GetCasegroup(cg.GetCasegroupRequest(id=group.id))
    assert moved.country == common_pb2.COUNTRY_NI  # C2.4
    assert moved.owning_segment_system_name.startswith("FS_NI_"), moved
    assert moved.owning_segment_id != gb_segment
    ni_seg = _segment(cms, moved.owning_segment_id)
    assert ni_seg.country == common_pb2.COUNTRY_NI
    assert ni_seg.service_segment == common_pb2.SERVICE_SEGMENT_NEW_CASE
    assert _explain(cms, group.id).current_segment_id == moved.owning_segment_id

    # R3.5: every move is recorded with from, to, rule, trigger, instant and actor (oldest first).
    moves = list(cms.casegroups.ListCasegroupMoves(
        cg.ListCasegroupMovesRequest(casegroup_id=group.id)).moves)
    assert len(moves) == 2, moves
    placed, move = moves
    assert placed.from_segment_id == 0 and placed.to_segment_id == gb_segment
    assert placed.trigger.startswith("CreateApplication")
    assert placed.actor == "cw.gb.new_case.a1"
    assert move.casegroup_id == group.id
    assert move.from_segment_id == gb_segment
    assert move.to_segment_id == moved.owning_segment_id
    assert move.rule_id == "R3.2.5"
    assert move.trigger.startswith("UpdatePerson"), move.trigger
    assert move.actor == updater_id
    assert move.move_time.seconds > 0
    assert move.move_time.ToNanoseconds() >= placed.move_time.ToNanoseconds()


# ----------------------------------------------------------------- (e) idempotency and etags


def test_create_application_replay_returns_the_first_result(cms):
    # X13.4: a retry with the same request id returns the first result and changes nothing.
    cw = cms.as_user("cw.gb.new_case.a2")
    req = application(person("SW1A 1AA"), person("SW1A 1AA"))
    first = cw.casegroups.CreateApplication(req)
    again = cw.casegroups.CreateApplication(req)
    assert again.case.id == first.case.id
    assert again.casegroup.id == first.casegroup.id
    assert again.casegroup_created == first.casegroup_created
    group = cw.casegroups.GetCasegroup(cg.GetCasegroupRequest(id=first.casegroup.id))
    assert list(group.case_ids) == [first.case.id], "the replay must not add a case"

    # X13.4: the same request id with different content is refused.
    other = cg.CreateApplicationRequest()
    other.CopyFrom(req)
    other.children[0].given_name = "Different"
    with raises_code(grpc.StatusCode.INVALID_ARGUMENT) as e:
        cw.casegroups.CreateApplication(other)
    assert e.value.info is not None
    assert "request_id" in [v.field for v in e.value.info.field_violations], e.value
    group = cw.casegroups.GetCasegroup(cg.GetCasegroupRequest(id=first.casegroup.id))
    assert list(group.case_ids) == [first.case.id]


def test_update_person_with_stale_etag_is_aborted(cms):
    # X13.3: an update carrying a stale etag is refused (ABORTED), never overwriting.
    cw = cms.as_user("cw.gb.new_case.b1")
    created = cw.casegroups.CreatePerson(
        cg.CreatePersonRequest(request_id=cms_client.new_request_id(), person=person("SW1A 1AA")))
    assert created.etag

    first = cg.Person()
    first.CopyFrom(created)
    first.phone = "01234 567890"
    updated = cw.casegroups.UpdatePerson(
        cg.UpdatePersonRequest(request_id=cms_client.new_request_id(), person=first))
    assert updated.etag and updated.etag != created.etag

    stale = cg.Person()
    stale.CopyFrom(created)  # still carries the first etag
    stale.email = "someone@example.org"
    with raises_code(grpc.StatusCode.ABORTED) as e:
        cw.casegroups.UpdatePerson(
            cg.UpdatePersonRequest(request_id=cms_client.new_request_id(), person=stale))
    assert e.value.info is not None and e.value.info.reason == "STALE_ETAG", e.value

    now = cw.casegroups.GetPerson(cg.GetPersonRequest(id=created.id))
    assert now.phone == "01234 567890" and now.email == "" and now.etag == updated.etag
