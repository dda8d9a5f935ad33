#include "server/auth/client_tokens.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <sys/stat.h>

#include <cstdio>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace cms::auth {
namespace {

ClientTokens::Digest DigestOf(absl::string_view token) {
  ClientTokens::Digest d;
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), d.data());
  return d;
}

}  // namespace

absl::StatusOr<ClientTokens> ClientTokens::FromFile(const std::string& path) {
  // The mode is checked on the opened file, so the file read is the file
  // checked (no window to swap it in between).
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "r"), &std::fclose);
  if (file == nullptr) return absl::NotFoundError(absl::StrCat("cannot read tokens file ", path));
  struct stat st;
  if (fstat(fileno(file.get()), &st) != 0 || !S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat("tokens file ", path, " is not a regular file"));
  }
  // The file holds every client's secret: anyone else who can read it can
  // be any client, and anyone who can write it can add one.
  if ((st.st_mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH)) != 0) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "tokens file %s has mode %04o: group and others must not read or write it (chmod 600 %s)",
        path, st.st_mode & 07777, path));
  }
  std::string text;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), file.get())) > 0;) {
    text.append(buffer, n);
  }
  if (std::ferror(file.get())) {
    return absl::NotFoundError(absl::StrCat("cannot read tokens file ", path));
  }
  ClientTokens tokens;
  int n = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++n;
    absl::string_view l = absl::StripAsciiWhitespace(line);
    if (l.empty() || absl::StartsWith(l, "#")) continue;
    std::vector<absl::string_view> parts =
        absl::StrSplit(l, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (parts.size() != 2 || parts[0].size() < 8) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", n, ": expected \"<token of 8+ characters> <client-name>\""));
    }
    tokens.entries_.push_back({DigestOf(parts[0]), std::string(parts[1])});
  }
  return tokens;
}

ClientTokens ClientTokens::FromMap(const std::map<std::string, std::string>& token_to_client) {
  ClientTokens tokens;
  for (const auto& [token, client] : token_to_client) {
    tokens.entries_.push_back({DigestOf(token), client});
  }
  return tokens;
}

std::optional<std::string> ClientTokens::ClientOf(absl::string_view token) const {
  const Digest presented = DigestOf(token);
  const Entry* found = nullptr;
  // Every entry is compared, whatever matched before: the time taken does
  // not depend on where (or whether) the token is.
  for (const Entry& e : entries_) {
    if (CRYPTO_memcmp(e.digest.data(), presented.data(), presented.size()) == 0) found = &e;
  }
  if (found == nullptr) return std::nullopt;
  return found->client;
}

}  // namespace cms::auth
