#include "tools/bench/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace cms::bench {

void WriteTokensFile(const std::string& path, const std::string& token, const std::string& client) {
  std::remove(path.c_str());
  // Created 0600, so the token is never readable by others, not even briefly.
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return;
  const std::string line = token + " " + client + "\n";
  (void)!write(fd, line.data(), line.size());
  close(fd);
}

std::string ServerBinaryBesideMe() {
  char self[4096] = {0};
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  std::string dir(self, n > 0 ? n : 0);
  dir = dir.substr(0, dir.rfind('/'));
  return dir + "/../../server/cms_server";
}

absl::StatusOr<ServerProcess> ServerProcess::Start(const std::string& binary,
                                                   std::vector<std::string> args) {
  ServerProcess p;
  char tmpl[] = "/tmp/cms_bench_XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return absl::InternalError("mkdtemp failed");
  p.dir_ = tmpl;
  const std::string port_file = p.dir_ + "/port";
  args.insert(args.end(), {"--listen=127.0.0.1:0", "--port_file=" + port_file});
  const std::string log = p.dir_ + "/server.log";
  p.pid_ = fork();
  if (p.pid_ < 0) return absl::InternalError("fork failed");
  if (p.pid_ == 0) {
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(binary.c_str()));
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    freopen(log.c_str(), "w", stderr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  for (absl::Time deadline = absl::Now() + absl::Seconds(60); absl::Now() < deadline;) {
    std::ifstream in(port_file);
    int port = 0;
    if (in >> port && port > 0) {
      p.port_ = port;
      return p;
    }
    int status = 0;
    if (waitpid(p.pid_, &status, WNOHANG) == p.pid_) {
      p.pid_ = 0;
      return absl::InternalError(absl::StrCat("cms_server exited early; see ", log));
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::DeadlineExceededError("cms_server did not start in 60 s");
}

ServerProcess::ServerProcess(ServerProcess&& other) noexcept
    : pid_(other.pid_), port_(other.port_), dir_(std::move(other.dir_)) {
  other.pid_ = 0;
}

ServerProcess::~ServerProcess() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = 0;
}

double ServerProcess::RssMiB() const {
  std::ifstream in(absl::StrCat("/proc/", pid_, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      std::istringstream fields(line.substr(6));
      double kb = 0;
      fields >> kb;
      return kb / 1024.0;
    }
  }
  return 0;
}

}  // namespace cms::bench
