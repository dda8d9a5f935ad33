#include "server/app/casegroups.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "server/app/access.h"
#include "server/app/party_validation.h"
#include "server/app/routing_service.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/base/field_mask.h"
#include "server/base/paging.h"
#include "server/base/status_macros.h"
#include "server/domain/versions.h"
#include "server/store/casegroup_repo.h"
#include "server/store/party_repo.h"

namespace cms::app {
namespace {

using cms::v1::Case;
using cms::v1::Casegroup;
using cms::v1::Person;

// The facts of a paying parent the procedures judge on (S5.1: benefit,
// employment, nil assessment, employers): what UpdatePerson tells them of.
bool CaseFactsDiffer(const Person& a, const Person& b) {
  if (a.employers_size() != b.employers_size()) return true;
  for (int i = 0; i < a.employers_size(); ++i) {
    if (a.employers(i).name() != b.employers(i).name()) return true;
  }
  return a.on_benefit() != b.on_benefit() || a.employment_status() != b.employment_status() ||
         a.nil_assessed() != b.nil_assessed() || a.in_prison() != b.in_prison();
}

// What UpdatePerson may change (AIP-134): every field of Person but its
// identity, version and creation time. Listed, not derived, so a field added
// later is changed only once it is named here.
constexpr absl::string_view kPersonMutable[] = {"given_name",
                                                "family_name",
                                                "date_of_birth",
                                                "nino",
                                                "residential_address",
                                                "correspondence_address",
                                                "address_status",
                                                "phone",
                                                "email",
                                                "nationally_sensitive",
                                                "in_prison",
                                                "on_benefit",
                                                "employment_status",
                                                "employers",
                                                "weekly_gross_income_pence",
                                                "nil_assessed"};

// What UpdateCase may change, and what an empty mask replaces: the three
// fields it first carried; the requested service types change only when the
// mask names them, so an older caller's full replacement never clears them.
constexpr absl::string_view kCaseMutable[] = {"lifecycle_stage", "legacy", "annual_review_date",
                                              "pp_requested_service_type",
                                              "rp_requested_service_type"};
constexpr absl::string_view kCaseReplaced[] = {"lifecycle_stage", "legacy", "annual_review_date"};

// The routing facts a person carries (C2.4, R3.2): what UpdatePerson must
// re-route on.
bool RoutingFactsDiffer(const Person& a, const Person& b) {
  return a.nationally_sensitive() != b.nationally_sensitive() ||
         a.residential_address().non_uk() != b.residential_address().non_uk() ||
         a.residential_address().postcode() != b.residential_address().postcode();
}

// The case's service type at application: collect-and-pay when either
// parent asks for it, else direct pay.
cms::v1::ServiceType InitialServiceType(const cms::v1::CreateApplicationRequest& req) {
  return req.pp_requested_service_type() == cms::v1::SERVICE_TYPE_COLLECT_AND_PAY ||
                 req.rp_requested_service_type() == cms::v1::SERVICE_TYPE_COLLECT_AND_PAY
             ? cms::v1::SERVICE_TYPE_COLLECT_AND_PAY
             : cms::v1::SERVICE_TYPE_DIRECT_PAY;
}

// A row as the store writes it on insert: its first version (X13.3), created
// now. Building it here saves reading back what was just written.
template <typename T>
T AsInserted(T value, int64_t id, int64_t now_us) {
  value.set_id(id);
  value.set_etag(EtagOf(domain::kFirstVersion));
  *value.mutable_create_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(now_us);
  return value;
}

struct Party {
  Person person;
  bool created = false;
  // X13.1: matched by NINO to a person the caller may not read.
  bool hidden = false;
};

// Resolves a PartyRef to a stored person, creating (or matching by NINO) a
// new one. Records an audit row for a person it creates.
absl::StatusOr<Party> ResolveParty(Command& c, const cms::v1::PartyRef& ref,
                                   const Person& normalised) {
  Party party;
  if (ref.party_case() == cms::v1::PartyRef::kPersonId) {
    CMS_ASSIGN_OR_RETURN(party.person, store::GetPerson(c.tx(), ref.person_id()));
    // Naming a person by id is reading them (X13.1).
    CMS_RETURN_IF_ERROR(CheckCanSeePerson(c.tx(), ref.person_id(), c.actor()));
    return party;
  }
  int64_t id = 0;
  party.created = true;
  if (!normalised.nino().empty()) {
    CMS_ASSIGN_OR_RETURN(store::UpsertResult r,
                         store::UpsertPersonByNino(c.tx(), normalised, c.now_us()));
    id = r.id;
    party.created = r.created;
  } else {
    CMS_ASSIGN_OR_RETURN(id, store::InsertPerson(c.tx(), normalised, c.now_us()));
  }
  if (party.created) {
    party.person = AsInserted(normalised, id, c.now_us());
    c.Audit("person", absl::StrCat(id), nullptr, party.person);
  } else {
    CMS_ASSIGN_OR_RETURN(party.person, store::GetPerson(c.tx(), id));
    CMS_ASSIGN_OR_RETURN(domain::Access access, PersonAccessOf(c.tx(), id, c.actor()));
    party.hidden = access == domain::Access::kNone;
  }
  return party;
}

}  // namespace

// ---------------------------------------------------------------- persons

absl::Status CasegroupApp::CreatePerson(const Actor& actor, const cms::v1::CreatePersonRequest& req,
                                        Person* out) {
  FieldErrors errors;
  Person p = NormalisePerson(req.person(), "person", errors);
  CMS_RETURN_IF_ERROR(errors.ToStatus("C2.1"));
  return commands_.Run(
      actor, "CreatePerson", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        FieldErrors unborn;
        CheckBornBy(p, "person", commands_.clock().Today(c.now()), unborn);
        CMS_RETURN_IF_ERROR(unborn.ToStatus("C2.1"));
        auto id = store::InsertPerson(c.tx(), p, c.now_us());
        if (absl::IsAlreadyExists(id.status())) {
          return InvalidField("person.nino", "another person already holds this NINO", "C2.1");
        }
        CMS_RETURN_IF_ERROR(id.status());
        CMS_ASSIGN_OR_RETURN(*out, store::GetPerson(c.tx(), *id));
        c.Audit("person", absl::StrCat(*id), nullptr, *out);
        return absl::OkStatus();
      });
}

absl::Status CasegroupApp::GetPerson(const Actor& actor, const cms::v1::GetPersonRequest& req,
                                     Person* out) {
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(*out, store::GetPerson(tx, req.id()));
    return CheckCanSeePerson(tx, req.id(), actor);
  });
}

absl::Status CasegroupApp::UpdatePerson(const Actor& actor, const cms::v1::UpdatePersonRequest& req,
                                        Person* out) {
  FieldErrors errors;
  if (req.person().id() <= 0) errors.Add("person.id", "required");
  CMS_RETURN_IF_ERROR(errors.ToStatus("C2.1"));
  CMS_ASSIGN_OR_RETURN(const std::vector<std::string> paths,
                       ResolveUpdateMask(req.update_mask(), *Person::descriptor(), kPersonMutable));
  const int64_t id = req.person().id();
  return commands_.Run(
      actor, "UpdatePerson", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(Person before, store::GetPerson(c.tx(), id, /*for_update=*/true));
        // AIP-134: the named fields from the request, the rest as stored;
        // then the person as a whole is checked, as a create would be.
        Person merged = before;
        ApplyUpdateMask(paths, req.person(), &merged);
        FieldErrors invalid;
        Person p = NormalisePerson(merged, "person", invalid);
        CheckBornBy(p, "person", commands_.clock().Today(c.now()), invalid);
        CMS_RETURN_IF_ERROR(invalid.ToStatus("C2.1"));
        CMS_RETURN_IF_ERROR(CheckEtag(req.person().etag(), before.etag(), "person.etag", "person",
                                      absl::StrCat(id)));
        CMS_RETURN_IF_ERROR(CheckCanChangePerson(c.tx(), id, c.actor()));
        absl::Status updated = store::UpdatePerson(c.tx(), p);
        if (absl::IsAlreadyExists(updated)) {
          return InvalidField("person.nino", "another person already holds this NINO", "C2.1");
        }
        CMS_RETURN_IF_ERROR(updated);
        CMS_ASSIGN_OR_RETURN(*out, store::GetPerson(c.tx(), id));
        c.Audit("person", absl::StrCat(id), &before, *out);
        CMS_ASSIGN_OR_RETURN(auto groups, store::CasegroupsOfPerson(c.tx(), id));
        int64_t deferred = 0;
        if (req.service_request_id() != 0) {
          CMS_ASSIGN_OR_RETURN(deferred, DeferReroute(c, req.service_request_id(), groups));
        }
        if (RoutingFactsDiffer(before, *out)) {  // R3.3
          for (int64_t g : groups) {
            if (g != deferred) CMS_RETURN_IF_ERROR(Reroute(c, g, "UpdatePerson").status());
          }
        }
        if (CaseFactsDiffer(before, *out)) {  // the cases where they are the PP
          CMS_ASSIGN_OR_RETURN(auto pp_group, store::FindCasegroupByPayingParent(c.tx(), p.id()));
          if (pp_group) {
            for (int64_t case_id : pp_group->case_ids()) {
              CMS_RETURN_IF_ERROR(events_.CaseFactsChanged(c, case_id, "UpdatePerson"));
            }
          }
        }
        return absl::OkStatus();
      });
}

// ---------------------------------------------------------------- applications and cases

absl::Status CasegroupApp::CreateApplication(const Actor& actor,
                                             const cms::v1::CreateApplicationRequest& req,
                                             cms::v1::Application* out) {
  FieldErrors errors;
  Person pp_new, rp_new;
  if (req.paying_parent().party_case() == cms::v1::PartyRef::PARTY_NOT_SET) {
    errors.Add("paying_parent", "required: a person_id or a new_person");
  } else if (req.paying_parent().has_new_person()) {
    pp_new = NormalisePerson(req.paying_parent().new_person(), "paying_parent.new_person", errors);
  }
  if (req.receiving_parent().party_case() == cms::v1::PartyRef::PARTY_NOT_SET) {
    errors.Add("receiving_parent", "required: a person_id or a new_person");
  } else if (req.receiving_parent().has_new_person()) {
    rp_new =
        NormalisePerson(req.receiving_parent().new_person(), "receiving_parent.new_person", errors);
  }
  if (req.paying_parent().has_person_id() && req.receiving_parent().has_person_id() &&
      req.paying_parent().person_id() == req.receiving_parent().person_id()) {
    errors.Add("receiving_parent.person_id", "must differ from the paying parent (C2.2)");
  }
  if (!pp_new.nino().empty() && pp_new.nino() == rp_new.nino()) {
    errors.Add("receiving_parent.new_person.nino", "must differ from the paying parent (C2.2)");
  }
  ValidateChildren(req.children(), errors);
  if (!cms::v1::ServiceType_IsValid(req.pp_requested_service_type())) {
    errors.Add("pp_requested_service_type", "unknown value");
  }
  if (!cms::v1::ServiceType_IsValid(req.rp_requested_service_type())) {
    errors.Add("rp_requested_service_type", "unknown value");
  }
  if (req.has_legacy()) ValidateLegacy(req.legacy(), "legacy", errors);
  if (IsSet(req.annual_review_date()) && !IsValidDate(req.annual_review_date())) {
    errors.Add("annual_review_date", "not a calendar date");
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus("C2.2"));

  return commands_.Run(
      actor, "CreateApplication", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        const absl::CivilDay today = commands_.clock().Today(c.now());
        FieldErrors unborn;
        CheckBornBy(pp_new, "paying_parent.new_person", today, unborn);
        CheckBornBy(rp_new, "receiving_parent.new_person", today, unborn);
        CheckChildrenBornBy(req.children(), today, unborn);
        CMS_RETURN_IF_ERROR(unborn.ToStatus("C2.2"));
        // The RP first: once this transaction holds the PP's row it inserts
        // no more persons, so applications queueing on one PP cannot
        // deadlock on the persons index.
        CMS_ASSIGN_OR_RETURN(Party rp_party, ResolveParty(c, req.receiving_parent(), rp_new));
        CMS_ASSIGN_OR_RETURN(Party pp_party, ResolveParty(c, req.paying_parent(), pp_new));
        const Person& pp = pp_party.person;
        const Person& rp = rp_party.person;
        if (pp.id() == rp.id()) {
          return InvalidField("receiving_parent", "must differ from the paying parent", "C2.2");
        }
        // Lock the PP: applications for one PP queue here, so the casegroup
        // lookup below cannot race (the unique key on casegroups.pp_person_id
        // is the backstop, C2.3). A PP inserted just now is already locked by
        // this transaction and can have no casegroup yet.
        std::optional<Casegroup> existing;
        if (!pp_party.created) {
          CMS_RETURN_IF_ERROR(store::GetPerson(c.tx(), pp.id(), /*for_update=*/true).status());
          CMS_ASSIGN_OR_RETURN(existing, store::FindCasegroupByPayingParent(c.tx(), pp.id(), true));
        }

        Case k;
        k.set_paying_parent_id(pp.id());
        k.set_receiving_parent_id(rp.id());
        *k.mutable_children() = req.children();
        k.set_scheme("2012");
        k.set_lifecycle_stage(cms::v1::LIFECYCLE_STAGE_APPLICATION);
        k.set_service_type(InitialServiceType(req));
        k.set_pp_requested_service_type(req.pp_requested_service_type());
        k.set_rp_requested_service_type(req.rp_requested_service_type());
        if (req.has_legacy()) *k.mutable_legacy() = req.legacy();
        *k.mutable_application_date() = DateOf(today);
        *k.mutable_annual_review_date() =
            IsSet(req.annual_review_date())
                ? req.annual_review_date()
                : DateOf(absl::CivilDay(today.year() + 1, today.month(), today.day()));

        if (existing) {
          k.set_casegroup_id(existing->id());
          CMS_ASSIGN_OR_RETURN(int64_t case_id, store::InsertCase(c.tx(), k, c.now_us()));
          *out->mutable_case_() = AsInserted(k, case_id, c.now_us());
          CMS_RETURN_IF_ERROR(Reroute(c, existing->id(), "CreateApplication").status());
          CMS_ASSIGN_OR_RETURN(*out->mutable_casegroup(),
                               store::GetCasegroup(c.tx(), existing->id()));
        } else {
          CMS_ASSIGN_OR_RETURN(
              Placement place,
              PlaceParties(c.tx(), pp, {rp}, {cms::v1::LIFECYCLE_STAGE_APPLICATION}, 0,
                           /*parties_are_new=*/pp_party.created && rp_party.created));
          Casegroup g;
          g.set_paying_parent_id(pp.id());
          g.set_owning_segment_id(place.segment.id());
          g.set_owning_segment_system_name(place.segment.system_name());
          g.set_country(place.decision.country);
          g.set_routing_rule(place.decision.rule_id);
          CMS_ASSIGN_OR_RETURN(int64_t casegroup_id, store::InsertCasegroup(c.tx(), g, c.now_us()));
          cms::v1::CasegroupMove m;
          m.set_casegroup_id(casegroup_id);
          m.set_to_segment_id(place.segment.id());
          m.set_rule_id(place.decision.rule_id);
          m.set_trigger("CreateApplication");
          m.set_actor(c.actor().staff_id);
          CMS_RETURN_IF_ERROR(store::InsertCasegroupMove(c.tx(), m, c.now_us()));
          k.set_casegroup_id(casegroup_id);
          CMS_ASSIGN_OR_RETURN(int64_t case_id, store::InsertCase(c.tx(), k, c.now_us()));
          *out->mutable_case_() = AsInserted(k, case_id, c.now_us());
          g.add_case_ids(case_id);
          *out->mutable_casegroup() = AsInserted(g, casegroup_id, c.now_us());
          out->set_casegroup_created(true);
          c.Audit("casegroup", absl::StrCat(casegroup_id), nullptr, out->casegroup());
        }
        c.Audit("case", absl::StrCat(out->case_().id()), nullptr, out->case_());
        CMS_RETURN_IF_ERROR(events_.CaseCreated(c, out->case_()));
        if (k.has_legacy()) {  // the legacy look-up may have filled the facts in
          CMS_ASSIGN_OR_RETURN(*out->mutable_case_(), store::GetCase(c.tx(), out->case_().id()));
        }
        if (pp_party.hidden || rp_party.hidden) {
          out->Clear();
          out->set_handed_off(true);
        }
        return absl::OkStatus();
      });
}

absl::Status CasegroupApp::GetCase(const Actor& actor, const cms::v1::GetCaseRequest& req,
                                   Case* out) {
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(*out, store::GetCase(tx, req.id()));
    CMS_ASSIGN_OR_RETURN(Casegroup g, store::GetCasegroup(tx, out->casegroup_id()));
    return CheckCanSeeCasegroup(tx, g, actor);
  });
}

absl::Status CasegroupApp::UpdateCase(const Actor& actor, const cms::v1::UpdateCaseRequest& req,
                                      Case* out) {
  if (req.id() <= 0) return InvalidField("id", "required", "C2.2");
  const bool replace_all =
      req.update_mask().paths().empty() ||
      (req.update_mask().paths_size() == 1 && req.update_mask().paths(0) == "*");
  CMS_ASSIGN_OR_RETURN(
      const std::vector<std::string> paths,
      replace_all ? ResolveUpdateMask(req.update_mask(), *Case::descriptor(), kCaseReplaced)
                  : ResolveUpdateMask(req.update_mask(), *Case::descriptor(), kCaseMutable));
  // The request's three fields, as a Case the mask is applied from.
  Case patch;
  patch.set_lifecycle_stage(req.lifecycle_stage());
  if (req.has_legacy()) *patch.mutable_legacy() = req.legacy();
  if (req.has_annual_review_date()) *patch.mutable_annual_review_date() = req.annual_review_date();
  patch.set_pp_requested_service_type(req.pp_requested_service_type());
  patch.set_rp_requested_service_type(req.rp_requested_service_type());
  return commands_.Run(
      actor, "UpdateCase", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(Case before, store::GetCase(c.tx(), req.id(), /*for_update=*/true));
        Case after = before;
        ApplyUpdateMask(paths, patch, &after);
        // C2.2: what the mask changes must be whole and valid.
        FieldErrors errors;
        if (MaskTouches(paths, "lifecycle_stage") &&
            (after.lifecycle_stage() == cms::v1::LIFECYCLE_STAGE_UNSPECIFIED ||
             !cms::v1::LifecycleStage_IsValid(after.lifecycle_stage()))) {
          errors.Add("lifecycle_stage", "required");
        }
        if (MaskTouches(paths, "legacy") && after.has_legacy()) {
          ValidateLegacy(after.legacy(), "legacy", errors);
        }
        if (MaskTouches(paths, "annual_review_date") && !IsValidDate(after.annual_review_date())) {
          errors.Add("annual_review_date", "required calendar date");
        }
        const std::pair<const char*, cms::v1::ServiceType> requested[] = {
            {"pp_requested_service_type", after.pp_requested_service_type()},
            {"rp_requested_service_type", after.rp_requested_service_type()}};
        for (const auto& [field, t] : requested) {
          if (MaskTouches(paths, field) &&
              (t == cms::v1::SERVICE_TYPE_UNSPECIFIED || !cms::v1::ServiceType_IsValid(t))) {
            errors.Add(field, "SERVICE_TYPE_DIRECT_PAY or SERVICE_TYPE_COLLECT_AND_PAY");
          }
        }
        CMS_RETURN_IF_ERROR(errors.ToStatus("C2.2"));
        CMS_RETURN_IF_ERROR(
            CheckEtag(req.etag(), before.etag(), "etag", "case", absl::StrCat(req.id())));
        CMS_ASSIGN_OR_RETURN(Casegroup g, store::GetCasegroup(c.tx(), before.casegroup_id()));
        CMS_RETURN_IF_ERROR(CheckCanChangeCasegroup(c.tx(), g, c.actor()));
        CMS_RETURN_IF_ERROR(store::UpdateCase(c.tx(), after));
        CMS_ASSIGN_OR_RETURN(*out, store::GetCase(c.tx(), req.id()));
        c.Audit("case", absl::StrCat(req.id()), &before, *out);
        CMS_RETURN_IF_ERROR(events_.CaseFactsChanged(c, req.id(), "UpdateCase"));
        if (req.service_request_id() != 0) {  // R3.4
          CMS_RETURN_IF_ERROR(
              DeferReroute(c, req.service_request_id(), {before.casegroup_id()}).status());
        } else if (before.lifecycle_stage() != out->lifecycle_stage()) {  // R3.3
          CMS_RETURN_IF_ERROR(Reroute(c, before.casegroup_id(), "UpdateCase").status());
        }
        return absl::OkStatus();
      });
}

// ---------------------------------------------------------------- casegroups

absl::Status CasegroupApp::GetCasegroup(const Actor& actor, const cms::v1::GetCasegroupRequest& req,
                                        Casegroup* out) {
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(*out, store::GetCasegroup(tx, req.id()));
    return CheckCanSeeCasegroup(tx, *out, actor);
  });
}

absl::Status CasegroupApp::ExplainRouting(const Actor& actor,
                                          const cms::v1::ExplainRoutingRequest& req,
                                          cms::v1::RoutingExplanation* out) {
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(Casegroup g, store::GetCasegroup(tx, req.casegroup_id()));
    CMS_RETURN_IF_ERROR(CheckCanSeeCasegroup(tx, g, actor));
    CMS_ASSIGN_OR_RETURN(Placement p, PlaceCasegroup(tx, g));
    out->set_casegroup_id(g.id());
    auto* f = out->mutable_facts();
    f->set_any_party_nationally_sensitive(p.facts.any_party_nationally_sensitive);
    f->set_pp_address_outside_uk(p.facts.pp_address_outside_uk);
    f->set_pp_postcode(p.facts.pp_postcode);
    f->set_lifecycle_stage(p.facts.lifecycle_stage);
    f->set_any_party_has_existing_case(p.facts.any_party_has_existing_case);
    f->set_arrears_segment_exists(p.facts.arrears_segment_exists);
    out->set_rule_id(p.decision.rule_id);
    out->set_explanation(p.decision.explanation);
    out->set_country(p.decision.country);
    out->set_service_segment(p.decision.service_segment);
    out->set_target_segment_id(p.segment.id());
    out->set_target_segment_system_name(p.segment.system_name());
    out->set_current_segment_id(g.owning_segment_id());
    return absl::OkStatus();
  });
}

absl::Status CasegroupApp::ListCasegroupMoves(const Actor& actor,
                                              const cms::v1::ListCasegroupMovesRequest& req,
                                              cms::v1::ListCasegroupMovesResponse* out) {
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(Casegroup g, store::GetCasegroup(tx, req.casegroup_id()));
    CMS_RETURN_IF_ERROR(CheckCanSeeCasegroup(tx, g, actor));
    CMS_ASSIGN_OR_RETURN(auto moves, store::ListCasegroupMoves(tx, g.id(), page));
    for (auto& m : moves) *out->add_moves() = std::move(m);
    if (out->moves_size() == page.limit) {
      out->set_next_page_token(page.NextToken(out->moves().rbegin()->id()));
    }
    return absl::OkStatus();
  });
}

}  // namespace cms::app
