// What procedures learn from the platform's use cases (issue 14): a change
// to a case's facts, a letter issued or returned, a schedule generated, a
// missed payment, an SR raised or ended. The use case that makes
// the change tells CaseEvents inside its own command, so a procedure's
// consequence commits (or rolls back) with the change that caused it —
// one transaction, never a lost or half-applied reaction.
//
// Procedures (the Segment 5 compliance opportunity today; arrears next)
// implement CaseEventListener and are added once, when the server is put
// together; the platform's use cases depend only on this narrow interface,
// never on the procedures. Not thread-safe to Add after the server starts;
// notifying is thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "cms/v1/casegroup.pb.h"
#include "cms/v1/letter.pb.h"
#include "cms/v1/payment.pb.h"
#include "cms/v1/service_request.pb.h"
#include "server/app/commands.h"

namespace cms::app {

class CaseEventListener {
 public:
  virtual ~CaseEventListener() = default;
  // A fact of the case changed (`what` names the change, e.g. "UpdateCase",
  // "UpdatePerson").
  virtual absl::Status CaseFactsChanged(Command& c, int64_t case_id, absl::string_view what) = 0;
  // The case was made, as written in this command (an application). No
  // procedure has touched it yet, so a listener can often decide from the
  // case alone, without reading anything: on every application that
  // matters. By default, a change of its facts.
  virtual absl::Status CaseCreated(Command& c, const cms::v1::Case& k) {
    return CaseFactsChanged(c, k.id(), "CreateApplication");
  }
  // A letter was issued on the case.
  virtual absl::Status LetterIssued(Command& c, const cms::v1::Letter& letter) = 0;
  // A letter came back undelivered (dead letter office).
  virtual absl::Status LetterReturned(Command& c, const cms::v1::Letter& letter) = 0;
  // A P2P schedule was generated (or revised) for the case.
  virtual absl::Status ScheduleGenerated(Command& c, const cms::v1::Schedule& schedule) = 0;
  // The daily job found the case's collection(s) missed on `day` (AR10.1).
  // A procedure that governs the case then (the Segment 5 trial, S5.13)
  // takes the event over by returning what it did; nullopt leaves it to
  // the platform's arrears routing.
  virtual absl::StatusOr<std::optional<std::string>> MissedPayment(Command& c, int64_t case_id,
                                                                   absl::CivilDay day) = 0;
  // An SR closed or was cancelled (its new state in `sr`).
  virtual absl::Status ServiceRequestEnded(Command& c, const cms::v1::ServiceRequest& sr) = 0;
  // An SR was raised (by a caller or a rule), as written; or, for a type
  // with one open per case, the open one was found instead of raising
  // another (`existing`, SR5.10). True when the listener changed the SR
  // (e.g. closed it, AR10.2), so the raiser reads it again. By default,
  // nothing.
  virtual absl::StatusOr<bool> ServiceRequestRaised(Command& c, const cms::v1::ServiceRequest& sr,
                                                    bool existing) {
    (void)c, (void)sr, (void)existing;
    return false;
  }
};

class CaseEvents {
 public:
  void Add(CaseEventListener* listener) { listeners_.push_back(listener); }

  absl::Status CaseFactsChanged(Command& c, int64_t case_id, absl::string_view what) {
    for (CaseEventListener* l : listeners_) {
      if (absl::Status s = l->CaseFactsChanged(c, case_id, what); !s.ok()) return s;
    }
    return absl::OkStatus();
  }
  absl::Status CaseCreated(Command& c, const cms::v1::Case& k) {
    for (CaseEventListener* l : listeners_) {
      if (absl::Status s = l->CaseCreated(c, k); !s.ok()) return s;
    }
    return absl::OkStatus();
  }
  absl::Status LetterIssued(Command& c, const cms::v1::Letter& letter) {
    for (CaseEventListener* l : listeners_) {
      if (absl::Status s = l->LetterIssued(c, letter); !s.ok()) return s;
    }
    return absl::OkStatus();
  }
  absl::Status LetterReturned(Command& c, const cms::v1::Letter& letter) {
    for (CaseEventListener* l : listeners_) {
      if (absl::Status s = l->LetterReturned(c, letter); !s.ok()) return s;
    }
    return absl::OkStatus();
  }
  absl::Status ScheduleGenerated(Command& c, const cms::v1::Schedule& schedule) {
    for (CaseEventListener* l : listeners_) {
      if (absl::Status s = l->ScheduleGenerated(c, schedule); !s.ok()) return s;
    }
    return absl::OkStatus();
  }
  absl::Status ServiceRequestEnded(Command& c, const cms::v1::ServiceRequest& sr) {
    for (CaseEventListener* l : listeners_) {
      if (absl::Status s = l->ServiceRequestEnded(c, sr); !s.ok()) return s;
    }
    return absl::OkStatus();
  }
  // True when some listener changed the SR.
  absl::StatusOr<bool> ServiceRequestRaised(Command& c, const cms::v1::ServiceRequest& sr,
                                            bool existing) {
    bool changed = false;
    for (CaseEventListener* l : listeners_) {
      absl::StatusOr<bool> s = l->ServiceRequestRaised(c, sr, existing);
      if (!s.ok()) return s.status();
      changed = changed || *s;
    }
    return changed;
  }
  // The first listener's answer that takes the event over, or nullopt.
  absl::StatusOr<std::optional<std::string>> MissedPayment(Command& c, int64_t case_id,
                                                           absl::CivilDay day) {
    for (CaseEventListener* l : listeners_) {
      absl::StatusOr<std::optional<std::string>> taken = l->MissedPayment(c, case_id, day);
      if (!taken.ok() || taken->has_value()) return taken;
    }
    return std::optional<std::string>();
  }

 private:
  std::vector<CaseEventListener*> listeners_;
};

}  // namespace cms::app
