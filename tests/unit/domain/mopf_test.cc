// M7.2 (MOPF methods, shares, DEO/DER details, dates; a method ends, it is
// never deleted) and M7.3 (DEO desire flag, 2-weekly HMRC re-request).
#include "server/domain/mopf.h"

#include <gtest/gtest.h>

#include "server/base/errors.h"

namespace cms::domain {
namespace {

using absl::CivilDay;

const CivilDay kToday(2026, 6, 1);

MopfMethod Dd(int share) {
  MopfMethod m;
  m.method = PaymentMethod::kDd;
  m.share_percent = share;
  m.start = CivilDay(2026, 1, 1);
  return m;
}

MopfMethod Deo(int share, std::string employer = "Acme Ltd",
               DeoSubtype subtype = DeoSubtype::kMandatory) {
  MopfMethod m;
  m.method = PaymentMethod::kDeo;
  m.share_percent = share;
  m.enforced = true;
  m.deo_subtype = subtype;
  m.employer = std::move(employer);
  m.start = CivilDay(2026, 1, 1);
  return m;
}

template <typename F>
MopfMethod With(MopfMethod m, F f) {
  f(m);
  return m;
}

std::vector<std::string> Fields(const absl::Status& s) {
  std::vector<std::string> out;
  for (const FieldError& e : FieldErrorsOf(s)) out.push_back(e.field);
  return out;
}

struct InvalidRow {
  std::string name;
  std::vector<MopfMethod> methods;
  std::vector<std::string> fields;  // exactly the fields named
  std::string message_part;         // in the status message
};

class ValidateMopfInvalidTest : public testing::TestWithParam<InvalidRow> {};

// M7.2: each bad field is named (indexed), with rule M7.2.
TEST_P(ValidateMopfInvalidTest, NamesEachBadField) {
  const InvalidRow& row = GetParam();
  absl::Status s = ValidateMopf(row.methods, kToday);
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_EQ(RuleOf(s), "M7.2");
  EXPECT_EQ(Fields(s), row.fields) << s;
  EXPECT_NE(s.message().find(row.message_part), absl::string_view::npos) << s;
}

INSTANTIATE_TEST_SUITE_P(
    M7_2, ValidateMopfInvalidTest,
    testing::Values(
        // M7.2: active shares total exactly 100; the message states the total.
        InvalidRow{"SharesUnder100", {Dd(60), Deo(30)}, {"methods"}, "total 90%"},
        InvalidRow{"SharesOver100", {Dd(60), Deo(50)}, {"methods"}, "total 110%"},
        // M7.2: each share 1..100.
        InvalidRow{"ShareZero",
                   {Dd(100), With(Deo(0), [](MopfMethod& m) { m.end = CivilDay(2026, 2, 1); })},
                   {"methods[1].share_percent"},
                   "not 0"},
        InvalidRow{"Share101", {Dd(101)}, {"methods[0].share_percent", "methods"}, "not 101"},
        // M7.2: DEO/DER need an employer.
        InvalidRow{"DeoWithoutEmployer",
                   {Dd(50), Deo(50, "")},
                   {"methods[1].employer"},
                   "needs the employer"},
        InvalidRow{"DerBlankEmployer",
                   {With(Deo(100, "  "), [](MopfMethod& m) { m.method = PaymentMethod::kDer; })},
                   {"methods[0].employer"},
                   "a DER needs the employer"},
        // M7.2: DEO/DER subtype MANDATORY or SELF_SELECTED.
        InvalidRow{"DeoWithoutSubtype",
                   {Deo(100, "Acme", DeoSubtype::kNone)},
                   {"methods[0].deo_subtype"},
                   "MANDATORY or SELF_SELECTED"},
        // M7.2: subtype and tick only on DEO/DER.
        InvalidRow{"SubtypeOnDd",
                   {With(Dd(100), [](MopfMethod& m) { m.deo_subtype = DeoSubtype::kMandatory; })},
                   {"methods[0].deo_subtype"},
                   "only a DEO or DER"},
        InvalidRow{"TickOnSo",
                   {With(Dd(100),
                         [](MopfMethod& m) {
                           m.method = PaymentMethod::kSo;
                           m.mandatory_deo_tick = true;
                         })},
                   {"methods[0].mandatory_deo_tick"},
                   "not a SO"},
        InvalidRow{"TickOnSelfSelectedDeo",
                   {With(Deo(100, "Acme", DeoSubtype::kSelfSelected),
                         [](MopfMethod& m) { m.mandatory_deo_tick = true; })},
                   {"methods[0].mandatory_deo_tick"},
                   "SELF_SELECTED"},
        // M7.2: end >= start.
        InvalidRow{"EndBeforeStart",
                   {Dd(100), With(Dd(20), [](MopfMethod& m) { m.end = CivilDay(2025, 12, 31); })},
                   {"methods[1].end"},
                   "before its start"},
        // M7.2: at least one active method.
        InvalidRow{"Empty", {}, {"methods"}, "at least one"},
        InvalidRow{"AllEnded",
                   {With(Dd(100), [](MopfMethod& m) { m.end = CivilDay(2026, 5, 1); })},
                   {"methods"},
                   "no method is active on 2026-06-01"},
        // Several errors at once, all named.
        InvalidRow{"Several",
                   {Deo(40, ""), With(Dd(0), [](MopfMethod& m) { m.mandatory_deo_tick = true; })},
                   {"methods[0].employer", "methods[1].share_percent",
                    "methods[1].mandatory_deo_tick", "methods"},
                   "total 40%"}),
    [](const testing::TestParamInfo<InvalidRow>& info) { return info.param.name; });

TEST(ValidateMopfTest, ValidSetsPass) {
  // M7.2
  EXPECT_TRUE(ValidateMopf({Dd(100)}, kToday).ok());
  EXPECT_TRUE(ValidateMopf({Dd(30), Deo(70)}, kToday).ok());
  MopfMethod der = Deo(100, "Acme", DeoSubtype::kSelfSelected);
  der.method = PaymentMethod::kDer;
  EXPECT_TRUE(ValidateMopf({der}, kToday).ok());
  EXPECT_TRUE(
      ValidateMopf({With(Deo(100), [](MopfMethod& m) { m.mandatory_deo_tick = true; })}, kToday)
          .ok());
}

TEST(ValidateMopfTest, OnlyMethodsActiveTodayCountTowards100) {
  // M7.2: an ended DD (100) and a future SO (100) are not active on 2026-06-01.
  MopfMethod ended = With(Dd(100), [](MopfMethod& m) { m.end = CivilDay(2026, 6, 1); });
  MopfMethod future = With(Dd(100), [](MopfMethod& m) {
    m.method = PaymentMethod::kSo;
    m.start = CivilDay(2026, 7, 1);
  });
  EXPECT_TRUE(ValidateMopf({ended, Deo(100), future}, kToday).ok());
  // The ended method's end date is exclusive: on its last active day it counts.
  EXPECT_EQ(ValidateMopf({ended, Deo(100)}, CivilDay(2026, 5, 31)).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ActiveOnTest, StartInclusiveEndExclusive) {
  // M7.2
  MopfMethod m = Dd(100);
  m.start = CivilDay(2026, 3, 1);
  m.end = CivilDay(2026, 4, 1);
  EXPECT_FALSE(IsActiveOn(m, CivilDay(2026, 2, 28)));
  EXPECT_TRUE(IsActiveOn(m, CivilDay(2026, 3, 1)));
  EXPECT_TRUE(IsActiveOn(m, CivilDay(2026, 3, 31)));
  EXPECT_FALSE(IsActiveOn(m, CivilDay(2026, 4, 1)));
  std::vector<MopfMethod> methods = {m, Deo(40)};
  ASSERT_EQ(ActiveOn(methods, CivilDay(2026, 4, 1)).size(), 1u);
  EXPECT_EQ(ActiveOn(methods, CivilDay(2026, 4, 1))[0].method, PaymentMethod::kDeo);
  EXPECT_EQ(ActiveShares(methods, CivilDay(2026, 3, 5)),
            (std::vector<MethodShare>{{PaymentMethod::kDd, 100}, {PaymentMethod::kDeo, 40}}));
}

TEST(EndMethodTest, AMethodEndsOnceAndIsNeverDeleted) {
  // M7.2
  MopfMethod m = Dd(100);
  absl::StatusOr<MopfMethod> ended = EndMethod(m, CivilDay(2026, 6, 1));
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->end, CivilDay(2026, 6, 1));
  EXPECT_EQ(ended->start, m.start);

  absl::Status twice = EndMethod(*ended, CivilDay(2026, 7, 1)).status();
  EXPECT_EQ(twice.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(RuleOf(twice), "M7.2");
  EXPECT_NE(twice.message().find("already ended on 2026-06-01"), absl::string_view::npos);

  absl::Status before = EndMethod(m, CivilDay(2025, 12, 31)).status();
  EXPECT_EQ(before.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(before), std::vector<std::string>{"end"});
  EXPECT_EQ(RuleOf(before), "M7.2");

  // Ending on the start day is allowed: it was never active.
  absl::StatusOr<MopfMethod> same_day = EndMethod(m, m.start);
  ASSERT_TRUE(same_day.ok());
  EXPECT_FALSE(IsActiveOn(*same_day, m.start));
}

struct DesireRow {
  DeoDesire desire;
  bool employer_known;
  bool needs_request;
};

class NeedsHmrcRequestTest : public testing::TestWithParam<DesireRow> {};

// M7.3: while the flag is set and no employer is known, HMRC is asked.
TEST_P(NeedsHmrcRequestTest, FlagSetAndNoEmployer) {
  const DesireRow& row = GetParam();
  EXPECT_EQ(NeedsHmrcRequest(row.desire, row.employer_known), row.needs_request);
}

INSTANTIATE_TEST_SUITE_P(M7_3, NeedsHmrcRequestTest,
                         testing::Values(DesireRow{DeoDesire::kNone, false, false},
                                         DesireRow{DeoDesire::kNone, true, false},
                                         DesireRow{DeoDesire::kMandatory, false, true},
                                         DesireRow{DeoDesire::kMandatory, true, false},
                                         DesireRow{DeoDesire::kSelfSelected, false, true},
                                         DesireRow{DeoDesire::kSelfSelected, true, false}));

TEST(NextHmrcRequestTest, EveryTwoWeeks) {
  // M7.3 / T8.3
  EXPECT_EQ(NextHmrcRequest(CivilDay(2026, 12, 25)), CivilDay(2027, 1, 8));
  EXPECT_EQ(NextHmrcRequest(CivilDay(2028, 2, 20)), CivilDay(2028, 3, 5));
}

}  // namespace
}  // namespace cms::domain
