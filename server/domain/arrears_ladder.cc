#include "server/domain/arrears_ladder.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/domain/de_minimis.h"

namespace cms::domain {
namespace {

using cms::v1::ArrearsAction;
using cms::v1::ArrearsRecommendation;
using cms::v1::ArrearsRung;
using cms::v1::ArrearsStep;

constexpr ArrearsRung kNoRung = cms::v1::ARREARS_RUNG_UNSPECIFIED;
constexpr ArrearsRung kDeo = cms::v1::ARREARS_RUNG_DEO_DER;
constexpr ArrearsRung kDisclosure = cms::v1::ARREARS_RUNG_DISCLOSURE;
constexpr ArrearsRung kLo = cms::v1::ARREARS_RUNG_LIABILITY_ORDER;

std::string Day(absl::CivilDay d) { return absl::FormatCivilTime(d); }

void Decide(ArrearsRecommendation& r, ArrearsStep step, ArrearsRung rung, absl::string_view rule,
            std::string why) {
  r.set_step(step);
  r.set_rung(rung);
  r.set_rule(std::string(rule));
  r.set_why(std::move(why));
}

void PassOver(ArrearsRecommendation& r, ArrearsRung rung, std::string why) {
  cms::v1::PassedOverRung* p = r.add_passed_over();
  p->set_rung(rung);
  p->set_why(std::move(why));
}

void Fact(ArrearsRecommendation& r, absl::string_view name, std::string value) {
  cms::v1::ArrearsFact* f = r.add_facts();
  f->set_name(std::string(name));
  f->set_value(std::move(value));
}

std::string HmrcAnswerText(const LadderFacts& f) {
  if (f.hmrc_answer == cms::v1::HMRC_ANSWER_UNSPECIFIED) return "not asked";
  return absl::StrCat(ShortName(f.hmrc_answer),
                      f.hmrc_answer_date ? absl::StrCat(" (", Day(*f.hmrc_answer_date), ")") : "");
}

std::string DeoText(const LadderFacts& f) {
  if (f.deo_failed) return f.deo_in_place ? "in place, failed" : "tried and failed";
  return f.deo_in_place ? "in place" : "none";
}

Pence LoThreshold() {
  return DeMinimisThreshold(cms::v1::ENFORCEMENT_ACTION_LIABILITY_ORDER, DeMinimisThresholds{});
}

// "a bank account", "2 vehicles".
std::string AssetCount(cms::v1::AssetType type, int n) {
  struct Words {
    const char* one;
    const char* many;
  };
  Words w = {"another asset", "other assets"};
  switch (type) {
    case cms::v1::ASSET_TYPE_BANK_ACCOUNT:
      w = {"a bank account", "bank accounts"};
      break;
    case cms::v1::ASSET_TYPE_VEHICLE:
      w = {"a vehicle", "vehicles"};
      break;
    case cms::v1::ASSET_TYPE_PROPERTY:
      w = {"a property", "properties"};
      break;
    default:
      break;
  }
  return n == 1 ? w.one : absl::StrCat(n, " ", w.many);
}

// AR10.14: "none", or "3 (2 bank accounts, a vehicle)" in type order.
std::string AssetsText(const LadderFacts& f) {
  if (f.assets_known <= 0) return "none";
  std::vector<std::string> parts;
  for (const auto& [type, n] : f.assets_by_type) {
    if (n > 0) parts.push_back(AssetCount(type, n));
  }
  return absl::StrCat(f.assets_known, " (", absl::StrJoin(parts, ", "), ")");
}

// AR10.11: "not recorded", "reached 2027-01-12", or "not reached; CMSL5511
// issued 2027-01-12; wait until 2027-01-19 (AR10.11)" ("the wait ended
// 2027-01-19" from that day on).
std::string RpContactText(const LadderFacts& f) {
  const cms::v1::RpContact& c = f.rp_contact;
  const auto day = [](const cms::v1::Date& d) {
    return Day(absl::CivilDay(d.year(), d.month(), d.day()));
  };
  switch (c.outcome()) {
    case cms::v1::RP_CONTACT_OUTCOME_REACHED:
      return absl::StrCat("reached ", day(c.contact_date()));
    case cms::v1::RP_CONTACT_OUTCOME_NOT_REACHED: {
      std::string out = "not reached";
      if (!c.letter_template_code().empty()) {
        absl::StrAppend(&out, "; ", c.letter_template_code(), " issued ", day(c.contact_date()));
      }
      if (c.has_wait_until()) {
        const absl::CivilDay until(c.wait_until().year(), c.wait_until().month(),
                                   c.wait_until().day());
        absl::StrAppend(&out, f.today < until ? "; wait until " : "; the wait ended ", Day(until));
      }
      return absl::StrCat(out, " (AR10.11)");
    }
    default:
      return "not recorded";
  }
}

// AR10.11: "none", "due by 2027-03-03 14:05", "overdue: was due by ...",
// or "RDO authorised".
std::string AuthorisationText(const LadderFacts& f) {
  if (f.disclosure == DisclosureState::kAuthorised) {
    return absl::StrCat(ShortName(f.authorised_order), " authorised");
  }
  if (f.disclosure != DisclosureState::kSuccessful || !f.authorisation_due) return "none due";
  const std::string due = absl::FormatCivilTime(*f.authorisation_due);
  return f.authorisation_overdue ? absl::StrCat("overdue: was due by ", due)
                                 : absl::StrCat("due by ", due);
}

// AR10.12: "not recorded", "VIABLE, further assets: parallel action", or
// "LAPSED, no further assets; reviewed at the annual review 2028-01-05".
std::string RdoReviewText(const cms::v1::EnforcementRdoReview& v) {
  if (v.viability() == cms::v1::RDO_VIABILITY_UNSPECIFIED) return "not recorded";
  std::string out = absl::StrCat(ShortName(v.viability()),
                                 v.further_assets() ? ", further assets" : ", no further assets");
  if (v.parallel_action()) absl::StrAppend(&out, ": parallel action");
  if (v.has_annual_review_date()) {
    const cms::v1::Date& d = v.annual_review_date();
    absl::StrAppend(&out, "; reviewed at the annual review ",
                    Day(absl::CivilDay(d.year(), d.month(), d.day())));
  }
  return out;
}

void AddFacts(const LadderFacts& f, ArrearsRecommendation& r) {
  Fact(r, "today", Day(f.today));
  Fact(r, "arrears", FormatPounds(f.arrears));
  Fact(r, "arrears state", ShortName(f.state));
  Fact(r, "missed payment monitor", f.monitor_disabled ? "disabled" : "enabled");
  Fact(r, "arrears review", f.review_open ? "open" : "none open");
  Fact(r, "arrears letter",
       absl::StrCat(f.letter.code.empty() ? "none now" : f.letter.code,
                    f.letter.reason.empty() ? "" : absl::StrCat(": ", f.letter.reason)));
  Fact(r, "arrears notice wait", f.letter_wait_running ? "running" : "not running");
  Fact(r, "employment status",
       f.employment_status == cms::v1::EMPLOYMENT_STATUS_UNSPECIFIED
           ? "not recorded"
           : ShortName(f.employment_status));
  Fact(r, "employer on record", f.known_employer.empty() ? "none" : f.known_employer);
  Fact(r, "HMRC answer", HmrcAnswerText(f));
  Fact(r, "business structure",
       f.business_structure == cms::v1::BUSINESS_STRUCTURE_UNSPECIFIED
           ? "not established"
           : ShortName(f.business_structure));
  Fact(r, "DEO/DER", DeoText(f));
  Fact(r, "disclosure", DisclosureStateName(f.disclosure));
  Fact(r, "RDO shortfalls", absl::StrCat(f.rdo_shortfalls));
  Fact(r, "final negotiation", f.negotiation_failed ? "failed" : "not failed");
  Fact(r, "liability order", LoStateName(f.lo));
  Fact(r, "legacy CSA debt to migrate", FormatPounds(f.legacy_debt_to_migrate));
  const Pence threshold = LoThreshold();
  Fact(r, "liability order de minimis (AR10.8)",
       absl::StrCat("arrears ", FormatPounds(f.arrears),
                    f.arrears < threshold ? " below " : " at or above ", FormatPounds(threshold)));
  Fact(r, "assets known", AssetsText(f));
  Fact(r, "RP contact", RpContactText(f));
  Fact(r, "deduction order authorisation (AR10.11)", AuthorisationText(f));
  Fact(r, "case with ENFORCEMENT", f.enforcement_owned ? "yes" : "no");
  Fact(r, "RDO in force", f.rdo_in_force ? "yes" : "no");
  Fact(r, "RDO review with DOT (AR10.12)", RdoReviewText(f.rdo_review));
  Fact(r, "enforcement actions taken", absl::StrCat(f.enforcement_actions_taken));
  Fact(r, "segment 5 case",
       f.segment5_review
           ? absl::StrCat("yes: the compliance opportunity is ", ShortName(f.segment5_trial))
           : "no");
}

// Step 0 (AR10.8, AR10.10, AR10.12): a case with ENFORCEMENT.
void Enforcement(const LadderFacts& f, ArrearsRecommendation& r) {
  const ArrearsStep none = cms::v1::ARREARS_STEP_NO_ACTION;
  if (f.arrears <= 0) {
    Decide(r, none, kNoRung, "M7.6",
           absl::StrCat("nothing is owed: the arrears are ", FormatPounds(f.arrears), " (M7.6)"));
    return;
  }
  if (f.monitor_disabled) {
    Decide(r, none, kNoRung, "AR10.13",
           absl::StrCat("Disable Missed Payment Monitor is set: the enforcement options are "
                        "reviewed when more information comes",
                        f.rdo_review.has_annual_review_date() ? " or at the annual review" : "",
                        " (AR10.12, AR10.13)"));
    return;
  }
  if (f.review_open && f.rdo_in_force &&
      f.rdo_review.viability() == cms::v1::RDO_VIABILITY_UNSPECIFIED) {
    Decide(r, cms::v1::ARREARS_STEP_REVIEW_RDO_WITH_DOT, kNoRung, "AR10.12",
           "the Arrears Review came up with an RDO in place: negotiate the RDO shortfall with "
           "the PP and ask the Deduction Order Team whether the RDO stays viable and whether "
           "there are further assets (AR10.12)");
    return;
  }
  if (f.legacy_debt_to_migrate > 0) {
    Decide(r, cms::v1::ARREARS_STEP_AWAIT_LEGACY_DEBT, kNoRung, "AR10.10",
           absl::StrCat(FormatPounds(f.legacy_debt_to_migrate),
                        " of legacy CSA debt is still to migrate: enforcement is not accepted "
                        "until it has; ask for it to be fast-tracked and wait (AR10.10)"));
    return;
  }
  std::vector<std::string> allowed;
  for (const cms::v1::EnforcementAction a :
       {cms::v1::ENFORCEMENT_ACTION_LIABILITY_ORDER, cms::v1::ENFORCEMENT_ACTION_LSDO,
        cms::v1::ENFORCEMENT_ACTION_CHARGING_ORDER, cms::v1::ENFORCEMENT_ACTION_COMMITMENT,
        cms::v1::ENFORCEMENT_ACTION_ORDER_FOR_SALE}) {
    const Pence threshold = DeMinimisThreshold(a, f.thresholds);
    if (f.arrears >= threshold) {
      allowed.push_back(absl::StrCat(EnforcementActionName(a), " (", FormatPounds(threshold), ")"));
    }
  }
  if (allowed.empty()) {
    Decide(r, none, kNoRung, "AR10.8",
           absl::StrCat("arrears ", FormatPounds(f.arrears),
                        " are below the de minimis of every enforcement action (AR10.8)"));
    return;
  }
  Decide(r, cms::v1::ARREARS_STEP_TAKE_ENFORCEMENT_ACTION, kLo, "AR10.8",
         absl::StrCat(f.rdo_review.parallel_action()
                          ? "DOT keeps the RDO and found further assets: take a liability order "
                            "in parallel (AR10.12); "
                          : "decide the enforcement action; ",
                      "the arrears of ", FormatPounds(f.arrears),
                      " allow: ", absl::StrJoin(allowed, ", "),
                      " (AR10.8 de minimis; a charging order's depends on the court)"));
}

// Step 1: the checks that stop before any letter or rung; true when one
// decided.
bool NothingToDo(const LadderFacts& f, ArrearsRecommendation& r) {
  const ArrearsStep none = cms::v1::ARREARS_STEP_NO_ACTION;
  if (f.state == cms::v1::ARREARS_STATE_CLOSED) {
    Decide(r, none, kNoRung, "AR10.2", "the arrears action is closed: nothing to do (AR10.2)");
  } else if (f.monitor_disabled) {
    Decide(r, none, kNoRung, "AR10.13",
           "Disable Missed Payment Monitor is set: no arrears action (AR10.13)");
  } else if (f.arrears <= 0) {
    Decide(r, none, kNoRung, "M7.6",
           absl::StrCat("nothing is owed: the arrears are ", FormatPounds(f.arrears), " (M7.6)"));
  } else if (f.state == cms::v1::ARREARS_STATE_UNSPECIFIED && !f.review_open) {
    Decide(r, none, kNoRung, "AR10.1",
           "no Arrears Review SR has been raised: a first missed collection is COLLECTIONS' to "
           "chase with the PP (AR10.1)");
  } else {
    return false;
  }
  return true;
}

// Step 2 (AR10.4); true when a letter step decided.
bool Letters(const LadderFacts& f, ArrearsRecommendation& r) {
  if (!f.review_open) return false;
  if (f.letter_wait_running) {
    Decide(r, cms::v1::ARREARS_STEP_AWAIT_ARREARS_NOTICE, kNoRung, "AR10.4",
           absl::StrCat("the arrears notice's ", kArrearsNoticeWaitDays,
                        "-day wait is running: wait before any further action (AR10.4)"));
    return true;
  }
  if (f.letter.code.empty()) return false;
  Decide(r, cms::v1::ARREARS_STEP_ISSUE_ARREARS_LETTER, kNoRung, "AR10.4",
         f.letter.reason.empty() ? absl::StrCat("issue ", f.letter.code, " (AR10.4)")
                                 : absl::StrCat("issue ", f.letter.code, ": ", f.letter.reason));
  r.set_letter_template_code(f.letter.code);
  return true;
}

// Step 3 (AR10.3, AR10.5); true when the DEO rung decided, else the rung is
// passed over with why.
bool DeoRung(const LadderFacts& f, ArrearsRecommendation& r) {
  const std::string hmrc_on =
      f.hmrc_answer_date ? absl::StrCat(" on ", Day(*f.hmrc_answer_date)) : "";
  if (f.deo_in_place && !f.deo_failed) {
    Decide(r, cms::v1::ARREARS_STEP_NO_ACTION, kDeo, "AR10.5",
           "a DEO/DER is in place and collecting, arrears included: let it run (AR10.5)");
    return true;
  }
  if (f.deo_failed) {
    PassOver(r, kDeo, "a DEO was tried and failed");
    return false;
  }
  if (f.business_structure == cms::v1::BUSINESS_STRUCTURE_SOLE_TRADER) {
    PassOver(r, kDeo,
             "the PP is a sole trader (Companies House): a DEO is not appropriate, no one else "
             "would take the deductions");
    return false;
  }
  const bool hmrc_employer = f.hmrc_answer == cms::v1::HMRC_ANSWER_EMPLOYER;
  if (!f.known_employer.empty() || hmrc_employer) {
    const std::string employer = f.known_employer.empty()
                                     ? absl::StrCat("an employer HMRC found", hmrc_on)
                                     : f.known_employer;
    const bool director = f.business_structure == cms::v1::BUSINESS_STRUCTURE_MULTIPLE_DIRECTOR;
    Decide(r, cms::v1::ARREARS_STEP_SET_UP_DEO, kDeo, "AR10.5",
           absl::StrCat("the PP is employed (", employer, "): set up a DEO (a DER for a director)",
                        director ? "; a multiple director still gets a DEO first" : "",
                        " (AR10.3, AR10.5)"));
    return true;
  }
  if (f.hmrc_answer == cms::v1::HMRC_ANSWER_NOTHING) {
    PassOver(r, kDeo,
             absl::StrCat("HMRC returned no employment", hmrc_on,
                          " (a sensitive employer looks the same)"));
    return false;
  }
  if (f.hmrc_answer == cms::v1::HMRC_ANSWER_SELF_EMPLOYED) {
    PassOver(
        r, kDeo,
        absl::StrCat("the PP is self-employed (HMRC",
                     f.hmrc_answer_date ? absl::StrCat(", ", Day(*f.hmrc_answer_date)) : "", ")"));
    return false;
  }
  if (f.employment_status == cms::v1::EMPLOYMENT_STATUS_SELF_EMPLOYED) {
    PassOver(r, kDeo, "the PP is self-employed (recorded status)");
    return false;
  }
  if (f.employment_status == cms::v1::EMPLOYMENT_STATUS_UNEMPLOYED) {
    PassOver(r, kDeo, "the PP is unemployed (recorded status)");
    return false;
  }
  Decide(r, cms::v1::ARREARS_STEP_GET_EMPLOYMENT_STATUS, kDeo, "AR10.5",
         absl::StrCat(f.employment_status == cms::v1::EMPLOYMENT_STATUS_EMPLOYED
                          ? "the PP is recorded as employed but no employer is known"
                          : "the PP's employment is not known",
                      ": ask HMRC for the employment status first (AR10.5)"));
  return true;
}

// Step 4 (AR10.6); true when the disclosure rung decided, else the rung is
// passed over with why.
bool DisclosureRung(const LadderFacts& f, ArrearsRecommendation& r) {
  const ArrearsStep none = cms::v1::ARREARS_STEP_NO_ACTION;
  const ArrearsStep negotiate = cms::v1::ARREARS_STEP_FINAL_NEGOTIATION;
  switch (f.disclosure) {
    case DisclosureState::kNone:
    case DisclosureState::kNegotiating:
      if (f.negotiation_failed) {
        Decide(r, cms::v1::ARREARS_STEP_REQUEST_DISCLOSURE, kDisclosure, "AR10.6",
               "the final-chance negotiation failed: raise a Disclosure SR for the Deduction "
               "Order Team from the Action Missed Payment SR (AR10.6)");
      } else if (f.disclosure == DisclosureState::kNegotiating) {
        Decide(r, negotiate, kDisclosure, "AR10.6",
               "the final-chance negotiation is under way on the Action Missed Payment SR: its "
               "outcome decides whether to ask the Deduction Order Team for disclosure (AR10.6)");
      } else {
        Decide(r, negotiate, kDisclosure, "AR10.6",
               "give the PP a final chance to negotiate on an Action Missed Payment SR before "
               "asking the Deduction Order Team for disclosure (AR10.6)");
      }
      return true;
    case DisclosureState::kRequested:
      Decide(r, cms::v1::ARREARS_STEP_AWAIT_DISCLOSURE, kDisclosure, "AR10.6",
             "the Deduction Order Team is working the disclosure (AR10.6)");
      return true;
    case DisclosureState::kSuccessful:
      Decide(r, cms::v1::ARREARS_STEP_AUTHORISE_DEDUCTION_ORDER, kDisclosure, "AR10.11",
             absl::StrCat("the disclosure was successful: authorise the RDO or LSDO on the "
                          "Returned Authorisation SR ",
                          f.authorisation_overdue ? "now: the 48 hours have passed, it was due by "
                                                  : "within 48 hours, by ",
                          f.authorisation_due ? absl::FormatCivilTime(*f.authorisation_due) : "",
                          " (AR10.11)"));
      return true;
    case DisclosureState::kAuthorised:
      Decide(r, cms::v1::ARREARS_STEP_AWAIT_DEDUCTION_ORDER, kDisclosure, "AR10.6",
             absl::StrCat("the ", ShortName(f.authorised_order),
                          " is authorised: the Deduction Order Team is setting it up (AR10.6)"));
      return true;
    case DisclosureState::kRdoSetUp:
      if (f.rdo_shortfalls <= 0) {
        Decide(r, none, kDisclosure, "AR10.6",
               "an RDO is set up and collecting with no shortfall: DOT monitors it, reviewed at "
               "the third payment + 5 working days (AR10.6)");
        return true;
      }
      if (f.rdo_shortfalls == 1 && !f.negotiation_failed) {
        Decide(r, negotiate, kDisclosure, "AR10.6",
               "an RDO payment fell below 90% for the first time: negotiate the shortfall with "
               "the PP (AR10.6)");
        return true;
      }
      PassOver(r, kDisclosure,
               f.rdo_shortfalls >= 2
                   ? absl::StrCat("RDO payments fell below 90% ", f.rdo_shortfalls, " times")
                   : "the negotiation of the RDO shortfall failed");
      return false;
    case DisclosureState::kLsdoSetUp:
      Decide(r, none, kDisclosure, "AR10.6",
             "an LSDO is set up: DOT takes the lump sum; paid in full, the case returns to "
             "MAINTENANCE (AR10.6)");
      return true;
    case DisclosureState::kUnsuccessful:
      PassOver(r, kDisclosure,
               "disclosure was unsuccessful: DOT found no account for a deduction order");
      return false;
    case DisclosureState::kNotApproved:
      PassOver(r, kDisclosure, "DOT did not approve the RDO/LSDO referral");
      return false;
    case DisclosureState::kNotAppropriate:
      PassOver(r, kDisclosure,
               "the caseworker judged disclosure not appropriate and went to the liability order");
      return false;
  }
  return false;
}

// Step 5 (AR10.7, AR10.8, AR10.10).
void LoRung(const LadderFacts& f, ArrearsRecommendation& r) {
  const ArrearsStep none = cms::v1::ARREARS_STEP_NO_ACTION;
  const ArrearsStep refer = cms::v1::ARREARS_STEP_REFER_LIABILITY_ORDER;
  if (f.lo == LoState::kApproved) {
    Decide(r, none, kLo, "AR10.7",
           "the liability order was authorised and referred to enforcement: ENFORCEMENT takes "
           "the case over (AR10.7)");
    return;
  }
  if (f.lo == LoState::kRejected) {
    Decide(r, none, kLo, "AR10.7",
           "the team leader did not approve the liability order: the alternative they recorded "
           "on the Review LO SR applies (AR10.7)");
    return;
  }
  const Pence threshold = LoThreshold();
  // Both are 0 or more, so a sum too large for Pence is above any threshold.
  const std::optional<Pence> owed = CheckedAdd(f.arrears, f.legacy_debt_to_migrate);
  if (owed.has_value() && *owed < threshold) {
    Decide(
        r, none, kLo, "AR10.8",
        absl::StrCat("arrears ", FormatPounds(f.arrears), " below the liability order de minimis ",
                     FormatPounds(threshold),
                     f.legacy_debt_to_migrate > 0
                         ? absl::StrCat(" even with the ", FormatPounds(f.legacy_debt_to_migrate),
                                        " of legacy CSA debt still to migrate")
                         : "",
                     " (AR10.8)"));
    return;
  }
  if (f.legacy_debt_to_migrate > 0) {
    Decide(r, cms::v1::ARREARS_STEP_AWAIT_LEGACY_DEBT, kLo, "AR10.10",
           absl::StrCat(FormatPounds(f.legacy_debt_to_migrate),
                        " of legacy CSA debt is still to migrate: enforcement is not accepted "
                        "until it has; ask for it to be fast-tracked and wait (AR10.10)"));
    return;
  }
  if (f.lo == LoState::kPendingApproval) {
    Decide(r, refer, kLo, "AR10.7",
           "the Review LO SR is awaiting team leader authorisation (AR10.7)");
  } else if (f.negotiation_failed) {
    Decide(r, refer, kLo, "AR10.7",
           "the final-chance negotiation failed: refer for a liability order, a Review LO SR "
           "for team leader approval (AR10.7)");
  } else if (f.lo == LoState::kNegotiating) {
    Decide(r, cms::v1::ARREARS_STEP_FINAL_NEGOTIATION, kLo, "AR10.7",
           "the final-chance negotiation before a liability order is under way on the Action "
           "Missed Payment SR (AR10.7)");
  } else {
    Decide(r, cms::v1::ARREARS_STEP_FINAL_NEGOTIATION, kLo, "AR10.7",
           "give the PP a final chance to negotiate on an Action Missed Payment SR before a "
           "liability order referral (AR10.7)");
  }
}

// Step 1a (AR10.9); true when the review is a Segment 5 case's.
bool Segment5Branch(const LadderFacts& f, ArrearsRecommendation& r) {
  if (!f.review_open || !f.segment5_review) return false;
  if (f.segment5_trial == cms::v1::COMPLIANCE_STATE_ACCEPTED) {
    Decide(r, cms::v1::ARREARS_STEP_SEGMENT5_BRANCH, kNoRung, "AR10.9",
           "a Segment 5 case's review (Segment 5 Case box): no letters, no HMRC check and no "
           "ladder, and nobody contacts the PP about the payment (S5.13). Record whether the PP "
           "got in touch about it and why (RecordMissedPaymentReason): no contact or an "
           "unacceptable reason ends the trial early (S5.12); an acceptable reason raises an "
           "Action Missed Payment SR to negotiate a new schedule (AR10.9)");
  } else {
    Decide(r, cms::v1::ARREARS_STEP_SEGMENT5_BRANCH, kNoRung, "AR10.9",
           absl::StrCat("a Segment 5 case's review, and the compliance opportunity is ",
                        ShortName(f.segment5_trial),
                        ": once the review's child SRs are done, mark its activities Done or "
                        "Not Required and close it with the resolution that matches (AR10.9)"));
  }
  return true;
}

}  // namespace

const char* DisclosureStateName(DisclosureState s) {
  switch (s) {
    case DisclosureState::kNone:
      return "NONE";
    case DisclosureState::kNegotiating:
      return "NEGOTIATING";
    case DisclosureState::kRequested:
      return "REQUESTED";
    case DisclosureState::kSuccessful:
      return "SUCCESSFUL";
    case DisclosureState::kAuthorised:
      return "AUTHORISED";
    case DisclosureState::kRdoSetUp:
      return "RDO_SET_UP";
    case DisclosureState::kLsdoSetUp:
      return "LSDO_SET_UP";
    case DisclosureState::kUnsuccessful:
      return "UNSUCCESSFUL";
    case DisclosureState::kNotApproved:
      return "NOT_APPROVED";
    case DisclosureState::kNotAppropriate:
      return "NOT_APPROPRIATE";
  }
  return "UNKNOWN";
}

const char* LoStateName(LoState s) {
  switch (s) {
    case LoState::kNone:
      return "NONE";
    case LoState::kNegotiating:
      return "NEGOTIATING";
    case LoState::kPendingApproval:
      return "PENDING_APPROVAL";
    case LoState::kApproved:
      return "APPROVED";
    case LoState::kRejected:
      return "REJECTED";
  }
  return "UNKNOWN";
}

absl::Status RefuseOnSegment5Review(const ArrearsAction& action, absl::string_view what) {
  if (!action.segment5_case() || action.state() == cms::v1::ARREARS_STATE_CLOSED ||
      action.review_service_request_id() == 0) {
    return absl::OkStatus();
  }
  return RuleViolation(
      "AR10.9",
      absl::StrCat("Arrears Review SR ", action.review_service_request_id(),
                   " is a Segment 5 case's (Segment 5 Case box): it follows the Segment 5 "
                   "branch, not ",
                   what,
                   "; record the PP's contact and reason for the missed payment "
                   "(RecordMissedPaymentReason), and nobody contacts the PP about it (S5.13)"));
}

ArrearsRecommendation RecommendArrearsStep(const LadderFacts& f) {
  ArrearsRecommendation r;
  r.set_arrears_pence(f.arrears);
  AddFacts(f, r);
  if (f.enforcement_owned) {
    Enforcement(f, r);
    return r;
  }
  if (NothingToDo(f, r)) return r;
  if (Segment5Branch(f, r)) return r;
  if (f.review_open && f.schedule_agreed) {
    Decide(r, cms::v1::ARREARS_STEP_NO_ACTION, kNoRung, "AR10.6",
           "the PP agreed a new schedule in the final negotiation: generate it "
           "(PaymentService.GenerateSchedule); the review then closes Arrears Paid (AR10.6)");
    return r;
  }
  if (!DeoRung(f, r) && !DisclosureRung(f, r)) LoRung(f, r);
  // A letter (or its wait) comes first on an open review; the ladder's
  // rung, and why earlier rungs were passed over, still show where the
  // case stands and what follows.
  ArrearsRecommendation letter = r;
  if (!Letters(f, letter)) return r;
  letter.set_rung(r.rung());
  letter.set_why(absl::StrCat(letter.why(), "; then: ", r.why()));
  return letter;
}

}  // namespace cms::domain
