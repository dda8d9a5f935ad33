#include "server/catalog/letter_templates.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/text_format.h"
#include "server/catalog/catalog_code.h"
#include "server/domain/letters.h"

namespace cms::catalog {
namespace {

// Every problem with one entry, or empty; fills t->merge_fields.
std::vector<std::string> Problems(cms::v1::LetterTemplate* t) {
  std::vector<std::string> p;
  if (!IsCatalogCode(t->code())) p.push_back("code must be 1..64 of A-Z, 0-9, _");
  if (t->title().empty()) p.push_back("title is required");
  if (t->purpose().empty()) p.push_back("purpose is required");
  if (t->recipient_role() == cms::v1::RECIPIENT_ROLE_UNSPECIFIED ||
      !cms::v1::RecipientRole_IsValid(t->recipient_role())) {
    p.push_back("recipient_role is required (RECIPIENT_ROLE_PP or RECIPIENT_ROLE_RP)");
  }
  if (!t->merge_fields().empty()) p.push_back("merge_fields is computed; do not list it");
  if (t->body().empty()) {
    p.push_back("body is required");
  } else if (auto fields = domain::MergeFieldsOf(t->body()); !fields.ok()) {
    p.push_back(std::string(fields.status().message()));
  } else {
    for (const std::string& f : *fields) t->add_merge_fields(f);
  }
  return p;
}

}  // namespace

absl::StatusOr<LetterTemplates> LetterTemplates::Load(const std::vector<CatalogFile>& files) {
  LetterTemplates out;
  for (const CatalogFile& file : files) {
    cms::v1::LetterTemplateCatalog parsed;
    if (!google::protobuf::TextFormat::ParseFromString(file.text, &parsed)) {
      return absl::InvalidArgumentError(
          absl::StrCat("letter templates ", file.name,
                       " is not a valid cms.v1.LetterTemplateCatalog textproto"));
    }
    for (int i = 0; i < parsed.templates_size(); ++i) {
      cms::v1::LetterTemplate* t = parsed.mutable_templates(i);
      const std::string entry =
          IsCatalogCode(t->code()) ? t->code() : absl::StrCat("entry #", i + 1);
      std::vector<std::string> problems = Problems(t);
      if (out.by_code_.contains(t->code())) problems.push_back("duplicate code");
      if (!problems.empty()) {
        return absl::InvalidArgumentError(absl::StrCat("letter templates ", file.name, ": ", entry,
                                                       ": ", absl::StrJoin(problems, "; ")));
      }
      out.by_code_[t->code()] = out.templates_.size();
      out.templates_.push_back(*t);
    }
  }
  if (out.templates_.empty()) return absl::InvalidArgumentError("there are no letter templates");
  return out;
}

const cms::v1::LetterTemplate* LetterTemplates::Find(absl::string_view code) const {
  auto it = by_code_.find(code);
  return it == by_code_.end() ? nullptr : &templates_[it->second];
}

}  // namespace cms::catalog
