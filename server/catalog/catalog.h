// The SR type catalog (SR5.1): server/catalog/sr_*.textproto, each a
// cms.v1.SrCatalog, compiled into the binary, parsed and validated at
// start-up. An invalid catalog stops the server with a message naming the
// file and entry. Immutable after Load, so thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cms/v1/catalog.pb.h"

namespace cms::catalog {

struct CatalogFile {
  std::string name;
  std::string text;
};

// The files embedded at build time.
const std::vector<CatalogFile>& EmbeddedCatalogFiles();

class SrCatalog {
 public:
  // Parses and validates every file; INVALID_ARGUMENT naming the file and
  // the entry (by code, or by position when the code itself is bad).
  static absl::StatusOr<SrCatalog> Load(const std::vector<CatalogFile>& files);

  // nullptr when no type has this code.
  const cms::v1::SrType* Find(absl::string_view code) const;
  const std::vector<cms::v1::SrType>& types() const { return types_; }

 private:
  std::vector<cms::v1::SrType> types_;
  absl::flat_hash_map<std::string, size_t> by_code_;
};

}  // namespace cms::catalog
