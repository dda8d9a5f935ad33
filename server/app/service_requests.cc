#include "server/app/service_requests.h"

#include <map>

#include "absl/algorithm/container.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/time_util.h"
#include "server/app/access.h"
#include "server/app/dates.h"
#include "server/app/decisions.h"
#include "server/app/party_validation.h"
#include "server/app/routing_service.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/base/field_mask.h"
#include "server/base/paging.h"
#include "server/base/status_macros.h"
#include "server/domain/guidance.h"
#include "server/domain/ndr.h"
#include "server/domain/postcode.h"
#include "server/domain/sr_moves.h"
#include "server/domain/sr_owner.h"
#include "server/domain/sr_rules.h"
#include "server/domain/versions.h"
#include "server/store/bom_repo.h"
#include "server/store/casegroup_repo.h"
#include "server/store/employment_repo.h"
#include "server/store/party_repo.h"
#include "server/store/sr_repo.h"
#include "server/store/timer_repo.h"

namespace cms::app {
namespace {

using cms::v1::ServiceRequest;
using cms::v1::SrType;

// The type's names, and the moves a caller may ask for now (SR5.2, A6.1,
// AG11.1), on every SR the server returns: a client offers these and holds
// no copy of the machine.
void Decorate(const SrType& type, ServiceRequest* sr) {
  sr->set_process(type.process());
  sr->set_area(type.area());
  sr->set_sub_area(type.sub_area());
  sr->set_kind(type.kind());
  sr->clear_allowed_next_statuses();
  for (cms::v1::SrStatus s : domain::CallerNextStatuses(type, sr->status())) {
    sr->add_allowed_next_statuses(s);
  }
  sr->set_may_submit_for_approval(domain::MaySubmitForApproval(type, sr->status()));
}

std::map<std::string, std::string> FieldsOf(
    const google::protobuf::Map<std::string, std::string>& m) {
  return {m.begin(), m.end()};
}

// SR5.4: each field the type does not declare, or whose value is too long
// or holds control characters, is named. Every writer goes through here:
// CreateServiceRequest and the rules raising SRs (RaiseByRule, through
// CheckCreateRequest) with the SR's fields, UpdateServiceRequestFields
// with those its mask writes.
void AddFieldProblems(const SrType& type,
                      const google::protobuf::Map<std::string, std::string>& fields,
                      FieldErrors& errors) {
  for (FieldError& e : domain::SrFieldProblems(type, FieldsOf(fields))) {
    errors.Add(std::move(e.field), std::move(e.description));
  }
}

// SR5.4: each missing mandatory field is named.
void AddMissingFields(const SrType& type,
                      const google::protobuf::Map<std::string, std::string>& fields,
                      FieldErrors& errors) {
  for (const std::string& name : domain::MissingMandatoryFields(type, FieldsOf(fields))) {
    errors.Add(absl::StrCat("fields[", name, "]"),
               absl::StrCat("mandatory for ", type.sub_area(), " (SR5.4)"));
  }
}

// A casegroup's parties: its PP and the RP of every case.
absl::StatusOr<bool> IsPartyOf(store::Tx& tx, const cms::v1::Casegroup& g, int64_t person_id) {
  if (g.paying_parent_id() == person_id) return true;
  CMS_ASSIGN_OR_RETURN(auto cases, store::ListCasesOfCasegroup(tx, g.id()));
  for (const auto& c : cases) {
    if (c.receiving_parent_id() == person_id) return true;
  }
  return false;
}

// SR5.6: a note's subject must exist and be visible to the caller; to add a
// note (`write`) the caller must also work it: an SR's owning segment, or
// the casegroup's owner for case and contact notes (SR5.7).
absl::Status CheckNoteSubject(store::Tx& tx, cms::v1::NoteSubject subject, int64_t id,
                              const Actor& actor, bool write) {
  switch (subject) {
    case cms::v1::NOTE_SUBJECT_SERVICE_REQUEST: {
      auto sr = store::GetServiceRequest(tx, id);
      if (absl::IsNotFound(sr.status())) return InvalidField("subject_id", "no such SR");
      CMS_RETURN_IF_ERROR(sr.status());
      return write ? CheckCanWorkSr(tx, *sr, actor) : CheckCanSeeSr(tx, *sr, actor);
    }
    case cms::v1::NOTE_SUBJECT_CASE: {
      auto k = store::GetCase(tx, id);
      if (absl::IsNotFound(k.status())) return InvalidField("subject_id", "no such case");
      CMS_RETURN_IF_ERROR(k.status());
      CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, store::GetCasegroup(tx, k->casegroup_id()));
      return write ? CheckCanChangeCasegroup(tx, g, actor) : CheckCanSeeCasegroup(tx, g, actor);
    }
    case cms::v1::NOTE_SUBJECT_PERSON: {
      auto p = store::GetPerson(tx, id);
      if (absl::IsNotFound(p.status())) return InvalidField("subject_id", "no such person");
      CMS_RETURN_IF_ERROR(p.status());
      return write ? CheckCanChangePerson(tx, id, actor) : CheckCanSeePerson(tx, id, actor);
    }
    default:
      return InvalidField("subject", "SERVICE_REQUEST, CASE or PERSON", "SR5.6");
  }
}

// The type of a stored SR, from the catalog it was raised under; one
// dropped from the catalog since is FAILED_PRECONDITION.
absl::StatusOr<const SrType*> TypeOfStored(const catalog::SrCatalog& catalog,
                                           const ServiceRequest& sr) {
  const SrType* type = catalog.Find(sr.type_code());
  if (type == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("SR type ", sr.type_code(), " is no longer in the catalog"));
  }
  return type;
}

}  // namespace

absl::Status ServiceRequestApp::ListSrTypes(const cms::v1::ListSrTypesRequest& req,
                                            cms::v1::ListSrTypesResponse* out) {
  // AIP-158: paged like every list, although the catalog is small.
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req, /*id_cursor=*/false));
  CMS_ASSIGN_OR_RETURN(
      std::string next,
      PageInMemory(
          page, catalog_.types(), [](const SrType& t) -> const std::string& { return t.code(); },
          [&](const SrType& t) { *out->add_types() = t; }));
  out->set_next_page_token(std::move(next));
  return absl::OkStatus();
}

absl::StatusOr<domain::SrOwner> OwnerOfSr(store::Tx& tx, const SrType& type,
                                          const cms::v1::Casegroup& casegroup,
                                          int64_t subject_person_id) {
  domain::SrOwnerFacts facts;
  facts.kind = type.kind();
  facts.casegroup_segment_id = casegroup.owning_segment_id();
  facts.casegroup_allocated_to = casegroup.allocated_to();
  if (domain::NeedsSpecialistFacts(type.kind())) {
    facts.specialist = type.specialist_segment();
    facts.type_name = type.sub_area();
    CMS_ASSIGN_OR_RETURN(cms::v1::Person subject, store::GetPerson(tx, subject_person_id));
    facts.subject_country = domain::RegionOf(subject.residential_address().postcode(),
                                             subject.residential_address().non_uk());
    CMS_ASSIGN_OR_RETURN(facts.live_segments, store::ListLiveSegments(tx, facts.subject_country));
  }
  return domain::ChooseSrOwner(facts);
}

void DescribeType(const catalog::SrCatalog& catalog, ServiceRequest* sr) {
  if (const SrType* type = catalog.Find(sr->type_code()); type != nullptr) Decorate(*type, sr);
}

absl::Status AddSrNote(Command& c, int64_t sr_id, const std::string& text,
                       const std::string& author) {
  cms::v1::Note note;
  note.set_subject(cms::v1::NOTE_SUBJECT_SERVICE_REQUEST);
  note.set_subject_id(sr_id);
  note.set_text(text);
  note.set_author(author.empty() ? c.actor().staff_id : author);
  CMS_ASSIGN_OR_RETURN(int64_t id, store::InsertNote(c.tx(), note, c.now_us()));
  note.set_id(id);
  c.Audit("note", absl::StrCat(id), nullptr, note);
  return absl::OkStatus();
}

absl::StatusOr<ServiceRequest> LoadServiceRequest(store::Tx& tx, const catalog::SrCatalog& catalog,
                                                  int64_t id) {
  CMS_ASSIGN_OR_RETURN(ServiceRequest sr, store::GetServiceRequest(tx, id));
  DescribeType(catalog, &sr);
  return sr;
}

absl::Status ServiceRequestApp::CheckCreateRequest(
    const cms::v1::CreateServiceRequestRequest& req) const {
  FieldErrors errors;
  const SrType* type = catalog_.Find(req.type_code());
  if (type == nullptr) errors.Add("type_code", "not in the SR catalog (ListSrTypes)");
  if (req.casegroup_id() <= 0) errors.Add("casegroup_id", "required");
  if (req.source() == cms::v1::SR_SOURCE_UNSPECIFIED || !cms::v1::SrSource_IsValid(req.source())) {
    errors.Add("source", "required (SR5.8)");
  }
  if (req.description().size() > 2000) errors.Add("description", "at most 2000 characters");
  if (type != nullptr) {
    AddFieldProblems(*type, req.fields(), errors);
    AddMissingFields(*type, req.fields(), errors);
    if (type->kind() == cms::v1::SR_KIND_FUNCTIONALLY_UNIQUE && req.subject_person_id() <= 0) {
      errors.Add("subject_person_id",
                 "a functionally unique SR is raised against a person (SR5.7)");
    }
    if (type->one_open_per_case() && req.case_id() <= 0) {
      errors.Add("case_id", absl::StrCat(type->sub_area(), " SRs belong to a case (SR5.10)"));
    }
  }
  return errors.ToStatus("SR5.4");
}

absl::Status ServiceRequestApp::Create(const Actor& actor,
                                       const cms::v1::CreateServiceRequestRequest& req,
                                       cms::v1::CreateServiceRequestResponse* out) {
  CMS_RETURN_IF_ERROR(CheckCreateRequest(req));
  return commands_.Run(actor, "CreateServiceRequest", req, req.request_id(), out,
                       [&](Command& c) { return ApplyCreate(c, req, /*rule_id=*/"", out); });
}

absl::Status ServiceRequestApp::ApplyCreate(Command& c,
                                            const cms::v1::CreateServiceRequestRequest& req,
                                            absl::string_view rule_id,
                                            cms::v1::CreateServiceRequestResponse* out) {
  const SrType* type = catalog_.Find(req.type_code());
  const bool by_rule = !rule_id.empty();
  // Locking the casegroup serialises SR creation per casegroup, so the
  // duplicate check below cannot race (SR5.10).
  auto group = store::GetCasegroup(c.tx(), req.casegroup_id(), /*for_update=*/true);
  if (absl::IsNotFound(group.status())) return InvalidField("casegroup_id", "no such casegroup");
  CMS_RETURN_IF_ERROR(group.status());
  // The case owner raises SRs, functionally unique ones included (SR5.7);
  // a rule raises them for the owner.
  if (!by_rule) CMS_RETURN_IF_ERROR(CheckCanChangeCasegroup(c.tx(), *group, c.actor()));
  if (type->specialist_segment() == cms::v1::SERVICE_SEGMENT_ADVICE_AND_GUIDANCE) {
    // AG11.1: special client records ask A&G privately, never by an SR
    // that would take their casegroup to A&G.
    CMS_ASSIGN_OR_RETURN(cms::v1::Segment owner,
                         store::GetSegment(c.tx(), group->owning_segment_id()));
    CMS_RETURN_IF_ERROR(domain::CheckGuidanceSrAllowed(type->code(), owner.service_segment()));
  }
  FieldErrors refs;
  if (req.case_id() != 0 &&
      absl::c_find(group->case_ids(), req.case_id()) == group->case_ids().end()) {
    refs.Add("case_id", "not a case of this casegroup");
  }
  if (req.subject_person_id() != 0) {
    CMS_ASSIGN_OR_RETURN(bool party, IsPartyOf(c.tx(), *group, req.subject_person_id()));
    if (!party) refs.Add("subject_person_id", "not a party of this casegroup");
  }
  if (req.parent_id() != 0) {
    auto parent = store::GetServiceRequest(c.tx(), req.parent_id());
    if (!parent.ok() || parent->casegroup_id() != group->id()) {
      refs.Add("parent_id", "not an SR of this casegroup (SR5.5)");
    }
  }
  for (int64_t related : req.related_ids()) {
    if (!store::GetServiceRequest(c.tx(), related).ok()) {
      refs.Add("related_ids", absl::StrCat("no SR ", related));
    }
  }
  CMS_RETURN_IF_ERROR(refs.ToStatus("SR5.5"));

  if (type->one_open_per_case()) {  // SR5.10
    CMS_ASSIGN_OR_RETURN(auto open,
                         store::FindOpenServiceRequest(c.tx(), req.case_id(), type->code()));
    if (open.has_value()) {
      CMS_ASSIGN_OR_RETURN(*out->mutable_service_request(),
                           LoadServiceRequest(c.tx(), catalog_, *open));
      out->set_existing(true);
      return Announce(c, out);
    }
  }

  ServiceRequest sr;
  sr.set_type_code(type->code());
  sr.set_kind(type->kind());
  sr.set_casegroup_id(group->id());
  sr.set_case_id(req.case_id());
  sr.set_subject_person_id(req.subject_person_id());
  sr.set_status(cms::v1::SR_STATUS_OPEN);
  sr.set_source(req.source());
  // SR5.8: an SR a rule raises names the rule; callers of the RPC cannot.
  sr.set_created_by_rule(std::string(rule_id));
  sr.set_priority(type->priority() || req.priority());
  sr.set_parent_id(req.parent_id());
  *sr.mutable_related_ids() = req.related_ids();
  *sr.mutable_fields() = req.fields();
  sr.set_description(req.description());
  sr.set_created_by(c.actor().staff_id);
  // W4.2, SR5.7: the casegroup's segment and caseworker, or the specialist.
  CMS_ASSIGN_OR_RETURN(domain::SrOwner owner,
                       OwnerOfSr(c.tx(), *type, *group, req.subject_person_id()));
  sr.set_owning_segment_id(owner.segment_id);
  sr.set_allocated_to(owner.allocated_to);
  CMS_ASSIGN_OR_RETURN(int64_t id, store::InsertServiceRequest(c.tx(), sr, c.now_us()));
  // The response is the row as written, built here rather than read
  // back: SR creation is the hottest write (the create-equals-get test
  // in sr_service_test keeps the two in step).
  sr.set_id(id);
  *sr.mutable_create_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(c.now_us());
  *sr.mutable_update_time() = sr.create_time();
  sr.set_etag(EtagOf(domain::kFirstVersion));
  absl::c_sort(*sr.mutable_related_ids());
  Decorate(*type, &sr);
  *out->mutable_service_request() = std::move(sr);
  c.Audit("service_request", absl::StrCat(id), nullptr, out->service_request());
  return Announce(c, out);
}

absl::Status ServiceRequestApp::Announce(Command& c, cms::v1::CreateServiceRequestResponse* out) {
  if (events_ == nullptr) return absl::OkStatus();
  CMS_ASSIGN_OR_RETURN(bool changed,
                       events_->ServiceRequestRaised(c, out->service_request(), out->existing()));
  if (!changed) return absl::OkStatus();
  CMS_ASSIGN_OR_RETURN(*out->mutable_service_request(),
                       LoadServiceRequest(c.tx(), catalog_, out->service_request().id()));
  return absl::OkStatus();
}

absl::Status ServiceRequestApp::Get(const Actor& actor,
                                    const cms::v1::GetServiceRequestRequest& req,
                                    ServiceRequest* out) {
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(*out, LoadServiceRequest(tx, catalog_, req.id()));
    return CheckCanSeeSr(tx, *out, actor);
  });
}

absl::Status ServiceRequestApp::List(const Actor& actor,
                                     const cms::v1::ListServiceRequestsRequest& req,
                                     cms::v1::ListServiceRequestsResponse* out) {
  FieldErrors errors;
  if (req.casegroup_id() < 0 || (req.casegroup_id() == 0 && req.parent_id() == 0)) {
    errors.Add("casegroup_id", "required, unless parent_id names the SR");
  }
  if (req.parent_id() < 0) errors.Add("parent_id", "an SR id, or 0 for any");
  CMS_RETURN_IF_ERROR(errors.ToStatus("SR5.5"));
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    store::SrListFilter f;
    f.casegroup_id = req.casegroup_id();
    f.parent_id = req.parent_id();
    f.include_closed = req.include_closed();
    if (f.parent_id != 0) {  // SR5.5: children share their parent's casegroup
      auto parent = store::GetServiceRequest(tx, f.parent_id);
      if (absl::IsNotFound(parent.status())) return InvalidField("parent_id", "no such SR");
      CMS_RETURN_IF_ERROR(parent.status());
      if (f.casegroup_id != 0 && f.casegroup_id != parent->casegroup_id()) {
        return InvalidField("parent_id",
                            absl::StrCat("SR ", f.parent_id, " is of another casegroup"), "SR5.5");
      }
      f.casegroup_id = parent->casegroup_id();
    }
    auto g = store::GetCasegroup(tx, f.casegroup_id);
    if (absl::IsNotFound(g.status())) return InvalidField("casegroup_id", "no such casegroup");
    CMS_RETURN_IF_ERROR(g.status());
    CMS_RETURN_IF_ERROR(CheckCanSeeCasegroup(tx, *g, actor));
    CMS_ASSIGN_OR_RETURN(auto srs, store::ListServiceRequests(tx, f, page));
    for (auto& sr : srs) {
      DescribeType(catalog_, &sr);
      *out->add_service_requests() = std::move(sr);
    }
    if (out->service_requests_size() == page.limit) {
      out->set_next_page_token(page.NextToken(out->service_requests().rbegin()->id()));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<const SrType*> ServiceRequestApp::LoadForChange(Command& c, int64_t id,
                                                               const std::string& etag,
                                                               bool by_rule, ServiceRequest* sr) {
  CMS_ASSIGN_OR_RETURN(*sr, store::GetServiceRequest(c.tx(), id, /*for_update=*/true));
  CMS_RETURN_IF_ERROR(CheckEtag(etag, sr->etag(), "etag", "service request", absl::StrCat(id)));
  // SR5.7: an SR is worked by its owning segment: the casegroup's for
  // case-owning SRs, the specialist's for functionally unique ones. A rule
  // (a timer) acts for whichever segment owns it.
  if (!by_rule) CMS_RETURN_IF_ERROR(CheckCanWorkSr(c.tx(), *sr, c.actor()));
  CMS_ASSIGN_OR_RETURN(const SrType* type, TypeOfStored(catalog_, *sr));
  Decorate(*type, sr);
  return type;
}

absl::Status ServiceRequestApp::ChangeStatus(const Actor& actor,
                                             const cms::v1::ChangeServiceRequestStatusRequest& req,
                                             ServiceRequest* out) {
  FieldErrors errors;
  if (req.status() == cms::v1::SR_STATUS_UNSPECIFIED || !cms::v1::SrStatus_IsValid(req.status())) {
    errors.Add("status", "required");
  }
  if (req.wait_days() < 0 || req.wait_days() > 366) errors.Add("wait_days", "0..366");
  if (req.note().size() > 4000) errors.Add("note", "at most 4000 characters");
  CMS_RETURN_IF_ERROR(errors.ToStatus("SR5.2"));
  return commands_.Run(
      actor, "ChangeServiceRequestStatus", req, req.request_id(), out,
      [&](Command& c) { return ApplyStatusChange(c, req, ChangedBy::kCaller, out); });
}

absl::Status ServiceRequestApp::ApplyStatusChange(
    Command& c, const cms::v1::ChangeServiceRequestStatusRequest& req, ChangedBy by,
    ServiceRequest* out) {
  ServiceRequest before;
  CMS_ASSIGN_OR_RETURN(const SrType* type,
                       LoadForChange(c, req.id(), req.etag(), by == ChangedBy::kRule, &before));
  if (by == ChangedBy::kCaller) {  // A6.1, AG11.1: some moves belong to other use cases
    CMS_RETURN_IF_ERROR(domain::CheckCallerRoute(*type, before.status(), req.status()));
  }
  domain::StatusMove move{before.status(), req.status(), req.sub_status(), req.resolution_code()};
  CMS_RETURN_IF_ERROR(domain::CheckStatusMove(*type, move));
  // SR5.2: staying in the status changes the sub status alone: a waiting
  // SR keeps its wake date and its timer.
  const bool stays = before.status() == req.status();
  if (stays && req.wait_days() != 0) {
    return InvalidField("wait_days", "a sub status change keeps the wake date", "SR5.9");
  }
  if (req.status() != cms::v1::SR_STATUS_CANCELLED && req.status() != cms::v1::SR_STATUS_OPEN) {
    FieldErrors missing;  // SR5.4: past OPEN every mandatory field is present
    AddMissingFields(*type, before.fields(), missing);
    CMS_RETURN_IF_ERROR(missing.ToStatus("SR5.4"));
  }
  ServiceRequest after = before;
  if (req.status() == cms::v1::SR_STATUS_IN_PROGRESS && !stays) {  // SR5.3: the first time only
    CMS_ASSIGN_OR_RETURN(bool planned, store::PlanGenerated(c.tx(), req.id()));
    if (!planned) {
      const int added = before.activities().empty() ? 0 : before.activities().rbegin()->seq();
      CMS_RETURN_IF_ERROR(
          store::InsertActivities(c.tx(), req.id(), domain::GeneratePlan(*type, added)));
      CMS_RETURN_IF_ERROR(store::MarkPlanGenerated(c.tx(), req.id()));
    }
  }
  if (req.status() == cms::v1::SR_STATUS_CLOSED) {
    if (domain::CloseWaitsForCalculation(type->code())) {  // M7.4
      CMS_ASSIGN_OR_RETURN(std::optional<int64_t> pending,
                           store::PendingCalculationOfSr(c.tx(), req.id()));
      CMS_RETURN_IF_ERROR(
          domain::CheckNoCalculationPending(domain::CalculationSrStep::kClose, req.id(), pending));
    }
    CMS_ASSIGN_OR_RETURN(int64_t children, store::CountOpenChildren(c.tx(), req.id()));
    CMS_RETURN_IF_ERROR(domain::CheckCanClose(
        *type, {before.activities().begin(), before.activities().end()}, children));
  }
  after.set_status(req.status());
  after.set_sub_status(domain::SubStatusAfter(move));
  after.set_resolution_code(req.resolution_code());
  if (!stays) after.clear_wake_date();
  if (req.status() == cms::v1::SR_STATUS_WAIT && !stays) {  // SR5.9
    const int days = domain::WaitDays(*type, req.wait_days());
    if (days <= 0) {
      return InvalidField("wait_days", "this type has no default wait period; give one", "SR5.9");
    }
    *after.mutable_wake_date() = DateOf(commands_.clock().Today(c.now()) + days);
  }
  CMS_RETURN_IF_ERROR(store::UpdateServiceRequest(c.tx(), after, c.now_us()));
  if (after.status() == cms::v1::SR_STATUS_CLOSED) {
    // AG11.2: the SR's resolution is a business decision Q&A samples.
    CMS_RETURN_IF_ERROR(
        RecordDecision(c, DecisionOnSr(cms::v1::BUSINESS_DECISION_TYPE_SR_RESOLUTION,
                                       "service_request", after.id(), after)));
  }
  if (domain::IsTerminal(after.status())) {
    // R3.4: a routing change made through this SR takes effect now.
    CMS_ASSIGN_OR_RETURN(bool deferred, store::RerouteOnClose(c.tx(), req.id()));
    if (deferred) {
      CMS_RETURN_IF_ERROR(Reroute(c, after.casegroup_id(),
                                  absl::StrCat("ServiceRequest ", req.id(), " closed (R3.4)"))
                              .status());
    }
    if (events_ != nullptr) CMS_RETURN_IF_ERROR(events_->ServiceRequestEnded(c, after));
  }
  if (!req.note().empty()) CMS_RETURN_IF_ERROR(AddSrNote(c, req.id(), req.note()));
  CMS_ASSIGN_OR_RETURN(*out, LoadServiceRequest(c.tx(), catalog_, req.id()));
  if (out->status() == cms::v1::SR_STATUS_WAIT && !stays) {
    // SR5.9: the wake-up is a durable timer, keyed by the SR's new version
    // so a later WAIT schedules its own; leaving WAIT early makes this one
    // stale (WakeFromWait checks).
    const absl::CivilDay wake = CivilDayOf(out->wake_date());
    store::TimerSpec spec{kSrWaitExpiryTimer, req.id(), commands_.clock().StartOf(wake),
                          absl::FormatCivilTime(wake),
                          absl::StrCat(kSrWaitExpiryTimer, "/", req.id(), "/", out->etag())};
    CMS_RETURN_IF_ERROR(store::ScheduleTimer(c.tx(), spec, c.now_us()).status());
  }
  c.Audit("service_request", absl::StrCat(req.id()), &before, *out);
  return absl::OkStatus();
}

absl::StatusOr<cms::v1::CreateServiceRequestResponse> ServiceRequestApp::RaiseByRule(
    Command& c, const RuleSr& spec) {
  cms::v1::CreateServiceRequestRequest req;
  req.set_type_code(spec.type_code);
  req.set_casegroup_id(spec.casegroup_id);
  req.set_case_id(spec.case_id);
  req.set_source(spec.source);
  for (const auto& [k, v] : spec.fields) (*req.mutable_fields())[k] = v;
  req.set_description(spec.description);
  // SR5.5: ApplyCreate checks the parent is an SR of the same casegroup
  // (and the subject a party of it), as for Create.
  req.set_parent_id(spec.parent_id);
  req.set_priority(spec.priority);
  req.set_subject_person_id(spec.subject_person_id);
  // A rule's own request failing validation is the server's bug, not the
  // caller's: say which rule.
  if (absl::Status bad = CheckCreateRequest(req); !bad.ok()) {
    return absl::InternalError(absl::StrCat("rule ", spec.rule, " raises an invalid ",
                                            spec.type_code, " SR: ", bad.message()));
  }
  cms::v1::CreateServiceRequestResponse out;
  CMS_RETURN_IF_ERROR(ApplyCreate(c, req, spec.rule, &out));
  return out;
}

absl::StatusOr<ServiceRequest> ServiceRequestApp::ApplyRuleMove(
    Command& c, const ServiceRequest& locked, cms::v1::ChangeServiceRequestStatusRequest req,
    absl::string_view rule) {
  // A6.1: PENDING_APPROVAL is entered and left through the approval use
  // cases only, by a rule as by a caller.
  if (req.status() == cms::v1::SR_STATUS_PENDING_APPROVAL ||
      locked.status() == cms::v1::SR_STATUS_PENDING_APPROVAL) {
    return RuleViolation(
        "A6.1", absl::StrCat("rule ", rule, " cannot move SR ", locked.id(), " from ",
                             ShortName(locked.status()), " to ", ShortName(req.status()),
                             ": PENDING_APPROVAL is entered and left through ApprovalService"));
  }
  req.set_id(locked.id());
  req.set_etag(locked.etag());  // the version this command has locked
  ServiceRequest out;
  CMS_RETURN_IF_ERROR(ApplyStatusChange(c, req, ChangedBy::kRule, &out));
  return out;
}

absl::StatusOr<ServiceRequest> ServiceRequestApp::MoveByRule(Command& c, int64_t sr_id,
                                                             cms::v1::SrStatus to,
                                                             const std::string& sub_status,
                                                             const std::string& note,
                                                             absl::string_view rule) {
  CMS_ASSIGN_OR_RETURN(ServiceRequest sr,
                       store::GetServiceRequest(c.tx(), sr_id, /*for_update=*/true));
  cms::v1::ChangeServiceRequestStatusRequest req;
  req.set_status(to);
  req.set_sub_status(sub_status);
  req.set_note(note);
  return ApplyRuleMove(c, sr, std::move(req), rule);
}

absl::StatusOr<ServiceRequest> ServiceRequestApp::CloseByRule(Command& c, int64_t sr_id,
                                                              std::string resolution_code,
                                                              std::string sub_status,
                                                              std::string note,
                                                              absl::string_view rule) {
  CMS_ASSIGN_OR_RETURN(ServiceRequest sr,
                       store::GetServiceRequest(c.tx(), sr_id, /*for_update=*/true));
  cms::v1::ChangeServiceRequestStatusRequest close;
  close.set_status(cms::v1::SR_STATUS_CLOSED);
  close.set_sub_status(std::move(sub_status));
  close.set_resolution_code(std::move(resolution_code));
  close.set_note(std::move(note));
  if (sr.status() == cms::v1::SR_STATUS_PENDING_APPROVAL || domain::IsTerminal(sr.status())) {
    return ApplyRuleMove(c, sr, std::move(close), rule);  // refused: A6.1, SR5.2
  }
  if (sr.status() == cms::v1::SR_STATUS_OPEN) {  // SR5.3: this generates its plan
    cms::v1::ChangeServiceRequestStatusRequest start;
    start.set_status(cms::v1::SR_STATUS_IN_PROGRESS);
    CMS_ASSIGN_OR_RETURN(sr, ApplyRuleMove(c, sr, std::move(start), rule));
  }
  // SR5.3: the plan is finished as its caseworker would finish it, by the
  // command's actor: each OPEN activity DONE when mandatory, else
  // NOT_REQUIRED.
  ServiceRequest before = sr;
  bool marked = false;
  for (const cms::v1::Activity& a : sr.activities()) {
    if (a.status() != cms::v1::ACTIVITY_STATUS_OPEN) continue;
    const cms::v1::ActivityStatus to =
        a.mandatory() ? cms::v1::ACTIVITY_STATUS_DONE : cms::v1::ACTIVITY_STATUS_NOT_REQUIRED;
    CMS_RETURN_IF_ERROR(domain::CheckActivityUpdate(a, to));
    CMS_RETURN_IF_ERROR(
        store::UpdateActivityStatus(c.tx(), a.id(), to, c.actor().staff_id, c.now_us()));
    marked = true;
  }
  if (marked) {
    DescribeType(catalog_, &before);
    // The SR's version moves with its plan, as with UpdateActivity.
    CMS_RETURN_IF_ERROR(store::UpdateServiceRequest(c.tx(), before, c.now_us()));
    CMS_ASSIGN_OR_RETURN(sr, LoadServiceRequest(c.tx(), catalog_, sr_id));
    c.Audit("service_request", absl::StrCat(sr_id), &before, sr);
  }
  // The status machine decides the rest (resolution code, open children,
  // a pending NDR, the deferred re-route…).
  return ApplyRuleMove(c, sr, std::move(close), rule);
}

absl::StatusOr<std::vector<int64_t>> ServiceRequestApp::OpenSrsOfProcess(
    store::Tx& tx, int64_t casegroup_id, int64_t case_id, absl::string_view process) const {
  store::SrListFilter open;
  open.casegroup_id = casegroup_id;
  PageRequest page;
  page.limit = kMaxPageSize;
  std::vector<int64_t> ids;
  for (;;) {
    CMS_ASSIGN_OR_RETURN(std::vector<ServiceRequest> rows,
                         store::ListServiceRequests(tx, open, page));
    for (const ServiceRequest& sr : rows) {
      const SrType* type = catalog_.Find(sr.type_code());
      if (type != nullptr && type->process() == process &&
          (sr.case_id() == 0 || sr.case_id() == case_id)) {
        ids.push_back(sr.id());
      }
    }
    if (static_cast<int>(rows.size()) < page.limit) return ids;
    page.after_id = rows.back().id();
  }
}

absl::Status ServiceRequestApp::SetFieldsByRule(
    Command& c, int64_t sr_id, const std::vector<std::pair<std::string, std::string>>& fields,
    absl::string_view rule) {
  CMS_ASSIGN_OR_RETURN(ServiceRequest before,
                       store::GetServiceRequest(c.tx(), sr_id, /*for_update=*/true));
  CMS_ASSIGN_OR_RETURN(const SrType* type, TypeOfStored(catalog_, before));
  ServiceRequest after = before;
  for (const auto& [name, value] : fields) {
    if (absl::c_none_of(type->fields(), [&](const auto& f) { return f.name() == name; })) {
      return RuleViolation(rule,
                           absl::StrCat(type->sub_area(), " SRs have no field \"", name, "\""));
    }
    if (value.empty()) {
      after.mutable_fields()->erase(name);
    } else {
      (*after.mutable_fields())[name] = value;
    }
  }
  CMS_RETURN_IF_ERROR(store::UpdateServiceRequest(c.tx(), after, c.now_us()));
  CMS_ASSIGN_OR_RETURN(ServiceRequest out, LoadServiceRequest(c.tx(), catalog_, sr_id));
  Decorate(*type, &before);
  c.Audit("service_request", absl::StrCat(sr_id), &before, out);
  return absl::OkStatus();
}

absl::Status ServiceRequestApp::SetSubStatusByRule(Command& c, int64_t sr_id,
                                                   const std::string& sub_status,
                                                   const std::string& note,
                                                   absl::string_view rule) {
  CMS_ASSIGN_OR_RETURN(ServiceRequest before,
                       store::GetServiceRequest(c.tx(), sr_id, /*for_update=*/true));
  CMS_ASSIGN_OR_RETURN(const SrType* type, TypeOfStored(catalog_, before));
  Decorate(*type, &before);
  if (before.status() != cms::v1::SR_STATUS_IN_PROGRESS) {
    return RuleViolation(rule, absl::StrCat("SR ", sr_id, " is ", ShortName(before.status()),
                                            "; its sub status is set while IN_PROGRESS"));
  }
  if (!sub_status.empty() &&
      absl::c_none_of(type->sub_statuses(), [&](const cms::v1::SrSubStatus& s) {
        return s.status() == cms::v1::SR_STATUS_IN_PROGRESS && s.name() == sub_status;
      })) {
    return RuleViolation(
        rule,
        absl::StrCat(type->sub_area(), " SRs have no IN_PROGRESS sub status \"", sub_status, "\""));
  }
  ServiceRequest after = before;
  after.set_sub_status(sub_status);
  CMS_RETURN_IF_ERROR(store::UpdateServiceRequest(c.tx(), after, c.now_us()));
  if (!note.empty()) CMS_RETURN_IF_ERROR(AddSrNote(c, sr_id, note));
  CMS_ASSIGN_OR_RETURN(ServiceRequest out, LoadServiceRequest(c.tx(), catalog_, sr_id));
  c.Audit("service_request", absl::StrCat(sr_id), &before, out);
  return absl::OkStatus();
}

absl::Status ServiceRequestApp::WakeFromWait(Command& c, const store::DueTimer& t) {
  auto sr = store::GetServiceRequest(c.tx(), t.subject);
  if (absl::IsNotFound(sr.status())) return absl::OkStatus();
  CMS_RETURN_IF_ERROR(sr.status());
  if (sr->status() != cms::v1::SR_STATUS_WAIT ||
      absl::FormatCivilTime(CivilDayOf(sr->wake_date())) != t.payload) {
    return absl::OkStatus();  // stale: the SR left WAIT or waits for another date
  }
  // The same path as a caseworker's status change (status machine, audit),
  // at the version just read: ApplyStatusChange locks the row and a
  // concurrent change makes the etag check fail, retried with the batch.
  cms::v1::ChangeServiceRequestStatusRequest req;
  req.set_id(t.subject);
  req.set_etag(sr->etag());
  req.set_status(cms::v1::SR_STATUS_IN_PROGRESS);
  req.set_note("Wait period ended (SR5.9)");
  ServiceRequest out;
  absl::Status s = ApplyStatusChange(c, req, ChangedBy::kRule, &out);
  if (absl::IsAborted(s) && !store::IsRetryable(s)) {
    return store::TransactionConflict("the SR changed while its wait expired");
  }
  return s;
}

absl::Status ServiceRequestApp::RaiseActivityAlarm(Command& c, const store::DueTimer& t) {
  int32_t seq = 0;
  if (!absl::SimpleAtoi(t.payload, &seq)) {
    return absl::InternalError(absl::StrCat("alarm timer ", t.id, " names no activity"));
  }
  // Locked like any SR change, so the marker and the audit see one version.
  auto before = store::GetServiceRequest(c.tx(), t.subject, /*for_update=*/true);
  if (absl::IsNotFound(before.status())) return absl::OkStatus();
  CMS_RETURN_IF_ERROR(before.status());
  if (domain::IsTerminal(before->status())) return absl::OkStatus();
  CMS_ASSIGN_OR_RETURN(bool marked, store::MarkActivityReminderDue(c.tx(), t.subject, seq));
  if (!marked) return absl::OkStatus();  // done or not required meanwhile
  DescribeType(catalog_, &*before);
  CMS_ASSIGN_OR_RETURN(ServiceRequest after, LoadServiceRequest(c.tx(), catalog_, t.subject));
  c.Audit("service_request", absl::StrCat(t.subject), &*before, after);
  return absl::OkStatus();
}

absl::Status ServiceRequestApp::UpdateFields(const Actor& actor,
                                             const cms::v1::UpdateServiceRequestFieldsRequest& req,
                                             ServiceRequest* out) {
  // AIP-134: "fields" (the whole map) or "fields.<key>" (one entry).
  static constexpr absl::string_view kMutable[] = {"fields"};
  CMS_ASSIGN_OR_RETURN(
      const std::vector<std::string> paths,
      ResolveUpdateMask(req.update_mask(), *ServiceRequest::descriptor(), kMutable));
  ServiceRequest patch;
  *patch.mutable_fields() = req.fields();
  // Only what the mask writes is checked; the entries it leaves are the
  // stored ones, and removing one (a mask path the request has no value
  // for) is always allowed.
  ServiceRequest written;
  ApplyUpdateMask(paths, patch, &written);
  return commands_.Run(
      actor, "UpdateServiceRequestFields", req, req.request_id(), out,
      [&](Command& c) -> absl::Status {
        ServiceRequest before;
        CMS_ASSIGN_OR_RETURN(const SrType* type,
                             LoadForChange(c, req.id(), req.etag(), /*by_rule=*/false, &before));
        if (domain::IsTerminal(before.status())) {
          return RuleViolation("SR5.2", "a closed or cancelled SR cannot change");
        }
        FieldErrors errors;
        AddFieldProblems(*type, written.fields(), errors);
        ServiceRequest after = before;
        ApplyUpdateMask(paths, patch, &after);
        if (before.status() != cms::v1::SR_STATUS_OPEN) {
          AddMissingFields(*type, after.fields(), errors);  // past OPEN they stay
        }
        CMS_RETURN_IF_ERROR(errors.ToStatus("SR5.4"));
        CMS_RETURN_IF_ERROR(store::UpdateServiceRequest(c.tx(), after, c.now_us()));
        CMS_ASSIGN_OR_RETURN(*out, LoadServiceRequest(c.tx(), catalog_, req.id()));
        c.Audit("service_request", absl::StrCat(req.id()), &before, *out);
        return absl::OkStatus();
      });
}

absl::Status ServiceRequestApp::UpdateActivity(const Actor& actor,
                                               const cms::v1::UpdateActivityRequest& req,
                                               ServiceRequest* out) {
  return commands_.Run(
      actor, "UpdateActivity", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        ServiceRequest before;
        CMS_RETURN_IF_ERROR(
            LoadForChange(c, req.service_request_id(), req.etag(), /*by_rule=*/false, &before)
                .status());
        if (domain::IsTerminal(before.status())) {
          return RuleViolation("SR5.3", "the activities of a closed or cancelled SR are final");
        }
        const cms::v1::Activity* activity = nullptr;
        for (const auto& a : before.activities()) {
          if (a.id() == req.activity_id()) activity = &a;
        }
        if (activity == nullptr) return InvalidField("activity_id", "not an activity of this SR");
        CMS_RETURN_IF_ERROR(domain::CheckActivityUpdate(*activity, req.status()));
        CMS_RETURN_IF_ERROR(store::UpdateActivityStatus(c.tx(), activity->id(), req.status(),
                                                        c.actor().staff_id, c.now_us()));
        // The SR's version moves with its plan, so etags catch plan edits.
        CMS_RETURN_IF_ERROR(store::UpdateServiceRequest(c.tx(), before, c.now_us()));
        CMS_ASSIGN_OR_RETURN(*out, LoadServiceRequest(c.tx(), catalog_, req.service_request_id()));
        c.Audit("service_request", absl::StrCat(req.service_request_id()), &before, *out);
        return absl::OkStatus();
      });
}

absl::Status ServiceRequestApp::AddActivity(const Actor& actor,
                                            const cms::v1::AddActivityRequest& req,
                                            ServiceRequest* out) {
  FieldErrors errors;
  if (req.name().empty() || req.name().size() > 200) errors.Add("name", "1..200 characters");
  if (IsSet(req.due_date()) && !IsValidDate(req.due_date())) {
    errors.Add("due_date", "not a calendar date");
  }
  if (req.alarm() && !IsSet(req.due_date())) errors.Add("due_date", "an alarm needs a due date");
  CMS_RETURN_IF_ERROR(errors.ToStatus("SR5.3"));
  return commands_.Run(
      actor, "AddActivity", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        ServiceRequest before;
        CMS_RETURN_IF_ERROR(
            LoadForChange(c, req.service_request_id(), req.etag(), /*by_rule=*/false, &before)
                .status());
        std::optional<absl::CivilDay> due;
        if (IsSet(req.due_date())) due = CivilDayOf(req.due_date());
        CMS_RETURN_IF_ERROR(ApplyAddActivity(c, before, req.name(), due, req.alarm()).status());
        CMS_ASSIGN_OR_RETURN(*out, LoadServiceRequest(c.tx(), catalog_, req.service_request_id()));
        c.Audit("service_request", absl::StrCat(req.service_request_id()), &before, *out);
        return absl::OkStatus();
      });
}

absl::StatusOr<int32_t> ServiceRequestApp::AddActivityByRule(Command& c, int64_t sr_id,
                                                             const std::string& name,
                                                             absl::CivilDay due, bool alarm,
                                                             std::optional<absl::Time> alarm_at) {
  CMS_ASSIGN_OR_RETURN(ServiceRequest locked,
                       store::GetServiceRequest(c.tx(), sr_id, /*for_update=*/true));
  ServiceRequest before;
  CMS_RETURN_IF_ERROR(LoadForChange(c, sr_id, locked.etag(), /*by_rule=*/true, &before).status());
  CMS_ASSIGN_OR_RETURN(int32_t seq, ApplyAddActivity(c, before, name, due, alarm, alarm_at));
  CMS_ASSIGN_OR_RETURN(ServiceRequest after, LoadServiceRequest(c.tx(), catalog_, sr_id));
  c.Audit("service_request", absl::StrCat(sr_id), &before, after);
  return seq;
}

absl::Status ServiceRequestApp::CompleteActivityByRule(Command& c, int64_t sr_id, int32_t seq,
                                                       cms::v1::ActivityStatus status) {
  CMS_ASSIGN_OR_RETURN(ServiceRequest locked,
                       store::GetServiceRequest(c.tx(), sr_id, /*for_update=*/true));
  ServiceRequest before;
  CMS_RETURN_IF_ERROR(LoadForChange(c, sr_id, locked.etag(), /*by_rule=*/true, &before).status());
  const cms::v1::Activity* activity = nullptr;
  for (const auto& a : before.activities()) {
    if (a.seq() == seq) activity = &a;
  }
  if (activity == nullptr) {
    return absl::InternalError(absl::StrCat("SR ", sr_id, " has no activity ", seq));
  }
  if (activity->status() == status) return absl::OkStatus();
  CMS_RETURN_IF_ERROR(domain::CheckActivityUpdate(*activity, status));
  CMS_RETURN_IF_ERROR(
      store::UpdateActivityStatus(c.tx(), activity->id(), status, c.actor().staff_id, c.now_us()));
  CMS_RETURN_IF_ERROR(store::UpdateServiceRequest(c.tx(), before, c.now_us()));
  CMS_ASSIGN_OR_RETURN(ServiceRequest after, LoadServiceRequest(c.tx(), catalog_, sr_id));
  c.Audit("service_request", absl::StrCat(sr_id), &before, after);
  return absl::OkStatus();
}

absl::StatusOr<int32_t> ServiceRequestApp::ApplyAddActivity(
    Command& c, const ServiceRequest& before, const std::string& name,
    std::optional<absl::CivilDay> due, bool alarm, std::optional<absl::Time> alarm_at) {
  if (domain::IsTerminal(before.status())) {
    return RuleViolation("SR5.3", "a closed or cancelled SR takes no new activities");
  }
  cms::v1::Activity a;
  a.set_seq(before.activities().empty() ? 1 : before.activities().rbegin()->seq() + 1);
  a.set_name(name);
  a.set_status(cms::v1::ACTIVITY_STATUS_OPEN);
  a.set_manual(true);
  if (due.has_value()) *a.mutable_due_date() = DateOf(*due);
  a.set_alarm(alarm);
  CMS_RETURN_IF_ERROR(store::InsertActivities(c.tx(), before.id(), {a}));
  if (a.alarm()) {  // SR5.3: the reminder is due as the due date begins
    store::TimerSpec spec{kActivityAlarmTimer, before.id(),
                          alarm_at.value_or(commands_.clock().StartOf(*due)), absl::StrCat(a.seq()),
                          absl::StrCat(kActivityAlarmTimer, "/", before.id(), "/", a.seq())};
    CMS_RETURN_IF_ERROR(store::ScheduleTimer(c.tx(), spec, c.now_us()).status());
  }
  CMS_RETURN_IF_ERROR(store::UpdateServiceRequest(c.tx(), before, c.now_us()));
  return a.seq();
}

absl::Status ServiceRequestApp::AddNote(const Actor& actor, const cms::v1::AddNoteRequest& req,
                                        cms::v1::Note* out) {
  FieldErrors errors;
  if (req.subject() == cms::v1::NOTE_SUBJECT_UNSPECIFIED ||
      !cms::v1::NoteSubject_IsValid(req.subject())) {
    errors.Add("subject", "SERVICE_REQUEST, CASE or PERSON");
  }
  if (req.subject_id() <= 0) errors.Add("subject_id", "required");
  if (req.text().empty() || req.text().size() > 4000) errors.Add("text", "1..4000 characters");
  CMS_RETURN_IF_ERROR(errors.ToStatus("SR5.6"));
  return commands_.Run(
      actor, "AddNote", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_RETURN_IF_ERROR(CheckNoteSubject(c.tx(), req.subject(), req.subject_id(), c.actor(),
                                             /*write=*/true));
        cms::v1::Note note;
        note.set_subject(req.subject());
        note.set_subject_id(req.subject_id());
        note.set_text(req.text());
        note.set_author(c.actor().staff_id);
        CMS_ASSIGN_OR_RETURN(int64_t id, store::InsertNote(c.tx(), note, c.now_us()));
        note.set_id(id);
        *note.mutable_create_time() =
            google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(c.now_us());
        *out = note;
        c.Audit("note", absl::StrCat(id), nullptr, note);
        return absl::OkStatus();
      });
}

absl::Status ServiceRequestApp::ListNotes(const Actor& actor, const cms::v1::ListNotesRequest& req,
                                          cms::v1::ListNotesResponse* out) {
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_RETURN_IF_ERROR(
        CheckNoteSubject(tx, req.subject(), req.subject_id(), actor, /*write=*/false));
    CMS_ASSIGN_OR_RETURN(auto notes, store::ListNotes(tx, req.subject(), req.subject_id(), page));
    for (auto& n : notes) *out->add_notes() = std::move(n);
    if (out->notes_size() == page.limit)
      out->set_next_page_token(page.NextToken(out->notes().rbegin()->id()));
    return absl::OkStatus();
  });
}

}  // namespace cms::app
