// Use cases for parties, cases and casegroups, and automatic routing
// (C2.1–C2.4, R3.1–R3.3, R3.5). Thread-safe.
#pragma once

#include "cms/v1/casegroup.pb.h"
#include "server/app/actor.h"
#include "server/app/case_events.h"
#include "server/app/commands.h"
#include "server/domain/routing.h"

namespace cms::app {

class CasegroupApp {
 public:
  // `events` hears of every change to a case's facts, in the changing
  // command (the procedures assess their rules on it).
  CasegroupApp(Commands& commands, CaseEvents& events) : commands_(commands), events_(events) {}

  absl::Status CreatePerson(const Actor& actor, const cms::v1::CreatePersonRequest& req,
                            cms::v1::Person* out);
  absl::Status GetPerson(const Actor& actor, const cms::v1::GetPersonRequest& req,
                         cms::v1::Person* out);
  absl::Status UpdatePerson(const Actor& actor, const cms::v1::UpdatePersonRequest& req,
                            cms::v1::Person* out);

  absl::Status CreateApplication(const Actor& actor, const cms::v1::CreateApplicationRequest& req,
                                 cms::v1::Application* out);
  absl::Status GetCase(const Actor& actor, const cms::v1::GetCaseRequest& req, cms::v1::Case* out);
  absl::Status UpdateCase(const Actor& actor, const cms::v1::UpdateCaseRequest& req,
                          cms::v1::Case* out);

  absl::Status GetCasegroup(const Actor& actor, const cms::v1::GetCasegroupRequest& req,
                            cms::v1::Casegroup* out);
  absl::Status ExplainRouting(const Actor& actor, const cms::v1::ExplainRoutingRequest& req,
                              cms::v1::RoutingExplanation* out);
  absl::Status ListCasegroupMoves(const Actor& actor, const cms::v1::ListCasegroupMovesRequest& req,
                                  cms::v1::ListCasegroupMovesResponse* out);

 private:
  Commands& commands_;
  CaseEvents& events_;
};

}  // namespace cms::app
