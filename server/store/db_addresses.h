// Where the database is when it is more than one machine (a primary and its
// replicas, issue 17): the connect string of each address, and the order in
// which a connection tries them. Pure (no SOCI, no I/O), so the choice is
// tested by table (tests/unit/store/db_addresses_test.cc); store::Db makes
// the connections. Thread-safe: plain functions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cms::store {

// "h1:p1,h2:p2" (--db_hosts) as a list; spaces around entries are ignored,
// "[::1]:3306" names an IPv6 host. INVALID_ARGUMENT for an entry without a
// port, a port outside 1-65535, or a host with characters a connect string
// cannot carry (spaces, '=', quotes).
absl::StatusOr<std::vector<std::string>> ParseDbHosts(absl::string_view list);

// One SOCI connect string per address: `uri` with its host= and port=
// replaced by those of each of `hosts`, in order; everything else (db=,
// user=, password=, timeouts) kept. No hosts: `uri` alone. A `uri` with
// unix_socket= cannot also take hosts (INVALID_ARGUMENT).
absl::StatusOr<std::vector<std::string>> ConnectStrings(const std::string& uri,
                                                        const std::vector<std::string>& hosts);

// The order in which to try `count` addresses when (re)connecting: the one
// last found writable first (it is the primary unless a failover happened),
// then the others as listed, so every connection converges on the same new
// primary. `last_primary` out of range: the listed order.
std::vector<std::size_t> TryOrder(std::size_t count, std::size_t last_primary);

// What a server answered when asked `SELECT @@read_only` on connecting: a
// connection stays only where writes are accepted. Read-only is a replica,
// or an old primary fenced off during a failover.
enum class ServerRole { kWritable, kReadOnly };
inline ServerRole RoleOf(int read_only) {
  return read_only == 0 ? ServerRole::kWritable : ServerRole::kReadOnly;
}

}  // namespace cms::store
