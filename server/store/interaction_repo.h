// Repository for interactions with the parties of a case: calls, SMS and
// letters, issued letters included (L12.1, L12.2). Append only.
// Thread-compatible (one Tx per thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cms/v1/letter.pb.h"
#include "server/base/paging.h"
#include "server/store/db.h"

namespace cms::store {

// Returns the new id; `create_time` and `id` of `i` are ignored.
absl::StatusOr<int64_t> InsertInteraction(Tx& tx, const cms::v1::Interaction& i, int64_t now_us);
absl::StatusOr<cms::v1::Interaction> GetInteraction(Tx& tx, int64_t id);
// Oldest first, by person, by case, or by both (0 = any).
absl::StatusOr<std::vector<cms::v1::Interaction>> ListInteractions(Tx& tx, int64_t person_id,
                                                                   int64_t case_id,
                                                                   const PageRequest& page);
// Oldest first, those recorded from one SR (the fk_interactions_sr index).
absl::StatusOr<std::vector<cms::v1::Interaction>> ListInteractionsOfSr(Tx& tx, int64_t sr_id,
                                                                       const PageRequest& page);

// L12.1: the letter came back undelivered at `now_us`.
absl::Status MarkLetterReturned(Tx& tx, int64_t id, int64_t now_us);
// The latest letter of `template_code` issued on the case, if any.
absl::StatusOr<std::optional<cms::v1::Interaction>> FindLatestLetter(
    Tx& tx, int64_t case_id, const std::string& template_code);

}  // namespace cms::store
