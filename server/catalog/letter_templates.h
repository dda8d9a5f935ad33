// The letter templates (L12.1): server/catalog/letter_*.textproto, each a
// cms.v1.LetterTemplateCatalog, compiled into the binary, parsed and
// validated at start-up like the SR catalog. An invalid template (a bad or
// duplicate code, a missing title, purpose, recipient or body, an unknown
// or malformed merge field) stops the server with a message naming the file
// and entry. Immutable after Load, so thread-safe.
#pragma once

#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cms/v1/letter.pb.h"
#include "server/catalog/catalog.h"

namespace cms::catalog {

// The files embedded at build time.
const std::vector<CatalogFile>& EmbeddedLetterTemplateFiles();

class LetterTemplates {
 public:
  // Parses and validates every file, filling each template's merge_fields;
  // INVALID_ARGUMENT naming the file and the entry (by code, or by position
  // when the code itself is bad).
  static absl::StatusOr<LetterTemplates> Load(const std::vector<CatalogFile>& files);

  // nullptr when no template has this code.
  const cms::v1::LetterTemplate* Find(absl::string_view code) const;
  const std::vector<cms::v1::LetterTemplate>& templates() const { return templates_; }

 private:
  std::vector<cms::v1::LetterTemplate> templates_;
  absl::flat_hash_map<std::string, size_t> by_code_;
};

}  // namespace cms::catalog
