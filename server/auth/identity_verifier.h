// Who the staff member is (X13.1): the organisation's identity provider signs
// a JWT naming them, the caller sends it as `x-cms-identity: <jwt>`, and an
// IdentityVerifier turns it into a staff id (or refuses it). The interface is
// where the world is: the server uses JwtVerifier (libjwt over OpenSSL, the
// IdP's public keys), tests may use the same with throwaway keys.
//
// JwtVerifier accepts a token only when all of these hold:
//   - the header's `alg` is RS256/384/512 or ES256/384/512 and matches a
//     configured key's type ("none" and HS*, which libjwt would check with
//     the public key as an HMAC secret, are refused before any check), and
//     the header names no `crit` extension;
//   - one of the configured public keys verifies the signature (several keys
//     allow the IdP to rotate them);
//   - `iss` equals the configured issuer, `aud` (a string, or an array) holds
//     the configured audience;
//   - `exp` is present and now <= exp + leeway; `nbf`, when present, <= now +
//     leeway; `iat`, when present, <= now + leeway;
//   - the staff claim (`sub` by default) is a string.
// Refusals are UNAUTHENTICATED (rule X13.1, reason IDENTITY_TOKEN_INVALID)
// with a message saying which check failed; the token is never echoed.
//
// Thread-safety: Verify is const and thread-safe; a verifier is immutable.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cms::auth {

class IdentityVerifier {
 public:
  virtual ~IdentityVerifier() = default;
  // The staff id the token names, if the token is valid at `now`.
  virtual absl::StatusOr<std::string> Verify(absl::string_view token, absl::Time now) const = 0;
};

struct JwtOptions {
  // PEM "PUBLIC KEY" blocks (RSA or EC); any of them may verify a token.
  std::vector<std::string> public_keys_pem;
  std::string issuer;
  std::string audience;
  std::string staff_claim = "sub";
  absl::Duration leeway = absl::Seconds(30);
};

// Longest identity token accepted; longer ones are refused unparsed.
inline constexpr size_t kMaxIdentityTokenBytes = 8 * 1024;

class JwtVerifier final : public IdentityVerifier {
 public:
  // INVALID_ARGUMENT when no key is given, a key does not parse as an RSA or
  // EC public key, or issuer / audience / staff claim is empty.
  static absl::StatusOr<std::unique_ptr<JwtVerifier>> Create(JwtOptions options);

  absl::StatusOr<std::string> Verify(absl::string_view token, absl::Time now) const override;

 private:
  enum class KeyType { kRsa, kEc };
  struct Key {
    KeyType type;
    std::string pem;
  };
  explicit JwtVerifier(JwtOptions options) : options_(std::move(options)) {}

  JwtOptions options_;
  std::vector<Key> keys_;
};

// The PEM blocks of a keys file (one or more "-----BEGIN PUBLIC KEY-----"
// blocks); INVALID_ARGUMENT when it holds none, NOT_FOUND when unreadable.
absl::StatusOr<std::vector<std::string>> ReadPemPublicKeys(const std::string& path);

}  // namespace cms::auth
