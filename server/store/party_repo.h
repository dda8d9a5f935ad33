// Repository for parties (C2.1): persons with addresses and employers.
// Thread-compatible (one Tx per thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cms/v1/casegroup.pb.h"
#include "server/store/db.h"

namespace cms::store {

// Inserts a person; ALREADY_EXISTS (DUPLICATE_KEY) when the NINO is taken.
absl::StatusOr<int64_t> InsertPerson(Tx& tx, const cms::v1::Person& p, int64_t now_us);

struct UpsertResult {
  int64_t id = 0;
  bool created = false;
};
// Returns the person holding p.nino() (which must be set), creating `p` when
// nobody does. Safe under concurrent calls for the same NINO. A created
// person is stored exactly as `p` with version 1.
absl::StatusOr<UpsertResult> UpsertPersonByNino(Tx& tx, const cms::v1::Person& p, int64_t now_us);

absl::StatusOr<cms::v1::Person> GetPerson(Tx& tx, int64_t id, bool for_update = false);
absl::StatusOr<std::vector<cms::v1::Person>> GetPersons(Tx& tx, const std::vector<int64_t>& ids);
// What the arrears ladder needs of a PP (AR10.3): their employment status
// and the first employer recorded on them ("" if none), in one statement
// and without the rest of their personal data.
struct WorkFacts {
  cms::v1::EmploymentStatus employment_status = cms::v1::EMPLOYMENT_STATUS_UNKNOWN;
  std::string first_employer;
};
absl::StatusOr<WorkFacts> GetWorkFacts(Tx& tx, int64_t person_id);
// Replaces every mutable field and the employers; bumps the version.
absl::Status UpdatePerson(Tx& tx, const cms::v1::Person& p);

}  // namespace cms::store
