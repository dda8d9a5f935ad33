#include "server/store/sr_repo.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/domain/versions.h"
#include "server/store/row_util.h"
#include "server/store/sr_rows.h"

namespace cms::store {

using cms::v1::ServiceRequest;

const char kSrCols[] =
    "sr.id, sr.type_code, sr.kind, sr.casegroup_id, sr.case_id, sr.subject_person_id, sr.status, "
    "sr.sub_status, sr.resolution_code, sr.source, sr.created_by_rule, sr.priority, "
    "sr.owning_segment_id, sr.allocated_to, sr.parent_id, sr.description, sr.wake_date, "
    "sr.created_by, sr.created_us, sr.updated_us, sr.version";

ServiceRequest SrOf(const soci::row& r) {
  ServiceRequest sr;
  sr.set_id(I64(r, kId));
  sr.set_type_code(Str(r, kTypeCode));
  sr.set_kind(EnumCol<cms::v1::SrKind>(r, kKind));
  sr.set_casegroup_id(I64(r, kCasegroupId));
  sr.set_case_id(I64(r, kCaseId));
  sr.set_subject_person_id(I64(r, kSubjectPersonId));
  sr.set_status(EnumCol<cms::v1::SrStatus>(r, kStatus));
  sr.set_sub_status(Str(r, kSubStatus));
  sr.set_resolution_code(Str(r, kResolutionCode));
  sr.set_source(EnumCol<cms::v1::SrSource>(r, kSource));
  sr.set_created_by_rule(Str(r, kCreatedByRule));
  sr.set_priority(Bool(r, kPriority));
  sr.set_owning_segment_id(I64(r, kOwningSegmentId));
  sr.set_allocated_to(Str(r, kAllocatedTo));
  sr.set_parent_id(I64(r, kParentId));
  sr.set_description(Str(r, kDescription));
  if (!IsNull(r, kWakeDate)) *sr.mutable_wake_date() = DateOf(r, kWakeDate);
  sr.set_created_by(Str(r, kCreatedBy));
  SetTimestamp(I64(r, kCreatedUs), sr.mutable_create_time());
  SetTimestamp(I64(r, kUpdatedUs), sr.mutable_update_time());
  sr.set_etag(EtagOf(I64(r, kVersion)));
  return sr;
}

namespace {

// The SR's fields as rows; `replace` first deletes the rows it had (a new
// SR has none: no statement for them).
void WriteFields(Tx& tx, const ServiceRequest& sr, bool replace = true) {
  long long id = sr.id();
  if (replace) tx.session() << "DELETE FROM sr_fields WHERE sr_id = :id", soci::use(id);
  for (const auto& [name, value] : sr.fields()) {
    tx.session() << "INSERT INTO sr_fields (sr_id, name, value) VALUES (:id, :n, :v)",
        soci::use(id), soci::use(name), soci::use(value);
  }
}

}  // namespace

// An SR's fields, related ids and activities, in one statement (one round
// trip instead of three: GetNextWork and every SR read load them). `part`
// tells the rows apart; each part comes in its own order.
void LoadDetails(Tx& tx, ServiceRequest* sr) {
  long long id = sr->id();
  soci::rowset<soci::row> rows =
      (tx.session().prepare
           << "SELECT 'a' AS part, id, seq, name, NULL AS value, mandatory, status, manual, "
              "due_date, alarm, completed_by, complete_us, reminder_due FROM sr_activities WHERE "
              "sr_id = :a UNION ALL SELECT 'f', NULL, NULL, name, value, NULL, NULL, NULL, NULL, "
              "NULL, NULL, NULL, NULL FROM sr_fields WHERE sr_id = :f UNION ALL SELECT 'r', "
              "related_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM "
              "sr_related WHERE sr_id = :r ORDER BY part, seq, id",
       soci::use(id), soci::use(id), soci::use(id));
  for (const soci::row& r : rows) {
    const std::string part = Str(r, "part");
    if (part == "f") {
      (*sr->mutable_fields())[Str(r, "name")] = Str(r, "value");
      continue;
    }
    if (part == "r") {
      sr->add_related_ids(I64(r, "id"));
      continue;
    }
    auto* a = sr->add_activities();
    a->set_id(I64(r, "id"));
    a->set_seq(static_cast<int32_t>(I64(r, "seq")));
    a->set_name(Str(r, "name"));
    a->set_mandatory(Bool(r, "mandatory"));
    a->set_status(EnumCol<cms::v1::ActivityStatus>(r, "status"));
    a->set_manual(Bool(r, "manual"));
    if (!IsNull(r, "due_date")) *a->mutable_due_date() = DateOf(r, "due_date");
    a->set_alarm(Bool(r, "alarm"));
    a->set_completed_by(Str(r, "completed_by"));
    if (!IsNull(r, "complete_us")) SetTimestamp(I64(r, "complete_us"), a->mutable_complete_time());
    a->set_reminder_due(Bool(r, "reminder_due"));
    if (a->reminder_due()) sr->set_reminder_due(true);
  }
}

absl::StatusOr<int64_t> InsertServiceRequest(Tx& tx, const ServiceRequest& sr, int64_t now_us) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    IdBind case_id(sr.case_id()), person(sr.subject_person_id()), parent(sr.parent_id());
    StrBind allocated(sr.allocated_to());
    long long group = sr.casegroup_id(), segment = sr.owning_segment_id(),
              first = domain::kFirstVersion;
    std::string status = ShortName(sr.status()), source = ShortName(sr.source()),
                kind = ShortName(sr.kind());
    int priority = sr.priority() ? 1 : 0;
    DateBind wake(sr.wake_date());
    tx.session() << "INSERT INTO service_requests (type_code, kind, casegroup_id, case_id, "
                    "subject_person_id, status, sub_status, resolution_code, source, "
                    "created_by_rule, priority, owning_segment_id, allocated_to, parent_id, "
                    "description, wake_date, plan_generated, created_by, created_us, updated_us, "
                    "version) VALUES (:t, :k, :g, :c, :p, :st, :ss, :rc, :src, :rule, :pr, :seg, "
                    ":alloc, :parent, :d, :wake, 0, :by, :now, :now2, :v)",
        soci::use(sr.type_code()), soci::use(kind), soci::use(group),
        soci::use(case_id.value, case_id.ind), soci::use(person.value, person.ind),
        soci::use(status), soci::use(sr.sub_status()), soci::use(sr.resolution_code()),
        soci::use(source), soci::use(sr.created_by_rule()), soci::use(priority), soci::use(segment),
        soci::use(allocated.value, allocated.ind), soci::use(parent.value, parent.ind),
        soci::use(sr.description()), soci::use(wake.text, wake.ind), soci::use(sr.created_by()),
        soci::use(now_us), soci::use(now_us), soci::use(first);
    ServiceRequest inserted = sr;
    inserted.set_id(LastInsertId(tx.session()));
    if (!sr.fields().empty()) WriteFields(tx, inserted, /*replace=*/false);
    long long id = inserted.id();
    for (int64_t other : sr.related_ids()) {
      long long o = other;
      tx.session() << "INSERT INTO sr_related (sr_id, related_id) VALUES (:a, :b), (:b2, :a2)",
          soci::use(id), soci::use(o), soci::use(o), soci::use(id);
    }
    return inserted.id();
  });
}

absl::StatusOr<ServiceRequest> GetServiceRequest(Tx& tx, int64_t id, bool for_update) {
  return GuardOr<ServiceRequest>([&]() -> absl::StatusOr<ServiceRequest> {
    long long key = id;
    soci::row r;
    soci::statement st = (tx.session().prepare << absl::StrCat(
                              "SELECT ", kSrCols, " FROM service_requests sr WHERE sr.id = :id",
                              for_update ? " FOR UPDATE" : ""),
                          soci::use(key), soci::into(r));
    st.execute(true);
    if (!st.got_data()) return NotFound("service request", absl::StrCat(id));
    ServiceRequest sr = SrOf(r);
    LoadDetails(tx, &sr);
    return sr;
  });
}

absl::Status UpdateServiceRequest(Tx& tx, const ServiceRequest& sr, int64_t now_us) {
  return Guard([&] {
    long long id = sr.id();
    std::string status = ShortName(sr.status());
    StrBind allocated(sr.allocated_to());
    DateBind wake(sr.wake_date());
    tx.session() << "UPDATE service_requests SET status = :st, sub_status = :ss, resolution_code "
                    "= :rc, wake_date = :w, allocated_to = :a, updated_us = :now, version = "
                    "version + 1 WHERE id = :id",
        soci::use(status), soci::use(sr.sub_status()), soci::use(sr.resolution_code()),
        soci::use(wake.text, wake.ind), soci::use(allocated.value, allocated.ind),
        soci::use(now_us), soci::use(id);
    WriteFields(tx, sr);
    return absl::OkStatus();
  });
}

absl::StatusOr<bool> PlanGenerated(Tx& tx, int64_t id) {
  return GuardOr<bool>([&]() -> absl::StatusOr<bool> {
    long long key = id;
    int plan = 0;
    tx.session() << "SELECT plan_generated FROM service_requests WHERE id = :id", soci::use(key),
        soci::into(plan);
    return plan != 0;
  });
}

absl::Status MarkPlanGenerated(Tx& tx, int64_t id) {
  return Guard([&] {
    long long key = id;
    tx.session() << "UPDATE service_requests SET plan_generated = 1 WHERE id = :id", soci::use(key);
    return absl::OkStatus();
  });
}

absl::Status MarkRerouteOnClose(Tx& tx, int64_t id) {
  return Guard([&] {
    long long key = id;
    tx.session() << "UPDATE service_requests SET reroute_on_close = 1 WHERE id = :id",
        soci::use(key);
    return absl::OkStatus();
  });
}

absl::StatusOr<bool> RerouteOnClose(Tx& tx, int64_t id) {
  return GuardOr<bool>([&]() -> absl::StatusOr<bool> {
    long long key = id;
    int flag = 0;
    tx.session() << "SELECT reroute_on_close FROM service_requests WHERE id = :id", soci::use(key),
        soci::into(flag);
    return flag != 0;
  });
}

absl::StatusOr<std::vector<ServiceRequest>> ListServiceRequests(Tx& tx, const SrListFilter& filter,
                                                                const PageRequest& page) {
  using Out = std::vector<ServiceRequest>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    long long g = filter.casegroup_id, p = filter.parent_id, after = page.after_id;
    int inc = filter.include_closed ? 1 : 0, limit = page.limit;
    Out out;
    // One statement per shape, each reading one index range: a parent's
    // children (ix_sr_parent), or a casegroup's SRs (ix_sr_casegroup).
    const std::string tail =
        " AND id > :a AND (:i = 1 OR status NOT IN ('CLOSED', 'CANCELLED')) ORDER BY id LIMIT :l";
    soci::rowset<soci::row> rows =
        filter.parent_id != 0
            ? (tx.session().prepare << absl::StrCat("SELECT ", kSrCols,
                                                    " FROM service_requests sr WHERE parent_id = "
                                                    ":p AND casegroup_id = :g",
                                                    tail),
               soci::use(p), soci::use(g), soci::use(after), soci::use(inc), soci::use(limit))
            : (tx.session().prepare << absl::StrCat(
                   "SELECT ", kSrCols, " FROM service_requests sr WHERE casegroup_id = :g", tail),
               soci::use(g), soci::use(after), soci::use(inc), soci::use(limit));
    for (const soci::row& r : rows) out.push_back(SrOf(r));
    for (auto& sr : out) LoadDetails(tx, &sr);
    return out;
  });
}

absl::StatusOr<std::optional<int64_t>> FindOpenServiceRequest(Tx& tx, int64_t case_id,
                                                              const std::string& type_code) {
  using Out = std::optional<int64_t>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    long long c = case_id, id = 0;
    soci::indicator ind = soci::i_null;
    tx.session() << "SELECT MAX(id) FROM service_requests WHERE case_id = :c AND type_code = :t "
                    "AND status NOT IN ('CLOSED', 'CANCELLED')",
        soci::use(c), soci::use(type_code), soci::into(id, ind);
    if (ind == soci::i_null) return Out();
    return Out(id);
  });
}

absl::StatusOr<int64_t> CountOpenChildren(Tx& tx, int64_t parent_id) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long p = parent_id, n = 0;
    tx.session() << "SELECT COUNT(*) FROM service_requests WHERE parent_id = :p AND status NOT IN "
                    "('CLOSED', 'CANCELLED')",
        soci::use(p), soci::into(n);
    return n;
  });
}

absl::Status InsertActivities(Tx& tx, int64_t sr_id, const std::vector<cms::v1::Activity>& acts) {
  return Guard([&] {
    long long id = sr_id;
    for (const auto& a : acts) {
      int seq = a.seq(), mandatory = a.mandatory(), manual = a.manual(), alarm = a.alarm();
      std::string status = ShortName(a.status());
      DateBind due(a.due_date());
      tx.session() << "INSERT INTO sr_activities (sr_id, seq, name, mandatory, status, manual, "
                      "due_date, alarm) VALUES (:s, :q, :n, :m, :st, :man, :d, :al)",
          soci::use(id), soci::use(seq), soci::use(a.name()), soci::use(mandatory),
          soci::use(status), soci::use(manual), soci::use(due.text, due.ind), soci::use(alarm);
    }
    return absl::OkStatus();
  });
}

absl::Status UpdateActivityStatus(Tx& tx, int64_t activity_id, cms::v1::ActivityStatus status,
                                  const std::string& by, int64_t now_us) {
  return Guard([&] {
    long long id = activity_id;
    std::string st = ShortName(status);
    // A reminder is due only while its activity is OPEN (SR5.3).
    tx.session() << "UPDATE sr_activities SET status = :s, completed_by = :b, complete_us = :t, "
                    "reminder_due = 0 WHERE id = :id",
        soci::use(st), soci::use(by), soci::use(now_us), soci::use(id);
    return absl::OkStatus();
  });
}

absl::StatusOr<bool> MarkActivityReminderDue(Tx& tx, int64_t sr_id, int32_t seq) {
  return GuardOr<bool>([&]() -> absl::StatusOr<bool> {
    long long id = sr_id;
    int q = seq;
    soci::statement st =
        (tx.session().prepare << "UPDATE sr_activities SET reminder_due = 1 WHERE sr_id = :s AND "
                                 "seq = :q AND status = 'OPEN' AND reminder_due = 0",
         soci::use(id), soci::use(q));
    st.execute(true);
    return st.get_affected_rows() == 1;
  });
}

absl::StatusOr<int64_t> InsertNote(Tx& tx, const cms::v1::Note& note, int64_t now_us) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    std::string subject = ShortName(note.subject());
    long long sid = note.subject_id();
    tx.session() << "INSERT INTO notes (subject, subject_id, text, author, created_us) VALUES "
                    "(:s, :i, :t, :a, :now)",
        soci::use(subject), soci::use(sid), soci::use(note.text()), soci::use(note.author()),
        soci::use(now_us);
    return LastInsertId(tx.session());
  });
}

absl::StatusOr<std::vector<cms::v1::Note>> ListNotes(Tx& tx, cms::v1::NoteSubject subject,
                                                     int64_t subject_id, const PageRequest& page) {
  using Out = std::vector<cms::v1::Note>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    std::string s = ShortName(subject);
    long long sid = subject_id, after = page.after_id;
    int limit = page.limit;
    Out out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << "SELECT id, subject, subject_id, text, author, created_us FROM "
                                 "notes WHERE subject = :s AND subject_id = :i AND id > :a ORDER "
                                 "BY id LIMIT :l",
         soci::use(s), soci::use(sid), soci::use(after), soci::use(limit));
    for (const soci::row& r : rows) {
      cms::v1::Note n;
      n.set_id(I64(r, "id"));
      n.set_subject(EnumCol<cms::v1::NoteSubject>(r, "subject"));
      n.set_subject_id(I64(r, "subject_id"));
      n.set_text(Str(r, "text"));
      n.set_author(Str(r, "author"));
      SetTimestamp(I64(r, "created_us"), n.mutable_create_time());
      out.push_back(std::move(n));
    }
    return out;
  });
}

namespace {

std::vector<ServiceRequest> SrRows(soci::rowset<soci::row>& rows) {
  std::vector<ServiceRequest> out;
  for (const soci::row& r : rows) out.push_back(SrOf(r));
  return out;
}

}  // namespace

absl::StatusOr<std::vector<ServiceRequest>> GetServiceRequestRows(Tx& tx,
                                                                  const std::vector<int64_t>& ids,
                                                                  bool for_update) {
  using Out = std::vector<ServiceRequest>;
  if (ids.empty()) return Out();
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    soci::rowset<soci::row> rows =
        tx.session().prepare << absl::StrCat(
            "SELECT ", kSrCols, " FROM service_requests sr WHERE sr.id IN (", IdList(ids),
            ") ORDER BY sr.id", for_update ? " FOR UPDATE" : "");
    return SrRows(rows);
  });
}

absl::StatusOr<std::vector<ServiceRequest>> ListOpenSrRowsAllocatedTo(Tx& tx,
                                                                      const std::string& staff_id,
                                                                      bool for_update) {
  using Out = std::vector<ServiceRequest>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat("SELECT ", kSrCols,
                                              " FROM service_requests sr WHERE sr.allocated_to = "
                                              ":s AND sr.is_open = 1 ORDER BY sr.id",
                                              for_update ? " FOR UPDATE" : ""),
         soci::use(staff_id));
    return SrRows(rows);
  });
}

absl::StatusOr<std::vector<ServiceRequest>> ListOpenCaseOwningSrRows(
    Tx& tx, const std::vector<int64_t>& casegroup_ids, bool for_update) {
  using Out = std::vector<ServiceRequest>;
  if (casegroup_ids.empty()) return Out();
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    soci::rowset<soci::row> rows =
        tx.session().prepare << absl::StrCat(
            "SELECT ", kSrCols, " FROM service_requests sr WHERE sr.casegroup_id IN (",
            IdList(casegroup_ids),
            ") AND sr.kind = 'CASE_OWNING' AND sr.is_open = 1 ORDER BY sr.id",
            for_update ? " FOR UPDATE" : "");
    return SrRows(rows);
  });
}

}  // namespace cms::store
