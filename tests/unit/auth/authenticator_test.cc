// X13.1 (hole 5): a staff id is well formed before the database is asked.
#include "server/auth/authenticator.h"

#include <gtest/gtest.h>

#include "server/base/errors.h"

namespace cms::auth {
namespace {

TEST(StaffIdFormTest, PrintableAsciiUpTo64WithoutSurroundingSpaces) {
  for (const std::string& ok : {std::string("svc.manager"), std::string("cw.gb.new_case.a1"),
                                std::string("a b"), std::string(64, 'a'), std::string("x")}) {
    EXPECT_TRUE(CheckStaffIdForm(ok).ok()) << ok;
  }
  for (const std::string& bad :
       {std::string(""), std::string("svc.manager "), std::string(" svc.manager"),
        std::string("svc.manager\t"), std::string("svc\nmanager"), std::string("a\0b", 3),
        std::string("sv\xC3\xA7"), std::string("x\x7f"), std::string(65, 'a')}) {
    absl::Status s = CheckStaffIdForm(bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << ::testing::PrintToString(bad);
    EXPECT_EQ(RuleOf(s), "X13.1");
    EXPECT_LT(s.message().size(), 160u);
  }
}

}  // namespace
}  // namespace cms::auth
