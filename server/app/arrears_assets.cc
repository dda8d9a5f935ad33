// AR10.14 the PP's assets, and AR10.11 the attempt to reach the RP
// (CMSL5511 and the wait before a referral): the facts the disclosure, LO
// and charging order steps read. Each RPC is one command; a record or end
// of an asset is audited ("asset") and added to the case's arrears history
// when the case has an action; the RP contact is a decision on the action
// (its etag, the owning segment, Save).
//
// Decisions where the procedure is silent (server/README.md, Arrears):
// - Assets are the PP's, per person, as the procedure's contact-level
//   Assets tab: recorded under the casegroup of the case they were found
//   through, whose visibility each row follows; a PP's list (and the
//   recommendation's count) spans their casegroups.
// - A bank account's reference keeps the sort code (its first 6 digits) and
//   the account number's last 4 digits; every digit between is masked, so
//   a full account number is never stored.
// - An asset's arrears event does not change the action (nor its etag): the
//   asset is its own record with its own etag.
// - NOT_REACHED while a CMSL5511 wait still runs is refused: one letter per
//   wait. REACHED at any time replaces the NOT_REACHED (the RP got in touch).
#include <map>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/app/access.h"
#include "server/app/arrears.h"
#include "server/app/dates.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/base/paging.h"
#include "server/base/status_macros.h"
#include "server/store/arrears_repo.h"
#include "server/store/asset_repo.h"

namespace cms::app {
namespace {

using cms::v1::ArrearsAction;
using cms::v1::Asset;

// AR10.14: the Deduction Order Team records assets while it works one.
constexpr char kDisclosureSrType[] = "DISCLOSURE";
// AR10.11: "If unable to contact the receiving parent by phone send letter
// CMSL5511 requesting that RP get in contact for case progression."
constexpr char kRpContactLetter[] = "CMSL5511";
constexpr size_t kMaxDescription = 500;
constexpr size_t kMaxReference = 100;
constexpr size_t kMaxNote = 2000;
constexpr int kSortCodeDigits = 6;
constexpr int kAccountDigitsKept = 4;

// "20-00-00 12345678" -> "20-00-00 ****5678": the first 6 digits (the sort
// code) and the last 4 are kept, every digit between is masked.
std::string MaskBankReference(absl::string_view reference) {
  int digits = 0;
  for (char ch : reference) digits += absl::ascii_isdigit(static_cast<unsigned char>(ch)) ? 1 : 0;
  std::string out(reference);
  int seen = 0;
  for (char& ch : out) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(ch))) continue;
    ++seen;
    if (seen > kSortCodeDigits && seen <= digits - kAccountDigitsKept) ch = '*';
  }
  return out;
}

// "bank account (CURRENT, 20-00-00 ****5678)", "vehicle (AB12 CDE)".
std::string AssetText(const Asset& a) {
  std::string kind = absl::AsciiStrToLower(ShortName(a.type()));
  for (char& ch : kind) ch = ch == '_' ? ' ' : ch;
  std::string detail;
  if (a.type() == cms::v1::ASSET_TYPE_BANK_ACCOUNT) detail = ShortName(a.account_type());
  if (!a.reference().empty()) absl::StrAppend(&detail, detail.empty() ? "" : ", ", a.reference());
  if (a.previous_address()) absl::StrAppend(&detail, ", at a previous address");
  if (a.used_for_csa_direct_debit()) absl::StrAppend(&detail, ", used for CSA direct debits");
  return detail.empty() ? absl::StrCat(kind, " ", a.id())
                        : absl::StrCat(kind, " ", a.id(), " (", detail, ")");
}

// The case's arrears history gets `kind` when the case has an action; the
// action itself is not changed.
absl::Status AddEventIfAction(Command& c, int64_t case_id, cms::v1::ArrearsEventKind kind,
                              std::string detail) {
  CMS_ASSIGN_OR_RETURN(auto action, store::FindArrearsActionByCase(c.tx(), case_id));
  if (!action) return absl::OkStatus();
  cms::v1::ArrearsEvent e;
  e.set_arrears_action_id(action->id());
  e.set_kind(kind);
  e.set_state(action->state());
  e.set_rung(action->rung());
  e.set_detail(std::move(detail));
  e.set_actor(c.actor().staff_id);
  return store::InsertArrearsEvent(c.tx(), e, c.now_us());
}

}  // namespace

// ---------------------------------------------------------------- AR10.14

absl::Status ArrearsApp::RecordAsset(const Actor& actor, const cms::v1::RecordAssetRequest& req,
                                     Asset* out) {
  FieldErrors errors;
  if (req.case_id() <= 0) errors.Add("case_id", "required");
  if (req.person_id() <= 0) errors.Add("person_id", "required: the PP whose asset it is");
  if (req.type() == cms::v1::ASSET_TYPE_UNSPECIFIED || !cms::v1::AssetType_IsValid(req.type())) {
    errors.Add("type", "BANK_ACCOUNT, VEHICLE, PROPERTY or OTHER");
  }
  const bool bank = req.type() == cms::v1::ASSET_TYPE_BANK_ACCOUNT;
  if (bank) {
    if (req.account_type() == cms::v1::BANK_ACCOUNT_TYPE_UNSPECIFIED ||
        !cms::v1::BankAccountType_IsValid(req.account_type())) {
      errors.Add("account_type",
                 "required for a bank account: CURRENT, SAVINGS, BUSINESS or OTHER");
    }
    if (req.reference().empty()) {
      errors.Add("reference", "required for a bank account: the sort code and account number");
    }
  } else {
    if (req.account_type() != cms::v1::BANK_ACCOUNT_TYPE_UNSPECIFIED) {
      errors.Add("account_type", "only for a BANK_ACCOUNT");
    }
    if (req.previous_address()) errors.Add("previous_address", "only for a BANK_ACCOUNT");
    if (req.used_for_csa_direct_debit()) {
      errors.Add("used_for_csa_direct_debit", "only for a BANK_ACCOUNT");
    }
  }
  if (req.reference().size() > kMaxReference) errors.Add("reference", "at most 100 characters");
  if (req.description().empty() || req.description().size() > kMaxDescription) {
    errors.Add("description", "1..500 characters: what the asset is, and what is known of it");
  }
  if (req.source() == cms::v1::ASSET_SOURCE_UNSPECIFIED ||
      !cms::v1::AssetSource_IsValid(req.source())) {
    errors.Add("source",
               "who found it: CASEWORKER, RECEIVING_PARENT, DEDUCTION_ORDER_TEAM or "
               "CREDIT_REFERENCE_AGENCY");
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus("AR10.14"));
  return commands_.Run(
      actor, "RecordAsset", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(cms::v1::Case k, FindCase(c.tx(), req.case_id()));
        CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g,
                             CasegroupForWriteThroughFuSr(c.tx(), k.casegroup_id(), c.actor(),
                                                          kDisclosureSrType, "AR10.14"));
        if (req.person_id() != g.paying_parent_id()) {
          return InvalidField("person_id",
                              absl::StrCat("the paying parent of case ", k.id(), "'s casegroup (",
                                           g.paying_parent_id(), "): assets are the PP's"),
                              "AR10.14");
        }
        Asset a;
        a.set_person_id(req.person_id());
        a.set_casegroup_id(g.id());
        a.set_case_id(k.id());
        a.set_type(req.type());
        a.set_account_type(req.account_type());
        a.set_description(req.description());
        a.set_reference(bank ? MaskBankReference(req.reference()) : req.reference());
        a.set_source(req.source());
        a.set_previous_address(req.previous_address());
        a.set_used_for_csa_direct_debit(req.used_for_csa_direct_debit());
        a.set_recorded_by(c.actor().staff_id);
        CMS_ASSIGN_OR_RETURN(a, store::InsertAsset(c.tx(), a, c.now_us()));
        c.Audit("asset", absl::StrCat(a.id()), nullptr, a);
        CMS_RETURN_IF_ERROR(AddEventIfAction(
            c, k.id(), cms::v1::ARREARS_EVENT_KIND_ASSET_RECORDED,
            absl::StrCat(AssetText(a), " of the PP recorded, found by ", ShortName(a.source()),
                         ": ", a.description(), " (AR10.14)")));
        *out = std::move(a);
        return absl::OkStatus();
      });
}

absl::Status ArrearsApp::ListAssets(const Actor& actor, const cms::v1::ListAssetsRequest& req,
                                    cms::v1::ListAssetsResponse* out) {
  if (req.key_case() == cms::v1::ListAssetsRequest::KEY_NOT_SET) {
    return InvalidField("person_id", "a person_id or a case_id is required", "AR10.14");
  }
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    int64_t person = req.person_id();
    if (req.has_case_id()) {
      CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForRead(tx, req.case_id(), actor));
      person = k.paying_parent_id();
    } else {
      if (person <= 0) return InvalidField("person_id", "required", "AR10.14");
      CMS_RETURN_IF_ERROR(CheckCanSeePerson(tx, person, actor));
    }
    CMS_ASSIGN_OR_RETURN(std::vector<Asset> rows,
                         store::ListPersonAssets(tx, person, req.include_closed(), page));
    // X13.1: each asset is read with the casegroup it was recorded under;
    // one the caller may not see is left out of the page (the page may come
    // back short; the token still moves past it).
    std::map<int64_t, bool> visible;
    for (Asset& a : rows) {
      auto it = visible.find(a.casegroup_id());
      if (it == visible.end()) {
        CMS_ASSIGN_OR_RETURN(domain::Access access, CasegroupAccessOf(tx, a.casegroup_id(), actor));
        it = visible.emplace(a.casegroup_id(), access != domain::Access::kNone).first;
      }
      if (it->second) *out->add_assets() = a;
    }
    if (static_cast<int>(rows.size()) == page.limit) {
      out->set_next_page_token(page.NextToken(rows.back().id()));
    }
    return absl::OkStatus();
  });
}

absl::Status ArrearsApp::EndAsset(const Actor& actor, const cms::v1::EndAssetRequest& req,
                                  Asset* out) {
  FieldErrors errors;
  if (req.id() <= 0) errors.Add("id", "required");
  if (req.reason().empty() || req.reason().size() > kMaxDescription) {
    errors.Add("reason", "1..500 characters: e.g. account closed, vehicle sold");
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus("AR10.14"));
  return commands_.Run(
      actor, "EndAsset", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(Asset a, store::GetAsset(c.tx(), req.id(), /*for_update=*/true));
        CMS_RETURN_IF_ERROR(CasegroupForWriteThroughFuSr(c.tx(), a.casegroup_id(), c.actor(),
                                                         kDisclosureSrType, "AR10.14")
                                .status());
        CMS_RETURN_IF_ERROR(CheckEtag(req.etag(), a.etag(), "etag", "asset", absl::StrCat(a.id())));
        if (a.state() == cms::v1::ASSET_STATE_CLOSED) {
          return RuleViolation("AR10.14", absl::StrCat("asset ", a.id(), " was already ended (",
                                                       a.end_reason(), ")"));
        }
        const Asset before = a;
        a.set_end_reason(req.reason());
        a.set_ended_by(c.actor().staff_id);
        CMS_RETURN_IF_ERROR(store::EndAsset(c.tx(), a, c.now_us()));
        c.Audit("asset", absl::StrCat(a.id()), &before, a);
        CMS_RETURN_IF_ERROR(AddEventIfAction(
            c, a.case_id(), cms::v1::ARREARS_EVENT_KIND_ASSET_ENDED,
            absl::StrCat(AssetText(a), " of the PP ended: ", req.reason(), " (AR10.14)")));
        *out = std::move(a);
        return absl::OkStatus();
      });
}

// ---------------------------------------------------------------- AR10.11

absl::Status ArrearsApp::RecordRpContact(const Actor& actor,
                                         const cms::v1::RecordRpContactRequest& req,
                                         ArrearsAction* out) {
  FieldErrors errors;
  if (req.case_id() <= 0) errors.Add("case_id", "required");
  const bool reached = req.outcome() == cms::v1::RP_CONTACT_OUTCOME_REACHED;
  if (req.outcome() == cms::v1::RP_CONTACT_OUTCOME_UNSPECIFIED ||
      !cms::v1::RpContactOutcome_IsValid(req.outcome())) {
    errors.Add("outcome", "REACHED or NOT_REACHED");
  }
  if (reached && req.note().empty()) {
    errors.Add("note",
               "required when the RP was reached: what they said of the PP's employer, income and "
               "assets, and the welfare of the child");
  }
  if (req.note().size() > kMaxNote) errors.Add("note", "at most 2000 characters");
  CMS_RETURN_IF_ERROR(errors.ToStatus("AR10.11"));
  return commands_.Run(
      actor, "RecordRpContact", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ArrearsAction action, LoadForDecision(c, req.case_id(), req.etag()));
        CMS_ASSIGN_OR_RETURN(cms::v1::ServiceRequest review, OpenReview(c, action, "AR10.11"));
        const absl::CivilDay today = commands_.clock().Today(c.now());
        const cms::v1::RpContact& last = action.rp_contact();
        if (!reached && last.outcome() == cms::v1::RP_CONTACT_OUTCOME_NOT_REACHED &&
            last.has_wait_until() && CivilDayOf(last.wait_until()) > today) {
          return RuleViolation(
              "AR10.11",
              absl::StrCat(last.letter_template_code(), " was issued to the RP on ",
                           absl::FormatCivilTime(CivilDayOf(last.contact_date())),
                           " and the wait for them runs until ",
                           absl::FormatCivilTime(CivilDayOf(last.wait_until())),
                           ": no second letter while it runs; record REACHED when they get in "
                           "touch"));
        }
        const ArrearsAction before = action;
        cms::v1::RpContact* rp = action.mutable_rp_contact();
        rp->Clear();
        rp->set_outcome(req.outcome());
        *rp->mutable_contact_date() = DateOf(today);
        rp->set_note(req.note());
        rp->set_recorded_by(c.actor().staff_id);
        rp->set_service_request_id(review.id());
        std::string detail;
        if (reached) {
          detail = absl::StrCat("the RP was reached: ", req.note(), " (AR10.11)");
        } else {
          // "If unable to contact the receiving parent by phone send letter
          // CMSL5511 requesting that RP get in contact for case progression.
          // Make a note of this contact in SR Notes"; the steer is to wait 7
          // days before referring to DOT or LO.
          CMS_ASSIGN_OR_RETURN(
              cms::v1::Letter letter,
              letters_.IssueLetterIn(c, kRpContactLetter, action.case_id(), 0, review.id()));
          const absl::CivilDay until = today + rules_.arrears_rp_contact_wait_days;
          rp->set_letter_id(letter.id());
          rp->set_letter_template_code(kRpContactLetter);
          *rp->mutable_wait_until() = DateOf(until);
          detail = absl::StrCat(
              "the RP could not be reached by phone",
              req.note().empty() ? "" : absl::StrCat(" (", req.note(), ")"), ": ", kRpContactLetter,
              " issued asking them to get in touch; wait until ", absl::FormatCivilTime(until),
              " before referring to DOT or for an LO (AR10.11)");
        }
        CMS_RETURN_IF_ERROR(AddSrNote(c, review.id(), detail));
        action.set_state(cms::v1::ARREARS_STATE_ACTION_IN_PROGRESS);
        CMS_RETURN_IF_ERROR(Save(c, before, action, cms::v1::ARREARS_EVENT_KIND_RP_CONTACT_RECORDED,
                                 detail, review.id()));
        *out = action;
        return absl::OkStatus();
      });
}

}  // namespace cms::app
