// The ceiling of the Q&A assurance benchmark (cms_assurancebench): the
// statements cms_server sends for AssuranceService's draw and Q&A views,
// sent without the server: no gRPC, no authentication interceptor, no
// permission rules, no response messages. They are the store's own
// statements, sent by calling the same store functions (store/
// assurance_repo.h, bom_repo.h, audit_repo.h, idempotency_repo.h) in the
// same order and transactions as app/assurance.cc and app/commands.cc do
// for a Q&A caseworker (or a team leader, for the coaching view): the
// staff row the authenticator reads on its own connection, then one
// transaction (a view: autocommit reads, as Commands::ReadLatest; the
// coaching view: a read-only snapshot). So the SQL text is the
// store's, not a copy; what the ceiling still does beyond the statements
// is the store's row-to-message conversion, which is microseconds a row.
// Thread-safe (one pooled connection a call, as the server).
#pragma once

#include <cstdint>
#include <string>

#include "cms/v1/assurance.pb.h"
#include "server/store/db.h"

namespace cms::bench {

class RawAssurance {
 public:
  // `client` is the client application the server's calls come from (its
  // audit rows and request ids are recorded under it).
  RawAssurance(store::Db& db, std::string client) : db_(db), client_(std::move(client)) {}

  // What a draw chose and where its time went.
  struct DrawResult {
    int64_t sample_id = 0;
    int items = 0;
    double sampling_ms = 0;  // the Sample* statements
    double total_ms = 0;
  };
  // DrawAssuranceSample by `staff` (a Q&A caseworker): "" or the error.
  std::string Draw(const std::string& staff, const cms::v1::DrawAssuranceSampleRequest& req,
                   DrawResult* out);

  // The views; each returns "" or the error.
  std::string ListSamples(const std::string& staff, int page_size);
  std::string GetSample(const std::string& staff, int64_t id);
  // ListAssuranceChecks of one sample: its open items, or its checks.
  std::string ListChecks(const std::string& staff, int64_t sample_id, bool open, int page_size);
  std::string ListActions(const std::string& staff, bool open_only, int page_size);
  // GetCoachingNeeds of `team_id` over [start_us, end_us), by `staff` (its
  // team leader).
  std::string Coaching(const std::string& staff, int64_t team_id, int64_t start_us, int64_t end_us);

 private:
  store::Db& db_;
  std::string client_;
};

}  // namespace cms::bench
