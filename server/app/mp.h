// Use cases of MP contact (AG11.4; issue 16). Whoever takes an MP's
// contact logs it; it goes to the government relations team of its
// country, its deadline (domain/mp.h) armed as a durable timer that marks
// it overdue on the team's queue the day after. Only that team works it:
// it validates the enquiry (a case enquiry must name a case the
// constituent is a party of) or rejects it with a reason; a validated
// enquiry about a case asks the case's owning segment for input through an
// MP Enquiry Input SR raised on the case by rule (ServiceRequestApp::
// RaiseByRule: routed as any case-owning SR, to the casegroup's owning
// segment and caseworker); when that SR ends (CaseEventListener::
// ServiceRequestEnded) the enquiry records it, and the team answers and
// closes the enquiry.
//
// Who reads: the government relations team of the enquiry's country, with
// service management and auditors (it names a constituent and their case);
// other staff get PERMISSION_DENIED AG11.4, and an empty queue. Who works:
// that team's caseworkers and team leaders. The team is judged by the
// caller's segment (service segment GOVERNMENT_RELATIONS and the
// enquiry's country), not by the segment id recorded at intake, so a
// re-organised team keeps its work. The case itself stays out of the
// team's sight (X13.1): validation reads it as a rule of the server, and
// only the input SR's notes (written for the team) come back, on
// GetMpEnquiry. Each change is audited ("mp_enquiry"). Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "cms/v1/mp.pb.h"
#include "server/app/actor.h"
#include "server/app/case_events.h"
#include "server/app/commands.h"
#include "server/app/service_requests.h"
#include "server/domain/working_days.h"
#include "server/store/timer_repo.h"

namespace cms::app {

// T8.2: the day after an MP enquiry's deadline: overdue while unanswered.
inline constexpr char kMpDeadlineTimer[] = "MP_DEADLINE";
// The SR type the case's owning segment gives its input in
// (catalog/sr_types.textproto), and its field naming the enquiry.
inline constexpr char kMpEnquiryInputSrType[] = "MP_ENQUIRY_INPUT";
inline constexpr char kMpEnquiryField[] = "MP Enquiry";

class MpApp : public CaseEventListener {
 public:
  MpApp(Commands& commands, ServiceRequestApp& srs, const domain::WorkingDayCalendar& calendar)
      : commands_(commands), srs_(srs), calendar_(calendar) {}

  absl::Status Create(const Actor& actor, const cms::v1::CreateMpEnquiryRequest& req,
                      cms::v1::MpEnquiry* out);
  absl::Status Get(const Actor& actor, const cms::v1::GetMpEnquiryRequest& req,
                   cms::v1::MpEnquiry* out);
  absl::Status List(const Actor& actor, const cms::v1::ListMpEnquiriesRequest& req,
                    cms::v1::ListMpEnquiriesResponse* out);
  absl::Status Validate(const Actor& actor, const cms::v1::ValidateMpEnquiryRequest& req,
                        cms::v1::MpEnquiry* out);
  absl::Status Answer(const Actor& actor, const cms::v1::AnswerMpEnquiryRequest& req,
                      cms::v1::MpEnquiry* out);
  absl::Status Close(const Actor& actor, const cms::v1::CloseMpEnquiryRequest& req,
                     cms::v1::MpEnquiry* out);
  // The MP_DEADLINE timer's action: an unanswered enquiry becomes overdue.
  absl::Status DeadlinePassed(Command& c, const store::DueTimer& timer);

  // CaseEventListener: the end of an MP Enquiry Input SR is the case
  // owner's input coming back; nothing else concerns MP contact.
  absl::Status ServiceRequestEnded(Command& c, const cms::v1::ServiceRequest& sr) override;
  absl::Status CaseFactsChanged(Command&, int64_t, absl::string_view) override {
    return absl::OkStatus();
  }
  absl::Status LetterIssued(Command&, const cms::v1::Letter&) override { return absl::OkStatus(); }
  absl::Status LetterReturned(Command&, const cms::v1::Letter&) override {
    return absl::OkStatus();
  }
  absl::Status ScheduleGenerated(Command&, const cms::v1::Schedule&) override {
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<std::string>> MissedPayment(Command&, int64_t,
                                                           absl::CivilDay) override {
    return std::optional<std::string>();
  }

 private:
  Commands& commands_;
  ServiceRequestApp& srs_;
  const domain::WorkingDayCalendar& calendar_;
};

}  // namespace cms::app
