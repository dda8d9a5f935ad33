// Runs the real cms_server binary as a child process for benchmarks, so the
// load client and the server do not share a process. Not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace cms::bench {

// Writes a client tokens file naming one client, mode 0600 (cms_server
// refuses a tokens file group or others may read or write). Benchmarks and
// tests call as many users with x-cms-user, so they also pass
// --trusted_clients=<client> to the server.
void WriteTokensFile(const std::string& path, const std::string& token, const std::string& client);

// The cms_server built beside the calling benchmark binary
// (<build>/tools/bench/X -> <build>/server/cms_server).
std::string ServerBinaryBesideMe();

class ServerProcess {
 public:
  // Starts `binary` with `args` plus --listen 127.0.0.1:0 --port_file and
  // waits until it serves (60 s at most).
  static absl::StatusOr<ServerProcess> Start(const std::string& binary,
                                             std::vector<std::string> args);
  ServerProcess(ServerProcess&& other) noexcept;
  ~ServerProcess();  // SIGTERM, then wait

  int port() const { return port_; }
  int pid() const { return pid_; }
  // SIGKILL and reap: a crash, for tests of what survives one.
  void Kill();
  // Resident set size in MiB (VmRSS of /proc/<pid>/status).
  double RssMiB() const;

 private:
  ServerProcess() = default;
  int pid_ = 0;
  int port_ = 0;
  std::string dir_;
};

}  // namespace cms::bench
