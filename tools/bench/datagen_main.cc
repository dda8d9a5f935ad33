// cms_datagen: fills a fresh database with a realistic volume of casegroups,
// service requests and the staff who work them, for the work-allocation
// benchmark (cms_workbench).
//
//   cms_datagen --db_name=gen_1m [--casegroups=1000000] [--srs_per_casegroup=5]
//
// The database (on the MariaDB named by CMS_TEST_DB_URI) is created when
// missing, migrated and given the demo BOM; it must hold no casegroups yet.
// Each casegroup gets a PP and an RP (persons), one case, its routing move and
// on average --srs_per_casegroup case-owning SRs (0..2x, uniform). Casegroups
// are spread over the GB/NI NEW_CASE and MAINTENANCE demo segments.
//
// Staff are sized to the load, as a real office is: each segment gets one
// generated caseworker per --casegroups_per_caseworker of its casegroups, in
// teams of --team_size with a team leader each (ids gen.cw.<seg>.<n>,
// gen.tl.<seg>.<team>). --allocated_percent of the casegroups are allocated to
// one of their segment's generated caseworkers, and so are all their SRs
// (W4.2); the rest wait in the segment queue. So a caseworker holds about
// casegroups_per_caseworker x allocated_percent casegroups whatever the
// volume, and 10k and 1M databases differ in size, not in per-person shape.
// SR statuses: --open_percent open (OPEN or IN_PROGRESS), the rest CLOSED, as
// in a service that has run for years; ~5% priority; created over the last
// 400 days, older casegroups first. An IN_PROGRESS SR has its type's activity
// plan from the SR catalog (SR5.3: generated on the move to IN_PROGRESS), the
// first activity done, ~2% with a reminder due; no fields or notes are
// generated. SR ids are casegroup id x 64 + n. Every value is derived from
// the casegroup id, so the same flags always give the same rows.
//
// Rows go in as multi-row INSERTs (--batch_rows rows a statement), built
// from generated integers and fixed strings only, one transaction per chunk
// of --batch_rows casegroups, on --threads loader connections.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "server/app/bom.h"
#include "server/app/clock.h"
#include "server/app/commands.h"
#include "server/app/demo_bom.h"
#include "server/catalog/catalog.h"
#include "server/store/db.h"
#include "server/store/migrations.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"

ABSL_FLAG(std::string, db_name, "cms_gen", "database to fill (created when missing)");
ABSL_FLAG(int64_t, casegroups, 1000000, "casegroups to generate");
ABSL_FLAG(int, srs_per_casegroup, 5, "average service requests per casegroup");
ABSL_FLAG(int, batch_rows, 2000, "rows per INSERT statement (and casegroups per transaction)");
ABSL_FLAG(int, threads, 2, "loader connections (1 or 2)");
ABSL_FLAG(int, casegroups_per_caseworker, 500, "casegroups of a segment per generated caseworker");
ABSL_FLAG(int, team_size, 10, "generated caseworkers per team (each team has one team leader)");
ABSL_FLAG(int, allocated_percent, 10, "casegroups allocated to a caseworker (the rest are queued)");
ABSL_FLAG(int, open_percent, 12, "SRs still open (OPEN or IN_PROGRESS); the rest are CLOSED");

namespace {

constexpr int64_t kDayUs = int64_t{86400} * 1000000;
constexpr int64_t kSpanUs = 400 * kDayUs;  // SRs are created over the last 400 days
// A casegroup's SRs are created within this of it (and not after now).
constexpr int64_t kSrWindowUs = 30 * kDayUs;

int Die(const std::string& what) {
  std::fprintf(stderr, "cms_datagen: %s\n", what.c_str());
  return 1;
}

// Deterministic 64-bit mix (splitmix64): the "random" draws of a row.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A draw in [0, n) for stream `salt` of entity `id`.
int64_t Draw(int64_t id, uint64_t salt, int64_t n) {
  return static_cast<int64_t>(Mix(static_cast<uint64_t>(id) * 0x100000001b3ULL ^ salt) % n);
}

struct Segment {
  int64_t id = 0;
  std::string country;                   // "GB" / "NI"
  std::string service;                   // "NEW_CASE" / "MAINTENANCE"
  std::string tag;                       // "gb_new_case": the generated staff ids' middle part
  int percent = 0;                       // share of the casegroups
  std::vector<std::string> caseworkers;  // generated, sized to the share
};

struct Plan {
  std::vector<Segment> segments;  // GB NEW_CASE, GB MAINTENANCE, NI NEW_CASE, NI MAINTENANCE
  // The catalog's activity plan of each generated SR type: (name, mandatory).
  std::map<std::string, std::vector<std::pair<std::string, bool>>> activity_plans;
  int64_t casegroups = 0;
  int srs_per_casegroup = 0;
  int allocated_percent = 0;
  int open_percent = 0;
  int64_t now_us = 0;
};

// The casegroup's segment: GB 85%, NI 15%; NEW_CASE 40%, MAINTENANCE 60%.
constexpr int kCountryPercent[] = {85, 15};
constexpr int kServicePercent[] = {40, 60};
const Segment& SegmentOf(const Plan& plan, int64_t g) {
  const int country = Draw(g, 1, 100) < kCountryPercent[0] ? 0 : 2;
  const int service = Draw(g, 2, 100) < kServicePercent[0] ? 0 : 1;
  return plan.segments[country + service];
}

std::string Date(int64_t us) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixMicros(us), absl::UTCTimeZone());
}

// Appends `row` to `*sql` (after `head` for the first row of a statement) and
// sends the statement once it holds `max_rows` rows.
class BatchInsert {
 public:
  BatchInsert(soci::session& session, std::string head, int max_rows, int64_t* rows_done)
      : session_(session), head_(std::move(head)), max_rows_(max_rows), rows_done_(rows_done) {}

  void Add(const std::string& row) {
    if (rows_ == 0) {
      sql_ = head_;
    } else {
      sql_ += ',';
    }
    sql_ += row;
    if (++rows_ == max_rows_) Flush();
  }

  void Flush() {
    if (rows_ == 0) return;
    session_ << sql_;
    *rows_done_ += rows_;
    rows_ = 0;
  }

 private:
  soci::session& session_;
  std::string head_;
  int max_rows_;
  int64_t* rows_done_;
  std::string sql_;
  int rows_ = 0;
};

// Inserts casegroups [first, last] (ids), their persons, cases, moves and SRs
// in one transaction; returns the number of rows inserted.
int64_t LoadChunk(soci::session& sql, const Plan& plan, int64_t first, int64_t last,
                  int batch_rows) {
  int64_t rows = 0;
  BatchInsert persons(
      sql,
      "INSERT INTO persons (id, given_name, family_name, date_of_birth, nino, res_lines, "
      "res_postcode, res_non_uk, res_country, corr_lines, corr_postcode, corr_non_uk, "
      "corr_country, address_status, phone, email, nationally_sensitive, in_prison, on_benefit, "
      "employment_status, weekly_gross_income_pence, nil_assessed, version, created_us) VALUES ",
      batch_rows, &rows);
  BatchInsert groups(sql,
                     "INSERT INTO casegroups (id, pp_person_id, segment_id, allocated_to, "
                     "country, routing_rule, version, created_us) VALUES ",
                     batch_rows, &rows);
  BatchInsert cases(sql,
                    "INSERT INTO cases (id, casegroup_id, pp_person_id, rp_person_id, scheme, "
                    "lifecycle_stage, service_type, pp_requested_service_type, "
                    "rp_requested_service_type, annual_review_date, application_date, version, "
                    "created_us) VALUES ",
                    batch_rows, &rows);
  BatchInsert moves(sql,
                    "INSERT INTO casegroup_moves (casegroup_id, from_segment_id, to_segment_id, "
                    "rule_id, trigger_desc, actor, move_us) VALUES ",
                    batch_rows, &rows);
  BatchInsert srs(sql,
                  "INSERT INTO service_requests (id, type_code, kind, casegroup_id, case_id, "
                  "subject_person_id, status, sub_status, resolution_code, source, "
                  "created_by_rule, priority, owning_segment_id, allocated_to, parent_id, "
                  "description, wake_date, plan_generated, created_by, created_us, updated_us, "
                  "version) VALUES ",
                  batch_rows, &rows);
  BatchInsert activities(sql,
                         "INSERT INTO sr_activities (sr_id, seq, name, mandatory, status, manual, "
                         "due_date, alarm, completed_by, complete_us, reminder_due) VALUES ",
                         batch_rows, &rows);
  sql << "START TRANSACTION";
  for (int64_t g = first; g <= last; ++g) {
    const Segment& seg = SegmentOf(plan, g);
    const bool ni = seg.country == "NI";
    const bool new_case = seg.service == "NEW_CASE";
    const int64_t created = plan.now_us - kSpanUs + kSpanUs * (g - 1) / plan.casegroups;
    const int64_t pp = 2 * g - 1, rp = 2 * g;
    std::string allocated = "NULL";
    if (Draw(g, 3, 100) < plan.allocated_percent) {
      allocated = absl::StrCat("'", seg.caseworkers[Draw(g, 4, seg.caseworkers.size())], "'");
    }
    for (int64_t person : {pp, rp}) {
      // NINOs JA000000A..: two-letter prefix per million persons.
      const int64_t n = person - 1;
      persons.Add(absl::StrFormat(
          "(%d,'Gen','%s','%s','J%c%06dA','%d Generated Street','%s',0,'GB','','',0,'','OK','',"
          "'',0,0,0,'%s',%d,0,1,%d)",
          person, person == pp ? "Payer" : "Receiver",
          Date(created - (20 + Draw(person, 5, 40)) * 365 * kDayUs),
          static_cast<char>('A' + n / 1000000), n % 1000000, person % 999 + 1,
          ni ? absl::StrFormat("BT%d 1AA", 1 + person % 9) : std::string("SW1A 1AA"),
          person == pp ? "EMPLOYED" : "UNKNOWN", person == pp ? 40000 + Draw(person, 6, 80000) : 0,
          created));
    }
    groups.Add(absl::StrFormat("(%d,%d,%d,%s,'%s','R3.2.%d',1,%d)", g, pp, seg.id, allocated,
                               seg.country, new_case ? 5 : 6, created));
    cases.Add(absl::StrFormat(
        "(%d,%d,%d,%d,'2012','%s','%s','DIRECT_PAY','DIRECT_PAY','%s','%s',1,%d)", g, g, pp, rp,
        seg.service, Draw(g, 7, 3) == 0 ? "COLLECT_AND_PAY" : "DIRECT_PAY",
        Date(created + 365 * kDayUs), Date(created), created));
    moves.Add(absl::StrFormat("(%d,NULL,%d,'R3.2.%d','CreateApplication','datagen',%d)", g, seg.id,
                              new_case ? 5 : 6, created));
    const int count = static_cast<int>(Draw(g, 8, 2 * plan.srs_per_casegroup + 1));
    for (int i = 0; i < count; ++i) {
      const int64_t key = g * 64 + i;
      const int64_t sr_created =
          created + Draw(key, 9, std::min(kSrWindowUs, plan.now_us - created) + 1);
      // ARREARS_REVIEW is one-open-per-case and needs its Reason field past
      // OPEN (SR5.4, SR5.10): only the first SR may be one, and it stays OPEN.
      const bool open = Draw(key, 11, 100) < plan.open_percent;
      const int64_t type_draw = Draw(key, 10, 100);
      const bool arrears = open && i == 0 && type_draw < 10;
      const bool income = !arrears && type_draw < 55;
      const bool closed = !open;
      const char* status =
          closed ? "CLOSED" : (arrears || Draw(key, 15, 100) < 60 ? "OPEN" : "IN_PROGRESS");
      const char* resolution = !closed ? "" : (income ? "Income Updated" : "Artefact Cleared");
      const char* type = arrears ? "ARREARS_REVIEW" : (income ? "CHANGE_INCOME" : "CLEAR_ARTEFACT");
      const bool in_progress = std::string(status) == "IN_PROGRESS";
      srs.Add(absl::StrFormat(
          "(%d,'%s','CASE_OWNING',%d,%d,NULL,'%s','%s','%s','%s','',%d,%d,%s,NULL,'',NULL,%d,"
          "'datagen',%d,%d,1)",
          key, type, g, g, status, closed ? "Complete" : "", resolution,
          Draw(key, 12, 2) == 0 ? "CASEWORKER" : "HMRC", Draw(key, 13, 100) < 5 ? 1 : 0, seg.id,
          allocated, in_progress ? 1 : 0, sr_created,
          closed ? std::min(plan.now_us, sr_created + Draw(key, 14, 20 * kDayUs)) : sr_created));
      if (!in_progress) continue;
      const auto& steps = plan.activity_plans.at(type);
      const bool reminder = Draw(key, 16, 100) < 2;
      for (size_t a = 0; a < steps.size(); ++a) {
        const bool done = a == 0 && steps.size() > 1;
        const bool last = a + 1 == steps.size();
        activities.Add(absl::StrFormat(
            "(%d,%d,'%s',%d,'%s',0,NULL,0,%s,%s,%d)", key, a + 1, steps[a].first,
            steps[a].second ? 1 : 0, done ? "DONE" : "OPEN", done ? "'datagen'" : "NULL",
            done ? absl::StrCat(sr_created) : "NULL", reminder && last ? 1 : 0));
      }
    }
  }
  persons.Flush();
  groups.Flush();
  cases.Flush();
  moves.Flush();
  srs.Flush();
  activities.Flush();
  sql << "COMMIT";
  return rows;
}

// Gives every segment caseworkers sized to its share of the casegroups, in
// teams with a team leader each, inserted as the BOM would hold them.
void AddStaff(soci::session& sql, Plan& plan, int casegroups_per_caseworker, int team_size) {
  sql << "START TRANSACTION";
  for (Segment& seg : plan.segments) {
    const int64_t groups = plan.casegroups * seg.percent / 10000;
    const int64_t caseworkers = std::max<int64_t>(1, groups / casegroups_per_caseworker);
    for (int64_t t = 0; t * team_size < caseworkers; ++t) {
      const std::string team_name = absl::StrFormat("Generated Team %04d", t + 1);
      sql << "INSERT INTO teams (segment_id, name, status, version, created_us) VALUES (:s, :n, "
             "'ACTIVE', 1, :now)",
          soci::use(seg.id), soci::use(team_name), soci::use(plan.now_us);
      long long team = 0;
      sql << "SELECT LAST_INSERT_ID()", soci::into(team);
      std::string staff = absl::StrFormat(
          "INSERT INTO staff (staff_id, name, role, team_id, segment_id, active, version, "
          "created_us) VALUES ('gen.tl.%s.%d', 'Generated Leader', 'TEAM_LEADER', %d, %d, 1, 1, "
          "%d)",
          seg.tag, t + 1, team, seg.id, plan.now_us);
      for (int64_t n = t * team_size; n < std::min(caseworkers, (t + 1) * team_size); ++n) {
        std::string id = absl::StrFormat("gen.cw.%s.%d", seg.tag, n + 1);
        absl::StrAppendFormat(&staff,
                              ",('%s', 'Generated Caseworker', 'CASEWORKER', %d, %d, 1, 1, %d)", id,
                              team, seg.id, plan.now_us);
        seg.caseworkers.push_back(std::move(id));
      }
      sql << staff;
    }
  }
  sql << "COMMIT";
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const char* base = std::getenv("CMS_TEST_DB_URI");
  if (base == nullptr) return Die("CMS_TEST_DB_URI is not set (tools/mariadb start prints it)");
  const std::string uri = absl::StrCat(base, " db=", absl::GetFlag(FLAGS_db_name));
  const int batch_rows = absl::GetFlag(FLAGS_batch_rows);
  const int threads = absl::GetFlag(FLAGS_threads);
  if (threads < 1 || threads > 2) return Die("--threads must be 1 or 2");
  if (batch_rows < 1) return Die("--batch_rows must be positive");

  Plan plan;
  plan.casegroups = absl::GetFlag(FLAGS_casegroups);
  plan.srs_per_casegroup = absl::GetFlag(FLAGS_srs_per_casegroup);
  plan.allocated_percent = absl::GetFlag(FLAGS_allocated_percent);
  plan.open_percent = absl::GetFlag(FLAGS_open_percent);
  if (absl::GetFlag(FLAGS_casegroups_per_caseworker) < 1 || absl::GetFlag(FLAGS_team_size) < 1) {
    return Die("--casegroups_per_caseworker and --team_size must be positive");
  }
  plan.now_us = absl::ToUnixMicros(absl::Now());
  if (plan.srs_per_casegroup < 0 || 2 * plan.srs_per_casegroup >= 64) {
    return Die("--srs_per_casegroup must be 0..31 (SR ids are casegroup id x 64 + n)");
  }
  auto catalog = cms::catalog::SrCatalog::Load(cms::catalog::EmbeddedCatalogFiles());
  if (!catalog.ok()) return Die(catalog.status().ToString());
  for (const char* code : {"ARREARS_REVIEW", "CHANGE_INCOME", "CLEAR_ARTEFACT"}) {
    const cms::v1::SrType* type = catalog->Find(code);
    if (type == nullptr) return Die(absl::StrCat("the SR catalog has no ", code));
    for (const auto& step : type->activity_plan()) {
      plan.activity_plans[code].emplace_back(absl::StrReplaceAll(step.name(), {{"'", "''"}}),
                                             step.mandatory());
    }
  }

  // Schema and demo BOM through the server's own code.
  if (auto s = cms::store::CreateDatabaseIfMissing(uri); !s.ok()) return Die(s.ToString());
  {
    auto db = cms::store::Db::Open({uri, 2});
    if (!db.ok()) return Die(db.status().ToString());
    auto ran = cms::store::MigrateUp(**db, cms::store::EmbeddedMigrations());
    if (!ran.ok()) return Die(ran.status().ToString());
    auto clock = cms::app::BusinessClock::Create(/*test_mode=*/false);
    if (!clock.ok()) return Die(clock.status().ToString());
    cms::app::Commands commands(**db, *clock);
    cms::app::BomApp bom(commands);
    auto loaded = cms::app::LoadDemoBom(commands, bom);
    if (!loaded.ok()) return Die(loaded.status().ToString());
  }

  try {
    soci::session sql(soci::mysql, uri);
    long long existing = 0;
    sql << "SELECT COUNT(*) FROM casegroups", soci::into(existing);
    if (existing != 0) return Die(absl::StrCat(uri, " already holds ", existing, " casegroups"));
    for (int c = 0; c < 2; ++c) {
      for (int k = 0; k < 2; ++k) {
        Segment s;
        s.country = c == 0 ? "GB" : "NI";
        s.service = k == 0 ? "NEW_CASE" : "MAINTENANCE";
        s.tag = absl::AsciiStrToLower(absl::StrCat(s.country, "_", s.service));
        s.percent = kCountryPercent[c] * kServicePercent[k];  // of 10,000
        soci::indicator ind = soci::i_null;
        sql << "SELECT id FROM segments WHERE country = :c AND service_segment = :s AND status = "
               "'ACTIVE' ORDER BY id LIMIT 1",
            soci::use(s.country), soci::use(s.service), soci::into(s.id, ind);
        if (!sql.got_data())
          return Die(absl::StrCat("no live ", s.country, " ", s.service, " segment"));
        plan.segments.push_back(s);
      }
    }
    AddStaff(sql, plan, absl::GetFlag(FLAGS_casegroups_per_caseworker),
             absl::GetFlag(FLAGS_team_size));
  } catch (const std::exception& e) {
    return Die(e.what());
  }

  const int64_t chunks = (plan.casegroups + batch_rows - 1) / batch_rows;
  std::atomic<int64_t> next_chunk{0}, total_rows{0};
  std::atomic<bool> failed{false};
  const absl::Time start = absl::Now();
  std::vector<std::thread> loaders;
  for (int t = 0; t < threads; ++t) {
    loaders.emplace_back([&] {
      try {
        soci::session sql(soci::mysql, uri);
        sql << "SET SESSION unique_checks = 0, foreign_key_checks = 0";
        for (int64_t c = next_chunk++; c < chunks && !failed; c = next_chunk++) {
          const int64_t first = c * batch_rows + 1;
          const int64_t last = std::min(plan.casegroups, first + batch_rows - 1);
          total_rows += LoadChunk(sql, plan, first, last, batch_rows);
          if (c % 50 == 49) {
            const double s = absl::ToDoubleSeconds(absl::Now() - start);
            std::fprintf(stderr, "cms_datagen: %lld/%lld chunks, %.0f rows/s\n",
                         static_cast<long long>(c + 1), static_cast<long long>(chunks),
                         total_rows / s);
          }
        }
      } catch (const std::exception& e) {
        failed = true;
        std::fprintf(stderr, "cms_datagen: %s\n", e.what());
      }
    });
  }
  for (auto& t : loaders) t.join();
  if (failed) return 1;
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);

  long long groups = 0, srs = 0, open_srs = 0, allocated_open = 0;
  try {
    soci::session sql(soci::mysql, uri);
    soci::rowset<soci::row> analyzed = (sql.prepare << "ANALYZE TABLE persons, casegroups, "
                                                       "cases, casegroup_moves, service_requests");
    for (auto it = analyzed.begin(); it != analyzed.end(); ++it) {
    }
    sql << "SELECT COUNT(*) FROM casegroups", soci::into(groups);
    sql << "SELECT COUNT(*), COALESCE(SUM(is_open), 0), COALESCE(SUM(is_open = 1 AND "
           "allocated_to IS NOT NULL), 0) FROM service_requests",
        soci::into(srs), soci::into(open_srs), soci::into(allocated_open);
  } catch (const std::exception& e) {
    return Die(e.what());
  }
  std::printf(
      "cms_datagen: %s: %lld casegroups, %lld SRs (%lld open, %lld of them allocated); "
      "%lld rows in %.1f s = %.0f rows/s (%d threads, %d rows/statement)\n",
      absl::GetFlag(FLAGS_db_name).c_str(), groups, srs, open_srs, allocated_open,
      static_cast<long long>(total_rows.load()), seconds, total_rows / seconds, threads,
      batch_rows);
  return 0;
}
