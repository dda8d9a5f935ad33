// Throwaway key material for the identity and transport tests (X13.1), made
// at test time with the `openssl` CLI in a fresh temporary directory: CAs,
// certificates signed by them, and key pairs; and JWTs signed with libjwt, as
// an identity provider would. Nothing here is a secret worth keeping: the
// directory is removed with the object. Not thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace cms::testing {

class CryptoDir {
 public:
  CryptoDir();
  ~CryptoDir();
  CryptoDir(const CryptoDir&) = delete;
  CryptoDir& operator=(const CryptoDir&) = delete;

  const std::string& path() const { return dir_; }
  std::string File(const std::string& name) const { return dir_ + "/" + name; }
  // The file's text (aborts the test when unreadable).
  std::string Read(const std::string& name) const;
  // Writes `text` to `name` with `mode`; returns the path.
  std::string Write(const std::string& name, const std::string& text, int mode = 0600) const;

  // A self-signed CA: <name>.key, <name>.pem.
  void MakeCa(const std::string& name, const std::string& common_name);
  // A key and a certificate signed by CA `ca`: <name>.key, <name>.pem.
  // `server` certificates get subjectAltName IP:127.0.0.1, DNS:localhost and
  // serverAuth; the others clientAuth.
  void MakeCert(const std::string& ca, const std::string& name, const std::string& common_name,
                bool server);
  // A key pair for signing JWTs: <name>.key (private), <name>.pub (PEM
  // PUBLIC KEY). `type` is "rsa" (2048 bits) or "ec" (P-256).
  void MakeKeyPair(const std::string& name, const std::string& type);

 private:
  void Openssl(const std::string& args) const;
  std::string dir_;
};

// A JWT as libjwt signs it: `alg` "RS256", "ES256", "HS256" (the key as an
// HMAC secret) or "none"; `claims` as a JSON object's text.
std::string SignJwt(const std::string& alg, const std::string& private_key_pem,
                    const std::string& claims_json);

// {"iss":issuer,"aud":audience,"sub":staff,"iat":now,"exp":now+ttl} as JSON,
// plus `extra` members (each "\"k\":v"), and without the ones in `omit`.
std::string Claims(const std::string& issuer, const std::string& audience, const std::string& staff,
                   absl::Duration ttl = absl::Minutes(5),
                   const std::vector<std::string>& extra = {},
                   const std::vector<std::string>& omit = {});

}  // namespace cms::testing
