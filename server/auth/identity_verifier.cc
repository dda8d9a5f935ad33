#include "server/auth/identity_verifier.h"

#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "server/base/errors.h"

namespace cms::auth {
namespace {

absl::Status Refuse(absl::string_view why) {
  return WithReason(
      WithRule(absl::UnauthenticatedError(absl::StrCat("identity token refused: ", why)), "X13.1"),
      "IDENTITY_TOKEN_INVALID");
}

bool ParseJsonObject(absl::string_view json, google::protobuf::Struct* out) {
  return google::protobuf::util::JsonStringToMessage(std::string(json), out).ok();
}

// A claim that must be a JSON number, as seconds since the epoch.
absl::StatusOr<std::optional<double>> NumericClaim(const google::protobuf::Struct& claims,
                                                   const std::string& name) {
  auto it = claims.fields().find(name);
  if (it == claims.fields().end()) return std::optional<double>();
  if (it->second.kind_case() != google::protobuf::Value::kNumberValue ||
      !std::isfinite(it->second.number_value())) {
    return Refuse(absl::StrCat("claim \"", name, "\" is not a number"));
  }
  return std::optional<double>(it->second.number_value());
}

std::string Instant(double seconds) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                          absl::FromUnixSeconds(static_cast<int64_t>(seconds)),
                          absl::UTCTimeZone());
}

struct JwtDeleter {
  void operator()(jwt_t* j) const { jwt_free(j); }
};

}  // namespace

absl::StatusOr<std::vector<std::string>> ReadPemPublicKeys(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read JWT keys file ", path));
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  const std::string kBegin = "-----BEGIN PUBLIC KEY-----";
  const std::string kEnd = "-----END PUBLIC KEY-----";
  std::vector<std::string> keys;
  size_t pos = 0;
  while ((pos = all.find(kBegin, pos)) != std::string::npos) {
    const size_t end = all.find(kEnd, pos);
    if (end == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": a PUBLIC KEY block has no end"));
    }
    keys.push_back(absl::StrCat(all.substr(pos, end + kEnd.size() - pos), "\n"));
    pos = end + kEnd.size();
  }
  if (keys.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": no \"-----BEGIN PUBLIC KEY-----\" block (PEM public keys)"));
  }
  return keys;
}

absl::StatusOr<std::unique_ptr<JwtVerifier>> JwtVerifier::Create(JwtOptions options) {
  if (options.public_keys_pem.empty()) {
    return absl::InvalidArgumentError("JWT verification needs at least one public key");
  }
  if (options.issuer.empty() || options.audience.empty()) {
    return absl::InvalidArgumentError("JWT verification needs an issuer and an audience");
  }
  if (options.staff_claim.empty()) return absl::InvalidArgumentError("empty JWT staff claim");
  if (options.leeway < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("the JWT leeway must not be negative");
  }
  std::vector<Key> keys;
  for (size_t i = 0; i < options.public_keys_pem.size(); ++i) {
    const std::string& pem = options.public_keys_pem[i];
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    EVP_PKEY* pkey = bio ? PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr) : nullptr;
    BIO_free(bio);
    if (pkey == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("JWT key ", i + 1, " is not a PEM public key"));
    }
    const int type = EVP_PKEY_get_base_id(pkey);
    EVP_PKEY_free(pkey);
    if (type == EVP_PKEY_RSA) {
      keys.push_back({KeyType::kRsa, pem});
    } else if (type == EVP_PKEY_EC) {
      keys.push_back({KeyType::kEc, pem});
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("JWT key ", i + 1, " is neither an RSA nor an EC public key"));
    }
  }
  std::unique_ptr<JwtVerifier> v(new JwtVerifier(std::move(options)));
  v->keys_ = std::move(keys);
  return v;
}

absl::StatusOr<std::string> JwtVerifier::Verify(absl::string_view token, absl::Time now) const {
  if (token.size() > kMaxIdentityTokenBytes) {
    return Refuse(absl::StrCat("longer than ", kMaxIdentityTokenBytes, " bytes"));
  }
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty()) {
    return Refuse("not a signed JWT (header.payload.signature)");
  }
  // The header is read before libjwt sees the token: libjwt 1.10 verifies
  // with whatever algorithm the header names, and would check an "HS256"
  // token against the public key's PEM text as an HMAC secret.
  std::string header_json;
  google::protobuf::Struct header;
  if (!absl::WebSafeBase64Unescape(parts[0], &header_json) ||
      !ParseJsonObject(header_json, &header)) {
    return Refuse("the header is not base64url JSON");
  }
  auto alg_it = header.fields().find("alg");
  if (alg_it == header.fields().end() ||
      alg_it->second.kind_case() != google::protobuf::Value::kStringValue) {
    return Refuse("the header names no algorithm");
  }
  const std::string& alg = alg_it->second.string_value();
  KeyType wanted;
  if (alg == "RS256" || alg == "RS384" || alg == "RS512") {
    wanted = KeyType::kRsa;
  } else if (alg == "ES256" || alg == "ES384" || alg == "ES512") {
    wanted = KeyType::kEc;
  } else {
    return Refuse(absl::StrCat("algorithm \"", EchoInput(alg, 16),
                               "\" is not accepted (RS256/384/512 or ES256/384/512 only)"));
  }
  if (header.fields().contains("crit")) return Refuse("the header names critical extensions");

  const std::string nul_terminated(token);
  std::unique_ptr<jwt_t, JwtDeleter> jwt;
  bool key_of_type = false;
  for (const Key& key : keys_) {
    if (key.type != wanted) continue;
    key_of_type = true;
    jwt_t* decoded = nullptr;
    if (jwt_decode(&decoded, nul_terminated.c_str(),
                   reinterpret_cast<const unsigned char*>(key.pem.data()),
                   static_cast<int>(key.pem.size())) == 0 &&
        decoded != nullptr) {
      jwt.reset(decoded);
      break;
    }
    if (decoded != nullptr) jwt_free(decoded);
  }
  if (!key_of_type) {
    return Refuse(absl::StrCat("no ", wanted == KeyType::kRsa ? "RSA" : "EC",
                               " key is configured for algorithm ", alg));
  }
  if (!jwt) return Refuse("the signature does not verify with any configured key");

  char* payload = jwt_get_grants_json(jwt.get(), nullptr);
  google::protobuf::Struct claims;
  const bool parsed = payload != nullptr && ParseJsonObject(payload, &claims);
  free(payload);
  if (!parsed) return Refuse("the payload is not a JSON object");

  auto iss = claims.fields().find("iss");
  if (iss == claims.fields().end() ||
      iss->second.kind_case() != google::protobuf::Value::kStringValue ||
      iss->second.string_value() != options_.issuer) {
    return Refuse(absl::StrCat("issuer (iss) is not \"", options_.issuer, "\""));
  }
  bool audience_ok = false;
  if (auto aud = claims.fields().find("aud"); aud != claims.fields().end()) {
    if (aud->second.kind_case() == google::protobuf::Value::kStringValue) {
      audience_ok = aud->second.string_value() == options_.audience;
    } else if (aud->second.kind_case() == google::protobuf::Value::kListValue) {
      for (const auto& v : aud->second.list_value().values()) {
        if (v.kind_case() == google::protobuf::Value::kStringValue &&
            v.string_value() == options_.audience) {
          audience_ok = true;
        }
      }
    }
  }
  if (!audience_ok) {
    return Refuse(absl::StrCat("audience (aud) does not include \"", options_.audience, "\""));
  }

  const double now_s = absl::ToDoubleSeconds(now - absl::UnixEpoch());
  const double leeway_s = absl::ToDoubleSeconds(options_.leeway);
  absl::StatusOr<std::optional<double>> exp = NumericClaim(claims, "exp");
  if (!exp.ok()) return exp.status();
  if (!exp->has_value()) return Refuse("it has no expiry (exp)");
  if (now_s > **exp + leeway_s) return Refuse(absl::StrCat("it expired at ", Instant(**exp)));
  absl::StatusOr<std::optional<double>> nbf = NumericClaim(claims, "nbf");
  if (!nbf.ok()) return nbf.status();
  if (nbf->has_value() && **nbf > now_s + leeway_s) {
    return Refuse(absl::StrCat("it is not valid before ", Instant(**nbf)));
  }
  absl::StatusOr<std::optional<double>> iat = NumericClaim(claims, "iat");
  if (!iat.ok()) return iat.status();
  if (iat->has_value() && **iat > now_s + leeway_s) {
    return Refuse(absl::StrCat("it was issued in the future (iat ", Instant(**iat), ")"));
  }

  auto staff = claims.fields().find(options_.staff_claim);
  if (staff == claims.fields().end() ||
      staff->second.kind_case() != google::protobuf::Value::kStringValue) {
    return Refuse(absl::StrCat("claim \"", options_.staff_claim, "\" (the staff id) is missing"));
  }
  return staff->second.string_value();
}

}  // namespace cms::auth
