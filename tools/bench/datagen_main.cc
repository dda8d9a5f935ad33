// cms_datagen: fills a fresh database with a realistic volume of casegroups,
// service requests and the staff who work them, for the work-allocation
// benchmark (cms_workbench).
//
//   cms_datagen --db_name=gen_1m [--casegroups=1000000] [--srs_per_casegroup=5]
//   cms_datagen --db_name=gen_money_1000000 --decisions
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
// With --money (for cms_arrearsbench; off by default, so the other benches'
// databases stay as they were) every case past the new-case stage (the
// MAINTENANCE casegroups: a NEW_CASE case has no P2P schedule yet, R3.2
// rule 5) whose first collection has come also gets its money, as the
// server's commands write it:
// - the AMEND_EXISTING_MOPF SR (closed, MOPF Set Up, field MOPF Action) and
//   the one method it set up 3-6 weeks after the application, with the
//   MOPF's version row: DD (88%) or a DEO (mandatory or self-selected) whose
//   employer is also on the PP's record;
// - P2P schedules (domain::GenerateSchedule): from the first collection (up
//   to 2 weeks after the MOPF's start; monthly 55%, four-weekly 15%,
//   fortnightly 10%, weekly 20%; GBP 10-150 a week) to the annual review,
//   and from an annual review that has passed a new one (the old one
//   SUPERSEDED from it);
// - the payments for the collections due by today (on the due day, 10% 1-5
//   days late), their collection fees and ledger rows on a collect-and-pay
//   case (domain::CollectionFeeFor), and each item's standing as of today
//   (domain::ClassifySchedule), as payments and the daily job leave it.
// --arrears_percent of those cases (of those with two collections due before
// the review day drawn for them) missed two collections in a row: the Arrears
// Review SR AR10.1 raised the day after the second (Reason Arrears Routing
// Logic) and the case's arrears action (cms.v1.ArrearsAction, base64 in
// body_b64 as store/arrears_repo.cc writes it), at a stage of the procedure
// drawn per case (Stage below): review just raised, arrears notice CMSL6031
// waiting its 7 days (review in WAIT with its SR_WAIT_EXPIRY timer), no
// response, the PP responded, HMRC answered an employer or nothing, the final
// negotiation under way or failed, disclosure with the Deduction Order Team
// (its DISCLOSURE SR), an RDO set up or disclosure unsuccessful, the LO's
// negotiation failed, the review closed (arrears paid) or the missed payment
// monitor disabled. Half of them paid the collections due after the review.
// The action's letters are interactions rows (placeholder text), an HMRC
// employer an employments row, DOT's findings person_assets rows. Not
// generated: audit rows, arrears and missed-payment events, notes, HMRC
// requests and DEO desire flags, the RDO's Review activity, and any timer
// that would fire while a benchmark runs (the nightly missed-payment job's
// and RDO check's).
//
// With --decisions (for cms_assurancebench), on a database it already filled:
// migrate it and fill business_decisions (migration 0020) as the server
// records them (app/decisions.h), had the book's staff made its decisions
// through it (datagen_decisions.cc): each closed SR's resolution, by its
// allocated caseworker or one of its segment's, when it closed; a
// calculation on 30% of the closed Change of Income SRs; a team leader's
// approval on 5% of the closed Change of Income and Clear Artefact SRs; 1-3
// decisions over each arrears action's life; a Segment 5 decision on 2% of
// the MAINTENANCE cases. Approvals, calculations and compliance
// opportunities are not rows of the book, so those decisions name their SR
// (or case) as the entity. Ids rise with time, as the server's do.
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
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cms/v1/arrears.pb.h"
#include "google/protobuf/util/time_util.h"
#include "server/app/arrears_facts.h"
#include "server/app/bom.h"
#include "server/app/clock.h"
#include "server/app/commands.h"
#include "server/app/demo_bom.h"
#include "server/app/service_requests.h"
#include "server/base/enum_names.h"
#include "server/base/etag.h"
#include "server/catalog/catalog.h"
#include "server/domain/arrears_letters.h"
#include "server/domain/fees.h"
#include "server/domain/money.h"
#include "server/domain/payments.h"
#include "server/domain/schedule.h"
#include "server/store/db.h"
#include "server/store/migrations.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"
#include "tools/bench/datagen_decisions.h"

ABSL_FLAG(std::string, db_name, "cms_gen", "database to fill (created when missing)");
ABSL_FLAG(int64_t, casegroups, 1000000, "casegroups to generate");
ABSL_FLAG(int, srs_per_casegroup, 5, "average service requests per casegroup");
ABSL_FLAG(int, batch_rows, 2000, "rows per INSERT statement (and casegroups per transaction)");
ABSL_FLAG(int, threads, 2, "loader connections (1 or 2)");
ABSL_FLAG(int, casegroups_per_caseworker, 500, "casegroups of a segment per generated caseworker");
ABSL_FLAG(int, team_size, 10, "generated caseworkers per team (each team has one team leader)");
ABSL_FLAG(int, allocated_percent, 10, "casegroups allocated to a caseworker (the rest are queued)");
ABSL_FLAG(int, open_percent, 12, "SRs still open (OPEN or IN_PROGRESS); the rest are CLOSED");
ABSL_FLAG(bool, money, false,
          "give the cases past the new-case stage their MOPF, schedules and payments, and "
          "--arrears_percent of them an Arrears Review and its arrears action");
ABSL_FLAG(int, arrears_percent, 10, "with --money: cases with money that get an arrears action");
ABSL_FLAG(bool, decisions, false,
          "on a database cms_datagen already filled: migrate it and fill business_decisions "
          "(datagen_decisions.h), then stop");

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
  // --money.
  bool money = false;
  int arrears_percent = 0;
  absl::TimeZone london;
  absl::CivilDay today;                         // the business day (Europe/London)
  std::map<std::string, int64_t> dot_segments;  // country -> its Deduction Order Team
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

// ------------------------------------------------------------------ money

namespace domain = cms::domain;
using domain::Pence;

// The SR numbers (id = casegroup id x 64 + n) of the money's own SRs; with
// --money the generated SRs take n = 0 .. 2 x kMaxSrsWithMoney.
constexpr int kLoNegotiationSr = 59;
constexpr int kDisclosureSr = 60;
constexpr int kNegotiationSr = 61;
constexpr int kReviewSr = 62;
constexpr int kMopfSr = 63;
constexpr int kMaxSrsWithMoney = 29;

constexpr char kSrInsert[] =
    "INSERT INTO service_requests (id, type_code, kind, casegroup_id, case_id, "
    "subject_person_id, status, sub_status, resolution_code, source, created_by_rule, priority, "
    "owning_segment_id, allocated_to, parent_id, description, wake_date, plan_generated, "
    "created_by, created_us, updated_us, version) VALUES ";
constexpr char kActivityInsert[] =
    "INSERT INTO sr_activities (sr_id, seq, name, mandatory, status, manual, due_date, alarm, "
    "completed_by, complete_us, reminder_due) VALUES ";

// How far a case's arrears action has gone. Up to kLoNegotiationFailed each
// stage holds the facts of the ones before it, in the order the procedure
// takes them (kHmrcEmployer is a branch: the DEO comes next, not
// kHmrcNothing's); the last two end the action early.
enum class Stage {
  kNewReview,               // the review OPEN, nothing done yet
  kNoticeWait,              // CMSL6031 issued 0-6 days ago, the review in WAIT
  kNoResponse,              // CMSL6031's 7 days over, no response
  kResponded,               // the PP agreed to pay after the letter
  kHmrcEmployer,            // HMRC on demand: an employer
  kHmrcNothing,             // HMRC on demand: nothing
  kNegotiating,             // the final negotiation before disclosure under way
  kNegotiationFailed,       // ... and failed
  kDisclosureRequested,     // the DISCLOSURE SR with DOT
  kRdoSetUp,                // DOT set up an RDO (and found a bank account)
  kDisclosureUnsuccessful,  // DOT found nothing to deduct from
  kLoNegotiationFailed,     // the LO's final negotiation failed too
  kClosed,                  // the PP paid the arrears after responding; review closed
  kMonitorDisabled,         // no response, then the missed payment monitor disabled
};
// Each stage's share of the arrears actions in percent, in enum order.
constexpr int kStagePercent[] = {15, 15, 10, 10, 8, 8, 6, 6, 6, 4, 4, 3, 3, 2};

Stage StageOf(int64_t g) {
  int64_t draw = Draw(g, 121, 100);
  int s = 0;
  while (draw >= kStagePercent[s]) draw -= kStagePercent[s++];
  return static_cast<Stage>(s);
}

// The procedure's steps before the action ended early.
Stage HistoryOf(Stage s) {
  if (s == Stage::kClosed) return Stage::kResponded;
  if (s == Stage::kMonitorDisabled) return Stage::kNoResponse;
  return s;
}

// The days of a case's arrears procedure; those after its history's last
// step are not used.
struct ArrearsPlan {
  Stage stage = Stage::kNewReview;
  Stage history = Stage::kNewReview;
  size_t first_miss = 0;  // the first of the two missed collections (an item index)
  bool resumed = false;   // the collections due after the review were paid
  absl::CivilDay review, letter, contact, hmrc, negotiation, negotiation_end, disclosure, outcome,
      lo_negotiation, lo_negotiation_end;
};

struct GeneratedSchedule {
  int64_t id = 0;
  absl::CivilDay first, next_review;
  Pence weekly = 0;
  int64_t created_us = 0;
};

struct CaseMoney {
  bool deo = false;  // else DD
  bool mandatory_deo = false;
  std::string employer;                 // the DEO's, also on the PP's record
  const char* employment = "EMPLOYED";  // the PP's employment status
  absl::CivilDay applied;               // the case's application day
  absl::CivilDay mopf_start;
  domain::Frequency frequency = domain::Frequency::kMonthly;
  std::vector<GeneratedSchedule> schedules;  // oldest first; the last is CURRENT
  // Every schedule's items in due order (one method: one item a due date),
  // with the index of their schedule.
  std::vector<domain::ScheduleItem> items;
  std::vector<size_t> item_schedule;
  std::vector<domain::Payment> payments;  // in received order
  std::optional<ArrearsPlan> arrears;
};

const char* FrequencyName(domain::Frequency f) {
  switch (f) {
    case domain::Frequency::kWeekly:
      return "WEEKLY";
    case domain::Frequency::kFortnightly:
      return "FORTNIGHTLY";
    case domain::Frequency::kFourWeekly:
      return "FOUR_WEEKLY";
    case domain::Frequency::kMonthly:
      return "MONTHLY";
  }
  return "";
}

// `hour`:00 on `day`, business time.
int64_t Us(const Plan& plan, absl::CivilDay day, int hour) {
  return absl::ToUnixMicros(absl::FromCivil(absl::CivilSecond(day) + hour * 3600, plan.london));
}

std::string Sql(absl::CivilDay d) { return absl::StrCat("'", absl::FormatCivilTime(d), "'"); }

cms::v1::Date DateOf(absl::CivilDay d) {
  cms::v1::Date out;
  out.set_year(static_cast<int32_t>(d.year()));
  out.set_month(d.month());
  out.set_day(d.day());
  return out;
}

// The first anniversary of `annual` after `day` (app/payments.cc: a
// schedule runs up to the next annual review).
absl::CivilDay NextAnnualReview(absl::CivilDay annual, absl::CivilDay day) {
  absl::CivilDay next = annual;
  while (next <= day) next = absl::CivilDay(next.year() + 1, annual.month(), annual.day());
  return next;
}

// The review day and the steps after it, or none when the case has not had
// two collections due before the review its stage needs.
std::optional<ArrearsPlan> ArrearsOf(const Plan& plan, int64_t g, const CaseMoney& m) {
  ArrearsPlan a;
  a.stage = StageOf(g);
  a.history = HistoryOf(a.stage);
  a.resumed = a.stage == Stage::kClosed || Draw(g, 122, 2) == 0;
  // Days after the review, each step a few days after the one before.
  const int letter = static_cast<int>(Draw(g, 123, 3));
  const int contact = letter + 1 + static_cast<int>(Draw(g, 124, 5));
  const int hmrc = contact + 1 + static_cast<int>(Draw(g, 125, 3));
  const int negotiation = hmrc + 1 + static_cast<int>(Draw(g, 126, 5));
  const int negotiation_end = negotiation + 7;
  const int disclosure = negotiation_end + 1;
  const int outcome = disclosure + 14 + static_cast<int>(Draw(g, 127, 8));
  const int lo_negotiation = outcome + 1;
  const int lo_negotiation_end = lo_negotiation + 7;
  // The last step of each history, kNewReview .. kLoNegotiationFailed.
  const int last_step[] = {0,          letter,  letter,      contact,
                           hmrc,       hmrc,    negotiation, negotiation_end,
                           disclosure, outcome, outcome,     lo_negotiation_end};
  // The latest review day the stage allows: its last step by today (from
  // kNoResponse on, after the letter's 7 days); a notice's wait still runs.
  absl::CivilDay latest;
  if (a.history == Stage::kNoticeWait) {
    latest = plan.today - Draw(g, 128, domain::kArrearsNoticeWaitDays) - letter;
  } else {
    int last = last_step[static_cast<int>(a.history)];
    if (a.history >= Stage::kNoResponse) {
      last = std::max(last, letter + domain::kArrearsNoticeWaitDays);
    }
    latest = plan.today - last - Draw(g, 128, 21);
  }
  // AR10.1 raises the review the day after the second collection missed in
  // a row (tolerance 0): the last one due before `latest`.
  size_t second = 0;
  while (second + 1 < m.items.size() && m.items[second + 1].due + 1 <= latest) ++second;
  if (second == 0 || m.items[second].due + 1 > latest) return std::nullopt;
  a.first_miss = second - 1;
  a.review = m.items[second].due + 1;
  a.letter = (a.history == Stage::kNoticeWait ? latest : a.review) + letter;
  a.contact = a.review + contact;
  a.hmrc = a.review + hmrc;
  a.negotiation = a.review + negotiation;
  a.negotiation_end = a.review + negotiation_end;
  a.disclosure = a.review + disclosure;
  a.outcome = a.review + outcome;
  a.lo_negotiation = a.review + lo_negotiation;
  a.lo_negotiation_end = a.review + lo_negotiation_end;
  return a;
}

bool MissedByPlan(const ArrearsPlan& a, size_t i) {
  if (i < a.first_miss) return false;
  return i <= a.first_miss + 1 || !a.resumed;
}

// The payments received for the collections due by today: on the due day,
// one in ten 1-5 days late; none for the missed ones, whose arrears a closed
// review's PP paid on the day they agreed to.
void Pay(const Plan& plan, int64_t g, CaseMoney* m) {
  Pence arrears = 0;
  for (size_t i = 0; i < m->items.size() && m->items[i].due <= plan.today; ++i) {
    const domain::ScheduleItem& item = m->items[i];
    if (m->arrears && MissedByPlan(*m->arrears, i)) {
      arrears += item.expected_amount;
      continue;
    }
    const int64_t key = g * 1024 + static_cast<int64_t>(i);
    const absl::CivilDay received =
        item.due + (Draw(key, 130, 10) == 0 ? 1 + Draw(key, 131, 5) : 0);
    if (received <= plan.today) {
      m->payments.push_back({received, item.expected_amount, item.expected_method});
    }
  }
  if (m->arrears && m->arrears->stage == Stage::kClosed) {
    m->payments.push_back({m->arrears->contact, arrears, m->items.front().expected_method});
  }
  std::stable_sort(
      m->payments.begin(), m->payments.end(),
      [](const domain::Payment& a, const domain::Payment& b) { return a.received < b.received; });
}

// Case g's money, or none: a case in the new-case stage, or whose first
// collection is still to come.
std::optional<CaseMoney> MoneyOf(const Plan& plan, const Segment& seg, int64_t g,
                                 int64_t created_us) {
  if (!plan.money || seg.service != "MAINTENANCE") return std::nullopt;
  // The application day and annual review as the case row has them.
  const absl::CivilDay applied =
      absl::ToCivilDay(absl::FromUnixMicros(created_us), absl::UTCTimeZone());
  const absl::CivilDay annual = applied + 365;
  CaseMoney m;
  m.applied = applied;
  m.mopf_start = applied + 21 + Draw(g, 100, 22);
  const absl::CivilDay first = m.mopf_start + Draw(g, 101, 14);
  if (first > plan.today) return std::nullopt;
  m.deo = Draw(g, 102, 100) < 12;
  if (m.deo) {
    m.mandatory_deo = Draw(g, 103, 100) < 60;
    m.employer = absl::StrFormat("Generated Employer %d", 1 + g % 997);
  } else {
    const int64_t e = Draw(g, 104, 100);
    m.employment = e < 70   ? "EMPLOYED"
                   : e < 82 ? "SELF_EMPLOYED"
                   : e < 90 ? "UNEMPLOYED"
                            : "UNKNOWN";
  }
  const int64_t f = Draw(g, 105, 100);
  m.frequency = f < 55   ? domain::Frequency::kMonthly
                : f < 70 ? domain::Frequency::kFourWeekly
                : f < 80 ? domain::Frequency::kFortnightly
                         : domain::Frequency::kWeekly;
  const domain::MethodShare share{m.deo ? domain::PaymentMethod::kDeo : domain::PaymentMethod::kDd,
                                  100};
  Pence weekly = 1000 + 500 * Draw(g, 106, 29);
  for (absl::CivilDay from = first; from <= plan.today;) {
    GeneratedSchedule s;
    s.id = g * 2 + static_cast<int64_t>(m.schedules.size());
    s.first = from;
    s.next_review = NextAnnualReview(annual, from);
    s.weekly = weekly;
    s.created_us = Us(plan, from - (m.schedules.empty() ? 7 : 14), 10);
    domain::ScheduleInput in;
    in.weekly_liability = weekly;
    in.frequency = m.frequency;
    in.first_collection = from;
    in.next_annual_review = s.next_review;
    in.shares = {share};
    auto items = domain::GenerateSchedule(in);
    if (!items.ok()) {
      std::fprintf(stderr, "cms_datagen: schedule of case %lld: %s\n", static_cast<long long>(g),
                   items.status().ToString().c_str());
      std::abort();
    }
    for (const domain::ScheduleItem& i : *items) {
      m.items.push_back(i);
      m.item_schedule.push_back(m.schedules.size());
    }
    m.schedules.push_back(s);
    from = s.next_review;
    weekly = weekly * (90 + Draw(g, 107, 21)) / 100;  // the annual review's new liability
  }
  if (Draw(g, 120, 100) < plan.arrears_percent) m.arrears = ArrearsOf(plan, g, m);
  Pay(plan, g, &m);
  return m;
}

// An SR row of the money's (the columns of kSrInsert).
struct SrRow {
  int64_t id = 0;
  std::string type, kind = "CASE_OWNING";
  int64_t casegroup = 0;
  std::string subject = "NULL";
  std::string status, sub_status, resolution, source = "INTERNAL_SYSTEM", rule;
  int64_t owner = 0;
  std::string allocated = "NULL", parent = "NULL", description, wake = "NULL";
  int64_t created_us = 0, updated_us = 0, version = 1;
};

std::string Format(const SrRow& r) {
  return absl::StrFormat(
      "(%d,'%s','%s',%d,%d,%s,'%s','%s','%s','%s','%s',0,%d,%s,%s,'%s',%s,%d,"
      "'datagen',%d,%d,%d)",
      r.id, r.type, r.kind, r.casegroup, r.casegroup, r.subject, r.status, r.sub_status,
      r.resolution, r.source, r.rule, r.owner, r.allocated, r.parent, r.description, r.wake,
      r.status == "OPEN" ? 0 : 1, r.created_us, r.updated_us, r.version);
}

// The rows of the cases' money, one multi-row INSERT per table as they fill.
class MoneyRows {
 public:
  MoneyRows(soci::session& sql, const Plan& plan, int batch_rows, int64_t* rows)
      : plan_(plan),
        srs_(sql, kSrInsert, batch_rows, rows),
        activities_(sql, kActivityInsert, batch_rows, rows),
        fields_(sql, "INSERT INTO sr_fields (sr_id, name, value) VALUES ", batch_rows, rows),
        employers_(sql,
                   "INSERT INTO person_employers (person_id, seq, name, employer_reference) "
                   "VALUES ",
                   batch_rows, rows),
        mopf_(sql,
              "INSERT INTO mopf_methods (id, casegroup_id, method, share_percent, enforced, "
              "deo_subtype, mandatory_deo, employer, start_date, end_date, sr_id, ended_sr_id, "
              "created_by, created_us) VALUES ",
              batch_rows, rows),
        versions_(sql, "INSERT INTO money_versions (kind, subject, version) VALUES ", batch_rows,
                  rows),
        schedules_(sql,
                   "INSERT INTO schedules (id, case_id, state, frequency, "
                   "weekly_liability_pence, first_collection, next_review, reason, created_by, "
                   "created_us, superseded_from) VALUES ",
                   batch_rows, rows),
        items_(sql,
               "INSERT INTO schedule_items (schedule_id, case_id, seq, due_date, expected_pence, "
               "expected_method, status, paid_pence, on_time, in_full, agreed_method, missed_on) "
               "VALUES ",
               batch_rows, rows),
        payments_(sql,
                  "INSERT INTO payments (id, case_id, amount_pence, received_date, method, "
                  "pp_fee_pence, rp_fee_pence, recorded_by, recorded_us) VALUES ",
                  batch_rows, rows),
        ledger_(sql,
                "INSERT INTO ledger_entries (case_id, kind, amount_pence, effective_date, "
                "payment_id, created_by, created_us) VALUES ",
                batch_rows, rows),
        actions_(sql,
                 "INSERT INTO arrears_actions (id, case_id, casegroup_id, state, rung, "
                 "monitor_disabled, rdo_next_due, version, body_b64, created_us, updated_us) "
                 "VALUES ",
                 std::min(batch_rows, 500), rows),
        letters_(sql,
                 "INSERT INTO interactions (id, person_id, case_id, channel, direction, "
                 "template_code, text, author, service_request_id, created_us) VALUES ",
                 batch_rows, rows),
        employments_(sql,
                     "INSERT INTO employments (casegroup_id, employer_name, source, found_date, "
                     "found_us, desire_id, review_sr_id) VALUES ",
                     batch_rows, rows),
        assets_(sql,
                "INSERT INTO person_assets (person_id, casegroup_id, case_id, type, "
                "account_type, description, reference, source, state, recorded_by, created_us, "
                "updated_us, version) VALUES ",
                batch_rows, rows),
        timers_(sql,
                "INSERT INTO timers (kind, subject, due_us, payload, dedupe_key, state, "
                "created_us) VALUES ",
                batch_rows, rows) {}

  // Case g's money (g's casegroup, case, PP 2g-1; `collect` a collect-and-pay
  // case; `allocated` its caseworker or NULL).
  void Add(int64_t g, const Segment& seg, const std::string& allocated, bool collect,
           const CaseMoney& m);
  void Flush();

 private:
  void Mopf(int64_t g, const Segment& seg, const std::string& allocated, const CaseMoney& m);
  void Schedules(int64_t g, bool collect, const CaseMoney& m);
  void Arrears(int64_t g, const Segment& seg, const std::string& allocated, const CaseMoney& m);
  void ChildSrs(int64_t g, const Segment& seg, const std::string& allocated, const ArrearsPlan& a);
  // Activities of an IN_PROGRESS or WAIT SR: its type's plan, the first
  // `done` DONE.
  void AddPlan(int64_t sr, const std::string& type, size_t done, int64_t done_us);

  const Plan& plan_;
  BatchInsert srs_, activities_, fields_, employers_, mopf_, versions_, schedules_, items_,
      payments_, ledger_, actions_, letters_, employments_, assets_, timers_;
};

void MoneyRows::Add(int64_t g, const Segment& seg, const std::string& allocated, bool collect,
                    const CaseMoney& m) {
  Mopf(g, seg, allocated, m);
  Schedules(g, collect, m);
  if (m.arrears) Arrears(g, seg, allocated, m);
}

void MoneyRows::Flush() {
  for (BatchInsert* b :
       {&srs_, &activities_, &fields_, &employers_, &mopf_, &versions_, &schedules_, &items_,
        &payments_, &ledger_, &actions_, &letters_, &employments_, &assets_, &timers_}) {
    b->Flush();
  }
}

// M7.2: set up through an AMEND_EXISTING_MOPF SR the day before it starts
// (a MOPF starts today or later).
void MoneyRows::Mopf(int64_t g, const Segment& seg, const std::string& allocated,
                     const CaseMoney& m) {
  const int64_t sr = g * 64 + kMopfSr;
  const int64_t set_us = Us(plan_, m.mopf_start - 1, 11);
  SrRow r;
  r.id = sr;
  r.type = "AMEND_EXISTING_MOPF";
  r.casegroup = g;
  r.status = "CLOSED";
  r.sub_status = "Complete";
  r.resolution = "MOPF Set Up";
  r.source = "CASEWORKER";
  r.owner = seg.id;
  r.allocated = allocated;
  r.created_us = set_us - int64_t{3600} * 1000000;
  r.updated_us = set_us;
  r.version = 3;  // created, IN_PROGRESS, CLOSED
  srs_.Add(Format(r));
  fields_.Add(absl::StrFormat("(%d,'MOPF Action','Set up')", sr));
  const char* subtype = !m.deo ? "UNSPECIFIED" : m.mandatory_deo ? "MANDATORY" : "SELF_SELECTED";
  mopf_.Add(absl::StrFormat("(%d,%d,'%s',100,%d,'%s',0,'%s',%s,NULL,%d,NULL,'datagen',%d)", g, g,
                            m.deo ? "DEO" : "DD", m.deo && m.mandatory_deo ? 1 : 0, subtype,
                            m.employer, Sql(m.mopf_start), sr, set_us));
  versions_.Add(absl::StrFormat("('MOPF',%d,1)", g));
  if (m.deo) employers_.Add(absl::StrFormat("(%d,1,'%s','')", 2 * g - 1, m.employer));
}

// M7.5-M7.7: the schedules, each item's standing as of today, the payments
// and their collection fees.
void MoneyRows::Schedules(int64_t g, bool collect, const CaseMoney& m) {
  for (size_t s = 0; s < m.schedules.size(); ++s) {
    const GeneratedSchedule& sch = m.schedules[s];
    const bool current = s + 1 == m.schedules.size();
    schedules_.Add(absl::StrFormat("(%d,%d,'%s','%s',%d,%s,%s,'%s','datagen',%d,%s)", sch.id, g,
                                   current ? "CURRENT" : "SUPERSEDED", FrequencyName(m.frequency),
                                   sch.weekly, Sql(sch.first), Sql(sch.next_review),
                                   s == 0 ? "initial" : "annual review", sch.created_us,
                                   current ? std::string("NULL") : Sql(m.schedules[s + 1].first)));
  }
  auto classified = domain::ClassifySchedule(m.items, m.payments, plan_.today, 0);
  if (!classified.ok()) {
    std::fprintf(stderr, "cms_datagen: classify case %lld: %s\n", static_cast<long long>(g),
                 classified.status().ToString().c_str());
    std::abort();
  }
  for (size_t i = 0; i < m.items.size(); ++i) {
    const domain::ClassifiedItem& c = classified->items[i];
    const bool missed =
        c.status == domain::ItemStatus::kMissed || c.status == domain::ItemStatus::kPartial;
    items_.Add(absl::StrFormat(
        "(%d,%d,%d,%s,%d,'%s','%s',%d,%d,%d,%d,%s)", m.schedules[m.item_schedule[i]].id, g,
        c.item.sequence, Sql(c.item.due), c.item.expected_amount,
        domain::PaymentMethodName(c.item.expected_method), domain::ItemStatusName(c.status), c.paid,
        c.on_time ? 1 : 0, c.in_full ? 1 : 0, c.agreed_method ? 1 : 0,
        missed ? Sql(c.item.due + 1) : std::string("NULL")));
  }
  const std::vector<domain::ServiceTypeChange> history = {
      {collect ? domain::ServiceType::kCollectAndPay : domain::ServiceType::kDirectPay, m.applied}};
  for (size_t p = 0; p < m.payments.size(); ++p) {
    const domain::Payment& pay = m.payments[p];
    const int64_t id = g * 128 + static_cast<int64_t>(p);  // at most 57 weekly items so far
    auto fee = domain::CollectionFeeFor(pay.amount, pay.received, history, {});
    const Pence pp_fee = fee.ok() && fee->charged ? fee->pp_fee : 0;
    const Pence rp_fee = fee.ok() && fee->charged ? fee->rp_deduction : 0;
    const int64_t us = Us(plan_, pay.received, 9);
    payments_.Add(absl::StrFormat("(%d,%d,%d,%s,'%s',%d,%d,'datagen',%d)", id, g, pay.amount,
                                  Sql(pay.received), domain::PaymentMethodName(pay.method), pp_fee,
                                  rp_fee, us));
    for (const auto& [kind, amount] :
         {std::pair{"PP_COLLECTION_FEE", pp_fee}, std::pair{"RP_COLLECTION_FEE", rp_fee}}) {
      if (amount == 0) continue;
      ledger_.Add(absl::StrFormat("(%d,'%s',%d,%s,%d,'datagen',%d)", g, kind, amount,
                                  Sql(pay.received), id, us));
    }
  }
}

void MoneyRows::AddPlan(int64_t sr, const std::string& type, size_t done, int64_t done_us) {
  const auto& steps = plan_.activity_plans.at(type);
  for (size_t a = 0; a < steps.size(); ++a) {
    const bool is_done = a < done;
    activities_.Add(absl::StrFormat("(%d,%d,'%s',%d,'%s',0,NULL,0,%s,%s,0)", sr, a + 1,
                                    steps[a].first, steps[a].second ? 1 : 0,
                                    is_done ? "DONE" : "OPEN", is_done ? "'datagen'" : "NULL",
                                    is_done ? absl::StrCat(done_us) : "NULL"));
  }
}

// AR10.1-AR10.7: the Arrears Review SR, its arrears action at the case's
// stage, and what the steps so far left behind.
void MoneyRows::Arrears(int64_t g, const Segment& seg, const std::string& allocated,
                        const CaseMoney& m) {
  const ArrearsPlan& a = *m.arrears;
  const Stage h = a.history;
  const int64_t pp = 2 * g - 1, review = g * 64 + kReviewSr;
  const domain::ScheduleItem& miss = m.items[a.first_miss + 1];
  cms::v1::ArrearsAction action;
  action.set_case_id(g);
  action.set_casegroup_id(g);
  action.set_paying_parent_id(pp);
  action.set_state(h == Stage::kNewReview      ? cms::v1::ARREARS_STATE_REVIEW
                   : a.stage == Stage::kClosed ? cms::v1::ARREARS_STATE_CLOSED
                                               : cms::v1::ARREARS_STATE_ACTION_IN_PROGRESS);
  action.set_review_service_request_id(review);
  action.set_review_reason(cms::v1::ARREARS_REVIEW_REASON_ARREARS_ROUTING_LOGIC);
  *action.mutable_review_date() = DateOf(a.review);
  action.set_balance_at_review_pence(m.items[a.first_miss].expected_amount + miss.expected_amount);
  action.set_payment_failure_reason(absl::StrCat(domain::PaymentMethodName(miss.expected_method),
                                                 " ", domain::FormatPounds(miss.expected_amount),
                                                 " due ", absl::FormatCivilTime(miss.due),
                                                 " not paid"));
  action.set_missed_payments(2);
  absl::CivilDay last = a.review;  // the day of the last step
  std::string rdo_next_due = "NULL";
  int64_t saves = 1;  // the action's version
  if (h >= Stage::kNoticeWait) {
    cms::v1::ArrearsLetter* l = action.add_letters();
    l->set_template_code(domain::kFirstArrearsLetter);
    l->set_letter_id(g);
    *l->mutable_issue_date() = DateOf(a.letter);
    l->set_service_request_id(review);
    l->set_reason("no arrears letter has been sent yet (AR10.4)");
    letters_.Add(absl::StrFormat(
        "(%d,%d,%d,'LETTER','OUTBOUND','%s','Arrears notice (generated)','datagen',%d,%d)", g, pp,
        g, domain::kFirstArrearsLetter, review, Us(plan_, a.letter, 10)));
    last = a.letter;
    ++saves;
  }
  if (h >= Stage::kResponded) {
    cms::v1::ArrearsContact* c = action.add_contacts();
    c->set_outcome(cms::v1::ARREARS_CONTACT_OUTCOME_AGREES_TO_PAY);
    *c->mutable_contact_date() = DateOf(a.contact);
    c->set_note("the PP agreed to pay the missed collections");
    c->set_recorded_by("datagen");
    if (h == Stage::kResponded && Draw(g, 129, 5) == 0) {
      action.set_business_structure(cms::v1::BUSINESS_STRUCTURE_SOLE_TRADER);
    }
    last = a.contact;
    ++saves;
  }
  if (h >= Stage::kHmrcEmployer) {
    const bool employer = h == Stage::kHmrcEmployer;
    action.mutable_deo()->set_hmrc_answer(employer ? cms::v1::HMRC_ANSWER_EMPLOYER
                                                   : cms::v1::HMRC_ANSWER_NOTHING);
    *action.mutable_deo()->mutable_hmrc_answer_date() = DateOf(a.hmrc);
    action.set_rung(employer ? cms::v1::ARREARS_RUNG_DEO_DER : cms::v1::ARREARS_RUNG_DISCLOSURE);
    if (employer) {
      const std::string name = absl::StrFormat("HMRC Employer %d", 1 + g % 991);
      action.mutable_deo()->set_employer_name(name);
      employments_.Add(absl::StrFormat("(%d,'%s','HMRC',%s,%d,NULL,NULL)", g, name, Sql(a.hmrc),
                                       Us(plan_, a.hmrc, 11)));
      versions_.Add(absl::StrFormat("('EMPLOY',%d,1)", g));
    }
    last = a.hmrc;
    ++saves;
  }
  if (h >= Stage::kNegotiating) {
    cms::v1::FinalNegotiation* n = action.mutable_negotiation();
    n->set_service_request_id(g * 64 + kNegotiationSr);
    n->set_purpose(cms::v1::ARREARS_RUNG_DISCLOSURE);
    *n->mutable_start_date() = DateOf(a.negotiation);
    last = a.negotiation;
    ++saves;
  }
  if (h >= Stage::kNegotiationFailed) {
    cms::v1::FinalNegotiation* n = action.mutable_negotiation();
    n->set_outcome(cms::v1::NEGOTIATION_OUTCOME_FAILED);
    *n->mutable_outcome_date() = DateOf(a.negotiation_end);
    n->set_note("the PP did not agree a new schedule");
    last = a.negotiation_end;
    ++saves;
  }
  if (h >= Stage::kDisclosureRequested) {
    cms::v1::Disclosure* d = action.mutable_disclosure();
    d->set_service_request_id(g * 64 + kDisclosureSr);
    *d->mutable_requested_date() = DateOf(a.disclosure);
    d->set_reason("bank accounts, including those used for CSA direct debits");
    last = a.disclosure;
    ++saves;
  }
  if (h >= Stage::kRdoSetUp) {
    cms::v1::Disclosure* d = action.mutable_disclosure();
    const bool rdo = h == Stage::kRdoSetUp;
    d->set_outcome(rdo ? cms::v1::DISCLOSURE_OUTCOME_RDO_SET_UP
                       : cms::v1::DISCLOSURE_OUTCOME_UNSUCCESSFUL);
    *d->mutable_outcome_date() = DateOf(a.outcome);
    d->set_assets_found(rdo);
    d->set_outcome_note(rdo ? "RDO set up on the current account found"
                            : "no account suitable for a deduction order");
    d->set_recorded_by("datagen");
    if (rdo) {
      d->set_rdo_payment_pence(miss.expected_amount);
      *d->mutable_rdo_first_payment_date() = DateOf(a.outcome + 14);
      d->set_rdo_frequency(cms::v1::FREQUENCY_MONTHLY);
      // The nightly RDO check's next payment to judge: the first.
      *d->mutable_rdo_next_due_date() = DateOf(a.outcome + 14);
      rdo_next_due = Sql(a.outcome + 14);
      assets_.Add(absl::StrFormat(
          "(%d,%d,%d,'BANK_ACCOUNT','CURRENT','Current account found by disclosure',"
          "'20-00-00 ****%04d','DEDUCTION_ORDER_TEAM','ACTIVE','datagen',%d,%d,1)",
          pp, g, g, g % 10000, Us(plan_, a.outcome, 12), Us(plan_, a.outcome, 12)));
    } else {
      action.set_rung(cms::v1::ARREARS_RUNG_LIABILITY_ORDER);
    }
    last = a.outcome;
    ++saves;
  }
  if (h >= Stage::kLoNegotiationFailed) {
    cms::v1::FinalNegotiation* n = action.mutable_negotiation();
    n->set_service_request_id(g * 64 + kLoNegotiationSr);
    n->set_purpose(cms::v1::ARREARS_RUNG_LIABILITY_ORDER);
    *n->mutable_start_date() = DateOf(a.lo_negotiation);
    n->set_outcome(cms::v1::NEGOTIATION_OUTCOME_FAILED);
    *n->mutable_outcome_date() = DateOf(a.lo_negotiation_end);
    cms::v1::RpContact* rp = action.mutable_rp_contact();
    rp->set_outcome(cms::v1::RP_CONTACT_OUTCOME_REACHED);
    *rp->mutable_contact_date() = DateOf(a.lo_negotiation_end);
    rp->set_note("the RP knows of no employer; the PP has a car");
    rp->set_recorded_by("datagen");
    assets_.Add(
        absl::StrFormat("(%d,%d,%d,'VEHICLE','','Car reported by the receiving parent','GEN %d',"
                        "'RECEIVING_PARENT','ACTIVE','datagen',%d,%d,1)",
                        pp, g, g, g % 100000, Us(plan_, a.lo_negotiation_end, 12),
                        Us(plan_, a.lo_negotiation_end, 12)));
    last = a.lo_negotiation_end;
    saves += 3;
  }
  if (a.stage == Stage::kClosed) {
    action.set_closed_resolution("Arrears Paid");
    action.set_closed_reason("the PP paid the missed collections");
    last = a.contact;
    ++saves;
  }
  if (a.stage == Stage::kMonitorDisabled) {
    cms::v1::MissedPaymentMonitor* mon = action.mutable_monitor();
    mon->set_disabled(true);
    mon->set_reason("the PP is in hospital; payments resume on discharge");
    mon->set_set_by("datagen");
    last = a.letter + domain::kArrearsNoticeWaitDays;
    *mon->mutable_set_time() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(Us(plan_, last, 11));
    ++saves;
  }
  // The row as store/arrears_repo.cc writes it: the body without the
  // columns' fields.
  actions_.Add(absl::StrFormat(
      "(%d,%d,%d,'%s','%s',%d,%s,%d,'%s',%d,%d)", g, g, g, cms::ShortName(action.state()),
      cms::ShortName(action.rung()), action.monitor().disabled() ? 1 : 0, rdo_next_due, saves,
      absl::Base64Escape(action.SerializeAsString()), Us(plan_, a.review, 1), Us(plan_, last, 11)));

  SrRow r;
  r.id = review;
  r.type = "ARREARS_REVIEW";
  r.casegroup = g;
  r.rule = "AR10.1";
  r.owner = seg.id;
  r.allocated = allocated;
  r.description = "2 missed collections in a row (AR10.1)";
  r.created_us = Us(plan_, a.review, 1);
  r.updated_us = Us(plan_, last, 11);
  if (h == Stage::kNewReview) {
    r.status = "OPEN";
  } else if (a.stage == Stage::kClosed) {
    r.status = "CLOSED";
    r.sub_status = "Complete";
    r.resolution = "Arrears Paid";
    r.version = 4;  // created, IN_PROGRESS, WAIT, CLOSED
  } else if (h == Stage::kNoticeWait) {
    // AR10.4: the notice's 7 days, woken by the SR's durable timer (SR5.9).
    const absl::CivilDay wake = a.letter + domain::kArrearsNoticeWaitDays;
    r.status = "WAIT";
    r.sub_status = cms::app::kArrearsNoticeSubStatus;
    r.wake = Sql(wake);
    r.version = 3;  // created, IN_PROGRESS, WAIT
    timers_.Add(absl::StrFormat("('%s',%d,%d,'%s','%s/%d/%s','PENDING',%d)",
                                cms::app::kSrWaitExpiryTimer, review, Us(plan_, wake, 0),
                                absl::FormatCivilTime(wake), cms::app::kSrWaitExpiryTimer, review,
                                cms::EtagOf(r.version), Us(plan_, a.letter, 10)));
  } else {
    r.status = "IN_PROGRESS";
    r.version = h >= Stage::kNoResponse ? 4 : 2;  // back from the notice's WAIT
  }
  srs_.Add(Format(r));
  fields_.Add(absl::StrFormat("(%d,'Reason','Arrears Routing Logic')", review));
  if (r.status == "IN_PROGRESS" || r.status == "WAIT") {
    // The checks the server made, the letter, then HMRC's answer.
    AddPlan(review, r.type, h >= Stage::kHmrcEmployer ? 6 : 5, Us(plan_, a.letter, 10));
  }
  ChildSrs(g, seg, allocated, a);
}

// AR10.6, AR10.7: the final negotiations (Action Missed Payment, children of
// the review) and the disclosure DOT works (its SR against the PP, a child
// of the negotiation).
void MoneyRows::ChildSrs(int64_t g, const Segment& seg, const std::string& allocated,
                         const ArrearsPlan& a) {
  const Stage h = a.history;
  const int64_t review = g * 64 + kReviewSr, negotiation = g * 64 + kNegotiationSr;
  auto amp = [&](int64_t id, absl::CivilDay start, absl::CivilDay end, bool failed) {
    SrRow r;
    r.id = id;
    r.type = "ACTION_MISSED_PAYMENT";
    r.casegroup = g;
    r.rule = "AR10.6";
    r.owner = seg.id;
    r.allocated = allocated;
    r.parent = absl::StrCat(review);
    r.description = "final chance to negotiate (AR10.6)";
    r.created_us = Us(plan_, start, 11);
    r.status = failed ? "CLOSED" : "IN_PROGRESS";
    r.sub_status = failed ? "Complete" : "Negotiation Initiated";
    r.resolution = failed ? "Negotiation Failed" : "";
    r.updated_us = Us(plan_, failed ? end : start, 11);
    r.version = failed ? 3 : 2;
    srs_.Add(Format(r));
    if (!failed) AddPlan(id, r.type, 1, r.created_us);
  };
  if (h >= Stage::kNegotiating) {
    amp(negotiation, a.negotiation, a.negotiation_end, h >= Stage::kNegotiationFailed);
  }
  if (h >= Stage::kLoNegotiationFailed) {
    amp(g * 64 + kLoNegotiationSr, a.lo_negotiation, a.lo_negotiation_end, true);
  }
  if (h < Stage::kDisclosureRequested) return;
  SrRow r;
  r.id = g * 64 + kDisclosureSr;
  r.type = "DISCLOSURE";
  r.kind = "FUNCTIONALLY_UNIQUE";
  r.casegroup = g;
  r.subject = absl::StrCat(2 * g - 1);
  r.rule = "AR10.6";
  r.owner = plan_.dot_segments.at(seg.country);
  r.parent = absl::StrCat(negotiation);
  r.description = "disclosure for a deduction order (AR10.6)";
  r.created_us = Us(plan_, a.disclosure, 11);
  const bool reported = h >= Stage::kRdoSetUp;
  r.status = reported ? "CLOSED" : "IN_PROGRESS";
  r.sub_status = reported ? "Complete" : "";
  r.resolution = !reported ? "" : h == Stage::kRdoSetUp ? "RDO Set Up" : "Disclosure Unsuccessful";
  r.updated_us = Us(plan_, reported ? a.outcome : a.disclosure, 11);
  r.version = reported ? 3 : 2;
  srs_.Add(Format(r));
  fields_.Add(absl::StrFormat(
      "(%d,'Disclosure Reason','bank accounts, including those used for CSA direct debits')",
      r.id));
  if (!reported) AddPlan(r.id, r.type, 1, r.created_us);
}

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
  BatchInsert srs(sql, kSrInsert, batch_rows, &rows);
  BatchInsert activities(sql, kActivityInsert, batch_rows, &rows);
  MoneyRows money_rows(sql, plan, batch_rows, &rows);
  sql << "START TRANSACTION";
  for (int64_t g = first; g <= last; ++g) {
    const Segment& seg = SegmentOf(plan, g);
    const bool ni = seg.country == "NI";
    const bool new_case = seg.service == "NEW_CASE";
    // kSpanUs x (g - 1) / casegroups without the product (it overflows
    // int64 past g = 266,869): the same value wherever it did not.
    const int64_t created = plan.now_us - kSpanUs + kSpanUs / plan.casegroups * (g - 1) +
                            kSpanUs % plan.casegroups * (g - 1) / plan.casegroups;
    const int64_t pp = 2 * g - 1, rp = 2 * g;
    std::string allocated = "NULL";
    if (Draw(g, 3, 100) < plan.allocated_percent) {
      allocated = absl::StrCat("'", seg.caseworkers[Draw(g, 4, seg.caseworkers.size())], "'");
    }
    const std::optional<CaseMoney> money = MoneyOf(plan, seg, g, created);
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
          person != pp ? "UNKNOWN"
          : money      ? money->employment
                       : "EMPLOYED",
          person == pp ? 40000 + Draw(person, 6, 80000) : 0, created));
    }
    groups.Add(absl::StrFormat("(%d,%d,%d,%s,'%s','R3.2.%d',1,%d)", g, pp, seg.id, allocated,
                               seg.country, new_case ? 5 : 6, created));
    const bool collect = Draw(g, 7, 3) == 0;
    cases.Add(
        absl::StrFormat("(%d,%d,%d,%d,'2012','%s','%s','DIRECT_PAY','DIRECT_PAY','%s','%s',1,%d)",
                        g, g, pp, rp, seg.service, collect ? "COLLECT_AND_PAY" : "DIRECT_PAY",
                        Date(created + 365 * kDayUs), Date(created), created));
    if (money) money_rows.Add(g, seg, allocated, collect, *money);
    moves.Add(absl::StrFormat("(%d,NULL,%d,'R3.2.%d','CreateApplication','datagen',%d)", g, seg.id,
                              new_case ? 5 : 6, created));
    const int count = static_cast<int>(Draw(g, 8, 2 * plan.srs_per_casegroup + 1));
    for (int i = 0; i < count; ++i) {
      const int64_t key = g * 64 + i;
      const int64_t sr_created =
          created + Draw(key, 9, std::min(kSrWindowUs, plan.now_us - created) + 1);
      // ARREARS_REVIEW is one-open-per-case and needs its Reason field past
      // OPEN (SR5.4, SR5.10): only the first SR may be one, and it stays OPEN.
      // With --money the reviews are the money's, each with its action.
      const bool open = Draw(key, 11, 100) < plan.open_percent;
      const int64_t type_draw = Draw(key, 10, 100);
      const bool arrears = !plan.money && open && i == 0 && type_draw < 10;
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
  money_rows.Flush();
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

  if (absl::GetFlag(FLAGS_decisions)) {
    auto db = cms::store::Db::Open({uri, 2});
    if (!db.ok()) return Die(db.status().ToString());
    auto ran = cms::store::MigrateUp(**db, cms::store::EmbeddedMigrations());
    if (!ran.ok()) return Die(ran.status().ToString());
    const absl::Time start = absl::Now();
    auto counts = cms::bench::GenerateDecisions(uri, threads, absl::ToUnixMicros(start));
    if (!counts.ok()) return Die(counts.status().ToString());
    std::printf(
        "cms_datagen: %s: %lld business decisions (%lld SR resolutions, %lld approvals, %lld "
        "calculations, %lld arrears, %lld compliance) in %.1f s\n",
        absl::GetFlag(FLAGS_db_name).c_str(), static_cast<long long>(counts->Total()),
        static_cast<long long>(counts->sr_resolutions), static_cast<long long>(counts->approvals),
        static_cast<long long>(counts->calculations), static_cast<long long>(counts->arrears),
        static_cast<long long>(counts->compliance), absl::ToDoubleSeconds(absl::Now() - start));
    return 0;
  }

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
  plan.money = absl::GetFlag(FLAGS_money);
  plan.arrears_percent = absl::GetFlag(FLAGS_arrears_percent);
  if (plan.money && plan.srs_per_casegroup > kMaxSrsWithMoney) {
    return Die(absl::StrCat("--srs_per_casegroup must be 0..", kMaxSrsWithMoney,
                            " with --money (its SRs take the last SR ids of a casegroup)"));
  }
  if (plan.arrears_percent < 0 || plan.arrears_percent > 100) {
    return Die("--arrears_percent must be 0..100");
  }
  if (!absl::LoadTimeZone(cms::app::kBusinessTimeZone, &plan.london)) {
    return Die(absl::StrCat("no time zone ", cms::app::kBusinessTimeZone));
  }
  plan.today = absl::ToCivilDay(absl::FromUnixMicros(plan.now_us), plan.london);
  auto catalog = cms::catalog::SrCatalog::Load(cms::catalog::EmbeddedCatalogFiles());
  if (!catalog.ok()) return Die(catalog.status().ToString());
  for (const char* code : {"ARREARS_REVIEW", "CHANGE_INCOME", "CLEAR_ARTEFACT",
                           "ACTION_MISSED_PAYMENT", "DISCLOSURE"}) {
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
      // The Deduction Order Team, which works the Disclosure SRs (--money).
      const std::string country = c == 0 ? "GB" : "NI";
      long long dot = 0;
      sql << "SELECT id FROM segments WHERE country = :c AND service_segment = "
             "'DEDUCTION_ORDER_TEAM' AND status = 'ACTIVE' ORDER BY id LIMIT 1",
          soci::use(country), soci::into(dot);
      if (plan.money && !sql.got_data()) return Die(absl::StrCat("no live ", country, " DOT"));
      plan.dot_segments[country] = dot;
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
  std::string money;
  try {
    soci::session sql(soci::mysql, uri);
    soci::rowset<soci::row> analyzed =
        (sql.prepare << absl::StrCat("ANALYZE TABLE persons, casegroups, cases, casegroup_moves, "
                                     "service_requests",
                                     plan.money ? ", sr_fields, mopf_methods, schedules, "
                                                  "schedule_items, payments, arrears_actions"
                                                : ""));
    for (auto it = analyzed.begin(); it != analyzed.end(); ++it) {
    }
    sql << "SELECT COUNT(*) FROM casegroups", soci::into(groups);
    sql << "SELECT COUNT(*), COALESCE(SUM(is_open), 0), COALESCE(SUM(is_open = 1 AND "
           "allocated_to IS NOT NULL), 0) FROM service_requests",
        soci::into(srs), soci::into(open_srs), soci::into(allocated_open);
    if (plan.money) {
      long long methods = 0, items = 0, payments = 0, actions = 0;
      sql << "SELECT COUNT(*) FROM mopf_methods", soci::into(methods);
      sql << "SELECT COUNT(*) FROM schedule_items", soci::into(items);
      sql << "SELECT COUNT(*) FROM payments", soci::into(payments);
      sql << "SELECT COUNT(*) FROM arrears_actions", soci::into(actions);
      money = absl::StrFormat(
          "; money: %d cases with a MOPF, %d schedule items, %d payments, %d arrears actions",
          methods, items, payments, actions);
    }
  } catch (const std::exception& e) {
    return Die(e.what());
  }
  std::printf(
      "cms_datagen: %s: %lld casegroups, %lld SRs (%lld open, %lld of them allocated)%s; "
      "%lld rows in %.1f s = %.0f rows/s (%d threads, %d rows/statement)\n",
      absl::GetFlag(FLAGS_db_name).c_str(), groups, srs, open_srs, allocated_open, money.c_str(),
      static_cast<long long>(total_rows.load()), seconds, total_rows / seconds, threads,
      batch_rows);
  return 0;
}
