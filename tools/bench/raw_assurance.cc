#include "tools/bench/raw_assurance.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "server/base/paging.h"
#include "server/base/proto_json.h"
#include "server/base/status_macros.h"
#include "server/domain/sampling.h"
#include "server/store/assurance_repo.h"
#include "server/store/audit_repo.h"
#include "server/store/bom_repo.h"
#include "server/store/idempotency_repo.h"

namespace cms::bench {
namespace {

using cms::v1::AssuranceSampleItem;
using google::protobuf::util::TimeUtil;

std::string ErrorOf(const absl::Status& s) { return s.ok() ? std::string() : s.ToString(); }

double MsSince(absl::Time t) { return absl::ToDoubleMilliseconds(absl::Now() - t); }

// The authenticator's read of the caller (app/actor_lookup.cc ActorOf): on
// a connection of its own, outside the call's transaction; the staff row
// with its segment's country and kind.
absl::StatusOr<store::StaffWithSegment> Staff(store::Db& db, const std::string& staff_id) {
  store::StaffWithSegment m;
  CMS_RETURN_IF_ERROR(db.RunLatest([&](store::Tx& tx) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(m, store::GetStaffWithSegment(tx, staff_id));
    return absl::OkStatus();
  }));
  return m;
}

// app/assurance.cc ReadScopeOf for a caseworker or team leader: the country
// whose work they read when theirs is a Q&A segment (UNSPECIFIED: none).
cms::v1::Country QaCountry(const store::StaffWithSegment& m) {
  return m.service_segment == cms::v1::SERVICE_SEGMENT_QUALITY_AND_ASSURANCE
             ? m.segment_country
             : cms::v1::COUNTRY_UNSPECIFIED;
}

PageRequest FirstPage(int page_size) {
  PageRequest p;
  p.limit = page_size == 0 ? kDefaultPageSize : std::min(page_size, kMaxPageSize);
  return p;
}

}  // namespace

std::string RawAssurance::Draw(const std::string& staff,
                               const cms::v1::DrawAssuranceSampleRequest& req, DrawResult* out) {
  const absl::Time start = absl::Now();
  auto member = Staff(db_, staff);
  if (!member.ok()) return ErrorOf(member.status());
  // app/commands.cc Run: one transaction; the audit rows and the request id
  // go with it (Commands::Run, Command::FlushAudit).
  const absl::Status s = db_.RunInTransaction([&](store::Tx& tx) -> absl::Status {
    const absl::Time now = absl::Now();
    const int64_t now_us = absl::ToUnixMicros(now);
    CMS_ASSIGN_OR_RETURN(cms::v1::Segment qa, store::GetSegment(tx, member->staff.segment_id()));
    store::SampleQuery q;
    q.seed = req.seed();
    q.start_us = TimeUtil::TimestampToMicroseconds(req.period().start_time());
    q.end_us = TimeUtil::TimestampToMicroseconds(req.period().end_time());
    q.country = qa.country();
    q.targets = req.targets();
    const bool by_rate = req.rate_ppm() != 0;
    q.below = by_rate ? domain::RateThreshold(req.rate_ppm()) : 0;
    q.limit = by_rate ? domain::kMaxSampleSize + 1 : req.size();
    const absl::Time sampling = absl::Now();
    CMS_ASSIGN_OR_RETURN(std::vector<AssuranceSampleItem> items,
                         store::SampleItems(tx, q, req.kinds()));
    out->sampling_ms = MsSince(sampling);
    if (!domain::ChooseSample(items, by_rate ? 0 : req.size())) {
      return absl::InvalidArgumentError("the rate chooses more than 10,000 items");
    }
    cms::v1::AssuranceSample header;
    header.set_country(qa.country());
    header.set_segment_id(qa.id());
    header.set_seed(req.seed());
    *header.mutable_period() = req.period();
    *header.mutable_kinds() = req.kinds();
    *header.mutable_targets() = req.targets();
    header.set_size(req.size());
    header.set_rate_ppm(req.rate_ppm());
    header.set_drawn_by(staff);
    header.set_item_count(static_cast<int32_t>(items.size()));
    CMS_ASSIGN_OR_RETURN(int64_t id, store::InsertAssuranceSample(tx, header, now_us));
    CMS_RETURN_IF_ERROR(store::InsertSampleItems(tx, id, items));
    header.set_id(id);
    *header.mutable_draw_time() = TimeUtil::MicrosecondsToTimestamp(now_us);
    cms::v1::AuditEvent e;
    e.set_actor(staff);
    e.set_client(client_);
    e.set_rpc("DrawAssuranceSample");
    e.set_entity_type("assurance_sample");
    e.set_entity_id(absl::StrCat(id));
    CMS_RETURN_IF_ERROR(ProtoToJson(header, e.mutable_after_json()));
    CMS_ASSIGN_OR_RETURN(cms::v1::AssuranceSample full,
                         store::GetAssuranceSample(tx, id, /*items=*/true));
    CMS_RETURN_IF_ERROR(store::InsertAuditEvents(tx, {e}, now_us));
    if (!req.request_id().empty()) {
      cms::v1::DrawAssuranceSampleRequest without_id = req;
      without_id.clear_request_id();
      store::IdempotencyRecord record;
      record.method = "DrawAssuranceSample";
      record.request_bytes = without_id.SerializeAsString();
      record.response_bytes = full.SerializeAsString();
      CMS_RETURN_IF_ERROR(store::InsertIdempotencyKey(
          tx, absl::StrCat(client_, "/", staff), req.request_id(), record.method, record, now_us));
    }
    out->sample_id = id;
    out->items = full.items_size();
    return absl::OkStatus();
  });
  out->total_ms = MsSince(start);
  return ErrorOf(s);
}

std::string RawAssurance::ListSamples(const std::string& staff, int page_size) {
  auto member = Staff(db_, staff);
  if (!member.ok()) return ErrorOf(member.status());
  return ErrorOf(db_.RunLatest([&](store::Tx& tx) -> absl::Status {
    const cms::v1::Country country = QaCountry(*member);
    if (country == cms::v1::COUNTRY_UNSPECIFIED) return absl::OkStatus();
    return store::ListAssuranceSamples(tx, country, FirstPage(page_size)).status();
  }));
}

std::string RawAssurance::GetSample(const std::string& staff, int64_t id) {
  auto member = Staff(db_, staff);
  if (!member.ok()) return ErrorOf(member.status());
  return ErrorOf(db_.RunLatest([&](store::Tx& tx) -> absl::Status {
    return store::GetAssuranceSample(tx, id, true).status();
  }));
}

std::string RawAssurance::ListChecks(const std::string& staff, int64_t sample_id, bool open,
                                     int page_size) {
  auto member = Staff(db_, staff);
  if (!member.ok()) return ErrorOf(member.status());
  return ErrorOf(db_.RunLatest([&](store::Tx& tx) -> absl::Status {
    const cms::v1::Country country = QaCountry(*member);
    if (country == cms::v1::COUNTRY_UNSPECIFIED) return absl::OkStatus();
    if (open) {
      return store::ListOpenSampleItems(tx, country, sample_id, FirstPage(page_size)).status();
    }
    store::CheckFilter f;
    f.country = country;
    f.sample_id = sample_id;
    return store::ListAssuranceChecks(tx, f, FirstPage(page_size)).status();
  }));
}

std::string RawAssurance::ListActions(const std::string& staff, bool open_only, int page_size) {
  auto member = Staff(db_, staff);
  if (!member.ok()) return ErrorOf(member.status());
  return ErrorOf(db_.RunLatest([&](store::Tx& tx) -> absl::Status {
    const cms::v1::Country country = QaCountry(*member);
    store::ActionFilter f;
    f.open_only = open_only;
    if (country != cms::v1::COUNTRY_UNSPECIFIED) {
      f.country = country;
    } else {
      f.for_staff = staff;
    }
    return store::ListCorrectiveActions(tx, f, FirstPage(page_size)).status();
  }));
}

std::string RawAssurance::Coaching(const std::string& staff, int64_t team_id, int64_t start_us,
                                   int64_t end_us) {
  auto member = Staff(db_, staff);
  if (!member.ok()) return ErrorOf(member.status());
  return ErrorOf(db_.RunReadOnly([&](store::Tx& tx) -> absl::Status {
    CMS_RETURN_IF_ERROR(store::GetTeam(tx, team_id).status());
    store::StaffFilter members_of;
    members_of.team_id = team_id;
    CMS_ASSIGN_OR_RETURN(auto rows, store::ListStaff(tx, members_of, "", kMaxPageSize));
    std::vector<std::string> members;
    for (const cms::v1::StaffMember& m : rows) members.push_back(m.staff_id());
    CMS_RETURN_IF_ERROR(store::CurrentChecksOfWork(tx, members, start_us, end_us).status());
    return store::OpenActionsOfWork(tx, members).status();
  }));
}

}  // namespace cms::bench
