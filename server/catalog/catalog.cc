#include "server/catalog/catalog.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/text_format.h"
#include "server/catalog/catalog_code.h"
#include "server/domain/sr_rules.h"

namespace cms::catalog {
namespace {

// Every problem with one entry, or empty.
std::vector<std::string> Problems(const cms::v1::SrType& t) {
  std::vector<std::string> p;
  if (!IsCatalogCode(t.code())) p.push_back("code must be 1..64 of A-Z, 0-9, _");
  if (t.process().empty() || t.area().empty() || t.sub_area().empty()) {
    p.push_back("process, area and sub_area are required");
  }
  if (t.kind() == cms::v1::SR_KIND_UNSPECIFIED) p.push_back("kind is required");
  const bool fu = t.kind() == cms::v1::SR_KIND_FUNCTIONALLY_UNIQUE;
  const bool has_specialist = t.specialist_segment() != cms::v1::SERVICE_SEGMENT_UNSPECIFIED;
  if (fu && !has_specialist) p.push_back("a functionally unique type needs specialist_segment");
  if (!fu && has_specialist)
    p.push_back("only functionally unique types have a specialist_segment");
  if (t.resolution_codes().empty()) p.push_back("at least one resolution code is required");
  if (t.activity_plan().empty()) p.push_back("an activity plan template is required");
  for (const auto& a : t.activity_plan()) {
    if (a.name().empty()) p.push_back("activity names must not be empty");
  }
  absl::flat_hash_set<std::string> seen;
  for (const auto& s : t.sub_statuses()) {
    if (s.name().empty()) p.push_back("sub status names must not be empty");
    if (s.status() == cms::v1::SR_STATUS_UNSPECIFIED || s.status() == cms::v1::SR_STATUS_CLOSED ||
        s.status() == cms::v1::SR_STATUS_CANCELLED) {
      p.push_back(absl::StrCat("sub status \"", s.name(),
                               "\" must belong to OPEN, IN_PROGRESS, WAIT or PENDING_APPROVAL "
                               "(Complete and Cancelled are implied)"));
    }
    if (!seen.insert(s.name()).second)
      p.push_back(absl::StrCat("duplicate sub status \"", s.name(), "\""));
  }
  // SR5.4: the fields a type declares; mandatory_fields is derived from
  // them at load, so a file setting it would say the same thing twice.
  if (!t.mandatory_fields().empty()) {
    p.push_back("mandatory_fields is derived: mark the field mandatory in `fields` instead");
  }
  if (t.fields_size() > domain::kMaxSrFields) {
    p.push_back(absl::StrCat("at most ", domain::kMaxSrFields, " fields"));
  }
  absl::flat_hash_set<std::string> field_names;
  for (const cms::v1::SrField& f : t.fields()) {
    if (auto problem = domain::SrFieldNameProblem(f.name())) {
      p.push_back(absl::StrCat("field \"", f.name(), "\": ", *problem));
    }
    // Names differing only in case would read as one field to people.
    if (!field_names.insert(absl::AsciiStrToLower(f.name())).second) {
      p.push_back(absl::StrCat("duplicate field \"", f.name(), "\""));
    }
    if (f.description().size() > 500) {
      p.push_back(absl::StrCat("field \"", f.name(), "\": description of at most 500 characters"));
    }
  }
  if (t.default_wait_days() < 0) p.push_back("default_wait_days must not be negative");
  return p;
}

}  // namespace

absl::StatusOr<SrCatalog> SrCatalog::Load(const std::vector<CatalogFile>& files) {
  SrCatalog catalog;
  absl::flat_hash_set<std::string> names;
  for (const CatalogFile& file : files) {
    cms::v1::SrCatalog parsed;
    if (!google::protobuf::TextFormat::ParseFromString(file.text, &parsed)) {
      return absl::InvalidArgumentError(
          absl::StrCat("SR catalog ", file.name, " is not a valid cms.v1.SrCatalog textproto"));
    }
    for (int i = 0; i < parsed.types_size(); ++i) {
      const cms::v1::SrType& t = parsed.types(i);
      const std::string entry = IsCatalogCode(t.code()) ? t.code() : absl::StrCat("entry #", i + 1);
      std::vector<std::string> problems = Problems(t);
      if (catalog.by_code_.contains(t.code())) problems.push_back("duplicate code");
      if (!names.insert(absl::StrCat(t.process(), "/", t.area(), "/", t.sub_area())).second) {
        problems.push_back("duplicate Process / Area / Sub Area");
      }
      if (!problems.empty()) {
        return absl::InvalidArgumentError(absl::StrCat("SR catalog ", file.name, ": ", entry, ": ",
                                                       absl::StrJoin(problems, "; ")));
      }
      catalog.by_code_[t.code()] = catalog.types_.size();
      cms::v1::SrType& kept = catalog.types_.emplace_back(t);
      for (const cms::v1::SrField& f : kept.fields()) {
        if (f.mandatory()) kept.add_mandatory_fields(f.name());
      }
    }
  }
  if (catalog.types_.empty()) return absl::InvalidArgumentError("the SR catalog is empty");
  return catalog;
}

const cms::v1::SrType* SrCatalog::Find(absl::string_view code) const {
  auto it = by_code_.find(code);
  return it == by_code_.end() ? nullptr : &types_[it->second];
}

}  // namespace cms::catalog
