// store/db_addresses.h: the database's addresses (--db_hosts) and the order
// in which a connection tries them after a failover (issue 17, a second
// machine).
#include "server/store/db_addresses.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cms::store {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

TEST(ParseDbHostsTest, ListsAddressesInOrder) {
  auto hosts = ParseDbHosts(" 127.0.0.1:3307, db-b.internal:3306 ,[::1]:3308");
  ASSERT_TRUE(hosts.ok()) << hosts.status();
  EXPECT_THAT(*hosts, ElementsAre("127.0.0.1:3307", "db-b.internal:3306", "[::1]:3308"));
  auto none = ParseDbHosts("");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty()) << "no --db_hosts: --db_uri alone";
}

TEST(ParseDbHostsTest, RefusesWhatAConnectStringCannotCarry) {
  for (const char* bad :
       {"127.0.0.1", "127.0.0.1:", ":3306", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:33x",
        "::1:3306", "[::1:3306", "[::1]", "db host:3306", "a=b:3306", "a'b:3306", "ok:3306,bad"}) {
    EXPECT_EQ(ParseDbHosts(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(ConnectStringsTest, EachHostReplacesTheHostAndPortOfTheUri) {
  auto uris =
      ConnectStrings("db=cms user=app password=pw host=10.0.0.1 port=3306 connect_timeout=2",
                     {"127.0.0.1:3307", "[::1]:3308"});
  ASSERT_TRUE(uris.ok()) << uris.status();
  EXPECT_THAT(*uris,
              ElementsAre("db=cms user=app password=pw connect_timeout=2 host=127.0.0.1 port=3307",
                          "db=cms user=app password=pw connect_timeout=2 host=::1 port=3308"));
}

TEST(ConnectStringsTest, NoHostsIsTheUriAlone) {
  auto uris = ConnectStrings("db=cms user=root host=127.0.0.1 port=3306", {});
  ASSERT_TRUE(uris.ok());
  EXPECT_THAT(*uris, ElementsAre("db=cms user=root host=127.0.0.1 port=3306"));
}

TEST(ConnectStringsTest, ASocketCannotAlsoTakeHosts) {
  EXPECT_EQ(ConnectStrings("db=cms user=root unix_socket=/tmp/s.sock", {"127.0.0.1:3306"})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(TryOrderTest, TheLastPrimaryFirstThenTheOthersAsListed) {
  struct Case {
    std::size_t count;
    std::size_t last_primary;
    std::vector<std::size_t> order;
  };
  const Case cases[] = {
      {1, 0, {0}},        // one address: nothing to choose
      {2, 0, {0, 1}},     // before a failover
      {2, 1, {1, 0}},     // after one: the promoted replica first
      {3, 2, {2, 0, 1}},  // the rest keep their listed order
      {3, 1, {1, 0, 2}},  //
      {3, 7, {0, 1, 2}},  // out of range: as listed
      {0, 0, {}},         // no address
  };
  for (const Case& c : cases) {
    EXPECT_THAT(TryOrder(c.count, c.last_primary), ElementsAreArray(c.order))
        << c.count << " addresses, last primary " << c.last_primary;
  }
}

TEST(RoleOfTest, OnlyAServerWithReadOnlyOffTakesConnections) {
  EXPECT_EQ(RoleOf(0), ServerRole::kWritable);
  EXPECT_EQ(RoleOf(1), ServerRole::kReadOnly);
}

}  // namespace
}  // namespace cms::store
