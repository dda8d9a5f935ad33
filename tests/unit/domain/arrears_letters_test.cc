// AR10.4: which arrears letter the review issues: CMSL6031 first, CMSL6038
// when CMSL6031 got no response or after 12 weeks of compliance and a new
// miss, none while a notice's 7 days run.
#include "server/domain/arrears_letters.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace cms::domain {
namespace {

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

SentArrearsLetter L6031(absl::CivilDay issued) { return {kFirstArrearsLetter, issued}; }
SentArrearsLetter L6038(absl::CivilDay issued) { return {kSecondArrearsLetter, issued}; }

DecidedCollection Paid(absl::CivilDay due) { return {due, false}; }
DecidedCollection Missed(absl::CivilDay due) { return {due, true}; }

TEST(ArrearsLettersTest, AR10_4_TheLetterTable) {
  struct Row {
    const char* what;
    LetterHistory h;
    std::string code;
    std::string reason;
  } rows[] = {
      {"none sent",
       {.today = D(2027, 6, 1), .current_miss = D(2027, 6, 1)},
       "CMSL6031",
       "no arrears letter has been sent: CMSL6031 (AR10.4)"},
      {"none sent, no miss recorded",
       {.today = D(2027, 6, 1)},
       "CMSL6031",
       "no arrears letter has been sent: CMSL6031 (AR10.4)"},
      {"CMSL6031's wait runs (day 4)",
       {.today = D(2027, 6, 1), .letters = {L6031(D(2027, 5, 28))}},
       "",
       "CMSL6031 issued on 2027-05-28: its 7-day wait runs to 2027-06-04 (AR10.4)"},
      {"CMSL6031's wait runs (day 6)",
       {.today = D(2027, 6, 1), .letters = {L6031(D(2027, 5, 26))}},
       "",
       "CMSL6031 issued on 2027-05-26: its 7-day wait runs to 2027-06-02 (AR10.4)"},
      {"CMSL6031, 7 days over, no response",
       {.today = D(2027, 6, 1), .letters = {L6031(D(2027, 5, 25))}},
       "CMSL6038",
       "CMSL6031 issued on 2027-05-25 got no response in 7 days: CMSL6038 (AR10.4)"},
      {"a contact before the letter is no response to it",
       {.today = D(2027, 6, 1), .letters = {L6031(D(2027, 5, 25))}, .responses = {D(2027, 5, 24)}},
       "CMSL6038",
       "CMSL6031 issued on 2027-05-25 got no response in 7 days: CMSL6038 (AR10.4)"},
      {"CMSL6031 answered on its issue day, a miss 7 days later",
       {.today = D(2027, 6, 2),
        .letters = {L6031(D(2027, 5, 25))},
        .responses = {D(2027, 5, 25)},
        .current_miss = D(2027, 6, 1)},
       "",
       "already sent CMSL6031 issued on 2027-05-25; the PP responded on 2027-05-25; only 7 days "
       "of compliance from 2027-05-25 to the collection missed on 2027-06-01 (under 12 weeks): "
       "no new letter (AR10.4)"},
      {"CMSL6031 answered late still counts",
       {.today = D(2027, 6, 20), .letters = {L6031(D(2027, 5, 25))}, .responses = {D(2027, 6, 15)}},
       "",
       "already sent CMSL6031 issued on 2027-05-25; the PP responded on 2027-06-15, and no new "
       "missed collection to write about (AR10.4)"},
      {"CMSL6038 unanswered does not repeat",
       {.today = D(2027, 6, 20),
        .letters = {L6031(D(2027, 5, 1)), L6038(D(2027, 5, 10))},
        .current_miss = D(2027, 6, 15)},
       "",
       "already sent CMSL6038 issued on 2027-05-10; only 36 days of compliance from 2027-05-10 "
       "to the collection missed on 2027-06-15 (under 12 weeks): no new letter (AR10.4)"},
      {"a miss the letter already covers",
       {.today = D(2027, 6, 20),
        .letters = {L6031(D(2027, 5, 25))},
        .responses = {D(2027, 5, 26)},
        .current_miss = D(2027, 5, 25)},
       "",
       "already sent CMSL6031 issued on 2027-05-25; the PP responded on 2027-05-26, which covers "
       "the collection missed on 2027-05-25 (AR10.4)"},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.what);
    const ArrearsLetterChoice c = ChooseArrearsLetter(r.h);
    EXPECT_EQ(c.code, r.code);
    EXPECT_EQ(c.reason, r.reason);
  }
}

// 12 weeks = 84 days from the letter (answered, so the no-response rule
// stays out of it) to the next miss, with only paid collections between.
TEST(ArrearsLettersTest, AR10_4_TwelveWeeksOfComplianceSinceTheLetter) {
  const absl::CivilDay issued = D(2027, 1, 4);
  struct Row {
    int days;
    std::string code;
  } rows[] = {{83, ""}, {84, "CMSL6038"}, {85, "CMSL6038"}};
  for (const Row& r : rows) {
    SCOPED_TRACE(r.days);
    const absl::CivilDay miss = issued + r.days;
    const LetterHistory h = {
        .today = miss + 2,
        .letters = {L6031(issued)},
        .responses = {D(2027, 1, 5)},
        .collections = {Missed(D(2027, 1, 1)), Paid(D(2027, 2, 1)), Paid(D(2027, 3, 1)),
                        Missed(miss)},
        .current_miss = miss,
    };
    const ArrearsLetterChoice c = ChooseArrearsLetter(h);
    EXPECT_EQ(c.code, r.code);
    const std::string span = absl::StrCat(r.days, " days of compliance from 2027-01-04 to the ",
                                          "collection missed on ", absl::FormatCivilTime(miss));
    EXPECT_EQ(c.reason,
              r.code.empty()
                  ? absl::StrCat("already sent CMSL6031 issued on 2027-01-04; the PP responded on "
                                 "2027-01-05; only ",
                                 span, " (under 12 weeks): no new letter (AR10.4)")
                  : absl::StrCat("since CMSL6031 issued on 2027-01-04: ", span,
                                 " (12 weeks or more), then a miss: CMSL6038 (AR10.4)"));
  }
}

// A miss after the letter restarts the 12 weeks from its due date.
TEST(ArrearsLettersTest, AR10_4_TwelveWeeksRunFromTheLastMissAfterTheLetter) {
  const absl::CivilDay last_miss = D(2027, 2, 1);
  struct Row {
    int days;
    std::string code;
  } rows[] = {{83, ""}, {84, "CMSL6038"}, {85, "CMSL6038"}};
  for (const Row& r : rows) {
    SCOPED_TRACE(r.days);
    const absl::CivilDay miss = last_miss + r.days;
    const LetterHistory h = {
        .today = miss + 1,
        .letters = {L6031(D(2027, 1, 4))},
        .responses = {D(2027, 1, 20)},
        .collections = {Paid(D(2027, 1, 15)), Missed(last_miss), Paid(D(2027, 3, 1)),
                        Paid(D(2027, 4, 1)), Missed(miss), Missed(miss + 30)},
        .current_miss = miss,
    };
    const ArrearsLetterChoice c = ChooseArrearsLetter(h);
    EXPECT_EQ(c.code, r.code);
    EXPECT_NE(c.reason.find(absl::StrCat(r.days, " days of compliance from 2027-02-01")),
              std::string::npos)
        << c.reason;
  }
}

TEST(ArrearsLettersTest, AR10_4_AfterCmsl6038TwelveWeeksOfComplianceSendItAgain) {
  const LetterHistory h = {
      .today = D(2027, 9, 3),
      .letters = {L6031(D(2027, 1, 4)), L6038(D(2027, 1, 12))},
      .collections = {Paid(D(2027, 2, 1)), Paid(D(2027, 3, 1)), Paid(D(2027, 4, 1)),
                      Missed(D(2027, 9, 1))},
      .current_miss = D(2027, 9, 1),
  };
  const ArrearsLetterChoice c = ChooseArrearsLetter(h);
  EXPECT_EQ(c.code, "CMSL6038");
  EXPECT_EQ(c.reason,
            "since CMSL6038 issued on 2027-01-12: 232 days of compliance from 2027-01-12 to the "
            "collection missed on 2027-09-01 (12 weeks or more), then a miss: CMSL6038 (AR10.4)");
}

TEST(ArrearsLettersTest, AR10_4_TheNoticeWaitIsSevenDays) {
  EXPECT_TRUE(ArrearsNoticeWaitRunning(D(2027, 6, 1), D(2027, 6, 1)));
  EXPECT_TRUE(ArrearsNoticeWaitRunning(D(2027, 6, 1), D(2027, 6, 7)));
  EXPECT_FALSE(ArrearsNoticeWaitRunning(D(2027, 6, 1), D(2027, 6, 8)));
}

}  // namespace
}  // namespace cms::domain
