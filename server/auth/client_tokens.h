// Client tokens (X13.1): the tokens file names the client applications that
// may call, one "<token> <client-name>" per line ('#' comments, blank lines
// allowed). Only SHA-256 digests of the tokens are kept, and a presented
// token is found by comparing its digest with every entry in constant time
// (CRYPTO_memcmp, no early exit), so neither the table nor the time a
// lookup takes reveals a token. The file holds secrets: it must be a regular
// file that group and others can neither read nor write, else it is refused.
//
// Thread-safety: a ClientTokens is immutable once built; share it freely.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cms::auth {

class ClientTokens {
 public:
  using Digest = std::array<unsigned char, 32>;

  // Reads and checks the tokens file: INVALID_ARGUMENT for a malformed line
  // (named by line number, never echoing the token), FAILED_PRECONDITION for
  // a file group or others may read or write (naming the file and its mode),
  // NOT_FOUND when it cannot be read.
  static absl::StatusOr<ClientTokens> FromFile(const std::string& path);
  static ClientTokens FromMap(const std::map<std::string, std::string>& token_to_client);

  // The client a token names; nullopt for an unknown token.
  std::optional<std::string> ClientOf(absl::string_view token) const;
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    Digest digest;
    std::string client;
  };
  std::vector<Entry> entries_;
};

}  // namespace cms::auth
