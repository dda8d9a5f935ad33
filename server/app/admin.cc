#include "server/app/admin.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/util/time_util.h"
#include "server/app/access.h"
#include "server/app/party_validation.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/paging.h"
#include "server/base/status_macros.h"
#include "server/store/audit_repo.h"
#include "server/store/timer_repo.h"

namespace cms::app {
namespace {

using google::protobuf::util::TimeUtil;

void FillClock(absl::Time now, bool test_mode, cms::v1::Clock* out) {
  *out->mutable_now() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  out->set_test_clock(test_mode);
}

}  // namespace

absl::Status AdminApp::GetClock(cms::v1::Clock* out) {
  return commands_.Read([&](store::Tx&, absl::Time now) {
    FillClock(now, commands_.clock().test_mode(), out);
    return absl::OkStatus();
  });
}

absl::Status AdminApp::ChangeClock(
    const Actor& actor, absl::string_view rpc, const google::protobuf::Message& req,
    const std::function<absl::StatusOr<absl::Time>(store::Tx&)>& change, cms::v1::Clock* out) {
  // Clock changes are deliberately not idempotent by request id: advancing
  // twice means twice. They are audited like every other change.
  CMS_RETURN_IF_ERROR(commands_.Run(actor, rpc, req, "", out, [&](Command& c) -> absl::Status {
    cms::v1::Clock before;
    FillClock(c.now(), true, &before);
    CMS_ASSIGN_OR_RETURN(absl::Time now, change(c.tx()));
    FillClock(now, true, out);
    c.Audit("clock", "business_clock", &before, *out);
    return absl::OkStatus();
  }));
  // Other replicas see the new time on their next sweep (the offset is in
  // the database); this one sweeps now.
  if (clock_changed_) clock_changed_();
  return absl::OkStatus();
}

absl::Status AdminApp::GetTimerStats(cms::v1::TimerStats* out) {
  return commands_.Read([&](store::Tx& tx, absl::Time now) -> absl::Status {
    const int64_t now_us = absl::ToUnixMicros(now);
    CMS_ASSIGN_OR_RETURN(store::TimerStats stats, store::ReadTimerStats(tx, now_us));
    out->set_pending(stats.pending);
    out->set_overdue(stats.overdue);
    out->set_failed(stats.failed);
    if (stats.oldest_overdue_due_us != 0) {
      *out->mutable_oldest_overdue_lag() =
          TimeUtil::MicrosecondsToDuration(now_us - stats.oldest_overdue_due_us);
    }
    return absl::OkStatus();
  });
}

absl::Status AdminApp::SetClock(const Actor& actor, const cms::v1::SetClockRequest& req,
                                cms::v1::Clock* out) {
  if (!req.has_now()) return InvalidField("now", "required");
  const absl::Time now = absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(req.now()));
  return ChangeClock(
      actor, "SetClock", req, [&](store::Tx& tx) { return commands_.clock().Set(tx, now); }, out);
}

absl::Status AdminApp::AdvanceClock(const Actor& actor, const cms::v1::AdvanceClockRequest& req,
                                    cms::v1::Clock* out) {
  const int64_t micros = TimeUtil::DurationToMicroseconds(req.by());
  if (micros <= 0) return InvalidField("by", "must be a positive duration");
  return ChangeClock(
      actor, "AdvanceClock", req,
      [&](store::Tx& tx) { return commands_.clock().Advance(tx, absl::Microseconds(micros)); },
      out);
}

absl::Status AdminApp::ListAuditEvents(const Actor& actor,
                                       const cms::v1::ListAuditEventsRequest& req,
                                       cms::v1::ListAuditEventsResponse* out) {
  FieldErrors errors;
  const bool by_entity = !req.entity_type().empty() || !req.entity_id().empty();
  if (by_entity == !req.actor().empty()) {
    errors.Add("actor", "give either actor, or entity_type and entity_id");
  } else if (by_entity && (req.entity_type().empty() || req.entity_id().empty())) {
    errors.Add(req.entity_type().empty() ? "entity_type" : "entity_id", "required with the other");
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus("X13.2"));
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(auto events, store::ListAuditEvents(tx, req.entity_type(), req.entity_id(),
                                                             req.actor(), page));
    // X13.1: a row obeys the visibility of the record it belongs to. Rows
    // the caller may not read are left out, so a page may hold fewer than
    // page_size; the token still continues after the last row scanned.
    const bool full = static_cast<int>(events.size()) == page.limit;
    const int64_t last_id = events.empty() ? 0 : events.back().id();
    for (auto& e : events) {
      CMS_ASSIGN_OR_RETURN(bool readable, CanReadAuditEvent(tx, e, actor));
      if (readable) *out->add_events() = std::move(e);
    }
    if (full) out->set_next_page_token(page.NextToken(last_id));
    return absl::OkStatus();
  });
}

// M7.3: the harness scripts the fake HMRC only on a test-clock server. The
// change is audited (the fake itself lives in memory, per replica).
absl::Status AdminApp::SetHmrcEmployment(const Actor& actor,
                                         const cms::v1::SetHmrcEmploymentRequest& req,
                                         cms::v1::HmrcEmploymentAnswer* out) {
  if (!commands_.clock().test_mode()) {
    return RuleViolation("M7.3", "HMRC answers can be scripted only on a --test_clock server");
  }
  FieldErrors errors;
  if (req.nino().empty() || req.nino().size() > 16) errors.Add("nino", "required");
  if (req.answer() == cms::v1::HMRC_ANSWER_UNSPECIFIED ||
      !cms::v1::HmrcAnswer_IsValid(req.answer())) {
    errors.Add("answer", "HMRC_ANSWER_EMPLOYER, HMRC_ANSWER_NOTHING or HMRC_ANSWER_SELF_EMPLOYED");
  }
  if (req.answer() == cms::v1::HMRC_ANSWER_EMPLOYER &&
      (req.employer_name().empty() || req.employer_name().size() > 200)) {
    errors.Add("employer_name", "1..200 characters for HMRC_ANSWER_EMPLOYER");
  }
  if (req.answer() != cms::v1::HMRC_ANSWER_EMPLOYER && !req.employer_name().empty()) {
    errors.Add("employer_name", "only with HMRC_ANSWER_EMPLOYER");
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus("M7.3"));
  CMS_RETURN_IF_ERROR(
      commands_.Run(actor, "SetHmrcEmployment", req, "", out, [&](Command& c) -> absl::Status {
        out->set_nino(req.nino());
        out->set_answer(req.answer());
        out->set_employer_name(req.employer_name());
        c.Audit("hmrc_fake", req.nino(), nullptr, *out);
        return absl::OkStatus();
      }));
  hmrc_.SetAnswer(req.nino(), {req.answer(), req.employer_name()});
  out->set_lookups(hmrc_.Lookups(req.nino()));
  return absl::OkStatus();
}

absl::Status AdminApp::SetHmrcSensitiveEmployer(const Actor& actor,
                                                const cms::v1::SetHmrcSensitiveEmployerRequest& req,
                                                cms::v1::HmrcSensitiveEmployer* out) {
  if (!commands_.clock().test_mode()) {
    return RuleViolation("M7.3", "HMRC answers can be scripted only on a --test_clock server");
  }
  if (req.employer_name().empty() || req.employer_name().size() > 200) {
    return InvalidField("employer_name", "1..200 characters", "M7.3");
  }
  // The audit row's entity id holds 64 characters, a name 200: the row is
  // the fake's sensitive-employer list, the name in its `after`.
  CMS_RETURN_IF_ERROR(commands_.Run(actor, "SetHmrcSensitiveEmployer", req, "", out,
                                    [&](Command& c) -> absl::Status {
                                      out->set_employer_name(req.employer_name());
                                      out->set_sensitive(req.sensitive());
                                      c.Audit("hmrc_fake", "sensitive_employer", nullptr, *out);
                                      return absl::OkStatus();
                                    }));
  hmrc_.SetSensitive(req.employer_name(), req.sensitive());
  return absl::OkStatus();
}

// S5.1, S5.2: as for HMRC, the fake legacy CSA system is scripted only on a
// test-clock server, audited.
absl::Status AdminApp::SetLegacyCsaCase(const Actor& actor,
                                        const cms::v1::SetLegacyCsaCaseRequest& req,
                                        cms::v1::LegacyCsaCase* out) {
  if (!commands_.clock().test_mode()) {
    return RuleViolation("S5.1", "legacy CSA cases can be scripted only on a --test_clock server");
  }
  FieldErrors errors;
  ValidateLegacy(req.record(), "record", errors);
  if (req.record().legacy_case_reference().empty()) {
    errors.Add("record.legacy_case_reference", "required: the fake answers by reference");
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus("S5.1"));
  CMS_RETURN_IF_ERROR(
      commands_.Run(actor, "SetLegacyCsaCase", req, "", out, [&](Command& c) -> absl::Status {
        *out->mutable_record() = req.record();
        // The reference alone (up to 64 characters, as the entity id); the
        // system is in the row's `after`.
        c.Audit("legacy_csa_fake", req.record().legacy_case_reference(), nullptr, *out);
        return absl::OkStatus();
      }));
  legacy_csa_.SetCase(req.record());
  out->set_lookups(legacy_csa_.Lookups());
  return absl::OkStatus();
}

}  // namespace cms::app
