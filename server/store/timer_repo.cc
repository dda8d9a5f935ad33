#include "server/store/timer_repo.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/base/status_macros.h"
#include "server/store/row_util.h"

namespace cms::store {

TimerSpec PeriodicTimerSpec(const std::string& kind, int64_t subject, int64_t period,
                            absl::Time due) {
  TimerSpec spec;
  spec.kind = kind;
  spec.subject = subject;
  spec.due = due;
  spec.payload = absl::StrCat(period);
  spec.dedupe_key = absl::StrCat(kind, "/", subject, "/", period);
  return spec;
}

absl::StatusOr<bool> ScheduleTimer(Tx& tx, const TimerSpec& spec, int64_t now_us) {
  return GuardOr<bool>([&]() -> absl::StatusOr<bool> {
    long long subject = spec.subject, due = absl::ToUnixMicros(spec.due);
    soci::statement st =
        (tx.session().prepare << "INSERT IGNORE INTO timers (kind, subject, due_us, payload, "
                                 "dedupe_key, state, created_us) VALUES (:k, :s, :d, :p, :key, "
                                 "'PENDING', :now)",
         soci::use(spec.kind), soci::use(subject), soci::use(due), soci::use(spec.payload),
         soci::use(spec.dedupe_key), soci::use(now_us));
    st.execute(true);
    return st.get_affected_rows() == 1;
  });
}

namespace {

// Keys, kinds and payloads the server builds are plain; anything else goes
// through bound parameters one timer at a time.
bool IsPlain(const std::string& text) {
  for (char ch : text) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '/' &&
        ch != '-' && ch != ':' && ch != '.') {
      return false;
    }
  }
  return true;
}

}  // namespace

absl::StatusOr<int64_t> ScheduleTimers(Tx& tx, const std::vector<TimerSpec>& specs,
                                       int64_t now_us) {
  constexpr size_t kPerStatement = 500;
  int64_t added = 0;
  std::vector<const TimerSpec*> plain;
  for (const TimerSpec& spec : specs) {
    if (IsPlain(spec.kind) && IsPlain(spec.payload) && IsPlain(spec.dedupe_key)) {
      plain.push_back(&spec);
      continue;
    }
    CMS_ASSIGN_OR_RETURN(bool one, ScheduleTimer(tx, spec, now_us));
    added += one;
  }
  for (size_t begin = 0; begin < plain.size(); begin += kPerStatement) {
    std::string sql =
        "INSERT IGNORE INTO timers (kind, subject, due_us, payload, dedupe_key, state, "
        "created_us) VALUES ";
    for (size_t i = begin; i < std::min(plain.size(), begin + kPerStatement); ++i) {
      const TimerSpec& t = *plain[i];
      absl::StrAppend(&sql, i == begin ? "" : ",", "('", t.kind, "',", t.subject, ",",
                      absl::ToUnixMicros(t.due), ",'", t.payload, "','", t.dedupe_key,
                      "','PENDING',", now_us, ")");
    }
    CMS_ASSIGN_OR_RETURN(int64_t n, GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
                           soci::statement st = (tx.session().prepare << sql);
                           st.execute(true);
                           return st.get_affected_rows();
                         }));
    added += n;
  }
  return added;
}

absl::StatusOr<std::vector<DueTimer>> ClaimDueTimers(Tx& tx, const std::vector<std::string>& kinds,
                                                     int64_t now_us, int limit) {
  return GuardOr<std::vector<DueTimer>>([&]() -> absl::StatusOr<std::vector<DueTimer>> {
    std::vector<DueTimer> out;
    if (kinds.empty()) return out;
    // Only kinds this replica can run are claimed: during a rolling upgrade
    // an older replica leaves a newer kind for the replicas that know it.
    std::string sql =
        "SELECT id, kind, subject, due_us, payload, attempts FROM timers WHERE state = 'PENDING' "
        "AND due_us <= :now AND kind IN (";
    for (size_t i = 0; i < kinds.size(); ++i) absl::StrAppend(&sql, i ? ", " : "", ":k", i);
    sql += ") ORDER BY due_us, id LIMIT :n FOR UPDATE SKIP LOCKED";
    soci::statement st(tx.session());
    st.alloc();
    st.exchange(soci::use(now_us));
    for (const auto& k : kinds) st.exchange(soci::use(k));
    st.exchange(soci::use(limit));
    soci::row r;
    st.exchange(soci::into(r));
    st.prepare(sql);
    st.define_and_bind();
    if (!st.execute(true)) return out;
    do {
      DueTimer& t = out.emplace_back();
      t.id = I64(r, "id");
      t.kind = Str(r, "kind");
      t.subject = I64(r, "subject");
      t.due_us = I64(r, "due_us");
      t.payload = Str(r, "payload");
      t.attempts = static_cast<int>(I64(r, "attempts"));
    } while (st.fetch());
    return out;
  });
}

absl::Status MarkTimersFired(Tx& tx, const std::vector<int64_t>& ids, int64_t now_us) {
  if (ids.empty()) return absl::OkStatus();
  return Guard([&] {
    // One statement for the batch: ids are bound, never spliced in.
    std::string sql = "UPDATE timers SET state = 'FIRED', fired_us = :now WHERE id IN (";
    for (size_t i = 0; i < ids.size(); ++i) absl::StrAppend(&sql, i ? ", " : "", ":i", i);
    sql += ")";
    std::vector<long long> values(ids.begin(), ids.end());
    soci::statement st(tx.session());
    st.alloc();
    st.exchange(soci::use(now_us));
    for (auto& v : values) st.exchange(soci::use(v));
    st.prepare(sql);
    st.define_and_bind();
    st.execute(true);
    return absl::OkStatus();
  });
}

absl::Status RecordTimerFailure(Tx& tx, int64_t id, const std::string& error, int64_t retry_us,
                                bool give_up) {
  return Guard([&] {
    long long key = id;
    std::string state = give_up ? "FAILED" : "PENDING";
    std::string text = error.substr(0, 1000);
    tx.session() << "UPDATE timers SET attempts = attempts + 1, last_error = :e, state = :s, "
                    "due_us = :d WHERE id = :id AND state = 'PENDING'",
        soci::use(text), soci::use(state), soci::use(retry_us), soci::use(key);
    return absl::OkStatus();
  });
}

absl::StatusOr<TimerStats> ReadTimerStats(Tx& tx, int64_t now_us) {
  return GuardOr<TimerStats>([&]() -> absl::StatusOr<TimerStats> {
    TimerStats s;
    long long pending = 0, overdue = 0, failed = 0, oldest = 0;
    soci::indicator oldest_ind = soci::i_null;
    // Each count is an index range of ix_timers_sweep.
    tx.session() << "SELECT (SELECT COUNT(*) FROM timers WHERE state = 'PENDING'), "
                    "(SELECT COUNT(*) FROM timers WHERE state = 'PENDING' AND due_us <= :n1), "
                    "(SELECT COUNT(*) FROM timers WHERE state = 'FAILED'), "
                    "(SELECT MIN(due_us) FROM timers WHERE state = 'PENDING' AND due_us <= :n2)",
        soci::use(now_us), soci::use(now_us), soci::into(pending), soci::into(overdue),
        soci::into(failed), soci::into(oldest, oldest_ind);
    s.pending = pending;
    s.overdue = overdue;
    s.failed = failed;
    s.oldest_overdue_due_us = oldest_ind == soci::i_ok ? oldest : 0;
    return s;
  });
}

absl::Status EnsureTimerProbeTable(Db& db) {
  return db.RunOnConnection([](Tx& tx) {
    return Guard([&] {
      tx.session() << "CREATE TABLE IF NOT EXISTS timer_probe (subject BIGINT NOT NULL PRIMARY "
                      "KEY, fired INT NOT NULL) ENGINE=InnoDB";
      return absl::OkStatus();
    });
  });
}

absl::Status IncrementTimerProbe(Tx& tx, int64_t subject) {
  return Guard([&] {
    long long s = subject;
    tx.session() << "INSERT INTO timer_probe (subject, fired) VALUES (:s, 1) ON DUPLICATE KEY "
                    "UPDATE fired = fired + 1",
        soci::use(s);
    return absl::OkStatus();
  });
}

}  // namespace cms::store
