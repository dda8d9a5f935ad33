#include "tests/integration/crypto_fixture.h"

#include <gtest/gtest.h>
#include <jwt.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"

namespace cms::testing {

CryptoDir::CryptoDir() {
  std::string tmpl = ::testing::TempDir() + "/cms_crypto_XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed";
    std::abort();
  }
  dir_ = tmpl;
}

CryptoDir::~CryptoDir() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string CryptoDir::Read(const std::string& name) const {
  std::ifstream in(File(name));
  if (!in) {
    ADD_FAILURE() << "cannot read " << File(name);
    std::abort();
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string CryptoDir::Write(const std::string& name, const std::string& text, int mode) const {
  const std::string path = File(name);
  std::ofstream(path, std::ios::trunc) << text;
  chmod(path.c_str(), mode);
  return path;
}

void CryptoDir::Openssl(const std::string& args) const {
  const std::string log = File("openssl.log");
  const std::string cmd = absl::StrCat("cd '", dir_, "' && openssl ", args, " >>'", log, "' 2>&1");
  if (std::system(cmd.c_str()) != 0) {
    ADD_FAILURE() << "openssl failed: " << cmd << "\n" << Read("openssl.log");
    std::abort();
  }
}

// EC P-256 keys for certificates: generated in milliseconds, unlike RSA.
void CryptoDir::MakeCa(const std::string& name, const std::string& common_name) {
  Openssl(absl::StrCat("req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ",
                       name, ".key -out ", name, ".pem -days 2 -subj '/CN=", common_name, "'"));
}

void CryptoDir::MakeCert(const std::string& ca, const std::string& name,
                         const std::string& common_name, bool server) {
  Write(name + ".ext", server ? "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                                "extendedKeyUsage=serverAuth\n"
                              : "extendedKeyUsage=clientAuth\n");
  Openssl(absl::StrCat("req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ", name,
                       ".key -out ", name, ".csr -subj '/CN=", common_name, "'"));
  Openssl(absl::StrCat("x509 -req -in ", name, ".csr -CA ", ca, ".pem -CAkey ", ca,
                       ".key -CAcreateserial -days 2 -out ", name, ".pem -extfile ", name, ".ext"));
}

void CryptoDir::MakeKeyPair(const std::string& name, const std::string& type) {
  Openssl(
      type == "rsa"
          ? absl::StrCat("genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out ", name, ".key")
          : absl::StrCat("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ", name,
                         ".key"));
  Openssl(absl::StrCat("pkey -in ", name, ".key -pubout -out ", name, ".pub"));
}

std::string SignJwt(const std::string& alg, const std::string& private_key_pem,
                    const std::string& claims_json) {
  jwt_t* jwt = nullptr;
  EXPECT_EQ(jwt_new(&jwt), 0);
  EXPECT_EQ(jwt_add_grants_json(jwt, claims_json.c_str()), 0) << claims_json;
  const jwt_alg_t a = alg == "none" ? JWT_ALG_NONE : jwt_str_alg(alg.c_str());
  EXPECT_EQ(jwt_set_alg(jwt, a,
                        a == JWT_ALG_NONE
                            ? nullptr
                            : reinterpret_cast<const unsigned char*>(private_key_pem.data()),
                        a == JWT_ALG_NONE ? 0 : static_cast<int>(private_key_pem.size())),
            0)
      << alg;
  char* encoded = jwt_encode_str(jwt);
  std::string out = encoded != nullptr ? encoded : "";
  free(encoded);
  jwt_free(jwt);
  EXPECT_FALSE(out.empty()) << "libjwt could not sign with " << alg;
  return out;
}

std::string Claims(const std::string& issuer, const std::string& audience, const std::string& staff,
                   absl::Duration ttl, const std::vector<std::string>& extra,
                   const std::vector<std::string>& omit) {
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  std::map<std::string, std::string> members = {
      {"iss", absl::StrCat("\"", issuer, "\"")},
      {"aud", absl::StrCat("\"", audience, "\"")},
      {"sub", absl::StrCat("\"", staff, "\"")},
      {"iat", absl::StrCat(now)},
      {"exp", absl::StrCat(now + absl::ToInt64Seconds(ttl))},
  };
  for (const std::string& key : omit) members.erase(key);
  std::vector<std::string> parts;
  for (const auto& [k, v] : members) {
    const bool overridden = std::any_of(extra.begin(), extra.end(), [&](const std::string& e) {
      return e.rfind(absl::StrCat("\"", k, "\":"), 0) == 0;
    });
    if (!overridden) parts.push_back(absl::StrCat("\"", k, "\":", v));
  }
  parts.insert(parts.end(), extra.begin(), extra.end());
  return absl::StrCat("{", absl::StrJoin(parts, ","), "}");
}

}  // namespace cms::testing
