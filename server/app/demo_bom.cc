#include "server/app/demo_bom.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "server/base/enum_names.h"
#include "server/base/status_macros.h"
#include "server/store/bom_repo.h"

namespace cms::app {
namespace {

// "NEW_CASE" -> "New Case"; "FOI" stays an acronym.
std::string Title(absl::string_view short_name) {
  if (short_name == "FOI") return "FOI";
  std::string out;
  for (absl::string_view word : absl::StrSplit(short_name, '_')) {
    if (!out.empty()) out += ' ';
    std::string w = absl::AsciiStrToLower(word);
    w[0] = absl::ascii_toupper(static_cast<unsigned char>(w[0]));
    out += w;
  }
  return out;
}

}  // namespace

absl::StatusOr<bool> LoadDemoBom(Commands& commands, BomApp& bom) {
  int64_t existing = 0;
  CMS_RETURN_IF_ERROR(commands.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(existing, store::CountSegments(tx));
    return absl::OkStatus();
  }));
  if (existing > 0) return false;

  const Actor system = Actor::System();
  auto add_staff = [&](std::string id, std::string name, cms::v1::Role role, int64_t team,
                       int64_t segment) -> absl::Status {
    cms::v1::AddStaffMemberRequest req;
    req.set_staff_id(std::move(id));
    req.set_name(std::move(name));
    req.set_role(role);
    req.set_team_id(team);
    req.set_segment_id(segment);
    cms::v1::StaffMember m;
    return bom.AddStaffMember(system, req, &m);
  };

  for (cms::v1::Country country : {cms::v1::COUNTRY_GB, cms::v1::COUNTRY_NI}) {
    const std::string c = absl::AsciiStrToLower(ShortName(country));
    const auto* segments = google::protobuf::GetEnumDescriptor<cms::v1::ServiceSegment>();
    for (int i = 1; i < segments->value_count(); ++i) {
      const auto service = static_cast<cms::v1::ServiceSegment>(segments->value(i)->number());
      const std::string short_name = ShortName(service);
      const std::string k = absl::AsciiStrToLower(short_name);
      cms::v1::CreateSegmentRequest seg_req;
      seg_req.set_country(country);
      seg_req.set_service_segment(service);
      seg_req.set_description(Title(short_name));
      seg_req.set_code("Core");
      cms::v1::Segment segment;
      CMS_RETURN_IF_ERROR(bom.CreateSegment(system, seg_req, &segment));
      CMS_RETURN_IF_ERROR(
          add_staff(absl::StrCat("sm.", c, ".", k),
                    absl::StrCat(Title(short_name), " Manager ", ShortName(country)),
                    cms::v1::ROLE_SEGMENT_MANAGER, 0, segment.id()));
      const bool two_teams = service == cms::v1::SERVICE_SEGMENT_NEW_CASE ||
                             service == cms::v1::SERVICE_SEGMENT_MAINTENANCE;
      for (std::string letter : {"a", "b"}) {
        if (letter == "b" && !two_teams) break;
        cms::v1::CreateTeamRequest team_req;
        team_req.set_segment_id(segment.id());
        team_req.set_name(absl::StrCat("Team ", absl::AsciiStrToUpper(letter)));
        cms::v1::Team team;
        CMS_RETURN_IF_ERROR(bom.CreateTeam(system, team_req, &team));
        const std::string prefix = absl::StrCat(c, ".", k, ".", letter);
        CMS_RETURN_IF_ERROR(add_staff(absl::StrCat("tl.", prefix),
                                      absl::StrCat("Team Leader ", prefix),
                                      cms::v1::ROLE_TEAM_LEADER, team.id(), 0));
        const int caseworkers = (two_teams && letter == "a") ? 2 : 1;
        for (int n = 1; n <= caseworkers; ++n) {
          CMS_RETURN_IF_ERROR(add_staff(absl::StrCat("cw.", prefix, n),
                                        absl::StrCat("Caseworker ", prefix, n),
                                        cms::v1::ROLE_CASEWORKER, team.id(), 0));
        }
      }
    }
  }
  CMS_RETURN_IF_ERROR(
      add_staff("svc.manager", "Service Manager", cms::v1::ROLE_SERVICE_MANAGEMENT, 0, 0));
  CMS_RETURN_IF_ERROR(add_staff("qa.auditor", "Q&A Auditor", cms::v1::ROLE_AUDITOR, 0, 0));
  return true;
}

}  // namespace cms::app
