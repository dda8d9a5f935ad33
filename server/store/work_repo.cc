#include "server/store/work_repo.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/base/enum_names.h"
#include "server/base/etag.h"
#include "server/store/casegroup_repo.h"
#include "server/store/row_util.h"
#include "server/store/sr_repo.h"
#include "server/store/sr_rows.h"

namespace cms::store {
absl::StatusOr<std::optional<cms::v1::ServiceRequest>> ClaimNextQueuedSr(Tx& tx,
                                                                         int64_t segment_id) {
  using Out = std::optional<cms::v1::ServiceRequest>;
  // Each pass-over is a casegroup another claimer holds, so a few more
  // than the concurrent claimers is always enough; past it, retry afresh.
  constexpr int kMaxPassOvers = 64;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    long long seg = segment_id;
    std::vector<long long> passed;  // casegroups other claimers hold
    for (int attempt = 0; attempt <= kMaxPassOvers; ++attempt) {
      // One statement locks the SR and, for a case-owning one, its
      // casegroup (W4.2 allocates the casegroup's work with it). The whole
      // row comes with the lock: InnoDB reads the clustered record to lock
      // it anyway, and it saves reading the SR again.
      // - The join key is NULL for a functionally unique SR, so InnoDB
      //   never reads, or locks, the casegroup another segment owns.
      // - SKIP LOCKED on the outer join's casegroup yields NULL: a
      //   casegroup another claimer holds, passed over in the next try.
      soci::row r;
      soci::statement claim(tx.session());
      claim.alloc();
      std::string sql = absl::StrCat(
          "SELECT ", kSrCols,
          ", cg.id AS casegroup_locked FROM service_requests sr LEFT JOIN casegroups cg ON "
          "cg.id = IF(sr.kind = 'CASE_OWNING', sr.casegroup_id, NULL) WHERE "
          "sr.owning_segment_id = :s AND sr.allocated_to IS NULL AND sr.is_open = 1");
      claim.exchange(soci::use(seg));
      for (size_t i = 0; i < passed.size(); ++i) {
        absl::StrAppend(&sql, i == 0 ? " AND sr.casegroup_id NOT IN (" : ", ", ":g", i);
        claim.exchange(soci::use(passed[i]));
      }
      if (!passed.empty()) sql += ")";
      sql += " ORDER BY sr.queue_rank, sr.created_us, sr.id LIMIT 1 FOR UPDATE SKIP LOCKED";
      claim.exchange(soci::into(r));
      claim.prepare(sql);
      claim.define_and_bind();
      if (!claim.execute(true)) return Out();
      cms::v1::ServiceRequest sr = SrOf(r);
      const bool mine =
          sr.kind() != cms::v1::SR_KIND_CASE_OWNING || r.get_indicator(kSrColCount) != soci::i_null;
      if (mine) {
        LoadDetails(tx, &sr);
        return Out(std::move(sr));
      }
      passed.push_back(sr.casegroup_id());
    }
    return TransactionConflict("every queued casegroup is being claimed");
  });
}

absl::StatusOr<int64_t> CountOpenAllocated(Tx& tx, const std::string& staff_id, int64_t cap) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long n = 0, limit = cap;
    tx.session() << "SELECT COUNT(*) FROM (SELECT 1 FROM service_requests WHERE allocated_to = "
                    ":s AND is_open = 1 LIMIT :cap) held",
        soci::use(staff_id), soci::use(limit), soci::into(n);
    return n;
  });
}

absl::StatusOr<std::optional<std::string>> LeastLoadedCaseworker(Tx& tx, int64_t team_id,
                                                                 int64_t limit) {
  using Out = std::optional<std::string>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    long long team = team_id, max = limit;
    std::string staff;
    soci::indicator ind = soci::i_null;
    tx.session() << "SELECT st.staff_id FROM staff st LEFT JOIN service_requests sr ON "
                    "sr.allocated_to = st.staff_id AND sr.is_open = 1 WHERE st.team_id = :t AND "
                    "st.active = 1 AND st.role = 'CASEWORKER' GROUP BY st.staff_id HAVING "
                    "COUNT(sr.id) < :max ORDER BY COUNT(sr.id), st.staff_id LIMIT 1",
        soci::use(team), soci::use(max), soci::into(staff, ind);
    if (!tx.session().got_data() || ind == soci::i_null) return Out();
    return Out(staff);
  });
}

namespace {

// Sends `sql` now, or queues it for the commit (Tx::AtCommit).
void Send(Tx& tx, std::string sql, Sending when) {
  if (when == Sending::kWithCommit) {
    tx.AtCommit(std::move(sql));
  } else {
    tx.session() << sql;
  }
}

std::string StaffOrNull(Tx& tx, const std::string& staff_id) {
  return staff_id.empty() ? "NULL" : tx.Quote(staff_id);
}

}  // namespace

absl::Status AllocateCasegroupWork(Tx& tx, int64_t casegroup_id, int64_t segment_id,
                                   const std::string& staff_id, Sending when) {
  return Guard([&] {
    const std::string who = StaffOrNull(tx, staff_id);
    Send(tx,
         absl::StrCat("UPDATE casegroups SET allocated_to = ", who,
                      ", version = version + 1 WHERE id = ", casegroup_id),
         when);
    Send(tx,
         absl::StrCat("UPDATE service_requests SET allocated_to = ", who,
                      ", version = version + 1 WHERE casegroup_id = ", casegroup_id,
                      " AND kind = 'CASE_OWNING' AND owning_segment_id = ", segment_id,
                      " AND is_open = 1"),
         when);
    return absl::OkStatus();
  });
}

absl::Status AllocateServiceRequest(Tx& tx, int64_t sr_id, const std::string& staff_id,
                                    Sending when) {
  return Guard([&] {
    Send(tx,
         absl::StrCat("UPDATE service_requests SET allocated_to = ", StaffOrNull(tx, staff_id),
                      ", version = version + 1 WHERE id = ", sr_id),
         when);
    return absl::OkStatus();
  });
}

namespace {

// Pairs each row read before a bulk change with the same row read after.
template <typename T>
std::vector<std::pair<T, T>> Paired(std::vector<T> before, std::vector<T> after) {
  std::vector<std::pair<T, T>> out;
  out.reserve(before.size());
  size_t k = 0;
  for (T& b : before) {
    while (k < after.size() && after[k].id() < b.id()) ++k;
    if (k < after.size() && after[k].id() == b.id()) out.emplace_back(std::move(b), after[k]);
  }
  return out;
}

template <typename T>
std::vector<int64_t> IdsOf(const std::vector<T>& rows) {
  std::vector<int64_t> ids;
  ids.reserve(rows.size());
  for (const T& r : rows) ids.push_back(r.id());
  return ids;
}

absl::Status AddSrsAfter(Tx& tx, std::vector<cms::v1::ServiceRequest> before, ChangedWork& out) {
  auto after = GetServiceRequestRows(tx, IdsOf(before));
  if (!after.ok()) return after.status();
  out.service_requests = Paired(std::move(before), *std::move(after));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ChangedWork> MoveCaseOwningWork(Tx& tx, int64_t casegroup_id, int64_t segment_id) {
  auto before = ListOpenCaseOwningSrRows(tx, {casegroup_id}, /*for_update=*/true);
  if (!before.ok()) return before.status();
  absl::Status moved = Guard([&] {
    long long g = casegroup_id, seg = segment_id;
    tx.session() << "UPDATE service_requests SET owning_segment_id = :s, allocated_to = NULL, "
                    "version = version + 1 WHERE casegroup_id = :g AND kind = 'CASE_OWNING' AND "
                    "is_open = 1",
        soci::use(seg), soci::use(g);
    return absl::OkStatus();
  });
  if (!moved.ok()) return moved;
  ChangedWork out;
  if (absl::Status s = AddSrsAfter(tx, *std::move(before), out); !s.ok()) return s;
  return out;
}

absl::Status MoveServiceRequest(Tx& tx, int64_t sr_id, int64_t segment_id) {
  return Guard([&] {
    long long id = sr_id, seg = segment_id;
    tx.session() << "UPDATE service_requests SET owning_segment_id = :s, allocated_to = NULL, "
                    "version = version + 1 WHERE id = :id",
        soci::use(seg), soci::use(id);
    return absl::OkStatus();
  });
}

absl::StatusOr<ChangedWork> ReleaseWorkOf(Tx& tx, const std::string& staff_id) {
  auto groups = ListCasegroupsAllocatedTo(tx, staff_id, /*for_update=*/true);
  if (!groups.ok()) return groups.status();
  auto srs = ListOpenSrRowsAllocatedTo(tx, staff_id, /*for_update=*/true);
  if (!srs.ok()) return srs.status();
  absl::Status released = Guard([&] {
    tx.session() << "UPDATE casegroups SET allocated_to = NULL, version = version + 1 WHERE "
                    "allocated_to = :s",
        soci::use(staff_id);
    tx.session() << "UPDATE service_requests SET allocated_to = NULL, version = version + 1 "
                    "WHERE allocated_to = :s AND is_open = 1",
        soci::use(staff_id);
    return absl::OkStatus();
  });
  if (!released.ok()) return released;
  ChangedWork out;
  auto groups_after = GetCasegroups(tx, IdsOf(*groups));
  if (!groups_after.ok()) return groups_after.status();
  out.casegroups = Paired(*std::move(groups), *std::move(groups_after));
  if (absl::Status s = AddSrsAfter(tx, *std::move(srs), out); !s.ok()) return s;
  return out;
}

namespace {

// A work page's columns: the SR's, then whether one of its activities has
// an alarm due (SR5.3), a probe of the SR's few activities (uk_activity_seq).
const std::string& WorkCols() {
  static const std::string* cols = new std::string(absl::StrCat(
      kSrCols,
      ", EXISTS (SELECT 1 FROM sr_activities a WHERE a.sr_id = sr.id AND a.reminder_due = 1) "
      "AS reminder_due"));
  return *cols;
}
constexpr std::size_t kReminderDue = kSrColCount;
constexpr char kQueueKeyCols[] = "sr.id, sr.queue_rank, sr.created_us";
constexpr char kQueueOrder[] = " ORDER BY queue_rank, created_us, id LIMIT ";

// The values a work query binds; they outlive the statement that uses them.
// SOCI binds by position; Next() names each placeholder uniquely.
struct WorkBinds {
  std::string Next() { return absl::StrCat(":p", placeholders++); }
  int placeholders = 0;
  explicit WorkBinds(const WorkQuery& q)
      : statuses(q.statuses),
        seg(q.queue_segment_id),
        before(q.created_before_us),
        after_created(q.after_created_us),
        after_id(q.after_id),
        after_rank(q.after_rank),
        limit(q.limit) {}
  std::vector<std::string> statuses;
  long long seg, before, after_created, after_id;
  int after_rank, limit;
};

// Appends one scope's open SRs, a page of them in queue order, as a
// parenthesised SELECT: a person's (`who`, ix_sr_allocated) or the segment
// queue's (ix_sr_queue). Each is one index range read for at most a page.
void AppendScope(const WorkQuery& q, const std::string* who, const std::string& cols, WorkBinds& v,
                 std::string& sql, soci::statement& st) {
  absl::StrAppend(&sql, "(SELECT ", cols, " FROM service_requests sr WHERE ");
  if (who != nullptr) {
    absl::StrAppend(&sql, "sr.allocated_to = ", v.Next(), " AND sr.is_open = 1");
    st.exchange(soci::use(*who));
  } else {
    absl::StrAppend(&sql, "sr.owning_segment_id = ", v.Next(),
                    " AND sr.allocated_to IS NULL AND sr.is_open = 1");
    st.exchange(soci::use(v.seg));
  }
  for (size_t i = 0; i < v.statuses.size(); ++i) {
    absl::StrAppend(&sql, i == 0 ? " AND sr.status IN (" : ", ", v.Next());
    st.exchange(soci::use(v.statuses[i]));
  }
  if (!v.statuses.empty()) sql += ")";
  if (!q.type_code.empty()) {
    absl::StrAppend(&sql, " AND sr.type_code = ", v.Next());
    st.exchange(soci::use(q.type_code));
  }
  if (q.created_before_us != 0) {
    absl::StrAppend(&sql, " AND sr.created_us <= ", v.Next());
    st.exchange(soci::use(v.before));
  }
  if (q.after_rank >= 0) {
    const std::string rank = v.Next(), created = v.Next(), id = v.Next();
    absl::StrAppend(&sql, " AND (sr.queue_rank, sr.created_us, sr.id) > (", rank, ", ", created,
                    ", ", id, ")");
    st.exchange(soci::use(v.after_rank));
    st.exchange(soci::use(v.after_created));
    st.exchange(soci::use(v.after_id));
  }
  absl::StrAppend(&sql, kQueueOrder, v.Next(), ")");
  st.exchange(soci::use(v.limit));
}

}  // namespace

absl::StatusOr<std::vector<cms::v1::ServiceRequest>> ListWork(Tx& tx, const WorkQuery& q) {
  using Out = std::vector<cms::v1::ServiceRequest>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    std::vector<std::string> members;
    if (q.team_id != 0) {
      long long team = q.team_id;
      soci::rowset<std::string> rows =
          (tx.session().prepare << "SELECT staff_id FROM staff WHERE team_id = :t ORDER BY "
                                   "staff_id",
           soci::use(team));
      for (const std::string& m : rows) members.push_back(m);
      if (members.empty()) return Out();
    }
    // A team's page is the merge of each member's page, in one statement:
    // a single join would read and sort the whole team's load for one page.
    // The members' pages hold only the queue key, read from ix_sr_allocated
    // alone; just the page's winners are then read whole.
    WorkBinds binds(q);
    soci::statement st(tx.session());
    st.alloc();
    std::string sql;
    if (q.team_id != 0) {
      absl::StrAppend(&sql, "SELECT ", WorkCols(), " FROM (");
      bool first = true;
      for (const std::string& member : members) {
        if (!first) sql += " UNION ALL ";
        first = false;
        AppendScope(q, &member, kQueueKeyCols, binds, sql, st);
      }
      absl::StrAppend(&sql, kQueueOrder, binds.Next(),
                      ") page JOIN service_requests sr ON sr.id = page.id ORDER BY "
                      "page.queue_rank, page.created_us, page.id");
      st.exchange(soci::use(binds.limit));
    } else {
      AppendScope(q, q.allocated_to.empty() ? nullptr : &q.allocated_to, WorkCols(), binds, sql,
                  st);
    }
    soci::row r;
    st.exchange(soci::into(r));
    st.prepare(sql);
    st.define_and_bind();
    Out out;
    if (!st.execute(true)) return out;
    do {
      cms::v1::ServiceRequest sr = SrOf(r);
      sr.set_reminder_due(Bool(r, kReminderDue));
      out.push_back(std::move(sr));
    } while (st.fetch());
    return out;
  });
}

absl::StatusOr<ChangedWork> MoveSegmentWorkBatch(Tx& tx, int64_t from_segment, int64_t to_segment,
                                                 int limit, const std::string& trigger,
                                                 const std::string& actor, int64_t now_us,
                                                 const std::string& pp_postcode_regex) {
  std::vector<cms::v1::Casegroup> groups_before;
  std::vector<cms::v1::ServiceRequest> srs_before;
  absl::Status moved = Guard([&] {
    long long from = from_segment, to = to_segment;
    std::vector<long long> groups(limit);
    if (pp_postcode_regex.empty()) {
      soci::statement pick = (tx.session().prepare << "SELECT id FROM casegroups WHERE "
                                                      "segment_id = :f ORDER BY id LIMIT :l FOR "
                                                      "UPDATE",
                              soci::use(from), soci::use(limit), soci::into(groups));
      if (!pick.execute(true)) groups.clear();  // no rows: SOCI keeps the old size
    } else {
      soci::statement pick =
          (tx.session().prepare << "SELECT g.id FROM casegroups g JOIN persons p ON p.id = "
                                   "g.pp_person_id WHERE g.segment_id = :f AND p.res_postcode "
                                   "REGEXP :re ORDER BY g.id LIMIT :l FOR UPDATE",
           soci::use(from), soci::use(pp_postcode_regex), soci::use(limit), soci::into(groups));
      if (!pick.execute(true)) groups.clear();
    }
    const std::vector<int64_t> group_ids(groups.begin(), groups.end());
    auto gb = GetCasegroups(tx, group_ids, /*for_update=*/true);
    if (!gb.ok()) return gb.status();
    groups_before = *std::move(gb);
    auto sb = ListOpenCaseOwningSrRows(tx, group_ids, /*for_update=*/true);
    if (!sb.ok()) return sb.status();
    srs_before = *std::move(sb);
    if (pp_postcode_regex.empty()) {
      // A retire also moves the segment's open functionally unique SRs.
      soci::rowset<soci::row> fu =
          (tx.session().prepare << absl::StrCat("SELECT ", kSrCols,
                                                " FROM service_requests sr WHERE "
                                                "sr.owning_segment_id = :f AND sr.is_open = 1 AND "
                                                "sr.kind = 'FUNCTIONALLY_UNIQUE' ORDER BY sr.id "
                                                "LIMIT :l FOR UPDATE"),
           soci::use(from), soci::use(limit));
      for (const soci::row& r : fu) srs_before.push_back(SrOf(r));
    }
    for (long long g : groups) {
      tx.session() << "UPDATE casegroups SET segment_id = :t, allocated_to = NULL, routing_rule = "
                      "'W4.6', version = version + 1 WHERE id = :g",
          soci::use(to), soci::use(g);
      tx.session() << "INSERT INTO casegroup_moves (casegroup_id, from_segment_id, to_segment_id, "
                      "rule_id, trigger_desc, actor, move_us) VALUES (:g, :f, :t, 'W4.6', :tr, "
                      ":a, :now)",
          soci::use(g), soci::use(from), soci::use(to), soci::use(trigger), soci::use(actor),
          soci::use(now_us);
    }
    if (!srs_before.empty()) {
      tx.session() << absl::StrCat(
          "UPDATE service_requests SET owning_segment_id = :t, allocated_to = "
          "NULL, version = version + 1 WHERE id IN (",
          IdList(IdsOf(srs_before)), ")"),
          soci::use(to);
    }
    return absl::OkStatus();
  });
  if (!moved.ok()) return moved;
  ChangedWork out;
  auto groups_after = GetCasegroups(tx, IdsOf(groups_before));
  if (!groups_after.ok()) return groups_after.status();
  out.casegroups = Paired(std::move(groups_before), *std::move(groups_after));
  std::sort(srs_before.begin(), srs_before.end(),
            [](const auto& a, const auto& b) { return a.id() < b.id(); });
  if (absl::Status s = AddSrsAfter(tx, std::move(srs_before), out); !s.ok()) return s;
  return out;
}

absl::StatusOr<Orphans> FindOrphans(Tx& tx) {
  return GuardOr<Orphans>([&]() -> absl::StatusOr<Orphans> {
    Orphans o;
    soci::rowset<long long> groups =
        (tx.session().prepare
         << "SELECT g.id FROM casegroups g JOIN segments s ON s.id = g.segment_id LEFT JOIN "
            "staff st ON st.staff_id = g.allocated_to WHERE s.status = 'RETIRED' OR "
            "(g.allocated_to IS NOT NULL AND (st.active = 0 OR NOT (st.segment_id <=> "
            "g.segment_id))) ORDER BY g.id");
    for (long long id : groups) o.casegroup_ids.push_back(id);
    soci::rowset<long long> srs =
        (tx.session().prepare
         << "SELECT sr.id FROM service_requests sr JOIN segments s ON s.id = "
            "sr.owning_segment_id LEFT JOIN staff st ON st.staff_id = sr.allocated_to WHERE "
            "sr.is_open = 1 AND (s.status = 'RETIRED' OR (sr.allocated_to IS NOT NULL AND "
            "(st.active = 0 OR NOT (st.segment_id <=> sr.owning_segment_id)))) ORDER BY sr.id");
    for (long long id : srs) o.service_request_ids.push_back(id);
    return o;
  });
}

absl::StatusOr<std::vector<QueueCount>> CountQueues(Tx& tx, int64_t segment_id,
                                                    const int64_t (&bounds_us)[3]) {
  using Out = std::vector<QueueCount>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    long long seg = segment_id, b0 = bounds_us[0], b1 = bounds_us[1], b2 = bounds_us[2];
    Out out;
    // Every column comes from ix_sr_queue (priority as queue_rank 0); SUMs
    // are DECIMAL in MariaDB, so cast back to integers.
    soci::rowset<soci::row> rows =
        (tx.session().prepare
             << "SELECT owning_segment_id, COUNT(*) AS n, CAST(SUM(queue_rank = 0) AS SIGNED) AS "
                "pri, CAST(SUM(created_us > :b0a) AS SIGNED) AS a0, CAST(SUM(created_us <= :b0b "
                "AND created_us > :b1a) AS SIGNED) AS a1, CAST(SUM(created_us <= :b1b AND "
                "created_us > :b2a) AS SIGNED) AS a2, CAST(SUM(created_us <= :b2b) AS SIGNED) AS "
                "a3, MIN(created_us) AS oldest FROM service_requests WHERE (:s1 = 0 OR "
                "owning_segment_id = :s2) AND allocated_to IS NULL AND is_open = 1 GROUP BY "
                "owning_segment_id ORDER BY owning_segment_id",
         soci::use(b0), soci::use(b0), soci::use(b1), soci::use(b1), soci::use(b2), soci::use(b2),
         soci::use(seg), soci::use(seg));
    for (const soci::row& r : rows) {
      QueueCount q;
      q.segment_id = I64(r, "owning_segment_id");
      q.queued = I64(r, "n");
      q.priority = I64(r, "pri");
      q.by_age[0] = I64(r, "a0");
      q.by_age[1] = I64(r, "a1");
      q.by_age[2] = I64(r, "a2");
      q.by_age[3] = I64(r, "a3");
      q.oldest_created_us = I64(r, "oldest");
      out.push_back(q);
    }
    return out;
  });
}

absl::StatusOr<std::vector<MemberLoadCount>> CountTeamLoad(Tx& tx, int64_t team_id) {
  using Out = std::vector<MemberLoadCount>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    long long team = team_id;
    Out out;
    // The join's SR columns all come from ix_sr_allocated (priority as
    // queue_rank 0); SUM is DECIMAL in MariaDB, so cast back to an integer.
    soci::rowset<soci::row> rows =
        (tx.session().prepare
             << "SELECT st.staff_id, st.role, COUNT(sr.id) AS n, CAST(COALESCE(SUM(sr.queue_rank "
                "= 0), 0) AS SIGNED) AS pri, MIN(sr.created_us) AS oldest FROM staff st LEFT "
                "JOIN service_requests sr ON sr.allocated_to = st.staff_id AND sr.is_open = 1 "
                "WHERE st.team_id = :t AND st.active = 1 GROUP BY st.staff_id, st.role HAVING "
                "st.role = 'CASEWORKER' OR n > 0 ORDER BY st.staff_id",
         soci::use(team));
    for (const soci::row& r : rows) {
      MemberLoadCount m;
      m.staff_id = Str(r, "staff_id");
      m.role = ParseEnum<cms::v1::Role>(Str(r, "role")).value_or(cms::v1::ROLE_UNSPECIFIED);
      m.open = I64(r, "n");
      m.priority = I64(r, "pri");
      m.oldest_created_us = I64(r, "oldest");
      out.push_back(std::move(m));
    }
    return out;
  });
}

absl::StatusOr<std::vector<QueueTypeCount>> CountQueuesByType(Tx& tx, int64_t segment_id) {
  using Out = std::vector<QueueTypeCount>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    long long seg = segment_id;
    Out out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare
             << "SELECT owning_segment_id, type_code, COUNT(*) AS n FROM service_requests WHERE "
                "(:s1 = 0 OR owning_segment_id = :s2) AND allocated_to IS NULL AND is_open = 1 "
                "GROUP BY owning_segment_id, type_code ORDER BY owning_segment_id, n DESC, "
                "type_code",
         soci::use(seg), soci::use(seg));
    for (const soci::row& r : rows) {
      out.push_back({I64(r, "owning_segment_id"), Str(r, "type_code"), I64(r, "n")});
    }
    return out;
  });
}

}  // namespace cms::store
